/**
 * Key layout of session reminders in Deno KV — the one place it is written
 * down (docs/domain-rules.md "Reminders").
 *
 * - `["reminders_due", dueAt, bookingId, kind]` → startsAt: a reminder of a confirmed booking that falls due at
 *   `dueAt` (UTC ISO, so key order is time order). Written and removed by `putBookingOps`
 *   (`lib/booking/store.ts`, through `./due.ts`) in the same commit as the booking: set when a booking becomes
 *   confirmed (or is confirmed at a new start), removed when it leaves `confirmed` or its start moves. The send
 *   job deletes it in the commit that finishes the reminder (below), so until then the catch-up cron keeps
 *   retrying it. The catch-up cron lists `dueAt ≤ now` only.
 * - `["reminders_recipients", bookingId, kind, startsAt, side]` → RecipientClaim (`side` `client` or
 *   `psychologist`): one side's send — `sending` with a lease, `sent`, `failed` with a retry moment, or
 *   `gave_up`. Claimed in a commit checked against the booking's versionstamp and the claim read, before that
 *   side's mail goes out; a side that is `sent` is never mailed again. Expires 30 days after the session's start.
 * - `["reminders_sent", bookingId, kind, startsAt]` → SentClaim: the reminder of that start is finished — sent
 *   (to every side, or to those not given up), skipped, or given up — written with `check(versionstamp: null)`
 *   and the index key's removal in one commit, checked against the booking and the recipient claims. Nothing
 *   more is sent for it. Expires 30 days after the session's start.
 *
 * `kind` is `24h` or `1h` (`./due.ts`).
 */

/** Top-level KV key prefixes owned by reminders (checked by tests/kv_prefixes_test.ts). */
export const REMINDERS_PREFIXES: readonly string[] = ["reminders_due", "reminders_sent", "reminders_recipients"];

/** A reminder that falls due at `dueAt`. */
export const dueKey = (dueAt: string, bookingId: string, kind: string): Deno.KvKey => [
  "reminders_due",
  dueAt,
  bookingId,
  kind,
];
/** Prefix of every due reminder (in due order). */
export const DUE_PREFIX: Deno.KvKey = ["reminders_due"];
/** The record that reminder `kind` of booking `bookingId` for the start `startsAt` is finished (sent or skipped). */
export const sentKey = (bookingId: string, kind: string, startsAt: string): Deno.KvKey => [
  "reminders_sent",
  bookingId,
  kind,
  startsAt,
];
/** The send of reminder `kind` of booking `bookingId` for the start `startsAt` to one `side`. */
export const recipientKey = (bookingId: string, kind: string, startsAt: string, side: string): Deno.KvKey => [
  "reminders_recipients",
  bookingId,
  kind,
  startsAt,
  side,
];
