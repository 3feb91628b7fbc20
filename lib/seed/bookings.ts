/**
 * Demo bookings (`deno task seed`): `klien1` has a booking with `psikolog1`
 * in every state, each with its payment, made by running the real flow with
 * the clock set back to when it would have happened — reserve, Snap payment
 * on the built-in sandbox, the sandbox's payment and the status API applied
 * to the booking, then the psychologist's or client's moves. Nothing is
 * written around the booking code. Idempotent: skipped when `klien1`
 * already has bookings. Needs the accounts, psychologists and availability
 * seeds first, and `MIDTRANS_ENV=builtin` (the default).
 */
import { config } from "@/lib/config.ts";
import { getUserByEmail, type User } from "@/lib/auth/users.ts";
import { getPsychologist } from "@/lib/psychologists/store.ts";
import type { Psychologist, Service } from "@/lib/psychologists/model.ts";
import { getAvailability, nextFreeSlots, putAvailability } from "@/lib/availability/store.ts";
import { minutesOf } from "@/lib/availability/slots.ts";
import { createBooking } from "@/lib/booking/create.ts";
import {
  cancelBooking,
  completeBooking,
  confirmBooking,
  markNoShow,
  rejectBooking,
  startSession,
} from "@/lib/booking/lifecycle.ts";
import { runDueBookings } from "@/lib/booking/jobs.ts";
import { listBookings } from "@/lib/booking/store.ts";
import type { Booking, BookingStatus } from "@/lib/booking/model.ts";
import { sandboxPay } from "@/lib/payments/sandbox.ts";
import { syncPayment } from "@/lib/payments/store.ts";
import { reconcilePayments } from "@/lib/payments/jobs.ts";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The demo bookings: the state each ends in, and about when it starts relative to now (ms). */
const PLAN: readonly { status: BookingStatus; startsIn: number; service: number }[] = [
  { status: "completed", startsIn: -14 * DAY, service: 1 },
  { status: "completed", startsIn: -7 * DAY, service: 0 },
  { status: "no_show", startsIn: -5 * DAY, service: 0 },
  { status: "rejected", startsIn: -3 * DAY, service: 1 },
  { status: "expired", startsIn: 1 * DAY, service: 0 },
  { status: "in_session", startsIn: -10 * 60_000, service: 1 },
  { status: "cancelled", startsIn: 4 * DAY, service: 0 },
  { status: "confirmed", startsIn: 2 * DAY, service: 1 },
  { status: "paid", startsIn: 3 * DAY, service: 0 },
  { status: "awaiting_payment", startsIn: 5 * DAY, service: 1 },
];

/** A working week for a psychologist without settings (Mon–Sat 08:00–18:00, 10-minute buffer after). */
async function ensureAvailability(p: Psychologist, nowMs: number): Promise<void> {
  const a = await getAvailability(p.id, nowMs);
  if (Object.values(a.weekly).some((r) => r.length)) return;
  const day = [{ start: "08:00", end: "18:00" }];
  await putAvailability(p.id, {
    timeZone: config.timeZone,
    weekly: { "1": day, "2": day, "3": day, "4": day, "5": day, "6": day, "7": [] },
    overrides: {},
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 10,
    minimumNoticeMinutes: 120,
    horizonDays: 30,
    slotIntervalMinutes: 30,
  }, nowMs);
}

