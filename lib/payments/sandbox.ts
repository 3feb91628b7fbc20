/**
 * The built-in Midtrans sandbox (`MIDTRANS_ENV=builtin`, the default without
 * keys), served under `/sandbox/midtrans/`. It speaks Midtrans' protocol so
 * the payment code is the same against the real one:
 *
 * - `POST /sandbox/midtrans/snap/v1/transactions` (Basic auth with the server
 *   key) → 201 `{token, redirect_url}`; 400 `{error_messages}` like Snap;
 * - `GET /sandbox/midtrans/snap/v4/redirection/{token}`: the payment page;
 * - `POST /sandbox/midtrans/pay/{orderId} {method, outcome}`: pays, fails or
 *   expires a transaction, then POSTs the signed HTTP notification to
 *   `${BASE_URL}/api/payments/midtrans/notification` over real HTTP, retried on
 *   non-2xx ({@link NOTIFY_DELAYS_MS}, bounded);
 * - `GET /sandbox/midtrans/v2/{orderId}/status` and `POST …/v2/{orderId}/refund`.
 *
 * Field names and status codes follow Midtrans docs ("HTTP(S) Notification /
 * Webhooks", "Code statuses": 200 settlement/capture/refund, 201 pending,
 * 202 deny, 407 expire, 404 unknown transaction).
 */
import { config } from "@/lib/config.ts";
import { getKv } from "@/lib/db/kv.ts";
import { stringsEqual } from "@/lib/crypto/encoding.ts";
import { Conflict, NotFound } from "@/lib/errors.ts";
import { log } from "@/lib/log.ts";
import { parseInput, readBodyBytes, z } from "@/lib/validation.ts";
import { enqueueJob } from "@/lib/queue.ts";
import { sandboxTokenKey, sandboxTxKey } from "./keys.ts";
import { builtinServerKey } from "./secret.ts";
import { basicAuth, midtransAmount, midtransTime, notificationSignature, ORDER_ID_RE } from "./midtrans.ts";

/** Payment methods of the sandbox page (the `method` of `POST /sandbox/midtrans/pay/{orderId}`). */
export const SANDBOX_METHODS = ["bca_va", "bni_va", "bri_va", "echannel", "gopay", "qris", "credit_card"] as const;
export const sandboxMethodSchema = z.enum(SANDBOX_METHODS, "field.invalid_choice");
export type SandboxMethod = z.infer<typeof sandboxMethodSchema>;
/** What a sandbox payment attempt does. */
export const SANDBOX_OUTCOMES = ["settlement", "deny", "expire"] as const;
export const sandboxOutcomeSchema = z.enum(SANDBOX_OUTCOMES, "field.invalid_choice");

/** Body of `POST /sandbox/midtrans/pay/{orderId}`. */
export const sandboxPayInputSchema = z.object({ method: sandboxMethodSchema, outcome: sandboxOutcomeSchema });

/** Midtrans transaction states the sandbox moves through (`created` = token issued, nothing charged). */
type TxStatus = "created" | "pending" | "settlement" | "capture" | "deny" | "expire" | "cancel" | "refund";

/** A transaction of the sandbox (`["midtrans_sandbox_tx", orderId]`). */
export interface SandboxTransaction {
  orderId: string;
  token: string;
  grossAmount: number;
  items: { id: string; name: string; price: number; quantity: number }[];
  customerName: string;
  finishUrl: string | null;
  /** When the Snap token stops accepting payments (ms since epoch). */
  expiresAtMs: number;
  createdAtMs: number;
  status: TxStatus;
  method: SandboxMethod | null;
  transactionId: string | null;
  transactionTimeMs: number | null;
  settlementTimeMs: number | null;
  refundAmount: number | null;
  /** The last notification deliveries (newest last, at most 20). */
  deliveries: { at: string; attempt: number; status: number | null; transactionStatus: string }[];
}

