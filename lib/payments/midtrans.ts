/**
 * The Midtrans REST client: Snap `POST /snap/v1/transactions`, Core API
 * `GET /v2/{order_id}/status` and `POST /v2/{order_id}/refund`, over `fetch`
 * (the `midtrans-client` package is axios-based and does not verify
 * signatures), plus the HTTP-notification signature (Midtrans docs: "Snap
 * Integration Guide", "Handling HTTP Notification", "GET Status API
 * Requests", "Refund Transaction").
 *
 * Every call authenticates with HTTP Basic `serverKey:` and has a timeout;
 * network errors, timeouts, 401 and 5xx answers all become one error,
 * {@link ServiceUnavailable} `payment_provider_unavailable`. Which Midtrans
 * (builtin sandbox, sandbox, production) is decided in `./provider.ts`.
 */
import { ServiceUnavailable } from "@/lib/errors.ts";
import { log } from "@/lib/log.ts";
import { z } from "@/lib/validation.ts";

/** Midtrans `order_id`: 1–50 characters of `[A-Za-z0-9-_~.]` (Snap API reference, transaction_details). */
export const ORDER_ID_RE = /^[A-Za-z0-9\-_~.]{1,50}$/;

/** One line of `item_details` (price in whole rupiah; name ≤ 50 characters, Midtrans truncates longer). */
export interface SnapItem {
  id: string;
  price: number;
  quantity: number;
  name: string;
}

/** The Snap transaction request body (the fields we send). */
export interface SnapRequest {
  transaction_details: { order_id: string; gross_amount: number };
  item_details: SnapItem[];
  customer_details: { first_name: string; email?: string; phone?: string };
  /** `start_time` as `yyyy-MM-dd HH:mm:ss +0700`; `unit` minute. */
  expiry: { start_time: string; unit: "minute"; duration: number };
  callbacks: { finish: string };
}

/** Snap's answer: the token for Snap.js and the hosted payment page. */
export const snapResponseSchema = z.object({ token: z.string().min(1), redirect_url: z.string().min(1) });
export type SnapResponse = z.infer<typeof snapResponseSchema>;

/**
 * A transaction as the status API (and an HTTP notification) describes it.
 * Amounts are strings with two decimals (`"150000.00"`), `status_code` a
 * string (`"200"`, `"201"`, `"202"`, `"407"`, `"404"` …). Unknown fields pass.
 */
export const transactionSchema = z.looseObject({
  status_code: z.string(),
  status_message: z.string().optional(),
  order_id: z.string().optional(),
  transaction_id: z.string().optional(),
  transaction_status: z.string().optional(),
  transaction_time: z.string().optional(),
  settlement_time: z.string().optional(),
  expiry_time: z.string().optional(),
  gross_amount: z.string().optional(),
  payment_type: z.string().optional(),
  fraud_status: z.string().optional(),
  signature_key: z.string().optional(),
  va_numbers: z.array(z.object({ bank: z.string(), va_number: z.string() })).optional(),
  bill_key: z.string().optional(),
  biller_code: z.string().optional(),
  refund_amount: z.string().optional(),
});
export type MidtransTransaction = z.infer<typeof transactionSchema>;

/** Where a client talks to and with which key. */
export interface ClientOptions {
  /** Full Snap URL, e.g. `https://app.sandbox.midtrans.com/snap/v1/transactions`. */
  snapUrl: string;
  /** Core API base without a trailing slash, e.g. `https://api.sandbox.midtrans.com` (paths `/v2/…`). */
  apiBase: string;
  serverKey: string;
  /** Transport (default global `fetch`); the builtin sandbox passes its in-process handler. */
  fetch?: (req: Request) => Promise<Response>;
}

/** Per-call timeouts in ms. Status checks stay short: a notification must be answered in < 5 s. */
export const TIMEOUTS = { snap: 10_000, status: 3_000, refund: 10_000 } as const;

/** A Midtrans client bound to one environment and key. */
export interface MidtransClient {
  /**
   * Creates a Snap transaction. Validates what Midtrans validates first
   * (order id, integer gross amount equal to the sum of the items).
   * @throws ServiceUnavailable `payment_provider_unavailable` (network, timeout, any non-201 answer)
   */
  createSnap(body: SnapRequest): Promise<SnapResponse>;
  /**
   * The transaction of `orderId` from the status API; null when Midtrans does
   * not know it (`status_code` 404: no payment method chosen yet, or never created).
   * @throws ServiceUnavailable `payment_provider_unavailable`
   */
  status(orderId: string): Promise<MidtransTransaction | null>;
  /**
   * Asks for a refund (`refund_key` makes retries safe; `amount` whole rupiah).
   * @throws ServiceUnavailable `payment_provider_unavailable` (also when Midtrans refuses, e.g. a method without refunds)
   */
  refund(orderId: string, body: { refund_key: string; amount: number; reason: string }): Promise<MidtransTransaction>;
}

