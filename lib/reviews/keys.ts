/**
 * Key layout of the reviews capability in Deno KV — the one place it is
 * written down. Rules in docs/domain-rules.md "Reviews".
 *
 * - `["session_reviews", bookingId]` → Review (primary). One per booking: the first
 *   review's commit claims it with `check({versionstamp: null})`, so a second
 *   one can never be written, however many arrive at once.
 * - `["session_reviews_by_psychologist", psychologistId, reviewId]` → Review (copy) of
 *   every VISIBLE review: the profile page's list, newest first (`reviewId` is a
 *   ULID of the review's creation). Deleted when an admin hides the review,
 *   written again when it is unhidden.
 * - `["session_reviews_by_time", reviewId]` → Review (copy) of every review, hidden ones
 *   included: the admin list, newest first.
 *
 * The psychologist's running `ratingSum`/`ratingCount` live on the profile
 * (`["psychologists", id]`, lib/psychologists/keys.ts) and change in the SAME
 * atomic commit as the review (submit, hide, unhide), guarded by the profile's
 * versionstamp, so the sums always equal the visible reviews.
 */

/** Top-level KV key prefixes owned by reviews (checked by tests/kv_prefixes_test.ts). */
export const REVIEWS_PREFIXES: readonly string[] = [
  "session_reviews",
  "session_reviews_by_psychologist",
  "session_reviews_by_time",
];

/** Primary key of the review of booking `bookingId`. */
export const reviewKey = (bookingId: string): Deno.KvKey => ["session_reviews", bookingId];
/** A psychologist's visible review. */
export const byPsychologistKey = (psychologistId: string, reviewId: string): Deno.KvKey => [
  "session_reviews_by_psychologist",
  psychologistId,
  reviewId,
];
/** Prefix of a psychologist's visible reviews. */
export const byPsychologistPrefix = (
  psychologistId: string,
): Deno.KvKey => ["session_reviews_by_psychologist", psychologistId];
/** A review in the admin's time-ordered list. */
export const byTimeKey = (reviewId: string): Deno.KvKey => ["session_reviews_by_time", reviewId];
/** Prefix of every review by time. */
export const BY_TIME_PREFIX: Deno.KvKey = ["session_reviews_by_time"];