/** Delay before each notification attempt (ms): first at once, then ×3 backoff; 5 attempts in all. */
export const NOTIFY_DELAYS_MS = [0, 10_000, 30_000, 90_000, 270_000] as const;
/** Each notification attempt waits at most this long for our answer (ms). */
export const NOTIFY_TIMEOUT_MS = 5_000;

const BILLER_CODE = "70012";
const MERCHANT_ID = "G000BUILTIN";

function snapError(status: number, ...messages: string[]): Response {
  return Response.json({ error_messages: messages }, { status });
}

function coreError(status: number, statusCode: string, message: string): Response {
  return Response.json({ status_code: statusCode, status_message: message }, { status });
}

async function authorized(req: Request): Promise<boolean> {
  const h = req.headers.get("authorization") ?? "";
  return stringsEqual(h, basicAuth(await builtinServerKey()));
}

/** The sandbox's base URL (`${BASE_URL}/sandbox/midtrans`). */
export function sandboxBaseUrl(): string {
  return `${config.baseUrl}/sandbox/midtrans`;
}

/** Where the payment page of `token` is. */
export function sandboxPageUrl(token: string): string {
  return `${sandboxBaseUrl()}/snap/v4/redirection/${token}`;
}

const snapBodySchema = z.object({
  transaction_details: z.object({
    order_id: z.string().regex(ORDER_ID_RE),
    gross_amount: z.number().int().min(1).max(999_999_999_999),
  }),
  item_details: z.array(z.object({
    id: z.string().max(50).optional(),
    price: z.number().int().min(0),
    quantity: z.number().int().min(1).max(10_000),
    name: z.string().max(50),
  })).min(1).max(50).optional(),
  customer_details: z.object({ first_name: z.string().max(255).optional() }).optional(),
  expiry: z.object({
    start_time: z.string().optional(),
    unit: z.enum(["minute", "minutes", "hour", "hours", "day", "days"]),
    duration: z.number().int().min(1).max(100_000),
  }).optional(),
  callbacks: z.object({ finish: z.string().max(2000).optional() }).optional(),
});

const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** Parses Snap's `yyyy-MM-dd HH:mm:ss +0700` into ms; null when malformed. */
function parseStartTime(s: string): number | null {
  const m = s.match(/^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/);
  if (!m) return null;
  try {
    const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7]}${m[8]}:${m[9]}`;
    return Temporal.Instant.from(iso).epochMilliseconds;
  } catch {
    return null;
  }
}

/**
 * `POST /snap/v1/transactions`: validates like Snap (order id, integer gross
 * amount equal to the item sum, unused order id), stores the transaction and
 * answers 201 `{token, redirect_url}`. Default expiry 24 h, as Snap's.
 */
export async function sandboxCreateSnap(req: Request, nowMs = Date.now()): Promise<Response> {
  if (!(await authorized(req))) return snapError(401, "Access denied, please check client or server key");
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(await readBodyBytes(req)));
  } catch (err) {
    if (err instanceof SyntaxError) return snapError(400, "Request body is not valid JSON");
    throw err;
  }
  const parsed = snapBodySchema.safeParse(body);
  if (!parsed.success) {
    return snapError(400, ...parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")} is invalid`));
  }
  const b = parsed.data;
  const gross = b.transaction_details.gross_amount;
  if (b.item_details) {
    const sum = b.item_details.reduce((s, i) => s + i.price * i.quantity, 0);
    if (sum !== gross) {
      return snapError(400, "transaction_details.gross_amount is not equal to the sum of item_details");
    }
  }
  let startMs = nowMs;
  if (b.expiry?.start_time) {
    const t = parseStartTime(b.expiry.start_time);
    if (t === null) return snapError(400, "expiry.start_time format is invalid");
    startMs = t;
  }
  const expiresAtMs = b.expiry ? startMs + b.expiry.duration * UNIT_MS[b.expiry.unit] : startMs + 86_400_000;
  const orderId = b.transaction_details.order_id;
  const token = crypto.randomUUID();
  const tx: SandboxTransaction = {
    orderId,
    token,
    grossAmount: gross,
    items: (b.item_details ?? []).map((i, n) => ({ id: i.id ?? String(n + 1), ...i })),
    customerName: b.customer_details?.first_name ?? "",
    finishUrl: b.callbacks?.finish ?? null,
    expiresAtMs,
    createdAtMs: nowMs,
    status: "created",
    method: null,
    transactionId: null,
    transactionTimeMs: null,
    settlementTimeMs: null,
    refundAmount: null,
    deliveries: [],
  };
  const kv = await getKv();
  const res = await kv.atomic()
    .check({ key: sandboxTxKey(orderId), versionstamp: null })
    .set(sandboxTxKey(orderId), tx)
    .set(sandboxTokenKey(token), orderId)
    .commit();
  if (!res.ok) return snapError(400, "transaction_details.order_id has already been taken");
  return Response.json({ token, redirect_url: sandboxPageUrl(token) }, { status: 201 });
}

