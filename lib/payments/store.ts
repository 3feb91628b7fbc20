/**
 * Payments in KV: starting one (a Snap transaction), reading and listing
 * them, and applying a Midtrans transaction state exactly once, forward
 * only, in one atomic commit with the effect on what was bought.
 * Key layout in `./keys.ts`; rules in docs/domain-rules.md "Payments".
 */
import { config } from "@/lib/config.ts";
import { getKv, type Page, scanPage } from "@/lib/db/kv.ts";
import { Conflict, NotFound, ValidationError } from "@/lib/errors.ts";
import { log } from "@/lib/log.ts";
import { enqueueJob } from "@/lib/queue.ts";
import { parseInput, z } from "@/lib/validation.ts";
import * as K from "./keys.ts";
import {
  type AfterCommit,
  type LedgerEntry,
  type Payment,
  type PaymentEffectOverrides,
  purposeSchema,
} from "./model.ts";
import type { PaymentStatus } from "./model.ts";
import { midtransTime, type MidtransTransaction, ORDER_ID_RE, parseMidtransAmount } from "./midtrans.ts";
import { provider } from "./provider.ts";
import { commissionSplit, isForward, mapTransactionStatus } from "./state.ts";
import { PAYMENT_EFFECTS } from "./effects.ts";

/** Input of {@link startPayment}. Money in whole rupiah; `expiresAt` an ISO 8601 instant. */
export const startPaymentInputSchema = z.object({
  orderId: z.string().regex(ORDER_ID_RE, "pay.error.order_id"),
  purpose: purposeSchema,
  payerId: z.string().min(1),
  payeeId: z.string().min(1).nullable(),
  grossAmountIdr: z.number().int().min(1).max(1_000_000_000),
  itemDetails: z.array(z.object({
    id: z.string().min(1).max(50),
    name: z.string().min(1),
    priceIdr: z.number().int().min(0),
    quantity: z.number().int().min(1).max(1000),
  })).min(1).max(50),
  customer: z.object({
    firstName: z.string().min(1),
    email: z.string().nullable().optional(),
    phone: z.string().nullable().optional(),
  }),
  expiresAt: z.iso.datetime({ offset: true }),
  finishUrl: z.string().min(1).max(2000),
});
export type StartPaymentInput = z.input<typeof startPaymentInputSchema>;

/** Queue job type: reconcile one payment at the end of its window (`{orderId}`). */
export const RECONCILE_ONE_JOB = "payments.reconcile_one";

/**
 * Starts a payment: creates the Snap transaction (order id, integer gross
 * amount equal to the sum of the items, customer details, expiry = the time
 * left until `expiresAt` in whole minutes, rounded up, at least 1; finish
 * callback), then stores the payment `pending` with its token and redirect
 * URL, the commission split of `PLATFORM_COMMISSION_PERCENT` (100 % when there is
 * no payee: nobody to pay out), and queues the
 * reconcile of its order for one minute after the window.
 * @param nowMs the clock (ms since epoch)
 * @throws ValidationError bad input (gross ≠ sum of items included)
 * @throws Conflict `payment_exists` when the order id is already used
 * @throws ServiceUnavailable `payment_provider_unavailable` when Snap cannot be reached or refuses
 */
