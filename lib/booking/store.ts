/**
 * Bookings in Deno KV: reads, listings and the one place a booking and its
 * index keys are written (`putBookingOps`). Key layout in `./keys.ts`.
 */
import { getKv, type Page, scanPage } from "@/lib/db/kv.ts";
import { ACTIVE_STATUSES, type Booking, type BookingStatus } from "./model.ts";
import * as K from "./keys.ts";
import { statOps } from "@/lib/workspace/stats_index.ts";
import { reminderIndexOps } from "@/lib/reminders/due.ts";

/** A booking id as stored: a ULID (`lib/db/ids.ts`). */
const BOOKING_ID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * The booking `id`, or null — also for anything that is not a ULID, so an id
 * from a URL never reaches KV as a key over its 2 KiB limit (which throws and
 * used to answer 500 on the notes routes).
 */
export async function getBooking(id: string): Promise<Booking | null> {
  if (typeof id !== "string" || !BOOKING_ID_RE.test(id)) return null;
  const kv = await getKv();
  return (await kv.get<Booking>(K.bookingKey(id))).value;
}

/** The booking `id` with its versionstamp (for a checked commit), or null. */
export async function getBookingEntry(id: string): Promise<Deno.KvEntry<Booking> | null> {
  if (typeof id !== "string" || !BOOKING_ID_RE.test(id)) return null;
  const kv = await getKv();
  const e = await kv.get<Booking>(K.bookingKey(id));
  return e.versionstamp === null ? null : e as Deno.KvEntry<Booking>;
}

/** The next timed move of a booking in state `b.status`, or null (see `./keys.ts` `booking_due`). */
export function dueOf(b: Booking): { at: string; kind: K.DueKind } | null {
  if (b.status === "awaiting_payment" && b.holdUntil) return { at: b.holdUntil, kind: "expire_hold" };
  if (b.status === "paid") return { at: b.startsAt, kind: "auto_reject" };
  return null;
}

/**
 * Adds to `op` the writes that turn `before` (null for a new booking) into
 * `after`: the primary key, both start-ordered indexes (moved when the start
 * moved), the `booking_due` key, the `booking_refunds_due` entry, the
 * workspace's statistics entry (`lib/workspace/keys.ts`) and the
 * `reminders_due` keys (`lib/reminders/keys.ts`). The caller adds the
 * check on the primary key and the cell mutations, and commits.
 */
export function putBookingOps(op: Deno.AtomicOperation, before: Booking | null, after: Booking): Deno.AtomicOperation {
  op.set(K.bookingKey(after.id), after);
  if (before && before.startsAt !== after.startsAt) {
    op.delete(K.byClientKey(before.clientId, before.startsAt, before.id));
    op.delete(K.byPsychologistKey(before.psychologistId, before.startsAt, before.id));
  }
  op.set(K.byClientKey(after.clientId, after.startsAt, after.id), after.id);
  op.set(K.byPsychologistKey(after.psychologistId, after.startsAt, after.id), after.id);
  const was = before ? dueOf(before) : null;
  const now = dueOf(after);
  if (was && (!now || was.at !== now.at || was.kind !== now.kind)) op.delete(K.dueKey(was.at, after.id));
  if (now) op.set(K.dueKey(now.at, after.id), now.kind);
  statOps(op, before, after);
  if (before?.refund?.status === "due" && (after.refund?.status !== "due" || before.orderId !== after.orderId)) {
    op.delete(K.refundDueKey(before.orderId));
  }
  if (after.refund?.status === "due") {
    const entry: K.RefundDueEntry = {
      bookingId: after.id,
      amountIdr: after.refund.amountIdr,
      dueAt: after.refund.dueAt,
      psychologistId: after.psychologistId,
    };
    op.set(K.refundDueKey(after.orderId), entry);
  }
  reminderIndexOps(op, before, after);
  return op;
}

/** Which bookings a listing returns: `active` = slot-holding states, `history` = the rest. */
export type BookingScope = "active" | "history" | "all";

/** Filters of a booking listing. Instants are UTC ISO strings (inclusive `from`, exclusive `to`). */
export interface BookingFilter {
  status?: BookingStatus | null;
  scope?: BookingScope;
  from?: string | null;
  to?: string | null;
  cursor?: string | null;
  /** 1–100, default 20. */
  limit?: number;
}

/**
 * Bookings of one client or psychologist in start order (newest first when
 * `scope` is `history`), filtered by status/scope/time, one page at a time.
 * @throws BadRequest `invalid_cursor` for a malformed cursor
 */
export async function listBookings(
  owner: { clientId: string } | { psychologistId: string },
  f: BookingFilter = {},
): Promise<Page<Booking>> {
  const kv = await getKv();
  const prefix = "clientId" in owner ? K.byClientPrefix(owner.clientId) : K.byPsychologistPrefix(owner.psychologistId);
  const scope = f.scope ?? "all";
  const selector: Deno.KvListSelector = f.from || f.to
    ? {
      start: f.from ? [...prefix, f.from] : prefix,
      ...(f.to ? { end: [...prefix, f.to] } : { prefix }),
    } as Deno.KvListSelector
    : { prefix };
  return await scanPage<string, Booking>(kv, selector, async (id) => {
    const b = (await kv.get<Booking>(K.bookingKey(id))).value;
    if (!b || (f.status && b.status !== f.status)) return null;
    if (scope === "active" && !ACTIVE_STATUSES.includes(b.status)) return null;
    if (scope === "history" && ACTIVE_STATUSES.includes(b.status)) return null;
    return b;
  }, { cursor: f.cursor, limit: f.limit, reverse: scope === "history" });
}
