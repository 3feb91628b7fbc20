/**
 * Key layout of the booking capability in Deno KV — the one place it is
 * written down. Every function in `lib/booking/` builds its keys here.
 *
 * - `["bookings", id]`                                   → Booking (primary)
 * - `["bookings_by_client", clientId, startsAt, id]`     → id
 * - `["bookings_by_psychologist", psychologistId, startsAt, id]` → id
 * - `["slot_cells", psychologistId, cellStartMs]`        → CellValue (`./cells.ts`): the time cells a booking
 *   holds, claimed with `check(null)` in the commit that writes the booking
 * - `["booking_due", dueAt, id]`                         → DueKind: the next timed move of a booking (expiry
 *   of an unpaid hold, or the automatic rejection of a paid booking not confirmed by its start); the
 *   catch-up cron lists `dueAt ≤ now`, so a late or lost queue message never leaves one behind
 *
 * - `["booking_refunds_due", orderId]`                  → RefundDueEntry: the bookings whose refund is due (set while
 *   `refund.status` is "due", deleted when it is done), keyed by the payment's order id, for the admin's
 *   transactions and their "refunds due" total
 *
 * - `["booking_client_locks", clientId]`                 → id of the client's last reservation: checked and rewritten
 *   by every reservation's commit, so one client's concurrent reservations are serialised (the unpaid-holds cap)
 *
 * `startsAt` and `dueAt` are UTC ISO strings from `Date#toISOString` (fixed width), so key order is
 * time order. A booking and every key above that it owns change in one atomic commit guarded by the
 * booking's versionstamp.
 */

/** Top-level KV key prefixes owned by booking (checked by tests/kv_prefixes_test.ts). */
export const BOOKING_PREFIXES: readonly string[] = [
  "bookings",
  "bookings_by_client",
  "bookings_by_psychologist",
  "slot_cells",
  "booking_due",
  "booking_client_locks",
  "booking_refunds_due",
];

/** Value of `["booking_refunds_due", orderId]`: amounts in whole rupiah, `dueAt` ISO 8601 UTC. */
export interface RefundDueEntry {
  bookingId: string;
  amountIdr: number;
  dueAt: string;
  psychologistId: string;
}

/** What falls due for a booking at a `booking_due` key. */
export type DueKind = "expire_hold" | "auto_reject";

/** Prefix of every booking (primary keys). */
export const BOOKINGS_PREFIX: Deno.KvKey = ["bookings"];
/** Primary key of a booking. */
export const bookingKey = (id: string): Deno.KvKey => ["bookings", id];
/** A client's bookings by start. */
export const byClientKey = (clientId: string, startsAt: string, id: string): Deno.KvKey => [
  "bookings_by_client",
  clientId,
  startsAt,
  id,
];
/** Prefix of a client's bookings. */
export const byClientPrefix = (clientId: string): Deno.KvKey => ["bookings_by_client", clientId];
/** A psychologist's bookings by start. */
export const byPsychologistKey = (psychologistId: string, startsAt: string, id: string): Deno.KvKey => [
  "bookings_by_psychologist",
  psychologistId,
  startsAt,
  id,
];
/** Prefix of a psychologist's bookings. */
export const byPsychologistPrefix = (
  psychologistId: string,
): Deno.KvKey => ["bookings_by_psychologist", psychologistId];
/** A booking's next timed move. */
export const dueKey = (dueAt: string, id: string): Deno.KvKey => ["booking_due", dueAt, id];
/** Prefix of every timed move. */
export const DUE_PREFIX: Deno.KvKey = ["booking_due"];
/** A booking's due refund, by the order id of its payment. */
export const refundDueKey = (orderId: string): Deno.KvKey => ["booking_refunds_due", orderId];
/** Prefix of every due refund. */
export const REFUNDS_DUE_PREFIX: Deno.KvKey = ["booking_refunds_due"];
/** A client's reservation lock (see the layout above). */
export const clientLockKey = (clientId: string): Deno.KvKey => ["booking_client_locks", clientId];
