/**
 * What booking pages show, computed once for every page: badge tones per
 * state, free slots grouped by local day in the viewer's zone, the actions a
 * user may take on a booking now.
 */
import { config } from "@/lib/config.ts";
import type { User } from "@/lib/auth/users.ts";
import type { Psychologist, Service } from "@/lib/psychologists/model.ts";
import { nextFreeSlots } from "@/lib/availability/store.ts";
import { localDateOf } from "@/lib/guestbook/time.ts";
import type { Booking, BookingStatus } from "./model.ts";
import { cutoffMs, IN_SESSION_EARLY_MINUTES } from "./lifecycle.ts";

/** Badge colour of a booking state. */
export function statusTone(s: BookingStatus): "neutral" | "info" | "success" | "warning" | "danger" {
  switch (s) {
    case "awaiting_payment":
    case "paid":
      return "warning";
    case "confirmed":
    case "in_session":
      return "info";
    case "completed":
      return "success";
    case "rejected":
    case "no_show":
      return "danger";
    default:
      return "neutral";
  }
}

/** One local day of free slots (`date` = `YYYY-MM-DD` in `timeZone`; slots as UTC ISO instants). */
export interface SlotDay {
  date: string;
  slots: { startsAt: string; endsAt: string }[];
}

/**
 * The free slots of `service` from now on (the availability module's
 * `nextFreeSlots`, at most 400 within the horizon), grouped by local day in
 * `timeZone` (the viewer's, default `TIME_ZONE`).
 */
export async function slotDays(
  p: Psychologist,
  service: Service,
  nowMs = Date.now(),
  timeZone = config.timeZone,
): Promise<SlotDay[]> {
  const slots = await nextFreeSlots(p, service, nowMs, { limit: 200 });
  const days: SlotDay[] = [];
  for (const s of slots) {
    const date = localDateOf(new Date(s.startsAt), timeZone);
    const last = days.at(-1);
    const slot = { startsAt: new Date(s.startsAt).toISOString(), endsAt: new Date(s.endsAt).toISOString() };
    if (last?.date === date) last.slots.push(slot);
    else days.push({ date, slots: [slot] });
  }
  return days;
}

/** What `user` may do with booking `b` at `nowMs` (the lifecycle functions still decide). */
export function allowedActions(b: Booking, user: User, nowMs = Date.now()) {
  const start = Date.parse(b.startsAt);
  const isClient = user.id === b.clientId;
  const isPsy = user.id === b.psychologistId;
  const beforeCutoff = nowMs <= cutoffMs(b);
  return {
    pay: isClient && b.status === "awaiting_payment" && !!b.holdUntil && Date.parse(b.holdUntil) > nowMs,
    cancel: isClient && nowMs < start &&
      (b.status === "awaiting_payment" || ((b.status === "paid" || b.status === "confirmed") && beforeCutoff)),
    reschedule: isClient && (b.status === "paid" || b.status === "confirmed") && beforeCutoff &&
      b.rescheduleCount < 1,
    confirm: isPsy && b.status === "paid" && nowMs < start,
    reject: isPsy && b.status === "paid",
    startSession: isPsy && b.status === "confirmed" && nowMs >= start - IN_SESSION_EARLY_MINUTES * 60_000 &&
      nowMs < Date.parse(b.endsAt),
    complete: isPsy && (b.status === "in_session" || b.status === "confirmed") && nowMs >= start,
    noShow: isPsy && (b.status === "confirmed" || b.status === "in_session") && nowMs >= start,
  };
}
