/**
 * Session notes at the edge: the answers of `/api/bookings/{id}/notes` and
 * the data of the psychologist's notes page. Rules live in `./store.ts`.
 */
import { z } from "@/lib/validation.ts";
import type { User } from "@/lib/auth/users.ts";
import { getBooking } from "@/lib/booking/store.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { BadRequest, NotFound } from "@/lib/errors.ts";
import { notesMetaSchema, type NotesView, notesViewSchema } from "./model.ts";
import { readNotes, saveNotes, signNotes } from "./store.ts";

/** `GET /api/bookings/{id}/notes` answer. */
export const notesAnswerSchema = z.object({ notes: notesViewSchema });
/** `PUT /api/bookings/{id}/notes` and `POST …/notes/sign` answer: the record without text. */
export const notesMetaAnswerSchema = z.object({ notes: notesMetaSchema });

/**
 * What the notes page shows: the booking (for its heading) and the notes,
 * read — and audited — through {@link readNotes}.
 * @throws as {@link readNotes}
 */
export async function notesPageData(user: User, bookingId: string, nowMs = Date.now()): Promise<
  { booking: Booking; notes: NotesView }
> {
  const notes = await readNotes(user, bookingId, nowMs);
  const booking = await getBooking(bookingId);
  if (!booking) throw new NotFound("booking_not_found", "booking.error.not_found");
  return { booking, notes };
}

/** What a post of the notes page did: where to send the browser next. */
export type NotesFormOutcome = { done: "saved" | "amended" | "unchanged" | "signed" } | { confirm: "sign" };

/**
 * Runs one post of the notes page (`/psychologist/bookings/{id}/notes`):
 * `action=save` saves the draft or an amendment; `action=sign_ask` saves the
 * draft and asks for confirmation; `action=sign` with `confirm=1` signs.
 * @throws as {@link saveNotes} / {@link signNotes}; BadRequest `invalid_action`
 */
export async function notesFormAction(
  user: User,
  bookingId: string,
  body: Record<string, unknown>,
  nowMs = Date.now(),
): Promise<NotesFormOutcome> {
  const action = String(body.action ?? "");
  if (action === "sign" && body.confirm === "1") {
    const m = await signNotes(user, bookingId, nowMs);
    return { done: m.changed ? "signed" : "unchanged" };
  }
  if (action !== "save" && action !== "sign_ask") throw new BadRequest("invalid_action", "field.invalid_choice");
  const m = await saveNotes(user, bookingId, body, nowMs);
  if (action === "sign_ask") {
    if (m.status === "signed") return { done: m.changed ? "amended" : "unchanged" };
    return { confirm: "sign" };
  }
  if (!m.changed) return { done: "unchanged" };
  return { done: m.status === "signed" ? "amended" : "saved" };
}
