/**
 * Reviews in Deno KV: writing one (once per completed booking, with the
 * psychologist's rating sum/count in the same commit), hiding and unhiding
 * (admins; the review leaves or rejoins the average in the same commit,
 * audited), and the listings. Key layout in `./keys.ts`; rules in
 * docs/domain-rules.md "Reviews".
 */
import { getKv, listPage, type Page, scanPage } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { Conflict, Forbidden, NotFound, ValidationError } from "@/lib/errors.ts";
import { parseInput } from "@/lib/validation.ts";
import { audit } from "@/lib/audit.ts";
import type { User } from "@/lib/auth/users.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { getBookingEntry, listBookings } from "@/lib/booking/store.ts";
import { addProfileWrites } from "@/lib/psychologists/store.ts";
import { psychologistKey } from "@/lib/psychologists/keys.ts";
import type { Psychologist } from "@/lib/psychologists/model.ts";
import { firstNameOf, MAX_HIDE_REASON_CHARS, type Review, type ReviewInput, reviewInputSchema } from "./model.ts";
import * as K from "./keys.ts";

/**
 * Commits that lost a race (the profile's sums changed meanwhile: another review
 * of the same psychologist, or a profile edit) are rebuilt this many times, after a
 * short random pause that grows with each attempt, before answering 409
 * (docs/benchmarks.md "Reviews").
 */
const MAX_ATTEMPTS = 20;

/** Waits 0…(2 × attempt) ms, so racing commits spread out instead of colliding again. */
function backoff(attempt: number): Promise<void> {
  return attempt === 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, Math.random() * 2 * attempt));
}

/** The review of booking `bookingId`, or null. */
export async function getReview(bookingId: string): Promise<Review | null> {
  if (typeof bookingId !== "string" || !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(bookingId)) return null;
  const kv = await getKv();
  return (await kv.get<Review>(K.reviewKey(bookingId))).value;
}

/**
 * Adds the writes of review `next` (primary key, the admin's time-ordered copy,
 * and the profile list's copy while visible; `before` = its previous state or
 * null for a new one) to `op`. The caller adds the checks and the profile's sums.
 * Exported for the seed, which writes a year of history in bulk.
 */
export function putReviewOps(op: Deno.AtomicOperation, before: Review | null, next: Review): Deno.AtomicOperation {
  op.set(K.reviewKey(next.bookingId), next);
  op.set(K.byTimeKey(next.id), next);
  if (next.hidden) {
    if (before && !before.hidden) op.delete(K.byPsychologistKey(next.psychologistId, next.id));
  } else op.set(K.byPsychologistKey(next.psychologistId, next.id), next);
  return op;
}

/** The profile after adding (`sign` 1) or removing (−1) `rating` from its running sums (never below 0). */
export function withRating(p: Psychologist, rating: number, sign: 1 | -1, at: string): Psychologist {
  return {
    ...p,
    ratingSum: Math.max(0, p.ratingSum + sign * rating),
    ratingCount: Math.max(0, p.ratingCount + sign),
    updatedAt: at,
  };
}

/** Why `user` may not review `b` now, as the error to throw, or null when they may. */
function reviewRefusal(user: User, b: Booking | null): Error | null {
  if (!b || user.role !== "client" || user.status !== "active" || b.clientId !== user.id) {
    return new NotFound("booking_not_found", "booking.error.not_found");
  }
  if (b.status !== "completed") return new Conflict("review_not_allowed", "review.error.not_completed");
  return null;
}

/**
 * The client of a completed booking reviews it: 1–5 stars and an optional
 * comment (trimmed, ≤ 1000 characters, blank = none), once. ONE atomic commit
 * writes the review with `check(null)` on `["session_reviews", bookingId]`, checks the
 * booking is unchanged (still completed) and adds the stars to the
 * psychologist's `ratingSum`/`ratingCount` through `addProfileWrites`
 * (profile, directory card and directory marker, guarded by the profile's
 * versionstamp) — so the directory's rating filter and sort see it at once
 * and the sums can never miss or double a review. Source: docs/domain-rules.md "Reviews".
 * @param nowMs the clock (ms since epoch)
 * @throws ValidationError `rating`/`comment`; NotFound `booking_not_found`
 *   (unknown, or not this client's); Conflict `review_not_allowed` (not
 *   completed), `review_exists` (already reviewed), `concurrent_update`
 */
export async function submitReview(
  user: User,
  bookingId: string,
  input: ReviewInput | Record<string, unknown>,
  nowMs: number = Date.now(),
): Promise<Review> {
  const v = parseInput(reviewInputSchema, input);
  const kv = await getKv();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    await backoff(attempt);
    const entry = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(bookingId) ? await getBookingEntry(bookingId) : null;
    const refusal = reviewRefusal(user, entry?.value ?? null);
    if (refusal) throw refusal;
    const b = entry!.value;
    const [existing, profile] = await kv.getMany<[Review, Psychologist]>([
      K.reviewKey(b.id),
      psychologistKey(b.psychologistId),
    ]);
    if (existing.value) throw new Conflict("review_exists", "review.error.exists");
    if (!profile.value) throw new NotFound("psychologist_not_found", "psy.error.not_found");
    const at = new Date(nowMs).toISOString();
    const review: Review = {
      schemaVersion: 1,
      id: newId(nowMs),
      bookingId: b.id,
      psychologistId: b.psychologistId,
      clientId: b.clientId,
      clientFirstName: firstNameOf(b.clientName) || "—",
      rating: v.rating,
      comment: v.comment ? v.comment : null,
      serviceType: b.serviceType,
      sessionAt: b.startsAt,
      hidden: false,
      hiddenAt: null,
      hiddenBy: null,
      hiddenReason: null,
      createdAt: at,
      updatedAt: at,
    };
    const op = kv.atomic().check(entry!).check({ key: K.reviewKey(b.id), versionstamp: null });
    putReviewOps(op, null, review);
    addProfileWrites(op, withRating(profile.value, review.rating, 1, at), profile.versionstamp);
    if ((await op.commit()).ok) return review;
  }
  throw new Conflict("concurrent_update", "error.conflict");
}