/** The sandbox transaction of `orderId`, or null. */
export async function sandboxTransaction(orderId: string): Promise<SandboxTransaction | null> {
  if (!ORDER_ID_RE.test(orderId)) return null;
  const kv = await getKv();
  return (await kv.get<SandboxTransaction>(sandboxTxKey(orderId))).value;
}

/** The sandbox transaction of a Snap token, or null. */
export async function sandboxTransactionByToken(token: string): Promise<SandboxTransaction | null> {
  if (!/^[0-9a-f-]{36}$/.test(token)) return null;
  const kv = await getKv();
  const orderId = (await kv.get<string>(sandboxTokenKey(token))).value;
  return orderId ? await sandboxTransaction(orderId) : null;
}

/** A deterministic virtual-account number of `bank` for an order (shown on the page, sent when charged). */
export async function vaNumber(bank: "bca" | "bni" | "bri", orderId: string): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(bank + orderId)));
  const digits = Array.from(h.slice(0, 12), (b) => String(b % 10)).join("");
  const prefix = { bca: "12345", bni: "9881", bri: "88810" }[bank];
  return (prefix + digits).slice(0, bank === "bni" ? 16 : 17);
}

/** Mandiri bill payment (echannel) bill key of an order. */
export async function billKey(orderId: string): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("echannel" + orderId)));
  return Array.from(h.slice(0, 12), (b) => String(b % 10)).join("");
}

function statusCodeOf(status: TxStatus): string {
  switch (status) {
    case "settlement":
    case "capture":
    case "refund":
    case "cancel":
      return "200";
    case "pending":
      return "201";
    case "deny":
      return "202";
    case "expire":
      return "407";
    default:
      return "404";
  }
}

/** The status applied lazily at read time: a charged, unpaid transaction past its expiry is `expire`. */
function effective(tx: SandboxTransaction, nowMs: number): SandboxTransaction {
  if (tx.status === "pending" && nowMs >= tx.expiresAtMs) return { ...tx, status: "expire" };
  return tx;
}

/**
 * The Midtrans transaction object of `tx` (status API answer and notification
 * body alike, signature included; `status_message` differs by use).
 */
