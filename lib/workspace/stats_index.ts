/**
 * The statistics index of bookings (`booking_stats`, layout in `./keys.ts`): the
 * mutations `putBookingOps` adds to every booking commit. Imports nothing of the
 * booking store, so `lib/booking/store.ts` can call it without an import cycle.
 */
import { config } from "@/lib/config.ts";
import { commissionSplit } from "@/lib/payments/state.ts";
import { localDateOf } from "@/lib/guestbook/time.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { type BookingStat, statKey } from "./keys.ts";

/** `YYYY-MM` of instant `iso` in `timeZone` (default `TIME_ZONE`). */
export function monthOf(iso: string, timeZone: string = config.timeZone): string {
  return localDateOf(iso, timeZone).slice(0, 7);
}

/** The statistics entry of booking `b` (see {@link BookingStat}). */
export function statOf(b: Booking): BookingStat {
  return {
    status: b.status,
    serviceType: b.serviceType,
    payoutIdr: commissionSplit(b.priceIdr, config.platformCommissionPercent).payoutIdr,
    refund: b.refund !== null,
  };
}

/**
 * Adds to `op` the statistics-index writes that turn `before` (null for a new
 * booking) into `after`: the entry under the month of `after.startsAt`, and the
 * deletion of the old month's entry when the start moved to another month.
 */
export function statOps(op: Deno.AtomicOperation, before: Booking | null, after: Booking): Deno.AtomicOperation {
  const month = monthOf(after.startsAt);
  if (before && before.startsAt !== after.startsAt) {
    const old = monthOf(before.startsAt);
    if (old !== month) op.delete(statKey(before.psychologistId, old, before.id));
  }
  return op.set(statKey(after.psychologistId, month, after.id), statOf(after));
}