/**
 * An admin hides (`hidden` true, with a reason of 1–500 characters) or
 * unhides a review. Hiding takes it out of the profile's list AND out of the
 * psychologist's average (its stars are subtracted from `ratingSum`/
 * `ratingCount`); unhiding adds them back — both in the same atomic commit as
 * the review, guarded by the review's and the profile's versionstamps. Each
 * change is audited (`review.hide` / `review.unhide`, target `booking:<id>`,
 * with the reason). Setting the state it already has changes nothing and is not
 * audited again.
 * @throws Forbidden (not an active admin); ValidationError `reason`;
 *   NotFound `review_not_found`; Conflict `concurrent_update`
 */
export async function setReviewHidden(
  actor: User,
  bookingId: string,
  hidden: boolean,
  reason: string | null = null,
  nowMs: number = Date.now(),
): Promise<Review> {
  if (actor.role !== "admin" || actor.status !== "active") throw new Forbidden();
  const why = (reason ?? "").trim();
  if (hidden && (why.length < 1 || why.length > MAX_HIDE_REASON_CHARS)) {
    throw new ValidationError({ reason: "review.error.reason_required" });
  }
  if (why.length > MAX_HIDE_REASON_CHARS) throw new ValidationError({ reason: "field.too_long" });
  const kv = await getKv();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    await backoff(attempt);
    const entry = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(bookingId) ? await kv.get<Review>(K.reviewKey(bookingId)) : null;
    if (!entry?.value) throw new NotFound("review_not_found", "review.error.not_found");
    const cur = entry.value;
    if (cur.hidden === hidden) return cur;
    const profile = await kv.get<Psychologist>(psychologistKey(cur.psychologistId));
    const at = new Date(nowMs).toISOString();
    const next: Review = {
      ...cur,
      hidden,
      hiddenAt: hidden ? at : null,
      hiddenBy: hidden ? actor.id : null,
      hiddenReason: hidden ? why : null,
      updatedAt: at,
    };
    const op = kv.atomic().check(entry);
    putReviewOps(op, cur, next);
    if (profile.value) {
      addProfileWrites(op, withRating(profile.value, cur.rating, hidden ? -1 : 1, at), profile.versionstamp);
    }
    if ((await op.commit()).ok) {
      await audit(actor.id, hidden ? "review.hide" : "review.unhide", `booking:${cur.bookingId}`, {
        psychologistId: cur.psychologistId,
        rating: cur.rating,
        ...(why ? { reason: why } : {}),
      });
      return next;
    }
  }
  throw new Conflict("concurrent_update", "error.conflict");
}

/**
 * The visible reviews of psychologist `psychologistId`, newest first, one page
 * (`limit` 1–100, default 10).
 * @throws BadRequest `invalid_cursor`
 */
export async function listPsychologistReviews(
  psychologistId: string,
  opts: { cursor?: string | null; limit?: number } = {},
): Promise<Page<Review>> {
  const kv = await getKv();
  return await listPage<Review>(kv, { prefix: K.byPsychologistPrefix(psychologistId) }, {
    cursor: opts.cursor,
    limit: opts.limit ?? 10,
    reverse: true,
  });
}

/**
 * Every review, newest first (the admin list), optionally only the hidden or
 * only the visible ones; `limit` 1–100, default 20.
 * @throws BadRequest `invalid_cursor`
 */
export async function listAllReviews(
  opts: { hidden?: boolean | null; cursor?: string | null; limit?: number } = {},
): Promise<Page<Review>> {
  const kv = await getKv();
  const want = opts.hidden;
  return await scanPage<Review, Review>(
    kv,
    { prefix: K.BY_TIME_PREFIX },
    (r) => (want === undefined || want === null || r.hidden === want ? r : null),
    { cursor: opts.cursor, limit: opts.limit ?? 20 },
  );
}

/**
 * The client's completed bookings that have no review yet, most recent session
 * first (the client home's "reviews to leave"). Looks at the client's latest 50
 * past bookings; at most `limit` (1–20, default 5) are returned.
 */
export async function reviewsToLeave(clientId: string, limit = 5): Promise<Booking[]> {
  const kv = await getKv();
  const n = Math.min(20, Math.max(1, Math.trunc(limit)));
  const { items } = await listBookings({ clientId }, { status: "completed", scope: "history", limit: 50 });
  const out: Booking[] = [];
  for (let i = 0; i < items.length && out.length < n; i += 10) {
    const chunk = items.slice(i, i + 10);
    const found = await kv.getMany<Review[]>(chunk.map((b) => K.reviewKey(b.id)));
    chunk.forEach((b, j) => {
      if (!found[j].value && out.length < n) out.push(b);
    });
  }
  return out;
}
