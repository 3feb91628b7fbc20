/**
 * Payments: one Midtrans Snap transaction per purchase (a booking today; a
 * screening PDF later), its forward-only state, and the hook through which a
 * state change reaches what was bought, in the same atomic commit.
 * Rules in docs/domain-rules.md "Payments".
 */
import { z } from "@/lib/validation.ts";

/** What a payment pays for. */
export const purposeSchema = z.object({
  kind: z.enum(["booking", "screening_pdf"]),
  /** Id of the purchased record (the booking id; the screening id for its PDF summary). */
  id: z.string(),
});
export type PaymentPurpose = z.infer<typeof purposeSchema>;

/**
 * Our payment states (forward only): `pending → paid | failed | expired`,
 * `paid → refunded`. Mapped from Midtrans `transaction_status` in `./state.ts`.
 */
export const PAYMENT_STATUSES = ["pending", "paid", "failed", "expired", "refunded"] as const;
export const paymentStatusSchema = z.enum(PAYMENT_STATUSES, "field.invalid_choice");
export type PaymentStatus = z.infer<typeof paymentStatusSchema>;

/** A payment (`["payments", orderId]`). Money in whole rupiah, instants ISO 8601 UTC. */
export const paymentSchema = z.object({
  schemaVersion: z.literal(1),
  /** Midtrans `order_id`: ≤ 50 chars of `[A-Za-z0-9-_~.]`. */
  orderId: z.string(),
  purpose: purposeSchema,
  /** Who pays (user id). */
  payerId: z.string(),
  /** Who is paid out, when there is one (psychologist user id). */
  payeeId: z.string().nullable(),
  grossAmountIdr: z.number().int(),
  commissionPercent: z.number(),
  commissionIdr: z.number().int(),
  payoutIdr: z.number().int(),
  status: paymentStatusSchema,
  /** Midtrans `payment_type` once known (bank_transfer, echannel, gopay, qris, credit_card…). */
  method: z.string().nullable(),
  /** Bank of a virtual account (bca, bni, bri…), when that applies. */
  bank: z.string().nullable(),
  /** Midtrans `transaction_status` last applied. */
  providerStatus: z.string().nullable(),
  transactionId: z.string().nullable(),
  snapToken: z.string(),
  redirectUrl: z.string(),
  /** When Snap stops accepting the payment (the booking's payment window). */
  expiresAt: z.string(),
  paidAt: z.string().nullable(),
  refundedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** What was bought, for lists (the item names joined, ≤ 200 characters). */
  description: z.string().optional(),
});
export type Payment = z.infer<typeof paymentSchema>;

/**
 * One money move in the ledger (`["payments_ledger", at, orderId, kind]`):
 * the amounts of the payment (whole rupiah) and its payee, so the finance
 * report sums a year without reading payments.
 */
export interface LedgerEntry {
  grossAmountIdr: number;
  commissionIdr: number;
  payoutIdr: number;
  payeeId: string | null;
}

/**
 * Applies a payment state change to what was bought, inside the same atomic
 * commit as the payment's own change: add checks and mutations to `op`, never
 * commit it. Called once per forward move (`from → to`). May read KV.
 * Resolves to an optional callback that the caller MUST run (awaited, errors
 * logged) once the commit succeeded — e.g. e-mails about the change; it is not
 * run when the commit fails (the effect is then built again on retry).
 */
export type PaymentEffect = (
  op: Deno.AtomicOperation,
  payment: Payment,
  from: PaymentStatus,
  to: PaymentStatus,
) => Promise<AfterCommit | void>;

/**
 * Effects to use instead of `PAYMENT_EFFECTS` for some purpose kinds (tests pass e.g. `{ booking: fn }`);
 * kinds left out keep their real effect.
 */
export type PaymentEffectOverrides = Partial<Record<PaymentPurpose["kind"], PaymentEffect>>;

/** Work to do after a successful commit (see {@link PaymentEffect}). */
export type AfterCommit = () => Promise<void>;