function unavailable(what: string, detail: Record<string, unknown>): ServiceUnavailable {
  log("warn", "midtrans call failed", { call: what, ...detail });
  return new ServiceUnavailable(30, "payment_provider_unavailable", "pay.error.provider_unavailable");
}

/** `Authorization` header value for a server key (Midtrans: Basic, user = key, empty password). */
export function basicAuth(serverKey: string): string {
  return "Basic " + btoa(`${serverKey}:`);
}

/** Builds a client for one environment (see {@link ClientOptions}). */
export function midtransClient(opts: ClientOptions): MidtransClient {
  const send = opts.fetch ?? ((req: Request) => fetch(req));
  const headers = {
    accept: "application/json",
    "content-type": "application/json",
    authorization: basicAuth(opts.serverKey),
  };
  async function call(what: string, url: string, init: RequestInit, timeoutMs: number) {
    let res: Response;
    let text: string;
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      res = await send(new Request(url, { ...init, headers, signal }));
      text = await res.text();
    } catch (err) {
      throw unavailable(what, { error: String(err) });
    }
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      throw unavailable(what, { status: res.status, error: "not JSON" });
    }
    return { status: res.status, json };
  }
  return {
    async createSnap(body) {
      const sum = body.item_details.reduce((s, i) => s + i.price * i.quantity, 0);
      const gross = body.transaction_details.gross_amount;
      if (!ORDER_ID_RE.test(body.transaction_details.order_id) || !Number.isSafeInteger(gross) || gross < 1) {
        throw new RangeError("invalid Snap order id or gross amount");
      }
      if (sum !== gross) throw new RangeError("gross_amount must equal the sum of item_details");
      const { status, json } = await call("snap", opts.snapUrl, {
        method: "POST",
        body: JSON.stringify(body),
      }, TIMEOUTS.snap);
      const parsed = snapResponseSchema.safeParse(json);
      if (status !== 201 && status !== 200 || !parsed.success) {
        throw unavailable("snap", { status, body: JSON.stringify(json).slice(0, 300) });
      }
      return parsed.data;
    },
    async status(orderId) {
      const url = `${opts.apiBase}/v2/${encodeURIComponent(orderId)}/status`;
      const { status, json } = await call("status", url, { method: "GET" }, TIMEOUTS.status);
      const parsed = transactionSchema.safeParse(json);
      if (parsed.success && parsed.data.status_code === "404") return null;
      if (status !== 200 || !parsed.success) {
        throw unavailable("status", { status, body: JSON.stringify(json).slice(0, 300) });
      }
      return parsed.data;
    },
    async refund(orderId, body) {
      const url = `${opts.apiBase}/v2/${encodeURIComponent(orderId)}/refund`;
      const { status, json } = await call("refund", url, {
        method: "POST",
        body: JSON.stringify(body),
      }, TIMEOUTS.refund);
      const parsed = transactionSchema.safeParse(json);
      if (status !== 200 || !parsed.success || parsed.data.status_code !== "200") {
        throw unavailable("refund", { status, body: JSON.stringify(json).slice(0, 300) });
      }
      return parsed.data;
    },
  };
}

/**
 * The HTTP-notification signature: lower-case hex SHA-512 of
 * `order_id + status_code + gross_amount + serverKey`, over the exact strings
 * (Midtrans docs, "Verifying Notification Authenticity").
 */
export async function notificationSignature(
  orderId: string,
  statusCode: string,
  grossAmount: string,
  serverKey: string,
): Promise<string> {
  const data = new TextEncoder().encode(orderId + statusCode + grossAmount + serverKey);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-512", data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Midtrans' amount spelling for whole rupiah: `150000` → `"150000.00"`. */
export function midtransAmount(idr: number): string {
  return `${Math.trunc(idr)}.00`;
}

/**
 * Parses a Midtrans amount string (`"150000.00"`, `"150000"`) into whole
 * rupiah; null for anything else (fractions of a rupiah included).
 */
export function parseMidtransAmount(s: string | undefined): number | null {
  if (typeof s !== "string" || !/^\d{1,13}(\.0{1,2})?$/.test(s)) return null;
  return Number(s.split(".")[0]);
}

/**
 * An instant in Midtrans' time format (`yyyy-MM-dd HH:mm:ss`, Asia/Jakarta,
 * GMT+7), with ` +0700` appended when `withOffset` (Snap `expiry.start_time`).
 */
export function midtransTime(ms: number, withOffset = false): string {
  const z = Temporal.Instant.fromEpochMilliseconds(Math.floor(ms / 1000) * 1000).toZonedDateTimeISO("Asia/Jakarta");
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const s = `${p(z.year, 4)}-${p(z.month)}-${p(z.day)} ${p(z.hour)}:${p(z.minute)}:${p(z.second)}`;
  return withOffset ? `${s} +0700` : s;
}
