/**
 * Midtrans HTTP notifications (`POST /api/payments/midtrans/notification`):
 * every verified one is stored raw with what we made of it (an unverified one
 * only as a digest, see {@link unverifiedRecord}), its signature is checked
 * in constant time, the status API is asked before anything is applied, and
 * each state is applied once, forward only (docs/domain-rules.md "Payments";
 * Midtrans docs "HTTP(S) Notification / Webhooks").
 *
 * Answers (Midtrans retries on any non-2xx):
 * - 200 `{ok: true, result}` — applied, already applied, not forward,
 *   ignored, amount mismatch (flagged), unknown order: nothing a retry could fix;
 * - 400 `bad_notification` — not JSON or a required field missing;
 * - 403 `invalid_signature` — nothing else happens;
 * - 429 — more than {@link UNVERIFIED_LIMIT} unverified notifications from one address: not even stored;
 * - 503 `payment_provider_unavailable` — the status API could not be asked, or applying
 *   failed (a lost race five times, the purchase's effect threw): retry later.
 */
import { getKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { stringsEqual } from "@/lib/crypto/encoding.ts";
import { ServiceUnavailable } from "@/lib/errors.ts";
import { log } from "@/lib/log.ts";
import { hit } from "@/lib/ratelimit.ts";
import { z } from "@/lib/validation.ts";
import * as K from "./keys.ts";
import { notificationSignature, ORDER_ID_RE, parseMidtransAmount } from "./midtrans.ts";
import { provider } from "./provider.ts";
import { applyTransaction, getPayment } from "./store.ts";
import type { PaymentEffectOverrides } from "./model.ts";

/** Bodies larger than this are refused (413) before parsing; Midtrans notifications are ~1–2 KiB. */
export const MAX_NOTIFICATION_BYTES = 16 * 1024;

/** Unverified notifications (malformed, bad signature) stored per client address: 60 a minute. */
export const UNVERIFIED_LIMIT = { limit: 60, windowSec: 60 } as const;

/** How long an unverified notification (malformed, bad signature) is kept (KV `expireIn` and `expiresAt`), ms: 24 h. */
export const UNVERIFIED_TTL_MS = 86_400_000;

/** Bytes of an unverified body kept (its start, cut on a character boundary); the rest only as SHA-256 and length. */
export const UNVERIFIED_HEAD_BYTES = 256;

/**
 * Unverified notifications stored from all addresses together: 120 a minute
 * (twice one address's {@link UNVERIFIED_LIMIT}); past it they are only counted
 * ({@link droppedUnverified}). Bounds their storage to about 120 × 1 440 ×
 * ~700 B ≈ 120 MB however many addresses send them.
 */
export const UNVERIFIED_GLOBAL_LIMIT = { limit: 120, windowSec: 60 } as const;

/** What we made of a notification. */
export const NOTIFICATION_RESULTS = [
  "malformed",
  "invalid_signature",
  "unknown_order",
  "status_unavailable",
  "unknown_at_provider",
  "amount_mismatch",
  "applied",
  "unchanged",
  "not_forward",
  "ignored",
  "apply_failed",
] as const;
export type NotificationResult = (typeof NOTIFICATION_RESULTS)[number];

/** A stored notification (`["payment_notifications", id]`). */
export const storedNotificationSchema = z.object({
  id: z.string(),
  receivedAt: z.string(),
  /**
   * Verified: the body exactly as received (UTF-8, ≤ 16 KiB). Unverified: only
   * its first {@link UNVERIFIED_HEAD_BYTES} bytes (see `rawBytes`, `rawSha256`).
   */
  raw: z.string(),
  /** Unverified only: the body's length in bytes. */
  rawBytes: z.number().int().optional(),
  /** Unverified only: hex SHA-256 of the whole body as received. */
  rawSha256: z.string().optional(),
  /** Unverified only: when the record expires (KV `expireIn` is lazy: readers skip it after this). */
  expiresAt: z.string().optional(),
  orderId: z.string().nullable(),
  signatureValid: z.boolean(),
  result: z.enum(NOTIFICATION_RESULTS),
  /** `transaction_status` of the notification and of the status API (which is what was applied). */
  notifiedStatus: z.string().nullable(),
  providerStatus: z.string().nullable(),
  /** Whether the status API said something else than the notification. */
  statusDiffers: z.boolean(),
});
export type StoredNotification = z.infer<typeof storedNotificationSchema>;

const requiredFields = z.object({
  order_id: z.string().min(1).max(200),
  status_code: z.string().min(1).max(10),
  gross_amount: z.string().min(1).max(30),
  signature_key: z.string().min(1).max(256),
  transaction_status: z.string().max(50).optional(),
});

/** The answer for the route: status and JSON body. */
export interface NotificationAnswer {
  status: number;
  body: Record<string, unknown>;
  record: StoredNotification;
  /** Whether the record was written (false: over a limit, only counted or refused). */
  stored: boolean;
}

/**
 * Handles one notification body (already read, ≤ {@link MAX_NOTIFICATION_BYTES}).
 * @param opts.effects effect map for tests (default `PAYMENT_EFFECTS`)
 */
export async function receiveNotification(
  bytes: Uint8Array,
  opts: {
    nowMs?: number;
    effects?: PaymentEffectOverrides;
    /**
     * Asked before an unverified notification (malformed, bad signature) is
     * stored; false = over the sender's limit: not stored, answered 429. Verified
     * notifications are never limited.
     */
    admitUnverified?: () => Promise<boolean>;
  } = {},
): Promise<NotificationAnswer> {
  const nowMs = opts.nowMs ?? Date.now();
  const raw = new TextDecoder().decode(bytes);
  const record: StoredNotification = {
    id: newId(),
    receivedAt: new Date(nowMs).toISOString(),
    raw,
    orderId: null,
    signatureValid: false,
    result: "malformed",
    notifiedStatus: null,
    providerStatus: null,
    statusDiffers: false,
  };
  let answer: { status: number; body: Record<string, unknown> };
  try {
    answer = await process(raw, record, nowMs, opts.effects);
  } catch (err) {
    record.result = err instanceof ServiceUnavailable ? "status_unavailable" : "apply_failed";
    log(err instanceof ServiceUnavailable ? "warn" : "error", "payment notification not applied", {
      orderId: record.orderId,
      error: String(err),
    });
    // Midtrans retries non-2xx answers; the reconcile job catches up after the window as well.
    answer = {
      status: 503,
      body: { error: { code: "payment_provider_unavailable", message: "not applied, retry later" } },
    };
  }
  if (!record.signatureValid && opts.admitUnverified && !(await opts.admitUnverified())) {
    return {
      status: 429,
      body: { error: { code: "rate_limited", message: "too many unverified notifications" } },
      record,
      stored: false,
    };
  }
  if (!record.signatureValid) {
    const stored = await admitGlobally(nowMs);
    const digest = await unverifiedRecord(record, bytes, nowMs);
    if (!stored) {
      await countDropped(nowMs);
      return { ...answer, record: digest, stored: false };
    }
    await storeNotification(digest);
    return { ...answer, record: digest, stored: true };
  }
  await storeNotification(record);
  return { ...answer, record, stored: true };
}

/**
 * What is kept of an unverified notification: anyone can send one, so not the
 * body (16 KiB each) but its SHA-256, its length and its first
 * {@link UNVERIFIED_HEAD_BYTES} bytes (cut on a character boundary), for
 * {@link UNVERIFIED_TTL_MS} (OWASP ASVS 5.0 V2.4.1 anti-automation; V16.3
 * security logging without letting it be used to exhaust storage).
 */
export async function unverifiedRecord(
  record: StoredNotification,
  bytes: Uint8Array,
  nowMs: number,
): Promise<StoredNotification> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
  // encodeInto writes whole characters only: `read` is the UTF-16 length that fits.
  const { read } = new TextEncoder().encodeInto(record.raw, new Uint8Array(UNVERIFIED_HEAD_BYTES));
  return {
    ...record,
    raw: record.raw.slice(0, read),
    rawBytes: bytes.byteLength,
    rawSha256: Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""),
    expiresAt: new Date(nowMs + UNVERIFIED_TTL_MS).toISOString(),
  };
}

