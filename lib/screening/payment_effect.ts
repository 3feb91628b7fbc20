/**
 * How a `screening_pdf` payment reaches its screening, inside the payment's own atomic commit
 * (registered in lib/payments/effects.ts; docs/domain-rules.md "Emotion screening", "Payments"):
 *
 * - `pending → paid`: the screening's PDF summary is unlocked (`pdf.paidAt`, `pdf.orderId`).
 * - Every other move changes nothing (a failed or expired payment leaves the PDF locked; a new payment
 *   can be started). A refund does not lock the PDF again.
 * - A screening deleted by its client before the payment arrived: nothing to unlock; the payment stays
 *   in the payment history.
 */
import type { PaymentEffect } from "@/lib/payments/model.ts";
import { getKv } from "@/lib/db/kv.ts";
import type { ScreeningRecord } from "./store.ts";
import * as K from "./keys.ts";

/** Applies a screening-PDF payment's move to the screening, in the payment's own commit. */
export const screeningPdfPaymentEffect: PaymentEffect = async (op, payment, _from, to) => {
  if (to !== "paid") return;
  const kv = await getKv();
  const e = await kv.get<ScreeningRecord>(K.screeningKey(payment.purpose.id));
  const r = e.value;
  if (!r || r.pdf.paidAt || r.clientId !== payment.payerId) return;
  const paidAt = payment.paidAt ?? payment.updatedAt;
  op.check(e).set(e.key, { ...r, pdf: { orderId: payment.orderId, paidAt } });
};
