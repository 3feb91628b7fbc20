/**
 * What each kind of purchase does when its payment moves: a static map from
 * `PaymentPurpose.kind` to its {@link PaymentEffect}, run inside the
 * payment's own atomic commit (`./store.ts` `applyTransaction`).
 */
import type { PaymentEffect, PaymentPurpose } from "./model.ts";
import { bookingPaymentEffect } from "@/lib/booking/payment_effect.ts";
import { screeningPdfPaymentEffect } from "@/lib/screening/payment_effect.ts";

/** The effect of each purchase kind. */
export const PAYMENT_EFFECTS: Record<PaymentPurpose["kind"], PaymentEffect> = {
  booking: bookingPaymentEffect,
  screening_pdf: screeningPdfPaymentEffect,
};