export async function transactionBody(tx: SandboxTransaction, statusMessage: string): Promise<Record<string, unknown>> {
  const statusCode = statusCodeOf(tx.status);
  const gross = midtransAmount(tx.grossAmount);
  const body: Record<string, unknown> = {
    status_code: statusCode,
    status_message: statusMessage,
    transaction_id: tx.transactionId,
    order_id: tx.orderId,
    merchant_id: MERCHANT_ID,
    gross_amount: gross,
    currency: "IDR",
    transaction_time: tx.transactionTimeMs === null ? null : midtransTime(tx.transactionTimeMs),
    transaction_status: tx.status,
    expiry_time: midtransTime(tx.expiresAtMs),
    fraud_status: tx.status === "deny" ? "deny" : "accept",
    signature_key: await notificationSignature(tx.orderId, statusCode, gross, await builtinServerKey()),
  };
  if (tx.settlementTimeMs !== null) body.settlement_time = midtransTime(tx.settlementTimeMs);
  if (tx.refundAmount !== null) body.refund_amount = midtransAmount(tx.refundAmount);
  switch (tx.method) {
    case "bca_va":
    case "bni_va":
    case "bri_va": {
      const bank = tx.method.slice(0, 3) as "bca" | "bni" | "bri";
      body.payment_type = "bank_transfer";
      body.va_numbers = [{ bank, va_number: await vaNumber(bank, tx.orderId) }];
      break;
    }
    case "echannel":
      body.payment_type = "echannel";
      body.bill_key = await billKey(tx.orderId);
      body.biller_code = BILLER_CODE;
      break;
    case "gopay":
      body.payment_type = "gopay";
      break;
    case "qris":
      body.payment_type = "qris";
      body.acquirer = "gopay";
      break;
    case "credit_card":
      body.payment_type = "credit_card";
      body.card_type = "credit";
      body.bank = "bni";
      body.masked_card = "48111111-1114";
      body.channel_response_code = tx.status === "deny" ? "05" : "00";
      break;
  }
  return body;
}

/** `GET /v2/{orderId}/status`: 200 with the transaction, or 404 `status_code` "404" when it was never charged. */
export async function sandboxStatus(req: Request, orderId: string, nowMs = Date.now()): Promise<Response> {
  if (!(await authorized(req))) return coreError(401, "401", "Access denied, please check client or server key");
  const tx = await sandboxTransaction(orderId);
  if (!tx || tx.status === "created") return coreError(404, "404", "Transaction doesn't exist.");
  return Response.json(await transactionBody(effective(tx, nowMs), "Success, transaction is found"));
}

const refundBodySchema = z.object({
  refund_key: z.string().regex(/^[A-Za-z0-9\-_]{1,50}$/).optional(),
  amount: z.number().int().min(1).optional(),
  reason: z.string().max(255).optional(),
});

/**
 * Methods Midtrans refunds through its Refund API (Midtrans docs "Refund Transaction": cards, GoPay, QRIS and
 * other e-wallets); bank transfers (virtual accounts, Mandiri bill) are refused and paid back by hand.
 */
const REFUNDABLE_METHODS: ReadonlySet<string> = new Set<SandboxMethod>(["credit_card", "gopay", "qris"]);

/**
 * `POST /v2/{orderId}/refund`: refunds a settled/captured transaction in
 * full or in part (`amount`, default the whole), then notifies. 412 when the
 * transaction cannot be refunded (Midtrans: "Merchant cannot modify the status"), e.g. a bank transfer.
 */
export async function sandboxRefund(req: Request, orderId: string, nowMs = Date.now()): Promise<Response> {
  if (!(await authorized(req))) return coreError(401, "401", "Access denied, please check client or server key");
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(await readBodyBytes(req)) || "{}");
  } catch (err) {
    if (err instanceof SyntaxError) return coreError(400, "400", "Request body is not valid JSON");
    throw err;
  }
  const parsed = refundBodySchema.safeParse(body);
  if (!parsed.success) return coreError(400, "400", "One or more parameters in the payload is invalid.");
  const kv = await getKv();
  const entry = await kv.get<SandboxTransaction>(sandboxTxKey(orderId));
  if (!ORDER_ID_RE.test(orderId) || !entry.value || entry.value.status === "created") {
    return coreError(404, "404", "Transaction doesn't exist.");
  }
  const tx = entry.value;
  const amount = parsed.data.amount ?? tx.grossAmount;
  if (
    (tx.status !== "settlement" && tx.status !== "capture") || amount > tx.grossAmount ||
    !REFUNDABLE_METHODS.has(tx.method ?? "")
  ) {
    return coreError(412, "412", "Merchant cannot modify the status of the transaction");
  }
  const next: SandboxTransaction = { ...tx, status: "refund", refundAmount: amount };
  const res = await kv.atomic().check(entry).set(entry.key, next).commit();
  if (!res.ok) return coreError(409, "409", "Conflict, please retry");
  const out = await transactionBody(next, "Success, refund request is approved");
  await deliverNotification(orderId, 1, nowMs);
  return Response.json({ ...out, refund_key: parsed.data.refund_key ?? crypto.randomUUID() });
}

