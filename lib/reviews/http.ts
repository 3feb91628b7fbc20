/**
 * The reviews API's edge: the query of the public list, the answer shapes,
 * and thin wrappers that validate input and call the store (routes stay thin).
 */
import { NotFound } from "@/lib/errors.ts";
import { parseInput, z } from "@/lib/validation.ts";
import type { User } from "@/lib/auth/users.ts";
import { getBookablePsychologist, getPsychologists } from "@/lib/psychologists/store.ts";
import { hideInputSchema, type PublicReview, publicReview, publicReviewSchema } from "./model.ts";
import { listAllReviews, listPsychologistReviews, setReviewHidden, submitReview } from "./store.ts";

/** `GET /api/psychologists/{id}/reviews` query: cursor (≤ 1000 characters) and limit 1–50 (default 10). */
export const reviewListQuery = z.object({
  cursor: z.string().max(1000, "field.too_long").optional(),
  limit: z.coerce.number("field.invalid_number").int("field.invalid_number")
    .min(1, "field.invalid_number").max(50, "field.invalid_number").optional(),
});

/** `{review}` answer of `POST /api/bookings/{id}/review`. */
export const reviewAnswerSchema = z.object({ review: publicReviewSchema.extend({ bookingId: z.string() }) });

/** One page of public reviews with the psychologist's running average. */
export const reviewPageSchema = z.object({
  items: z.array(publicReviewSchema),
  cursor: z.string().nullable().describe("Cursor of the next page; null at the end"),
  rating: z.number().nullable().describe("Average of the visible reviews, one decimal; null without reviews"),
  ratingCount: z.int().min(0),
});

/**
 * Validates and runs `POST /api/bookings/{id}/review` for `user`.
 * @throws see {@link submitReview}
 */
export async function reviewFromInput(
  user: User,
  bookingId: string,
  body: Record<string, unknown>,
  nowMs = Date.now(),
) {
  const r = await submitReview(user, bookingId, body, nowMs);
  return { review: { ...publicReview(r), bookingId: r.bookingId } };
}

/**
 * The visible reviews of a bookable psychologist, newest first, one page.
 * @throws NotFound `psychologist_not_found` (unknown, unverified, deactivated);
 *   ValidationError (query); BadRequest `invalid_cursor`
 */
export async function publicReviewsPage(
  psychologistId: string,
  query: Record<string, string>,
): Promise<{ items: PublicReview[]; cursor: string | null; rating: number | null; ratingCount: number }> {
  const q = parseInput(reviewListQuery, query);
  const p = await getBookablePsychologist(psychologistId);
  if (!p) throw new NotFound("psychologist_not_found", "psy.error.not_found");
  const page = await listPsychologistReviews(p.id, { cursor: q.cursor ?? null, limit: q.limit ?? 10 });
  return {
    items: page.items.map(publicReview),
    cursor: page.cursor,
    rating: p.ratingCount > 0 ? Math.round((p.ratingSum / p.ratingCount) * 10) / 10 : null,
    ratingCount: p.ratingCount,
  };
}

/**
 * Validates and runs the admin's hide/unhide form (`bookingId`, `hidden` "1"/"0", `reason`).
 * @throws ValidationError; Forbidden; NotFound `review_not_found`; Conflict
 */
export async function moderateFromInput(actor: User, body: Record<string, unknown>, nowMs = Date.now()) {
  const v = parseInput(hideInputSchema, body);
  return await setReviewHidden(actor, v.bookingId, v.hidden, v.reason ?? null, nowMs);
}

/** Query of the admin's review list: `show` all/visible/hidden and a cursor. */
export const adminReviewQuery = z.object({
  show: z.enum(["all", "visible", "hidden"], "field.invalid_choice").optional(),
  cursor: z.string().max(1000, "field.too_long").optional(),
});

/**
 * One page (20) of the admin's review list, newest first, with the names of
 * the psychologists on it.
 * @throws ValidationError (query); BadRequest `invalid_cursor`
 */
export async function adminReviewsPage(query: Record<string, string>) {
  const q = parseInput(adminReviewQuery, query);
  const show = q.show ?? "all";
  const page = await listAllReviews({
    hidden: show === "all" ? null : show === "hidden",
    cursor: q.cursor ?? null,
    limit: 20,
  });
  const ids = [...new Set(page.items.map((r) => r.psychologistId))];
  const profiles = await getPsychologists(ids);
  const names: Record<string, string> = {};
  ids.forEach((id, i) => names[id] = profiles[i]?.name ?? id);
  return { show, items: page.items, cursor: page.cursor, names };
}