export async function startPayment(input: StartPaymentInput, nowMs: number = Date.now()): Promise<Payment> {
  const v = parseInput(startPaymentInputSchema, input);
  const sum = v.itemDetails.reduce((s, i) => s + i.priceIdr * i.quantity, 0);
  if (sum !== v.grossAmountIdr) {
    throw new ValidationError({ grossAmountIdr: "pay.error.gross_not_sum" });
  }
  const kv = await getKv();
  const key = K.paymentKey(v.orderId);
  if ((await kv.get(key)).versionstamp !== null) throw new Conflict("payment_exists", "pay.error.exists");
  const expiresMs = Date.parse(v.expiresAt);
  const p = await provider();
  const snap = await p.client.createSnap({
    transaction_details: { order_id: v.orderId, gross_amount: v.grossAmountIdr },
    item_details: v.itemDetails.map((i) => ({
      id: i.id,
      price: i.priceIdr,
      quantity: i.quantity,
      name: [...i.name].slice(0, 50).join(""),
    })),
    customer_details: {
      first_name: [...v.customer.firstName].slice(0, 255).join(""),
      ...(v.customer.email ? { email: v.customer.email } : {}),
      ...(v.customer.phone ? { phone: v.customer.phone } : {}),
    },
    expiry: {
      start_time: midtransTime(nowMs, true),
      unit: "minute",
      duration: Math.max(1, Math.ceil((expiresMs - nowMs) / 60_000)),
    },
    callbacks: { finish: v.finishUrl },
  });
  // A payment without a payee (a screening PDF summary) pays nobody out: the whole amount is the
  // platform's (docs/domain-rules.md "Emotion screening"), so the finance report owes no payout for it.
  const percent = v.payeeId === null ? 100 : config.platformCommissionPercent;
  const now = new Date(nowMs).toISOString();
  const payment: Payment = {
    schemaVersion: 1,
    orderId: v.orderId,
    purpose: v.purpose,
    payerId: v.payerId,
    payeeId: v.payeeId,
    grossAmountIdr: v.grossAmountIdr,
    commissionPercent: percent,
    ...commissionSplit(v.grossAmountIdr, percent),
    status: "pending",
    method: null,
    bank: null,
    providerStatus: null,
    transactionId: null,
    snapToken: snap.token,
    redirectUrl: snap.redirect_url,
    expiresAt: new Date(expiresMs).toISOString(),
    paidAt: null,
    refundedAt: null,
    createdAt: now,
    updatedAt: now,
    description: v.itemDetails.map((i) => i.name).join(", ").slice(0, 200),
  };
  const op = kv.atomic().check({ key, versionstamp: null });
  writeOps(op, null, payment);
  const res = await op.commit();
  if (!res.ok) throw new Conflict("payment_exists", "pay.error.exists");
  try {
    await enqueueJob(RECONCILE_ONE_JOB, { orderId: payment.orderId }, expiresMs - nowMs + 60_000);
  } catch (err) {
    log("warn", "reconcile job not queued (the cron catches up)", { orderId: payment.orderId, error: String(err) });
  }
  return payment;
}

/**
 * Sets the payment and all its copies (and the pending index while pending)
 * on `op`, and its ledger entries when `paidAt` / `refundedAt` first appear
 * (`./keys.ts`); `prev` is the stored state (null for a new payment).
 * Exported for the seed's history (lib/seed/history.ts), which writes past
 * payments in bulk.
 */
export function writeOps(op: Deno.AtomicOperation, prev: Payment | null, next: Payment): void {
  op.set(K.paymentKey(next.orderId), next);
  op.set(K.byPayerKey(next.payerId, next.createdAt, next.orderId), next);
  if (next.payeeId) op.set(K.byPayeeKey(next.payeeId, next.createdAt, next.orderId), next);
  op.set(K.byTimeKey(next.createdAt, next.orderId), next);
  if (prev?.status === "pending" && next.status !== "pending") op.delete(K.pendingKey(prev.expiresAt, prev.orderId));
  if (next.status === "pending") op.set(K.pendingKey(next.expiresAt, next.orderId), next.orderId);
  const entry: LedgerEntry = {
    grossAmountIdr: next.grossAmountIdr,
    commissionIdr: next.commissionIdr,
    payoutIdr: next.payoutIdr,
    payeeId: next.payeeId,
  };
  if (next.paidAt && !prev?.paidAt) op.set(K.ledgerKey(next.paidAt, next.orderId, "paid"), entry);
  if (next.refundedAt && !prev?.refundedAt) op.set(K.ledgerKey(next.refundedAt, next.orderId, "refunded"), entry);
}

