/**
 * Marking a due refund as done (admin): the booking's `refund` {status: due}
 * becomes done in the same atomic commit as its payment's move to
 * `refunded` — the payment effect of bookings does that
 * (lib/booking/payment_effect.ts, `paid → refunded`). Two ways:
 *
 * - `midtrans` (default): a full refund through Midtrans
 *   (`POST /v2/{order_id}/refund`, lib/payments/store.ts `refundPayment`, the
 *   order id as `refund_key` so a retry never refunds twice), then the status
 *   API's answer is applied. The built-in sandbox accepts it the same way.
 * - `manual`: the money went back outside Midtrans (Midtrans cannot refund
 *   bank transfers or virtual accounts); the admin gives the transfer's
 *   reference and the payment is moved to `refunded` as if Midtrans had said
 *   `refund` — same commit, same effect, a ledger entry.
 *
 * Idempotent: a payment already refunded answers `already_done` and writes
 * nothing (no second audit entry). Every refund made or requested here is
 * audited (`payment.refund`, after the payment's commit). Rules in docs/domain-rules.md "Admin: transactions and finance".
 */
import { audit } from "@/lib/audit.ts";
import type { User } from "@/lib/auth/users.ts";
import { Conflict, Forbidden, NotFound, ServiceUnavailable } from "@/lib/errors.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { getBooking } from "@/lib/booking/store.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { applyTransaction, getPayment, refundPayment } from "@/lib/payments/store.ts";
import type { Payment } from "@/lib/payments/model.ts";
import { midtransAmount } from "@/lib/payments/midtrans.ts";

/** Body of `POST /api/admin/transactions/{orderId}/refund` (JSON or form). */
export const refundInputSchema = z.object({
  mode: z.enum(["midtrans", "manual"], "field.invalid_choice").default("midtrans")
    .describe("`midtrans`: refund through Midtrans; `manual`: already paid back outside Midtrans"),
  reference: z.string("field.invalid").trim().max(200, "field.too_long").default("")
    .describe("Bank transfer reference (required for `manual`)"),
  confirm: z.union([z.literal(true), z.literal("1"), z.literal("true")], "admin.refund.error.confirm")
    .describe("Must be true: the confirmation step"),
}).refine((v) => v.mode !== "manual" || v.reference.length > 0, {
  path: ["reference"],
  message: "field.required",
});
export type RefundInput = z.input<typeof refundInputSchema>;

/** What {@link completeRefund} did. */
export const refundResultSchema = z.object({
  result: z.enum(["refunded", "already_done", "requested"]).describe(
    "`requested`: Midtrans accepted the refund but does not report it done yet; its notification will finish it",
  ),
  orderId: z.string(),
  paymentStatus: z.string(),
  bookingId: z.string().nullable(),
  refundStatus: z.enum(["due", "done"]).nullable(),
});
export type RefundResult = z.infer<typeof refundResultSchema>;

function resultOf(result: RefundResult["result"], p: Payment, b: Booking | null): RefundResult {
  return {
    result,
    orderId: p.orderId,
    paymentStatus: p.status,
    bookingId: b?.id ?? null,
    refundStatus: b?.refund?.status ?? null,
  };
}

/**
 * Marks the due refund of `orderId`'s booking done by refunding its payment
 * (see the module comment).
 * @param actor must be an admin
 * @throws Forbidden not an admin; ValidationError bad input; NotFound `payment_not_found`;
 *   Conflict `refund_not_due` (no refund is owed on this payment), `payment_not_paid`;
 *   ServiceUnavailable `refund_provider_failed` (Midtrans refused or could not be reached; nothing changed)
 */
export async function completeRefund(
  actor: User,
  orderId: string,
  input: unknown,
  nowMs: number = Date.now(),
): Promise<RefundResult> {
  if (actor.role !== "admin") throw new Forbidden();
  const v = parseInput(refundInputSchema, input);
  const payment = await getPayment(orderId);
  if (!payment) throw new NotFound("payment_not_found", "pay.error.not_found");
  const booking = payment.purpose.kind === "booking" ? await getBooking(payment.purpose.id) : null;
  if (payment.status === "refunded") return resultOf("already_done", payment, booking);
  if (!booking || booking.refund?.status !== "due") throw new Conflict("refund_not_due", "admin.refund.error.not_due");
  if (payment.status !== "paid") throw new Conflict("payment_not_paid", "pay.error.not_paid");

  let after: Payment;
  if (v.mode === "manual") {
    const r = await applyTransaction(orderId, {
      status_code: "200",
      transaction_status: "refund",
      gross_amount: midtransAmount(payment.grossAmountIdr),
    }, { nowMs });
    if (r.result === "unknown_order") throw new NotFound("payment_not_found", "pay.error.not_found");
    after = r.payment;
    if (r.result !== "applied") {
      const b = await getBooking(booking.id);
      return resultOf(after.status === "refunded" ? "already_done" : "requested", after, b);
    }
  } else {
    try {
      after = await refundPayment(orderId, reasonOf(booking), nowMs);
    } catch (err) {
      if (!(err instanceof ServiceUnavailable)) throw err;
      // A double click: the other request refunded it meanwhile (Midtrans refuses a second refund).
      const now = await getPayment(orderId);
      if (now?.status === "refunded") return resultOf("already_done", now, await getBooking(booking.id));
      throw new ServiceUnavailable(30, "refund_provider_failed", "admin.refund.error.provider");
    }
  }
  const b = await getBooking(booking.id);
  const result = after.status === "refunded" ? "refunded" : "requested";
  await audit(actor.id, "payment.refund", `payment:${orderId}`, {
    bookingId: booking.id,
    amountIdr: payment.grossAmountIdr,
    mode: v.mode,
    result,
    ...(v.mode === "manual" ? { reference: v.reference } : {}),
  });
  return resultOf(result, after, b);
}

/** The refund reason sent to Midtrans (≤ 255 characters, no personal data). */
function reasonOf(b: Booking): string {
  return `RuangPulih booking ${b.id}: ${b.refund?.reason ?? "refund"}`;
}
