/**
 * Payment rules without I/O: how a Midtrans transaction maps to our status,
 * which moves are forward, and the commission split (docs/domain-rules.md
 * "Payments").
 */
import type { PaymentStatus } from "./model.ts";
import type { MidtransTransaction } from "./midtrans.ts";

/**
 * Our status for a Midtrans transaction, or null when it says nothing we act
 * on (e.g. `capture` with `fraud_status` challenge, `authorize`, partial refunds).
 *
 * - paid: `status_code` "200" and `transaction_status` settlement or capture and `fraud_status` accept;
 * - pending: `pending`;
 * - failed: `deny`, `cancel`, `failure`;
 * - expired: `expire`;
 * - refunded: `refund` (the whole amount; Midtrans "Transaction Status Cycle"), and `chargeback` (the
 *   customer's bank took the whole amount back: the money is gone as with a refund). Partial refunds and
 *   partial chargebacks say nothing we act on.
 */
export function mapTransactionStatus(
  tx: Pick<MidtransTransaction, "status_code" | "transaction_status" | "fraud_status">,
): PaymentStatus | null {
  switch (tx.transaction_status) {
    case "settlement":
    case "capture":
      return tx.status_code === "200" && tx.fraud_status === "accept" ? "paid" : null;
    case "pending":
      return "pending";
    case "deny":
    case "cancel":
    case "failure":
      return "failed";
    case "expire":
      return "expired";
    case "refund":
    case "chargeback":
      return "refunded";
    default:
      return null;
  }
}

/**
 * Forward moves: `pending → paid | failed | expired`, `failed → paid` (Snap
 * lets the customer try another method after a deny; the purchase's effect
 * treats it as a late payment), `paid → refunded`. Everything else — going
 * back to pending, paid after an expiry, the same state again — is not a move.
 */
export function isForward(from: PaymentStatus, to: PaymentStatus): boolean {
  switch (from) {
    case "pending":
      return to === "paid" || to === "failed" || to === "expired";
    case "failed":
      return to === "paid";
    case "paid":
      return to === "refunded";
    default:
      return false;
  }
}

/**
 * The platform's commission and the payee's payout of a gross amount, whole
 * rupiah: commission = gross × percent / 100 rounded half up to the rupiah
 * (percent kept to two decimals, computed in integers), payout = gross −
 * commission, so the two always add up to the gross amount.
 */
export function commissionSplit(grossIdr: number, percent: number): { commissionIdr: number; payoutIdr: number } {
  const basisPoints = Math.round(Math.min(100, Math.max(0, percent)) * 100);
  const commissionIdr = Math.floor((grossIdr * basisPoints + 5_000) / 10_000);
  return { commissionIdr, payoutIdr: grossIdr - commissionIdr };
}