/** The payment of `orderId`, or null (also for a malformed id). */
export async function getPayment(orderId: string): Promise<Payment | null> {
  if (typeof orderId !== "string" || !ORDER_ID_RE.test(orderId)) return null;
  const kv = await getKv();
  return (await kv.get<Payment>(K.paymentKey(orderId))).value;
}

/** Filters of {@link listPayments}: whose (exactly one of payer / payee / all), status, creation window. */
export interface PaymentFilter {
  payerId?: string;
  payeeId?: string;
  /** Admins: every payment. */
  all?: boolean;
  status?: PaymentStatus;
  /** Created at or after this instant (ISO 8601 UTC). */
  fromIso?: string;
  /** Created before this instant (ISO 8601 UTC). */
  toIso?: string;
  cursor?: string | null;
  /** 1..100, default 20. */
  limit?: number;
}

/**
 * Payments newest first, for a payer, a payee, or everyone (admins), with an
 * optional status and creation window; cursor pagination.
 * @throws BadRequest `invalid_cursor`
 */
export async function listPayments(f: PaymentFilter): Promise<Page<Payment>> {
  const kv = await getKv();
  const prefix = f.payerId ? K.byPayerPrefix(f.payerId) : f.payeeId ? K.byPayeePrefix(f.payeeId) : K.byTimePrefix;
  if (!f.payerId && !f.payeeId && !f.all) return { items: [], cursor: null };
  const selector: Deno.KvListSelector = {
    start: [...prefix, f.fromIso ?? ""],
    end: [...prefix, f.toIso ?? "\uffff"],
  };
  return await scanPage<Payment, Payment>(
    kv,
    selector,
    (p) => (!f.status || p.status === f.status ? p : null),
    { cursor: f.cursor, limit: f.limit },
  );
}

/** What {@link applyTransaction} did. */
export type ApplyResult =
  | { result: "applied"; from: PaymentStatus; to: PaymentStatus; payment: Payment }
  | { result: "unchanged" | "not_forward" | "ignored" | "amount_mismatch"; payment: Payment }
  | { result: "unknown_order" };

/** Attempts of a commit that lost a race before giving up (each rereads the payment). */
const MAX_APPLY_ATTEMPTS = 5;

/**
 * Applies what Midtrans says about a transaction (the status API's answer:
 * the truth) to our payment, once and forward only: maps it
 * ({@link mapTransactionStatus}), refuses an amount other than ours
 * (`amount_mismatch`, logged, nothing written), ignores the same state again
 * (`unchanged`: replays are harmless) and backward moves (`not_forward`:
 * settlement may arrive before pending). A move is ONE atomic commit: a check
 * of the payment's versionstamp, the payment and its copies, and the
 * purchase's effect (`./effects.ts`); a lost race rereads and retries up to 5
 * times. The effect's after-commit callback (e-mails) runs after the commit.
 * @param effects the effect map (tests pass their own; default `PAYMENT_EFFECTS`)
 * @throws Conflict `payment_busy` when every attempt lost a race; whatever the effect throws
 */
