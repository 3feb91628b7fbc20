/**
 * Reviews of finished appointments: 1–5 stars and an
 * optional comment (≤ 1000 characters), once per appointment. The review, the
 * rating copy on the appointment and the teacher's running totals are written
 * in one commit that requires `["reviews", appointmentId]` not to exist.
 */
import { usersOfRole } from "@/lib/auth/users.ts";
import { getKv, listPage, type Page } from "@/lib/db/kv.ts";
import { Conflict, Forbidden, NotFound } from "@/lib/errors.ts";
import { instant, parseInput, ulid, z } from "@/lib/validation.ts";
import type { Actor, Appointment } from "./model.ts";
import { getAppointment, updateAppointmentRecord } from "./store.ts";
import { reviewByTeacherKey, reviewKey, reviewsByTeacherPrefix, reviewStatsKey } from "./keys.ts";
import { verifyQrToken } from "./qr_token.ts";

/** A stored review (`["reviews", appointmentId]`; OpenAPI component `Review`). */
export const reviewSchema = z.object({
  schemaVersion: z.literal(1),
  appointmentId: ulid,
  teacherId: ulid,
  guestId: ulid,
  guestName: z.string(),
  rating: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).describe("Stars, 1–5"),
  comment: z.string().nullable(),
  createdAt: instant,
});
/** A stored review (see {@link reviewSchema}). */
export type Review = z.infer<typeof reviewSchema>;

/** One teacher's average rating (`GET /api/reports/ratings`). */
export const teacherRatingSchema = z.object({
  teacherId: ulid,
  name: z.string(),
  average: z.number().nullable().describe("Mean stars, two decimals; null without reviews"),
  count: z.int().min(0),
});
/** One teacher's average rating (see {@link teacherRatingSchema}). */
export type TeacherRating = z.infer<typeof teacherRatingSchema>;

/** Body of a review (`POST /api/appointments/{id}/review`). */
export const reviewInputSchema = z.object({
  rating: z.coerce.number("field.invalid_number").int("field.invalid_number")
    .min(1, "guestbook.rating_range").max(5, "guestbook.rating_range"),
  comment: z.preprocess(
    (
      v,
    ) => (v === null || v === undefined
      ? undefined
      : typeof v === "string"
      ? (v.trim() === "" ? undefined : v.trim())
      : v),
    z.string().max(1000, "field.too_long").optional(),
  ),
});
/** Body of a review by code (`POST /api/appointments/review`). */
export const reviewByCodeInputSchema = reviewInputSchema.extend({
  code: z.string().trim().min(1, "field.required").max(512, "field.too_long"),
});

/**
 * Why `a` cannot be reviewed now, or null when it can — the one "can review"
 * rule: the meeting is finished, not archived, and has no review yet.
 * @returns Conflict `review_not_available` (not finished, or archived) or
 *   `already_reviewed`
 */
export function reviewRefusal(a: Pick<Appointment, "status" | "archived" | "rating">): Conflict | null {
  if (a.status !== "finished" || a.archived) {
    return new Conflict("review_not_available", "guestbook.review_not_available");
  }
  if (a.rating !== null) return new Conflict("already_reviewed", "guestbook.already_reviewed");
  return null;
}

/** True when `a` may be reviewed now (see {@link reviewRefusal}). */
export function isReviewable(a: Pick<Appointment, "status" | "archived" | "rating">): boolean {
  return reviewRefusal(a) === null;
}

