/**
 * How a `screening_pdf` payment reaches its screening, inside the payment's own atomic commit
 * (registered in lib/payments/effects.ts; docs/domain-rules.md "Emotion screening", "Payments"):
 *
 * - `pending → paid` (or a late `failed → paid`): the screening's PDF summary is unlocked (`pdf.paidAt`,
 *   `pdf.orderId`), unless it is unlocked already (a second payment changes nothing).
 * - `paid → refunded` (a refund or a chargeback, `lib/payments/state.ts`) of the order that unlocked it: the
 *   PDF is locked again (`pdf.paidAt` null: the download answers 402 `payment_required`, a new payment can be
 *   started) — unless another payment of the same PDF by the same client is still `paid`, which then keeps it
 *   unlocked. A refund of any other order changes nothing.
 * - Every other move changes nothing (a failed or expired payment leaves the PDF locked).
 * - A screening deleted by its client before the payment arrived: nothing to unlock or lock; the payment
 *   stays in the payment history.
 */
import type { Payment, PaymentEffect } from "@/lib/payments/model.ts";
import * as PK from "@/lib/payments/keys.ts";
import { getKv } from "@/lib/db/kv.ts";
import type { ScreeningRecord } from "./store.ts";
import * as K from "./keys.ts";

/** Applies a screening-PDF payment's move to the screening, in the payment's own commit. */
export const screeningPdfPaymentEffect: PaymentEffect = async (op, payment, _from, to) => {
  if (to !== "paid" && to !== "refunded") return;
  const kv = await getKv();
  const e = await kv.get<ScreeningRecord>(K.screeningKey(payment.purpose.id));
  const r = e.value;
  if (!r || r.clientId !== payment.payerId) return;
  if (to === "paid") {
    if (r.pdf.paidAt) return;
    const paidAt = payment.paidAt ?? payment.updatedAt;
    op.check(e).set(e.key, { ...r, pdf: { orderId: payment.orderId, paidAt } });
    return;
  }
  if (!r.pdf.paidAt || r.pdf.orderId !== payment.orderId) return;
  const other = await otherPaidPayment(payment);
  op.check(e);
  if (other) {
    op.check(other).set(e.key, {
      ...r,
      pdf: { orderId: other.value.orderId, paidAt: other.value.paidAt ?? other.value.updatedAt },
    });
  } else {
    op.set(e.key, { ...r, pdf: { orderId: payment.orderId, paidAt: null } });
  }
};

/**
 * Another `paid` payment of the same screening's PDF by the same payer than `payment` (its primary entry,
 * to check in the commit), or null. Reads the payer's payments (`["payments_by_payer", payerId, …]`).
 */
async function otherPaidPayment(payment: Payment): Promise<Deno.KvEntry<Payment> | null> {
  const kv = await getKv();
  for await (const c of kv.list<Payment>({ prefix: PK.byPayerPrefix(payment.payerId) })) {
    const p = c.value;
    if (p.orderId === payment.orderId || p.purpose.kind !== "screening_pdf") continue;
    if (p.purpose.id !== payment.purpose.id || p.status !== "paid") continue;
    const main = await kv.get<Payment>(PK.paymentKey(p.orderId));
    if (main.value?.status === "paid") return main as Deno.KvEntry<Payment>;
  }
  return null;
}
