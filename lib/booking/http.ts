/**
 * The booking API's edge: input schemas (the same zod schemas validate
 * requests and describe them in the OpenAPI document), the answer shapes, and
 * the role/ownership rules of reading and moving a booking.
 */
import { NotFound } from "@/lib/errors.ts";
import { parseInput, ulid, z } from "@/lib/validation.ts";
import type { User } from "@/lib/auth/users.ts";
import { pageQuery } from "@/lib/guestbook/http.ts";
import { startsAtParam } from "@/lib/guestbook/time.ts";
import { type Booking, bookingSchema, bookingStatusSchema } from "./model.ts";
import { getBooking, listBookings } from "./store.ts";
import {
  cancelBooking,
  completeBooking,
  confirmBooking,
  markNoShow,
  rejectBooking,
  startSession,
} from "./lifecycle.ts";
import { createBooking, rescheduleBooking } from "./create.ts";

/** A booking as the API shows it (the stored record without its schema version). */
export const bookingViewSchema = bookingSchema.omit({ schemaVersion: true }).describe("Booking");
export type BookingView = z.infer<typeof bookingViewSchema>;

/** The API view of a booking. */
export function bookingView(b: Booking): BookingView {
  const { schemaVersion: _v, ...rest } = b;
  return rest;
}

/** `POST /api/bookings` body. */
export const bookingInputSchema = z.object({
  psychologistId: ulid,
  serviceId: z.string("field.required").min(1, "field.required").max(40, "field.too_long"),
  startsAt: startsAtParam.meta({
    type: "string",
    format: "date-time",
    description: "ISO 8601 instant with offset, e.g. 2026-12-03T09:00:00+07:00 (a start from the slots endpoint)",
  }),
});

/** `PUT /api/bookings/{id}/status` body. */
export const statusInputSchema = z.object({
  status: z.enum(["confirmed", "rejected", "cancelled", "no_show", "in_session", "completed"], "field.invalid_choice"),
  reason: z.string().max(500, "field.too_long").optional(),
  /** For `no_show`: who did not come (default client). */
  absent: z.enum(["client", "psychologist"], "field.invalid_choice").optional(),
});

/** `POST /api/bookings/{id}/reschedule` body. */
export const rescheduleInputSchema = z.object({ startsAt: bookingInputSchema.shape.startsAt });

/** `GET /api/bookings` query. */
export const bookingListQuery = pageQuery.extend({
  status: bookingStatusSchema.optional(),
  scope: z.enum(["active", "history", "all"], "field.invalid_choice").optional(),
});

/** `{booking}` answer. */
export const bookingAnswerSchema = z.object({ booking: bookingViewSchema });

/**
 * Booking `id` if `user` may see it: its client, its psychologist, or an admin.
 * @throws NotFound `booking_not_found` otherwise (the same answer as for an unknown id)
 */
export async function bookingFor(user: User, id: string): Promise<Booking> {
  const b = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? await getBooking(id) : null;
  if (!b || !(user.role === "admin" || b.clientId === user.id || b.psychologistId === user.id)) {
    throw new NotFound("booking_not_found", "booking.error.not_found");
  }
  return b;
}

/** The caller's bookings: a client's or a psychologist's own (admins see none here). */
export function bookingsOf(user: User, query: Record<string, string>) {
  const q = parseInput(bookingListQuery, query);
  const owner = user.role === "psychologist" ? { psychologistId: user.id } : { clientId: user.id };
  return listBookings(owner, { status: q.status ?? null, scope: q.scope, cursor: q.cursor ?? null, limit: q.limit });
}

/** Validates and runs `POST /api/bookings`. */
export function bookFromInput(user: User, body: Record<string, unknown>, nowMs = Date.now()) {
  const input = parseInput(bookingInputSchema, body);
  return createBooking(user, { ...input, startsAt: input.startsAt.toISOString() }, nowMs);
}

/**
 * Validates and runs a status move requested by `user` (`PUT /api/bookings/{id}/status`).
 * @throws ValidationError; NotFound; the move's Conflict
 */
export async function setStatusFromInput(user: User, id: string, body: Record<string, unknown>, nowMs = Date.now()) {
  const input = parseInput(statusInputSchema, body);
  await bookingFor(user, id);
  switch (input.status) {
    case "confirmed":
      return await confirmBooking(id, user, nowMs);
    case "rejected":
      return await rejectBooking(id, user, input.reason ?? "", nowMs);
    case "cancelled":
      return await cancelBooking(id, user, input.reason?.trim() || null, nowMs);
    case "no_show":
      return await markNoShow(id, user, input.absent ?? "client", nowMs);
    case "in_session":
      return await startSession(id, user, nowMs);
    case "completed":
      return await completeBooking(id, user, nowMs);
  }
}

/** Validates and runs `POST /api/bookings/{id}/reschedule`. */
export async function rescheduleFromInput(user: User, id: string, body: Record<string, unknown>, nowMs = Date.now()) {
  const input = parseInput(rescheduleInputSchema, body);
  await bookingFor(user, id);
  return await rescheduleBooking(id, user, input.startsAt.toISOString(), nowMs);
}