/**
 * Drives a payment as the customer would on the page: `settlement` pays
 * (`capture` for cards), `deny` fails it, `expire` lets it expire. Then sends
 * the signed notification (first attempt awaited, later ones queued).
 * @returns the transaction after the move and the HTTP status of the first
 *   delivery (null when our endpoint could not be reached)
 * @throws NotFound `sandbox_order_not_found`; Conflict `sandbox_transaction_final` when it was already
 *   paid, denied, expired or refunded (and for a pay attempt after its expiry)
 */
export async function sandboxPay(
  orderId: string,
  method: SandboxMethod,
  outcome: (typeof SANDBOX_OUTCOMES)[number],
  nowMs = Date.now(),
): Promise<{ tx: SandboxTransaction; delivery: number | null }> {
  const kv = await getKv();
  if (!ORDER_ID_RE.test(orderId)) throw new NotFound("sandbox_order_not_found", "pay.sandbox.not_found");
  const entry = await kv.get<SandboxTransaction>(sandboxTxKey(orderId));
  if (!entry.value) throw new NotFound("sandbox_order_not_found", "pay.sandbox.not_found");
  const tx = effective(entry.value, nowMs);
  const expired = nowMs >= tx.expiresAtMs;
  if ((tx.status !== "created" && tx.status !== "pending") || (expired && outcome !== "expire")) {
    throw new Conflict("sandbox_transaction_final", "pay.sandbox.final");
  }
  const status: TxStatus = outcome === "expire"
    ? "expire"
    : outcome === "deny"
    ? "deny"
    : method === "credit_card"
    ? "capture"
    : "settlement";
  const next: SandboxTransaction = {
    ...tx,
    status,
    method,
    transactionId: tx.transactionId ?? crypto.randomUUID(),
    transactionTimeMs: tx.transactionTimeMs ?? nowMs,
    settlementTimeMs: status === "settlement" || status === "capture" ? nowMs : null,
  };
  const res = await kv.atomic().check(entry).set(entry.key, next).commit();
  if (!res.ok) throw new Conflict("sandbox_transaction_final", "pay.sandbox.final");
  const delivery = await deliverNotification(orderId, 1, nowMs);
  return { tx: next, delivery };
}

/** Where the sandbox sends notifications: our own endpoint. */
export function notificationUrl(): string {
  return `${config.baseUrl}/api/payments/midtrans/notification`;
}

/**
 * Sends attempt `attempt` (1-based) of the notification of the transaction's
 * current state to {@link notificationUrl} over real HTTP (POST JSON, as
 * Midtrans does). On a non-2xx answer or a network error the next attempt is
 * queued after `NOTIFY_DELAYS_MS[attempt]` until the attempts run out.
 * @returns the HTTP status of this attempt, null when nothing answered
 */
