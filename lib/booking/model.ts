/**
 * A booking of a psychologist's service and its lifecycle states. Rules in
 * docs/domain-rules.md "Booking".
 */
import { z } from "@/lib/validation.ts";
import { serviceTypeSchema } from "@/lib/psychologists/model.ts";

/**
 * Booking states. Moves (each one atomic commit with a check):
 * `awaiting_payment → paid → confirmed | rejected → in_session → completed`;
 * `awaiting_payment → expired | cancelled`; `paid | confirmed → cancelled`
 * (client, before the cut-off); `confirmed → no_show`.
 */
export const BOOKING_STATUSES = [
  "awaiting_payment",
  "paid",
  "confirmed",
  "rejected",
  "in_session",
  "completed",
  "cancelled",
  "expired",
  "no_show",
] as const;
export const bookingStatusSchema = z.enum(BOOKING_STATUSES, "field.invalid_choice");
export type BookingStatus = z.infer<typeof bookingStatusSchema>;

/** States that hold time cells (the slot is taken). */
export const ACTIVE_STATUSES: readonly BookingStatus[] = ["awaiting_payment", "paid", "confirmed", "in_session"];

/** A refund owed to the client (after a rejection, or a cancellation of a paid booking). */
export const refundSchema = z.object({
  status: z.enum(["due", "done"]),
  amountIdr: z.number().int(),
  reason: z.enum(["rejected", "cancelled", "late_payment", "not_confirmed"]),
  dueAt: z.string(),
  doneAt: z.string().nullable(),
});
export type Refund = z.infer<typeof refundSchema>;

/** One state change, kept on the booking for its history. */
export const bookingEventSchema = z.object({
  status: bookingStatusSchema,
  at: z.string(),
  /** User id of whoever made the move, or "system" for jobs and payment notifications. */
  by: z.string(),
  reason: z.string().nullable(),
});

/** A booking (`["bookings", id]`). Instants are ISO 8601 UTC strings; money is whole rupiah. */
export const bookingSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  clientId: z.string(),
  clientName: z.string(),
  psychologistId: z.string(),
  psychologistName: z.string(),
  serviceId: z.string(),
  serviceType: serviceTypeSchema,
  durationMinutes: z.number().int(),
  priceIdr: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
  /** Buffers claimed with the booking (minutes), as the availability said at booking time. */
  bufferBeforeMinutes: z.number().int(),
  bufferAfterMinutes: z.number().int(),
  /** The psychologist's IANA time zone at booking time. */
  timeZone: z.string(),
  status: bookingStatusSchema,
  /** Until when an unpaid booking holds its cells (UTC); null once paid or ended. */
  holdUntil: z.string().nullable(),
  /** Midtrans order id of the booking's payment. */
  orderId: z.string(),
  refund: refundSchema.nullable(),
  /** How often the client rescheduled (at most once). */
  rescheduleCount: z.number().int(),
  history: z.array(bookingEventSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Booking = z.infer<typeof bookingSchema>;
