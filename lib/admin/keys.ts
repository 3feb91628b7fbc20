/**
 * Key layout of the admin console's own data in Deno KV — the one place it is
 * written down. The console mostly reads other capabilities' indexes:
 * `["payments_by_time" | "payments_by_payee", …]` and `["payments_ledger", at, orderId, kind]`
 * (lib/payments/keys.ts), `["booking_refunds_due", orderId]` and `["bookings", id]`
 * (lib/booking/keys.ts), `["users_by_role", …]` (lib/auth/keys.ts) and
 * `["appointments_by_day", …]` (lib/guestbook/keys.ts).
 *
 * Its own keys record when each user was last active (signed in or used a
 * session), one UTC day per user, for "active users (30 days)":
 * - `["user_last_active", userId]`                 → `YYYY-MM-DD` (UTC day of the user's last activity)
 * - `["users_by_last_active", "YYYY-MM-DD", userId]` → true (one entry per user: the old day's entry is
 *   deleted in the commit that writes the new one, so counting a day range counts users)
 * - `["finance_index_backfill"]` → number: the version of the one-time backfill (`./backfill.ts`) that rewrote
 *   payments and bookings stored before the ledger and refunds-due indexes existed
 */

/** Top-level KV key prefixes owned by the admin console (checked by tests/kv_prefixes_test.ts). */
export const ADMIN_PREFIXES: readonly string[] = ["user_last_active", "users_by_last_active", "finance_index_backfill"];

/** A user's last active UTC day. */
export const lastActiveKey = (userId: string): Deno.KvKey => ["user_last_active", userId];
/** A user under their last active day. */
export const byLastActiveKey = (day: string, userId: string): Deno.KvKey => ["users_by_last_active", day, userId];
/** Prefix of the last-active index. */
export const BY_LAST_ACTIVE_PREFIX: Deno.KvKey = ["users_by_last_active"];

/** Marker of the finance index backfill (see the layout above). */
export const financeBackfillKey: Deno.KvKey = ["finance_index_backfill"];
