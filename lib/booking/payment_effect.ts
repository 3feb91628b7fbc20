/**
 * How a payment state change reaches its booking (registered in
 * lib/payments/effects.ts). Implemented by the booking core.
 */
import type { PaymentEffect } from "@/lib/payments/model.ts";

/** Applies a booking payment's move to the booking, in the payment's own commit. */
export const bookingPaymentEffect: PaymentEffect = (_op, payment) => {
  return Promise.reject(new Error(`booking effect not available yet for ${payment.orderId}`));
};
