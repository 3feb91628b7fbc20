/**
 * The psychologist's queue: today's sessions and the coming ones as a timeline
 * (today, tomorrow, later) with the client's name and age, the service, the
 * state, the chat link (the chat's own opening rule) and a WhatsApp reminder
 * link (docs/domain-rules.md "Psychologist workspace").
 */
import { getKv } from "@/lib/db/kv.ts";
import type { User } from "@/lib/auth/users.ts";
import { getAvailability } from "@/lib/availability/store.ts";
import type { Booking, BookingStatus } from "@/lib/booking/model.ts";
import { bookingKey, byPsychologistPrefix } from "@/lib/booking/keys.ts";
import { allowedActions } from "@/lib/booking/views.ts";
import { chatState } from "@/lib/chat/model.ts";
import { chatLink } from "@/lib/chat/views.ts";
import { addDays, localDateOf, startOfLocalDay } from "@/lib/guestbook/time.ts";
import { ageOn, usersById, whatsappReminder } from "./people.ts";

/** Most bookings the queue shows (the soonest first). */
export const QUEUE_MAX = 100;
/** Most index entries the queue looks at to find them (ended bookings are skipped). */
const QUEUE_MAX_SCAN = 1000;

/** States shown for today (every real session of the day, held or not). */
export const TODAY_STATUSES: readonly BookingStatus[] = ["paid", "confirmed", "in_session", "completed", "no_show"];
/** States shown for tomorrow and later (sessions still to come). */
export const COMING_STATUSES: readonly BookingStatus[] = ["paid", "confirmed", "in_session"];

/** One session in the queue. Instants are UTC ISO strings. */
export interface QueueItem {
  id: string;
  startsAt: string;
  endsAt: string;
  status: BookingStatus;
  serviceType: Booking["serviceType"];
  durationMinutes: number;
  priceIdr: number;
  clientId: string;
  clientName: string;
  /** Whole years from the client's birth date; null when unknown. */
  clientAge: number | null;
  /** `open` while the chat takes messages, `history` when closed with messages, else null. */
  chat: "open" | "history" | null;
  /** When the chat opens (`CHAT_OPENS_MINUTES_BEFORE` before the start). */
  chatOpensAt: string;
  /** WhatsApp click-to-chat reminder to the client; null when they have no phone. */
  whatsappUrl: string | null;
  /** The psychologist's moves possible now (the lifecycle functions still decide). */
  actions: { confirm: boolean; startSession: boolean; complete: boolean; noShow: boolean };
}

/** The queue: local dates in `timeZone` (the psychologist's availability zone). */
export interface Queue {
  timeZone: string;
  /** Today's local date `YYYY-MM-DD`. */
  date: string;
  today: QueueItem[];
  tomorrow: QueueItem[];
  later: QueueItem[];
}

/**
 * Bookings of psychologist `psychologistId` starting at or after `fromIso`
 * (UTC ISO) for which `keep` is true, in start order; at most `max`, looking at
 * most at `maxScan` index entries. Full bookings are read 10 at a time.
 */
export async function bookingsFrom(
  psychologistId: string,
  fromIso: string,
  toIso: string | null,
  keep: (b: Booking) => boolean,
  max: number,
  maxScan: number,
): Promise<Booking[]> {
  const kv = await getKv();
  const prefix = byPsychologistPrefix(psychologistId);
  const selector: Deno.KvListSelector = toIso
    ? { start: [...prefix, fromIso], end: [...prefix, toIso] }
    : { prefix, start: [...prefix, fromIso] };
  const out: Booking[] = [];
  let ids: string[] = [];
  const flush = async () => {
    const entries = await kv.getMany<Booking[]>(ids.map((id) => bookingKey(id)));
    for (const e of entries) if (e.value && keep(e.value) && out.length < max) out.push(e.value);
    ids = [];
  };
  for await (const e of kv.list<string>(selector, { limit: maxScan, batchSize: 200 })) {
    ids.push(e.value);
    if (ids.length === 10) await flush();
    if (out.length >= max) break;
  }
  if (ids.length && out.length < max) await flush();
  return out;
}

/**
 * The queue of psychologist `user` at `nowMs`: from the start of today (their
 * availability zone) on, at most {@link QUEUE_MAX} sessions, soonest first.
 * Only the psychologist themself is passed here (the route checks the role).
 */
export async function queueOf(user: User, nowMs = Date.now()): Promise<Queue> {
  const timeZone = (await getAvailability(user.id)).timeZone;
  const date = localDateOf(new Date(nowMs), timeZone);
  const tomorrow = addDays(date, 1);
  const from = startOfLocalDay(date, timeZone);
  const bookings = await bookingsFrom(
    user.id,
    from,
    null,
    (b) => {
      const day = localDateOf(b.startsAt, timeZone);
      return (day === date ? TODAY_STATUSES : COMING_STATUSES).includes(b.status);
    },
    QUEUE_MAX,
    QUEUE_MAX_SCAN,
  );
  const clients = await usersById(bookings.map((b) => b.clientId));
  const items = await Promise.all(bookings.map(async (b): Promise<QueueItem> => {
    const client = clients.get(b.clientId) ?? null;
    const can = allowedActions(b, user, nowMs);
    const opensAt = chatState(b, null, nowMs).opensAt;
    // Before its chat opens a booking's room has no messages (a reschedule ends 24 h before the start),
    // so only sessions from the opening on need the room's reads.
    const chat = b.status === "paid" || (b.status === "confirmed" && nowMs < Date.parse(opensAt))
      ? null
      : await chatLink(b, nowMs);
    return {
      id: b.id,
      startsAt: b.startsAt,
      endsAt: b.endsAt,
      status: b.status,
      serviceType: b.serviceType,
      durationMinutes: b.durationMinutes,
      priceIdr: b.priceIdr,
      clientId: b.clientId,
      clientName: b.clientName,
      clientAge: ageOn(client?.birthDate, date),
      chat,
      chatOpensAt: opensAt,
      whatsappUrl: COMING_STATUSES.includes(b.status) ? whatsappReminder(b, client) : null,
      actions: { confirm: can.confirm, startSession: can.startSession, complete: can.complete, noShow: can.noShow },
    };
  }));
  const q: Queue = { timeZone, date, today: [], tomorrow: [], later: [] };
  for (const it of items) {
    const day = localDateOf(it.startsAt, timeZone);
    (day === date ? q.today : day === tomorrow ? q.tomorrow : q.later).push(it);
  }
  return q;
}