/** Whether one more unverified record fits under {@link UNVERIFIED_GLOBAL_LIMIT} (counts it when it does). */
async function admitGlobally(nowMs: number): Promise<boolean> {
  return (await hit("payment_notification_unverified_all", "all", UNVERIFIED_GLOBAL_LIMIT, nowMs)).ok;
}

async function countDropped(nowMs: number): Promise<void> {
  const kv = await getKv();
  await kv.atomic().sum(K.droppedUnverifiedKey(utcDay(nowMs)), 1n).commit();
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Unverified notifications not stored on a UTC day (`YYYY-MM-DD`) because of {@link UNVERIFIED_GLOBAL_LIMIT}. */
export async function droppedUnverified(day: string): Promise<number> {
  const kv = await getKv();
  const e = await kv.get<Deno.KvU64>(K.droppedUnverifiedKey(day));
  return e.value ? Number(e.value.value) : 0;
}

async function process(
  raw: string,
  record: StoredNotification,
  nowMs: number,
  effects: PaymentEffectOverrides | undefined,
): Promise<{ status: number; body: Record<string, unknown> }> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return bad();
  }
  const f = requiredFields.safeParse(json);
  if (!f.success) return bad();
  const n = f.data;
  record.orderId = n.order_id;
  record.notifiedStatus = n.transaction_status ?? null;
  const p = await provider();
  const expected = await notificationSignature(n.order_id, n.status_code, n.gross_amount, p.serverKey);
  if (!stringsEqual(expected, n.signature_key)) {
    record.result = "invalid_signature";
    return {
      status: 403,
      body: { error: { code: "invalid_signature", message: "signature_key does not match" } },
    };
  }
  record.signatureValid = true;
  const payment = ORDER_ID_RE.test(n.order_id) ? await getPayment(n.order_id) : null;
  if (!payment) return done(record, "unknown_order");
  if (parseMidtransAmount(n.gross_amount) !== payment.grossAmountIdr) {
    log("warn", "notification amount differs from the payment", { orderId: n.order_id, theirs: n.gross_amount });
    return done(record, "amount_mismatch");
  }
  const tx = await p.client.status(n.order_id);
  if (!tx) return done(record, "unknown_at_provider");
  record.providerStatus = tx.transaction_status ?? null;
  record.statusDiffers = tx.transaction_status !== n.transaction_status;
  const r = await applyTransaction(n.order_id, tx, { nowMs, effects });
  return done(record, r.result);
}

