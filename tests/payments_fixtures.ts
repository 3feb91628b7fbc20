/** Shared inputs of the payments tests. */
import type { StartPaymentInput } from "@/lib/payments/store.ts";

/** A start-payment input for a 150,000 rupiah session. */
export function paymentInput(orderId: string, overrides: Partial<StartPaymentInput> = {}): StartPaymentInput {
  return {
    orderId,
    purpose: { kind: "booking", id: "01JBOOKING0000000000000000" },
    payerId: "client-1",
    payeeId: "psy-1",
    grossAmountIdr: 150_000,
    itemDetails: [{ id: "svc-video-50", name: "Konseling video 50 menit", priceIdr: 150_000, quantity: 1 }],
    customer: { firstName: "Klien Satu", email: "klien1@example.test" },
    expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    finishUrl: "http://localhost/client/bookings/01JBOOKING0000000000000000",
    ...overrides,
  };
}
