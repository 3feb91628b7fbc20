/**
 * Key layout of the psychologist workspace in Deno KV — the one place it is
 * written down (docs/domain-rules.md "Psychologist workspace").
 *
 * - `["booking_stats", psychologistId, month, bookingId]` → {@link BookingStat}: a compact copy of
 *   what the statistics need from one booking. `month` is `YYYY-MM`, the month of the booking's
 *   `startsAt` in `TIME_ZONE` (Asia/Jakarta by default) as it was when the entry was written.
 *   Written by `putBookingOps` (`lib/booking/store.ts`) in the **same** atomic commit as every
 *   booking write (the old month's key is deleted there when a reschedule moves the start to
 *   another month), so the index never disagrees with the booking. The statistics list one
 *   psychologist's month range with a single `kv.list` instead of reading full bookings.
 *
 * - `["booking_stats_backfill"]` → number: the index version the one-time backfill of bookings written before the
 *   index existed has completed (`./backfill.ts`).
 *
 * Nothing else is stored: the queue, patient details and reports read the booking indexes of
 * `lib/booking/keys.ts`.
 */
import type { BookingStatus } from "@/lib/booking/model.ts";
import type { ServiceType } from "@/lib/psychologists/model.ts";

/** Top-level KV key prefixes owned by the workspace (checked by tests/kv_prefixes_test.ts). */
export const WORKSPACE_PREFIXES: readonly string[] = ["booking_stats", "booking_stats_backfill"];

/**
 * The statistics entry of one booking. Money is whole rupiah.
 * - `payoutIdr`: the price net of the platform commission (`commissionSplit` of lib/payments/state.ts with
 *   `PLATFORM_COMMISSION_PERCENT` at write time — the same split the payment stores when it starts).
 * - `refund`: whether a refund is recorded on the booking (due or done): such a booking earns nothing.
 */
export interface BookingStat {
  status: BookingStatus;
  serviceType: ServiceType;
  payoutIdr: number;
  refund: boolean;
}

/** The statistics entry of booking `bookingId` in `month`. */
export const statKey = (psychologistId: string, month: string, bookingId: string): Deno.KvKey => [
  "booking_stats",
  psychologistId,
  month,
  bookingId,
];
/** Prefix of one psychologist's statistics entries. */
export const statPrefix = (psychologistId: string): Deno.KvKey => ["booking_stats", psychologistId];
/** The backfill's marker (see the layout above). */
export const backfillMarkerKey: Deno.KvKey = ["booking_stats_backfill"];