async function store(
  a: Appointment,
  input: unknown,
  now: Date,
): Promise<Review> {
  const data = parseInput(reviewInputSchema, input);
  const rating = data.rating as Review["rating"];
  const review: Review = {
    schemaVersion: 1,
    appointmentId: a.id,
    teacherId: a.teacherId,
    guestId: a.guestId,
    guestName: a.guestName,
    rating,
    comment: data.comment ?? null,
    createdAt: now.toISOString(),
  };
  await updateAppointmentRecord(
    a.id,
    (cur) => {
      const refusal = reviewRefusal(cur);
      if (refusal) throw refusal;
      return { ...cur, rating, updatedAt: now.toISOString() };
    },
    (op, next) => {
      op.check({ key: reviewKey(next.id), versionstamp: null })
        .set(reviewKey(next.id), review)
        .set(reviewByTeacherKey(next.teacherId, next.id), review)
        .sum(reviewStatsKey(next.teacherId, "count"), 1n)
        .sum(reviewStatsKey(next.teacherId, "sum"), BigInt(rating));
    },
  ).catch(async (err) => {
    // A failed `reviews` check makes the commit fail every time: report it as such.
    if (err instanceof Conflict && err.code === "concurrent_update") {
      const kv = await getKv();
      if ((await kv.get(reviewKey(a.id))).value) {
        throw new Conflict("already_reviewed", "guestbook.already_reviewed");
      }
    }
    throw err;
  });
  return review;
}

/**
 * Review by the guest who owns the appointment (guest portal, `POST /api/appointments/{id}/review`).
 * @throws NotFound `appointment_not_found` (missing or not theirs); Forbidden for non-guests;
 *   Conflict `review_not_available` (not finished), `already_reviewed`; ValidationError
 */
export async function submitReview(
  appointmentId: string,
  input: unknown,
  actor: Actor,
  now: Date = new Date(),
): Promise<Review> {
  if (actor.role !== "guest") throw new Forbidden();
  const a = await getAppointment(appointmentId);
  if (!a || a.guestId !== actor.id) {
    throw new NotFound(
      "appointment_not_found",
      "guestbook.appointment_not_found",
    );
  }
  return await store(a, input, now);
}

/**
 * Review by anyone holding the appointment's valid code (the desk tablet after
 * scanning, or the guest's `/g/<token>` page). Any day: the token's signature is
 * what counts here.
 * @param input `{ code, rating, comment? }`
 * @throws the token errors of `verifyQrToken`; NotFound `qr_not_found`; Conflict
 *   `review_not_available`, `already_reviewed`; ValidationError
 */
export async function submitReviewByCode(
  input: unknown,
  now: Date = new Date(),
): Promise<Review> {
  const data = parseInput(reviewByCodeInputSchema, input);
  const t = await verifyQrToken(data.code);
  const a = await getAppointment(t.appointmentId);
  if (!a) throw new NotFound("qr_not_found", "guestbook.qr.not_found");
  return await store(a, { rating: data.rating, comment: data.comment }, now);
}

/** The review of an appointment, or null. */
export async function getReview(appointmentId: string): Promise<Review | null> {
  const kv = await getKv();
  return (await kv.get<Review>(reviewKey(appointmentId))).value;
}

/** A teacher's reviews, newest first. */
export async function listReviewsByTeacher(
  teacherId: string,
  opts: { cursor?: string | null; limit?: number } = {},
): Promise<Page<Review>> {
  const kv = await getKv();
  return await listPage<Review>(kv, {
    prefix: reviewsByTeacherPrefix(teacherId),
  }, { ...opts, reverse: true });
}

/** A teacher's average rating (null without reviews) and review count. */
export async function teacherRating(
  teacherId: string,
): Promise<{ teacherId: string; average: number | null; count: number }> {
  const kv = await getKv();
  const [c, s] = await kv.getMany<[Deno.KvU64, Deno.KvU64]>([
    reviewStatsKey(teacherId, "count"),
    reviewStatsKey(teacherId, "sum"),
  ]);
  const count = Number(c.value?.value ?? 0n);
  const sum = Number(s.value?.value ?? 0n);
  return {
    teacherId,
    average: count ? Math.round((sum / count) * 100) / 100 : null,
    count,
  };
}

/** Every teacher's average rating, best first, then by name (admin overview). */
export async function teacherRatings(): Promise<TeacherRating[]> {
  const out = [];
  for (const u of await usersOfRole("teacher")) {
    out.push({ ...(await teacherRating(u.id)), name: u.name });
  }
  return out.sort((a, b) => (b.average ?? -1) - (a.average ?? -1) || a.name.localeCompare(b.name, "id"));
}
