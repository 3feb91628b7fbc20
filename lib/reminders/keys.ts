/**
 * Key layout of session reminders in Deno KV — the one place it is written
 * down (docs/domain-rules.md "Reminders").
 *
 * - `["reminders_due", dueAt, bookingId, kind]` → startsAt: a reminder of a confirmed booking that falls due at
 *   `dueAt` (UTC ISO, so key order is time order). Written and removed by `putBookingOps`
 *   (`lib/booking/store.ts`, through `./due.ts`) in the same commit as the booking: set when a booking becomes
 *   confirmed (or is confirmed at a new start), removed when it leaves `confirmed` or its start moves. The send
 *   job deletes it in the commit that claims the send. The catch-up cron lists `dueAt ≤ now` only.
 * - `["reminders_sent", bookingId, kind, startsAt]` → SentClaim: claimed with `check(versionstamp: null)` in a
 *   commit also checked against the booking's versionstamp, before any mail goes out — so each reminder of
 *   each start is decided (sent or skipped) once, however often and however concurrently the job runs.
 *   Expires 30 days after the session's start.
 *
 * `kind` is `24h` or `1h` (`./due.ts`).
 */

/** Top-level KV key prefixes owned by reminders (checked by tests/kv_prefixes_test.ts). */
export const REMINDERS_PREFIXES: readonly string[] = ["reminders_due", "reminders_sent"];

/** A reminder that falls due at `dueAt`. */
export const dueKey = (dueAt: string, bookingId: string, kind: string): Deno.KvKey => [
  "reminders_due",
  dueAt,
  bookingId,
  kind,
];
/** Prefix of every due reminder (in due order). */
export const DUE_PREFIX: Deno.KvKey = ["reminders_due"];
/** The once-only claim of reminder `kind` of booking `bookingId` for the start `startsAt`. */
export const sentKey = (bookingId: string, kind: string, startsAt: string): Deno.KvKey => [
  "reminders_sent",
  bookingId,
  kind,
  startsAt,
];
