/**
 * What the client's home shows (routes/client/index.tsx): the next session,
 * unpaid bookings with their payment deadline and pay link, the latest
 * history, and completed sessions still to review.
 */
import type { Booking } from "@/lib/booking/model.ts";
import { listBookings } from "@/lib/booking/store.ts";
import { getPayment } from "@/lib/payments/store.ts";
import { reviewsToLeave } from "@/lib/reviews/store.ts";

/** How many rows each part of the home shows. */
export const HOME_LIMITS = { unpaid: 3, history: 3, toReview: 3 } as const;

/** The client home's data. */
export interface ClientHome {
  /** The soonest paid, confirmed or running session that has not ended, or null. */
  next: Booking | null;
  /** Unpaid bookings whose hold (`holdUntil`, the payment deadline) has not passed, soonest deadline first. */
  unpaid: { booking: Booking; payUrl: string }[];
  /** The latest ended bookings, newest first. */
  history: Booking[];
  /** Completed sessions without a review, most recent first. */
  toReview: Booking[];
}

/**
 * Reads the home of client `clientId` at `nowMs` (ms since epoch). Bounded:
 * one page of active bookings (≤ 20, from 3 hours ago), 3 history rows, and the
 * review candidates among the latest 50 past bookings. `payUrl` is the
 * payment's Snap page, or the booking page when there is none.
 */
export async function clientHome(clientId: string, nowMs: number = Date.now()): Promise<ClientHome> {
  const [active, history, toReview] = await Promise.all([
    listBookings({ clientId }, { scope: "active", from: new Date(nowMs - 3 * 3600_000).toISOString(), limit: 20 }),
    listBookings({ clientId }, { scope: "history", limit: HOME_LIMITS.history }),
    reviewsToLeave(clientId, HOME_LIMITS.toReview),
  ]);
  const next = active.items.find((b) => b.status !== "awaiting_payment" && Date.parse(b.endsAt) > nowMs) ?? null;
  const holding = active.items
    .filter((b) => b.status === "awaiting_payment" && b.holdUntil && Date.parse(b.holdUntil) > nowMs)
    .sort((a, b) => a.holdUntil!.localeCompare(b.holdUntil!))
    .slice(0, HOME_LIMITS.unpaid);
  const unpaid = await Promise.all(holding.map(async (booking) => {
    const p = await getPayment(booking.orderId);
    return {
      booking,
      payUrl: p?.status === "pending" && p.redirectUrl ? p.redirectUrl : `/client/bookings/${booking.id}`,
    };
  }));
  return { next, unpaid, history: history.items, toReview };
}
