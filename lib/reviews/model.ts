/**
 * Reviews of completed sessions (docs/domain-rules.md "Reviews"): 1–5 stars and an optional
 * comment, once per booking, by the booking's client. Rules in
 * docs/domain-rules.md "Reviews"; key layout in `./keys.ts`.
 */
import { z } from "@/lib/validation.ts";
import { serviceTypeSchema } from "@/lib/psychologists/model.ts";

/** Longest comment kept (characters, after trimming). */
export const MAX_COMMENT_CHARS = 1000;
/** Longest reason an admin gives for hiding a review (characters). */
export const MAX_HIDE_REASON_CHARS = 500;

/** A stored review (`["session_reviews", bookingId]`). Instants are ISO 8601 UTC strings. */
export const reviewSchema = z.object({
  schemaVersion: z.literal(1),
  /** ULID of the review's creation (orders the lists). */
  id: z.string(),
  bookingId: z.string(),
  psychologistId: z.string(),
  clientId: z.string(),
  /** The client's first name only: what the public list shows. */
  clientFirstName: z.string(),
  /** Whole stars 1–5. */
  rating: z.number().int().min(1).max(5),
  /** Trimmed, ≤ {@link MAX_COMMENT_CHARS} characters; null when none was written. */
  comment: z.string().nullable(),
  serviceType: serviceTypeSchema,
  /** Start of the reviewed session. */
  sessionAt: z.string(),
  /** Hidden by an admin: out of the profile's list and out of the psychologist's average. */
  hidden: z.boolean(),
  hiddenAt: z.string().nullable(),
  /** Admin user id who hid it (null when visible). */
  hiddenBy: z.string().nullable(),
  hiddenReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Review = z.infer<typeof reviewSchema>;

/**
 * `POST /api/bookings/{id}/review` body (also the review form). `rating` is a
 * number or, from a form, its digits as text (nothing else is coerced: `true`,
 * `[5]`, `"5.0"` are refused). Comment trimmed; blank = none.
 */
export const reviewInputSchema = z.object({
  rating: z.preprocess(
    (v) => (typeof v === "string" && /^\s*\d{1,2}\s*$/.test(v) ? Number(v) : v),
    z.number("review.error.rating").int("review.error.rating")
      .min(1, "review.error.rating").max(5, "review.error.rating"),
  ).describe("Whole stars, 1–5 (a form may send the digit as text)"),
  comment: z.string("field.invalid")
    .transform((s) => s.trim())
    .pipe(z.string().max(MAX_COMMENT_CHARS, "review.error.comment_too_long"))
    .optional()
    .describe(`Optional comment, at most ${MAX_COMMENT_CHARS} characters after trimming`),
});
export type ReviewInput = z.input<typeof reviewInputSchema>;

/** The admin's hide/unhide input: hiding needs a reason (1–500 characters). */
export const hideInputSchema = z.object({
  bookingId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "field.invalid"),
  hidden: z.enum(["1", "0"], "field.invalid_choice").transform((v) => v === "1"),
  reason: z.string("field.invalid").transform((s) => s.trim())
    .pipe(z.string().max(MAX_HIDE_REASON_CHARS, "field.too_long")).optional(),
});

/** A review as the public sees it (profile page, `GET /api/psychologists/{id}/reviews`). */
export const publicReviewSchema = z.object({
  id: z.string(),
  rating: z.int().min(1).max(5),
  comment: z.string().nullable(),
  /** The reviewer's first name only. */
  firstName: z.string(),
  serviceType: serviceTypeSchema,
  createdAt: z.string().describe("ISO 8601 UTC instant the review was written"),
}).describe("A client's review of a session (public view)");
export type PublicReview = z.infer<typeof publicReviewSchema>;

/** The first word of a display name (what a review shows of its author), ≤ 40 characters. */
export function firstNameOf(name: string): string {
  const first = name.trim().split(/\s+/)[0] ?? "";
  return [...first].slice(0, 40).join("");
}

/** The public view of `r` (no ids of people, first name only). */
export function publicReview(r: Review): PublicReview {
  return {
    id: r.id,
    rating: r.rating,
    comment: r.comment,
    firstName: r.clientFirstName,
    serviceType: r.serviceType,
    createdAt: r.createdAt,
  };
}
