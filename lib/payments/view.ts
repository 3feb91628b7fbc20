/**
 * What each viewer may see of a payment: the one shape every payments answer
 * and page goes through (docs/domain-rules.md "Payments", "Who sees what").
 */
import { z } from "@/lib/validation.ts";
import { paymentSchema } from "./model.ts";
import type { Payment } from "./model.ts";

/**
 * A payment as shown to someone: {@link Payment} where `snapToken` and
 * `redirectUrl` (the Snap payment link) are present only for its payer.
 */
export const paymentViewSchema = paymentSchema.extend({
  /** Snap token: only for the payer. */
  snapToken: z.string().optional(),
  /** Snap payment page: only for the payer. */
  redirectUrl: z.string().optional(),
});
export type PaymentView = z.infer<typeof paymentViewSchema>;

/** Who looks at a payment (a signed-in user). */
export interface PaymentViewer {
  id: string;
  role: string;
}

/**
 * `payment` as `viewer` may see it. The Snap link (`snapToken`, `redirectUrl`)
 * lets whoever holds it pay, or see the payment page of, someone else's
 * order, so only the payer gets it; payees (the psychologist) and admins never
 * do — neither needs to pay for a client (OWASP API Security Top 10 2023,
 * API3 "Broken Object Property Level Authorization").
 * Everything else is unchanged.
 */
export function paymentView(payment: Payment, viewer: PaymentViewer): PaymentView {
  if (viewer.id === payment.payerId) return { ...payment };
  const { snapToken: _token, redirectUrl: _url, ...rest } = payment;
  return rest;
}
