/**
 * How a payment state change reaches its booking, inside the payment's own
 * atomic commit (registered in lib/payments/effects.ts):
 *
 * - `pending → paid`: an unpaid booking becomes `paid`; its cells stop
 *   expiring. A payment that arrives after the booking ended (expired,
 *   cancelled) or after another booking took over a cell leaves the booking
 *   as it is (expired, for a lost cell) with the full amount due back
 *   (`late_payment`).
 * - `pending → failed | expired` (Midtrans deny, cancel, expire): an unpaid
 *   booking expires and frees its cells.
 * - `paid → refunded`: a due refund is marked done.
 *
 * See docs/domain-rules.md "Payments" and "Booking".
 */
import type { AfterCommit, PaymentEffect } from "@/lib/payments/model.ts";
import { NotFound } from "@/lib/errors.ts";
import { bumpAvailabilityVersion } from "@/lib/availability/store.ts";
import type { Booking } from "./model.ts";
import { getBookingEntry, putBookingOps } from "./store.ts";
import { bookingCells, readCells, releaseCellsOps } from "./cells.ts";
import { refundDue, withStatus } from "./lifecycle.ts";
import { mailBookingChange } from "./mail.ts";
import { scheduleDue } from "./jobs.ts";

/** Applies a booking payment's move to the booking, in the payment's own commit. */
export const bookingPaymentEffect: PaymentEffect = async (op, payment, _from, to) => {
  const entry = await getBookingEntry(payment.purpose.id);
  if (!entry) throw new NotFound("booking_not_found", "booking.error.not_found");
  const b = entry.value;
  // The time the payment module applies the move (its clock), so tests and the seed can set it.
  const nowMs = Date.parse(payment.updatedAt) || Date.now();
  let next: Booking | null = null;
  if (to === "paid") {
    if (b.status === "awaiting_payment") {
      const cells = await readCells(b.psychologistId, bookingCells(b));
      if (cells.every((c) => c.value?.bookingId === b.id)) {
        for (const c of cells) op.check(c).set(c.key, { bookingId: b.id, holdUntil: null });
        next = withStatus(b, "paid", "system", nowMs, payment.method);
      } else {
        await releaseCellsOps(op, b);
        next = withStatus(b, "expired", "system", nowMs, "late_payment", {
          refund: refundDue(b, "late_payment", nowMs),
        });
      }
    } else if (!b.refund && (b.status === "expired" || b.status === "cancelled")) {
      next = { ...b, refund: refundDue(b, "late_payment", nowMs), updatedAt: new Date(nowMs).toISOString() };
    }
  } else if (to === "failed" || to === "expired") {
    if (b.status === "awaiting_payment") {
      await releaseCellsOps(op, b);
      next = withStatus(b, "expired", "system", nowMs, `payment_${to}`);
    }
  } else if (to === "refunded") {
    if (b.refund?.status === "due") {
      next = {
        ...b,
        refund: { ...b.refund, status: "done", doneAt: new Date(nowMs).toISOString() },
        updatedAt: new Date(nowMs).toISOString(),
      };
    }
  }
  if (!next) return;
  const after = next;
  op.check(entry);
  putBookingOps(op, b, after);
  bumpAvailabilityVersion(op, b.psychologistId);
  const after_: AfterCommit = async () => {
    if (after.status !== b.status) await mailBookingChange(b, after);
    await scheduleDue(after);
  };
  return after_;
};
