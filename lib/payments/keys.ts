/**
 * Key layout of payments in Deno KV — the one place it is written down.
 *
 * - `["payments", orderId]`                              → Payment
 * - `["payments_by_payer", payerId, createdAt, orderId]` → Payment (copy; the payer's history, newest last)
 * - `["payments_by_payee", payeeId, createdAt, orderId]` → Payment (copy; a psychologist's incoming payments)
 * - `["payments_by_time", createdAt, orderId]`           → Payment (copy; the admin list)
 * - `["payments_pending", expiresAt, orderId]`           → orderId (pending payments, for the reconcile job)
 * - `["payments_ledger", at, orderId, kind]`             → LedgerEntry (compact, for the admin finance report):
 *   `kind` "paid" at `paidAt` when a payment becomes paid, "refunded" at `refundedAt` when it is refunded;
 *   written in the commit of that move, never changed afterwards
 * - `["payment_notifications", id]`                      → StoredNotification (verified: raw; unverified: digest, 24 h)
 * - `["payment_notifications_by_order", orderId, id]`    → id
 * - `["payment_notifications_dropped", utcDay]`          → Deno.KvU64 (unverified notifications not stored that day)
 * - `["payments_secret", name]`                          → `{ secret, createdAt }` (the builtin sandbox's server key)
 * - `["midtrans_sandbox_tx", orderId]`                   → SandboxTransaction (builtin sandbox only)
 * - `["midtrans_sandbox_token", token]`                  → orderId (builtin sandbox: Snap token → order)
 *
 * Every change of a payment writes the payment and all its copies in one
 * atomic commit, with a check on the payment's versionstamp.
 */

/** Top-level KV key prefixes owned by payments (checked by tests/kv_prefixes_test.ts). */
export const PAYMENTS_PREFIXES: readonly string[] = [
  "payments",
  "payments_by_payer",
  "payments_by_payee",
  "payments_by_time",
  "payments_pending",
  "payments_ledger",
  "payment_notifications",
  "payment_notifications_by_order",
  "payment_notifications_dropped",
  "payments_secret",
  "midtrans_sandbox_tx",
  "midtrans_sandbox_token",
];

/** A payment by Midtrans order id. */
export const paymentKey = (orderId: string): Deno.KvKey => ["payments", orderId];
/** A payer's copy of a payment. */
export const byPayerKey = (payerId: string, createdAt: string, orderId: string): Deno.KvKey => [
  "payments_by_payer",
  payerId,
  createdAt,
  orderId,
];
/** Prefix of a payer's payments. */
export const byPayerPrefix = (payerId: string): Deno.KvKey => ["payments_by_payer", payerId];
/** A payee's copy of a payment. */
export const byPayeeKey = (payeeId: string, createdAt: string, orderId: string): Deno.KvKey => [
  "payments_by_payee",
  payeeId,
  createdAt,
  orderId,
];
/** Prefix of a payee's payments. */
export const byPayeePrefix = (payeeId: string): Deno.KvKey => ["payments_by_payee", payeeId];
/** The admin list's copy of a payment. */
export const byTimeKey = (createdAt: string, orderId: string): Deno.KvKey => ["payments_by_time", createdAt, orderId];
/** Prefix of every payment by time. */
export const byTimePrefix: Deno.KvKey = ["payments_by_time"];
/** A pending payment by its expiry. */
export const pendingKey = (expiresAt: string, orderId: string): Deno.KvKey => ["payments_pending", expiresAt, orderId];
/** Prefix of pending payments. */
export const pendingPrefix: Deno.KvKey = ["payments_pending"];
/** A ledger entry: the money move of one payment at instant `at` (ISO 8601 UTC). */
export const ledgerKey = (at: string, orderId: string, kind: "paid" | "refunded"): Deno.KvKey => [
  "payments_ledger",
  at,
  orderId,
  kind,
];
/** Prefix of the ledger. */
export const ledgerPrefix: Deno.KvKey = ["payments_ledger"];
/** One received notification. */
export const notificationKey = (id: string): Deno.KvKey => ["payment_notifications", id];
/** Prefix of every received notification. */
export const notificationsPrefix: Deno.KvKey = ["payment_notifications"];
/** A notification under its order. */
export const notificationByOrderKey = (orderId: string, id: string): Deno.KvKey => [
  "payment_notifications_by_order",
  orderId,
  id,
];
/** Prefix of the notifications of an order. */
export const notificationsByOrderPrefix = (orderId: string): Deno.KvKey => ["payment_notifications_by_order", orderId];
/** Count of unverified notifications not stored on a UTC day (`YYYY-MM-DD`). */
export const droppedUnverifiedKey = (day: string): Deno.KvKey => ["payment_notifications_dropped", day];
/** A payments secret by name. */
export const secretKey = (name: string): Deno.KvKey => ["payments_secret", name];
/** A builtin-sandbox transaction. */
export const sandboxTxKey = (orderId: string): Deno.KvKey => ["midtrans_sandbox_tx", orderId];
/** A builtin-sandbox Snap token. */
export const sandboxTokenKey = (token: string): Deno.KvKey => ["midtrans_sandbox_token", token];