export async function applyTransaction(
  orderId: string,
  tx: MidtransTransaction,
  opts: { nowMs?: number; effects?: PaymentEffectOverrides } = {},
): Promise<ApplyResult> {
  const kv = await getKv();
  const effects = { ...PAYMENT_EFFECTS, ...opts.effects };
  for (let attempt = 0; attempt < MAX_APPLY_ATTEMPTS; attempt++) {
    if (!ORDER_ID_RE.test(orderId)) return { result: "unknown_order" };
    const entry = await kv.get<Payment>(K.paymentKey(orderId));
    if (!entry.value) return { result: "unknown_order" };
    const cur = entry.value;
    const amount = parseMidtransAmount(tx.gross_amount);
    if (amount !== cur.grossAmountIdr) {
      log("warn", "payment amount differs from Midtrans", {
        orderId,
        ours: cur.grossAmountIdr,
        theirs: tx.gross_amount,
      });
      return { result: "amount_mismatch", payment: cur };
    }
    const to = mapTransactionStatus(tx);
    if (to === null) return { result: "ignored", payment: cur };
    if (to === cur.status) return { result: "unchanged", payment: cur };
    if (!isForward(cur.status, to)) return { result: "not_forward", payment: cur };
    const nowIso = new Date(opts.nowMs ?? Date.now()).toISOString();
    const next: Payment = {
      ...cur,
      status: to,
      method: tx.payment_type ?? cur.method,
      bank: tx.va_numbers?.[0]?.bank ?? (tx.payment_type === "echannel" ? "mandiri" : cur.bank),
      providerStatus: tx.transaction_status ?? cur.providerStatus,
      transactionId: tx.transaction_id ?? cur.transactionId,
      paidAt: to === "paid" ? nowIso : cur.paidAt,
      refundedAt: to === "refunded" ? nowIso : cur.refundedAt,
      updatedAt: nowIso,
    };
    const op = kv.atomic().check(entry);
    const effect = effects[cur.purpose.kind];
    const after: AfterCommit | void = await effect(op, next, cur.status, to);
    writeOps(op, cur, next);
    const res = await op.commit();
    if (!res.ok) continue;
    if (after) {
      try {
        await after();
      } catch (err) {
        log("error", "payment after-commit step failed", { orderId, error: String(err) });
      }
    }
    return { result: "applied", from: cur.status, to, payment: next };
  }
  throw new Conflict("payment_busy", "pay.error.busy");
}

/**
 * Reads the transaction from the status API and applies it
 * ({@link applyTransaction}). A transaction Midtrans does not know (no method
 * was ever chosen) whose window has passed is applied as `expire`.
 * @returns the result, or `{result: "unknown_order"}` / `"ignored"` when there is nothing to apply
 * @throws ServiceUnavailable `payment_provider_unavailable`
 */
export async function syncPayment(
  orderId: string,
  nowMs: number = Date.now(),
  effects?: PaymentEffectOverrides,
): Promise<ApplyResult> {
  const payment = await getPayment(orderId);
  if (!payment) return { result: "unknown_order" };
  const tx = await (await provider()).client.status(orderId);
  if (tx) return await applyTransaction(orderId, tx, { nowMs, effects });
  if (payment.status === "pending" && nowMs >= Date.parse(payment.expiresAt)) {
    return await applyTransaction(orderId, {
      status_code: "407",
      transaction_status: "expire",
      gross_amount: `${payment.grossAmountIdr}.00`,
    }, { nowMs, effects });
  }
  return { result: "ignored", payment };
}

/**
 * Refunds a paid payment in full through Midtrans (`POST /v2/{order_id}/refund`
 * with the order id as `refund_key`, so a retry does not refund twice), then
 * applies the status API's answer (`refund` → refunded).
 * @throws NotFound `payment_not_found`; Conflict `payment_not_paid`;
 *   ServiceUnavailable `payment_provider_unavailable` (Midtrans refuses refunds for some methods, e.g. bank transfer)
 */
export async function refundPayment(orderId: string, reason: string, nowMs: number = Date.now()): Promise<Payment> {
  const payment = await getPayment(orderId);
  if (!payment) throw new NotFound("payment_not_found", "pay.error.not_found");
  if (payment.status === "refunded") return payment;
  if (payment.status !== "paid") throw new Conflict("payment_not_paid", "pay.error.not_paid");
  const p = await provider();
  await p.client.refund(orderId, {
    refund_key: orderId.replace(/[^A-Za-z0-9\-_]/g, "-"),
    amount: payment.grossAmountIdr,
    reason: reason.slice(0, 255),
  });
  const r = await syncPayment(orderId, nowMs);
  return "payment" in r ? r.payment : payment;
}
