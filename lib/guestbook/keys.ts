/**
 * Key layout of the front desk (guest book) in Deno KV — the one place it is
 * written down. Every function in `lib/guestbook/` builds its keys here.
 *
 * Appointments (value = the full {@link Appointment} in the primary key and in
 * every index, so listings need no second read; all copies are written in one
 * atomic commit guarded by a versionstamp check on the primary key):
 * - `["appointments", id]`                                → Appointment (primary)
 * - `["appointments_by_teacher", teacherId, startsAt, id]` → Appointment
 *   (`startsAt` = UTC ISO string from `Date#toISOString`, so key order = time order)
 * - `["appointments_by_day", "YYYY-MM-DD", id]`             → Appointment
 *   (local date in `config.timeZone`; kept after archiving so reports still count it)
 * - `["appointments_by_guest", guestId, id]`                → Appointment
 *
 * Archiving (`lib/guestbook/retention.ts`) sets `archived: true` on the primary and
 * day copies and removes the teacher and guest index entries, so active listings
 * shrink while reports (which read the day index) and look-ups by id keep working.
 *
 * Reviews (one per appointment; the rating is also copied onto the appointment):
 * - `["reviews", appointmentId]`                         → Review
 * - `["reviews_by_teacher", teacherId, appointmentId]`   → Review
 * - `["review_stats", teacherId, "count" | "sum"]`       → Deno.KvU64 (running totals)
 *
 * QR signing keys (only when `QR_SECRET` is unset):
 * - `["settings", "qr_secret", keyId]` → `{ secret: Uint8Array(32), createdAt }`
 *
 * Job markers (the daily job resumes from them):
 * - `["settings", "no_show_through"]` → `YYYY-MM-DD`, last local day whose
 *   scheduled appointments were turned into no-shows (`status.ts`)
 * - `["settings", "archive_through"]` → `YYYY-MM-DD`, last local day archived
 *   (`retention.ts`)
 *
 * Page helpers (`ui_queries.ts`):
 * - `["ui_guest_password", appointmentId]` → `{ userId, password, expiresAt }`,
 *   written with `expireIn` (a new guest's generated password, shown once)
 *
 * Notifications are owned by `lib/notify/` (check-in appends its
 * `addNotificationOps` to the appointment's commit).
 *
 * Seed markers: `["seed", "guestbook_history"]`, `["seed", "guestbook_day", date]`.
 */

/**
 * Top-level KV key prefixes owned by the guest book. `settings` (QR keys, job
 * markers) and `seed` (demo-data markers) hold only guest-book entries today,
 * so they are claimed here; a test checks that no other capability claims any
 * of these and that every stored key belongs to exactly one capability.
 */
export const GUESTBOOK_PREFIXES: readonly string[] = [
  "appointments",
  "appointments_by_teacher",
  "appointments_by_day",
  "appointments_by_guest",
  "reviews",
  "reviews_by_teacher",
  "review_stats",
  "ui_guest_password",
  "settings",
  "seed",
];

/** Primary key of an appointment. */
export const appointmentKey = (id: string): Deno.KvKey => ["appointments", id];
/** Teacher index entry. */
export const byTeacherKey = (
  teacherId: string,
  startsAt: string,
  id: string,
): Deno.KvKey => [
  "appointments_by_teacher",
  teacherId,
  startsAt,
  id,
];
/** Local-day index entry. */
export const byDayKey = (
  localDate: string,
  id: string,
): Deno.KvKey => ["appointments_by_day", localDate, id];
/** Prefix of one teacher's index entries (append an ISO `startsAt` for a range bound). */
export const byTeacherPrefix = (teacherId: string): Deno.KvKey => ["appointments_by_teacher", teacherId];
/** Prefix of the whole local-day index (every day, in date order). */
export const BY_DAY_PREFIX: Deno.KvKey = ["appointments_by_day"];
/** Prefix of one local day's index entries; also a range bound between days. */
export const byDayPrefix = (localDate: string): Deno.KvKey => ["appointments_by_day", localDate];
/** Guest index entry. */
export const byGuestKey = (
  guestId: string,
  id: string,
): Deno.KvKey => ["appointments_by_guest", guestId, id];

/** Prefix of one guest's index entries. */
export const byGuestPrefix = (guestId: string): Deno.KvKey => ["appointments_by_guest", guestId];

/** Marker of the no-show job: last local day done. */
export const NO_SHOW_MARKER_KEY: Deno.KvKey = ["settings", "no_show_through"];
/** Marker of the archiving job: last local day archived. */
export const ARCHIVE_MARKER_KEY: Deno.KvKey = ["settings", "archive_through"];

/** A stashed generated guest password (shown once after creating an appointment). */
export const guestPasswordFlashKey = (appointmentId: string): Deno.KvKey => ["ui_guest_password", appointmentId];

/** Review of an appointment. */
export const reviewKey = (
  appointmentId: string,
): Deno.KvKey => ["reviews", appointmentId];
/** Review listed per teacher. */
export const reviewByTeacherKey = (
  teacherId: string,
  appointmentId: string,
): Deno.KvKey => [
  "reviews_by_teacher",
  teacherId,
  appointmentId,
];
/** Prefix of one teacher's reviews. */
export const reviewsByTeacherPrefix = (teacherId: string): Deno.KvKey => ["reviews_by_teacher", teacherId];
/** Running review count / rating sum per teacher. */
export const reviewStatsKey = (
  teacherId: string,
  part: "count" | "sum",
): Deno.KvKey => ["review_stats", teacherId, part];

/** A generated QR signing key. */
export const qrSecretKey = (
  keyId: number,
): Deno.KvKey => ["settings", "qr_secret", keyId];
/** Prefix of all generated QR signing keys. */
export const QR_SECRET_PREFIX: Deno.KvKey = ["settings", "qr_secret"];