function bad(): { status: number; body: Record<string, unknown> } {
  return { status: 400, body: { error: { code: "bad_notification", message: "not a Midtrans notification" } } };
}

function done(record: StoredNotification, result: NotificationResult) {
  record.result = result;
  return { status: 200, body: { ok: true, result } };
}

async function storeNotification(record: StoredNotification): Promise<void> {
  const kv = await getKv();
  const op = kv.atomic();
  const options = record.signatureValid ? {} : { expireIn: UNVERIFIED_TTL_MS };
  op.set(K.notificationKey(record.id), record, options);
  if (record.orderId && record.signatureValid && ORDER_ID_RE.test(record.orderId)) {
    op.set(K.notificationByOrderKey(record.orderId, record.id), record.id);
  }
  const res = await op.commit();
  if (!res.ok) log("error", "payment notification not stored", { id: record.id });
}

/** The stored notifications of an order, oldest first (at most 100). */
export async function notificationsOf(orderId: string): Promise<StoredNotification[]> {
  const kv = await getKv();
  const ids: string[] = [];
  for await (const e of kv.list<string>({ prefix: K.notificationsByOrderPrefix(orderId) }, { limit: 100 })) {
    ids.push(e.value);
  }
  const out: StoredNotification[] = [];
  for (let i = 0; i < ids.length; i += 10) {
    const got = await kv.getMany<StoredNotification[]>(ids.slice(i, i + 10).map(K.notificationKey));
    for (const g of got) if (g.value) out.push(g.value);
  }
  return out;
}

/**
 * Every stored notification, newest first (admin / tests; at most `limit`,
 * default 100), without unverified ones past their `expiresAt`.
 */
export async function recentNotifications(limit = 100, nowMs = Date.now()): Promise<StoredNotification[]> {
  const kv = await getKv();
  const out: StoredNotification[] = [];
  for await (
    const e of kv.list<StoredNotification>({ prefix: K.notificationsPrefix }, { reverse: true })
  ) {
    if (e.value.expiresAt && Date.parse(e.value.expiresAt) <= nowMs) continue;
    out.push(e.value);
    if (out.length >= limit) break;
  }
  return out;
}