export async function deliverNotification(
  orderId: string,
  attempt: number,
  nowMs = Date.now(),
): Promise<number | null> {
  const kv = await getKv();
  const entry = await kv.get<SandboxTransaction>(sandboxTxKey(orderId));
  if (!entry.value || entry.value.status === "created") return null;
  const tx = effective(entry.value, nowMs);
  const body = await transactionBody(tx, "midtrans payment notification");
  let status: number | null = null;
  try {
    const res = await fetch(notificationUrl(), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(NOTIFY_TIMEOUT_MS),
    });
    status = res.status;
    await res.body?.cancel();
  } catch (err) {
    log("debug", "sandbox notification not delivered", { orderId, attempt, error: String(err) });
  }
  const delivered = status !== null && status >= 200 && status < 300;
  // Record the attempt (best effort: a concurrent move wins, the record is informational).
  const cur = await kv.get<SandboxTransaction>(sandboxTxKey(orderId));
  if (cur.value) {
    const deliveries = [...cur.value.deliveries, {
      at: new Date(nowMs).toISOString(),
      attempt,
      status,
      transactionStatus: tx.status,
    }].slice(-20);
    await kv.atomic().check(cur).set(cur.key, { ...cur.value, deliveries }).commit();
  }
  if (!delivered && attempt < NOTIFY_DELAYS_MS.length) {
    await enqueueJob(SANDBOX_NOTIFY_JOB, { orderId, attempt: attempt + 1 }, NOTIFY_DELAYS_MS[attempt]);
  }
  return status;
}

/** Queue job type of a notification retry (`{orderId, attempt}`). */
export const SANDBOX_NOTIFY_JOB = "payments.sandbox_notify";

/**
 * The sandbox's Core/Snap API as one in-process fetch: the Midtrans client
 * uses it in builtin mode, so the server does not call itself over the
 * network for Snap and status requests (the notifications the sandbox sends
 * do go over real HTTP). Same requests and answers as the HTTP routes.
 */
export async function sandboxFetch(req: Request): Promise<Response> {
  const path = new URL(req.url).pathname.replace(/^\/sandbox\/midtrans/, "");
  if (path === "/snap/v1/transactions" && req.method === "POST") return await sandboxCreateSnap(req);
  const m = path.match(/^\/v2\/([^/]+)\/(status|refund)$/);
  if (m) {
    const orderId = decodeURIComponent(m[1]);
    if (m[2] === "status" && req.method === "GET") return await sandboxStatus(req, orderId);
    if (m[2] === "refund" && req.method === "POST") return await sandboxRefund(req, orderId);
  }
  return coreError(404, "404", "Not found");
}

/** Throws NotFound unless the builtin sandbox is on (its routes exist only with `MIDTRANS_ENV=builtin`). */
export function requireSandbox(): void {
  if (config.midtransEnv !== "builtin") throw new NotFound();
}

/** Parses the pay body (JSON or form) into a method and outcome. @throws ValidationError */
export function parseSandboxPay(body: Record<string, unknown>): z.infer<typeof sandboxPayInputSchema> {
  return parseInput(sandboxPayInputSchema, body);
}

/**
 * The QRIS payload of a transaction: an EMVCo merchant-presented QR
 * (tag-length-value, point of initiation 12 = dynamic, currency 360 = IDR,
 * amount, merchant name/city, CRC-16/CCITT-FALSE in tag 63), as QRIS uses.
 */
export function qrisPayload(tx: SandboxTransaction): string {
  const tlv = (tag: string, value: string) => tag + String(value.length).padStart(2, "0") + value;
  const merchant = tlv("00", "ID.CO.QRIS.WWW") + tlv("01", "ID1020000000001") + tlv("02", tx.orderId.slice(0, 20));
  const body = tlv("00", "01") + tlv("01", "12") + tlv("26", merchant) + tlv("52", "8099") + tlv("53", "360") +
    tlv("54", String(tx.grossAmount)) + tlv("58", "ID") + tlv("59", "RUANGPULIH SANDBOX") + tlv("60", "JAKARTA") +
    tlv("62", tlv("01", tx.orderId.slice(0, 25))) + "6304";
  let crc = 0xffff;
  for (const ch of new TextEncoder().encode(body)) {
    crc ^= ch << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return body + crc.toString(16).toUpperCase().padStart(4, "0");
}