/** `HH:MM` of `minutes` after midnight, on the 5-minute grid (clamped to 00:00–24:00). */
function hhmm(minutes: number): string {
  const m = Math.max(0, Math.min(1440, Math.round(minutes / 5) * 5));
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/**
 * Gives `p` extra working hours today around now (a date override: today's
 * usual ranges merged with now − 1 h … now + 2 h), so the demo always has a
 * session in progress, whatever time the seed runs.
 */
async function openHoursNow(p: Psychologist, nowMs: number): Promise<void> {
  const a = await getAvailability(p.id, nowMs);
  const here = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(a.timeZone);
  const date = here.toPlainDate().toString();
  const now = here.hour * 60 + here.minute;
  const usual = a.overrides[date] ?? a.weekly[String(here.dayOfWeek) as keyof typeof a.weekly] ?? [];
  const ranges = [...usual.map((r) => [minutesOf(r.start), minutesOf(r.end)]), [now - 60, now + 120]]
    .map(([x, y]) => [Math.max(0, Math.floor(x / 5) * 5), Math.min(1440, Math.ceil(y / 5) * 5)])
    .sort((x, y) => x[0] - y[0]);
  const merged: number[][] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  await putAvailability(p.id, {
    ...a,
    overrides: { ...a.overrides, [date]: merged.map(([x, y]) => ({ start: hhmm(x), end: hhmm(y) })) },
  }, nowMs);
}

/**
 * Books a free slot of `service` as the client would have done at `bookedAt`
 * (the clock of every check): the first one that starts at `target` − 15 min
 * or later, or with `during`, the one running 5 min after `target` (a session
 * in progress at `target`, started at most 5 min early, wherever the slot grid
 * falls).
 */
async function book(client: User, p: Psychologist, s: Service, target: number, bookedAt: number, during = false) {
  const slots = await nextFreeSlots(p, s, bookedAt, { limit: 200 });
  const slot = during
    ? slots.find((x) => x.startsAt <= target + 5 * 60_000 && x.endsAt > target + 5 * 60_000)
    : slots.find((x) => x.startsAt >= target - 15 * 60_000);
  if (!slot) return null;
  const { booking } = await createBooking(client, {
    psychologistId: p.id,
    serviceId: s.id,
    startsAt: new Date(slot.startsAt).toISOString(),
  }, bookedAt);
  return booking;
}

async function pay(b: Booking, atMs: number, method: "qris" | "gopay" | "bca_va" = "qris"): Promise<void> {
  await sandboxPay(b.orderId, method, "settlement", atMs);
  await syncPayment(b.orderId, atMs);
}

/**
 * Seeds `klien1`'s bookings with `psikolog1` (see the module comment).
 * @returns printable lines
 */
export async function seedBookings(now: Date = new Date()): Promise<string[]> {
  const nowMs = now.getTime();
  const client = await getUserByEmail("klien1@demo.test");
  const psyUser = await getUserByEmail("psikolog1@demo.test");
  const p = psyUser ? await getPsychologist(psyUser.id) : null;
  if (!client || !psyUser || !p || p.services.length < 2) {
    return ["bookings      skipped (klien1 or psikolog1 missing)"];
  }
  if ((await listBookings({ clientId: client.id }, { limit: 1 })).items.length) {
    return ["bookings      klien1 ↔ psikolog1  (exist)"];
  }
  await ensureAvailability(p, nowMs);
  await openHoursNow(p, nowMs);
  const made: string[] = [];
  for (const step of PLAN) {
    const s = p.services[Math.min(step.service, p.services.length - 1)];
    const target = nowMs + step.startsIn;
    // Past sessions were booked a day ahead; future ones over the last hours (never in the future);
    // the unpaid one just now (still payable) and the expired one an hour ago.
    const bookedAt = step.status === "awaiting_payment"
      ? nowMs
      : step.status === "expired"
      ? nowMs - HOUR
      : Math.min(target - DAY, nowMs - (PLAN.length - made.length) * 2 * HOUR);
    // The session "in progress" is the slot running now; there is none late in the evening, when no slot
    // of the opened hours (up to midnight) is still running — then it is left out.
    const b = await book(
      client,
      p,
      s,
      step.status === "in_session" ? nowMs : target,
      bookedAt,
      step.status === "in_session",
    );
    if (!b) continue;
    const start = Date.parse(b.startsAt);
    const paidAt = bookedAt + 5 * 60_000;
    switch (step.status) {
      case "awaiting_payment":
        break;
      case "expired":
        await runDueBookings(nowMs);
        break;
      case "paid":
        await pay(b, paidAt, "bca_va");
        break;
      case "confirmed":
        await pay(b, paidAt, "gopay");
        await confirmBooking(b.id, psyUser, paidAt + HOUR);
        break;
      case "rejected":
        await pay(b, paidAt);
        await rejectBooking(
          b.id,
          psyUser,
          "Jadwal bentrok dengan tugas lain; silakan pesan waktu lain.",
          paidAt + HOUR,
        );
        break;
      case "cancelled":
        await pay(b, paidAt);
        await cancelBooking(b.id, client, "Ada keperluan keluarga", paidAt + HOUR);
        break;
      case "in_session":
        await pay(b, paidAt);
        await confirmBooking(b.id, psyUser, paidAt + 30 * 60_000);
        await startSession(b.id, psyUser, Math.max(start - 5 * 60_000, paidAt + HOUR));
        break;
      case "completed":
        await pay(b, paidAt);
        await confirmBooking(b.id, psyUser, paidAt + HOUR);
        await startSession(b.id, psyUser, start);
        await completeBooking(b.id, psyUser, start + b.durationMinutes * 60_000);
        break;
      case "no_show":
        await pay(b, paidAt);
        await confirmBooking(b.id, psyUser, paidAt + HOUR);
        await markNoShow(b.id, psyUser, "client", start + 20 * 60_000);
        break;
    }
    made.push(step.status);
  }
  // Payments left unpaid past their window are expired by the reconcile job, as on a running server.
  await reconcilePayments(nowMs);
  return [`bookings      klien1 ↔ psikolog1  ${made.length} bookings (${made.join(", ")})`];
}
