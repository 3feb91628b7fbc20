/**
 * In-app notifications (docs/domain-rules.md "Notification"): stored per user in Deno KV,
 * delivered live by `lib/notify/stream.ts` (KV watch → Server-Sent Events).
 *
 * Key layout (the only place these keys are written):
 * - `["notifications", userId, id]`        → `Notification` (the truth; `readAt` set by `markRead`)
 * - `["notifications_feed", userId, id]`   → `Notification` as created. Never rewritten, so its
 *   versionstamp stays the versionstamp of the creating commit; the stream orders delivery by it
 *   (ids are generated before the commit, so two concurrent commits can land out of id order —
 *   commit order is the only gap-free order). Deleted with the notification.
 * - `["notifications_head", userId]`       → `Deno.KvU64`, +1 per created notification. Watched by the
 *   stream; its versionstamp is the versionstamp of the user's latest notification commit.
 * - `["notifications_unread", userId]`     → `Deno.KvU64`, the unread count. Kept exact: +1 on create,
 *   −1 (wrapping add of 2^64−1) in the same commit that sets `readAt` or deletes an unread
 *   notification, each guarded by a `check` on the notification's versionstamp, so a double
 *   "mark read" cannot count twice. Watched by the stream too, so every tab's badge follows.
 * - `["notifications_read_at", readAt, userId, id]` → `null`: retention index (read, oldest first).
 *
 * Only the owner reaches a notification: every function takes the owner's `userId` and looks
 * the id up under it, so another user's id is simply `NotFound`.
 */
import { getKv, listPage, type Page } from "@/lib/db/kv.ts";
import { idAt, isId, newId } from "@/lib/db/ids.ts";
import { NotFound } from "@/lib/errors.ts";
import { config } from "@/lib/config.ts";
import { type Lang, translate } from "@/lib/i18n/mod.ts";
import { instant, ulid, z } from "@/lib/validation.ts";
import { formatDate, formatTime } from "@/lib/i18n/format.ts";

/** A stored notification (`["notifications", userId, id]`). Instants are ISO 8601 UTC strings. */
export const notificationSchema = z.object({
  schemaVersion: z.literal(1),
  id: ulid,
  userId: ulid.describe("Owner (the user who is notified)"),
  kind: z.string().describe("`guest_arrived` or a future kind"),
  data: z.record(z.string(), z.unknown()).describe(
    "Kind-specific facts; the message is rendered at display time (i18n). For `guest_arrived`: " +
      "`{ appointmentId, guestName, purpose, arrivedAt (ISO), late (boolean) }`",
  ),
  createdAt: instant,
  readAt: instant.nullable(),
});
/** A stored notification (see {@link notificationSchema}). */
export type Notification = z.infer<typeof notificationSchema>;

/** `data` of a `guest_arrived` notification (written by the guest book check-in). */
export interface GuestArrivedData {
  appointmentId: string;
  guestName: string;
  purpose: string;
  /** ISO instant of the check-in. */
  arrivedAt: string;
  late: boolean;
  /** Arrived more than `EARLY_MINUTES` before the scheduled time (absent in older notifications). */
  early?: boolean;
}

/** A notification with its message rendered in one language (API and stream payload). */
export const renderedNotificationSchema = notificationSchema.extend({
  text: z.string().describe('Rendered message in the request language, e.g. "Guest Ani has arrived for …"'),
  detail: z.string().describe('Arrival time in TIME_ZONE and on time/late, e.g. "Arrived at 09:05 · On time"'),
});
/** A rendered notification (see {@link renderedNotificationSchema}). */
export type RenderedNotification = z.infer<typeof renderedNotificationSchema>;

/** Largest accepted `data` (JSON bytes). The value is stored twice, and KV values are ≤ 64 KiB. */
export const MAX_DATA_BYTES = 8 * 1024;

const U64 = 1n << 64n;
/** `sum` of KvU64 wraps modulo 2^64, so adding 2^64 − n subtracts n. */
function minus(n: number): bigint {
  return U64 - BigInt(n);
}

/** Top-level KV key prefixes owned by notifications (every builder in {@link keys} uses one). */
export const NOTIFY_PREFIXES: readonly string[] = [
  "notifications",
  "notifications_feed",
  "notifications_head",
  "notifications_unread",
  "notifications_read_at",
];

/** KV keys of this capability (exported for tests, backup tooling and the stream). */
export const keys = {
  notification: (userId: string, id: string): Deno.KvKey => ["notifications", userId, id],
  userPrefix: (userId: string): Deno.KvKey => ["notifications", userId],
  feed: (userId: string, id: string): Deno.KvKey => ["notifications_feed", userId, id],
  feedPrefix: (userId: string): Deno.KvKey => ["notifications_feed", userId],
  head: (userId: string): Deno.KvKey => ["notifications_head", userId],
  unread: (userId: string): Deno.KvKey => ["notifications_unread", userId],
  readAt: (readAt: string, userId: string, id: string): Deno.KvKey => ["notifications_read_at", readAt, userId, id],
};

/**
 * Appends the writes of a new notification to the caller's atomic operation, so the
 * notification exists if and only if the caller's commit (e.g. the check-in) succeeds.
 * Adds 4 mutations and no check. If the caller retries after `ok: false`, it must build a
 * new operation and call this again (a fresh id).
 *
 * @param op the caller's `kv.atomic()` operation (not committed here)
 * @param input `userId` = the notified user; `data` is plain JSON (≤ `MAX_DATA_BYTES`).
 *   For `guest_arrived`: `{ appointmentId, guestName, purpose, arrivedAt, late }`.
 *   `at`: when it happened (default now; demo data passes the arrival time). The id is
 *   a ULID of that instant, so it must not be in the future (a later id would sort after
 *   notifications that come later, and resuming a stream after it would skip them).
 * @returns the new notification's id (ULID)
 * @throws TypeError for an empty `userId`/`kind` or `data` that is not a JSON object;
 *   RangeError when `data` is too large (programming errors, not user input).
 * @example
 * ```ts
 * const op = kv.atomic().check({ key: appointmentKey(a.id), versionstamp }).set(appointmentKey(a.id), next);
 * const { id } = addNotificationOps(op, { userId: a.teacherId, kind: "guest_arrived", data: { appointmentId: a.id } });
 * if (!(await op.commit()).ok) { ... } // neither the change nor the notification was written
 * ```
 */
export function addNotificationOps(
  op: Deno.AtomicOperation,
  input: { userId: string; kind: "guest_arrived" | string; data: Record<string, unknown>; at?: Date },
): { id: string } {
  if (typeof input.userId !== "string" || input.userId === "") {
    throw new TypeError("addNotificationOps: userId required");
  }
  if (typeof input.kind !== "string" || input.kind === "") throw new TypeError("addNotificationOps: kind required");
  if (typeof input.data !== "object" || input.data === null || Array.isArray(input.data)) {
    throw new TypeError("addNotificationOps: data must be an object");
  }
  const json = JSON.stringify(input.data);
  if (new TextEncoder().encode(json).length > MAX_DATA_BYTES) {
    throw new RangeError("addNotificationOps: data too large");
  }
  const now = Date.now();
  const at = Math.min(input.at?.getTime() ?? now, now); // never an id from the future
  const id = input.at ? idAt(at) : newId(at);
  const n: Notification = {
    schemaVersion: 1,
    id,
    userId: input.userId,
    kind: input.kind,
    data: JSON.parse(json),
    createdAt: new Date(at).toISOString(),
    readAt: null,
  };
  op.set(keys.notification(n.userId, id), n)
    .set(keys.feed(n.userId, id), n)
    .sum(keys.head(n.userId), 1n)
    .sum(keys.unread(n.userId), 1n);
  return { id };
}

/**
 * Creates one notification in its own commit (for callers without a surrounding
 * transaction, seeds and tests). Returns the stored notification.
 */
export async function createNotification(
  input: { userId: string; kind: "guest_arrived" | string; data: Record<string, unknown> },
): Promise<Notification> {
  const kv = await getKv();
  const op = kv.atomic();
  const { id } = addNotificationOps(op, input);
  const res = await op.commit();
  if (!res.ok) throw new Error("createNotification: commit failed");
  return (await kv.get<Notification>(keys.notification(input.userId, id))).value!;
}

/** Returns the user's notification or null (null also for another user's id). */
export async function getNotification(userId: string, id: string): Promise<Notification | null> {
  if (!isId(id) || typeof userId !== "string" || userId === "") return null;
  const kv = await getKv();
  return (await kv.get<Notification>(keys.notification(userId, id))).value;
}

/**
 * One page of the user's notifications, newest first.
 * @param opts.cursor from the previous page (`BadRequest` `invalid_cursor` when malformed);
 *   `limit` 1..100 (default 20).
 * @example
 * ```ts
 * const first = await listNotifications(user.id, { limit: 20 });
 * const older = first.cursor ? await listNotifications(user.id, { cursor: first.cursor }) : null;
 * ```
 */
export async function listNotifications(
  userId: string,
  opts: { cursor?: string | null; limit?: number } = {},
): Promise<Page<Notification>> {
  const kv = await getKv();
  return await listPage<Notification>(kv, { prefix: keys.userPrefix(userId) }, { ...opts, reverse: true });
}

/**
 * The user's notifications with id > `afterId` (all when null), oldest first, at most
 * `limit` (1..1000, default 100). Id order is creation order within one process;
 * the live stream uses commit order instead (see the file comment).
 */
export async function listNotificationsAfter(
  userId: string,
  afterId: string | null,
  limit = 100,
): Promise<Notification[]> {
  const kv = await getKv();
  const n = Math.min(1000, Math.max(1, Math.trunc(limit) || 100));
  const prefix = keys.userPrefix(userId);
  const selector: Deno.KvListSelector = afterId ? { prefix, start: [...prefix, afterId] } : { prefix };
  const out: Notification[] = [];
  for await (const e of kv.list<Notification>(selector, { limit: n + 1 })) {
    if (afterId && e.key[2] === afterId) continue;
    out.push(e.value);
    if (out.length === n) break;
  }
  return out;
}

/**
 * The user's unread count, read from the counter key (O(1)). If the counter is
 * missing or implausible (a wrapped value from a restore of partial data), it is
 * recounted by `recountUnread`.
 */
export async function unreadCount(userId: string): Promise<number> {
  const kv = await getKv();
  const e = await kv.get<Deno.KvU64>(keys.unread(userId));
  if (e.value === null) return 0;
  const v = e.value.value;
  if (v > 1_000_000n) return await recountUnread(userId);
  return Number(v);
}

/**
 * Counts the user's unread notifications by listing them and stores the count in
 * the counter key (guarded by a check on the counter, bounded retries). Returns the count.
 */
export async function recountUnread(userId: string): Promise<number> {
  const kv = await getKv();
  for (let attempt = 0; attempt < 5; attempt++) {
    const counter = await kv.get(keys.unread(userId));
    const head = await kv.get(keys.head(userId));
    let count = 0;
    for await (const e of kv.list<Notification>({ prefix: keys.userPrefix(userId) })) {
      if (e.value.readAt === null) count++;
    }
    const res = await kv.atomic()
      .check(counter)
      .check(head)
      .set(keys.unread(userId), new Deno.KvU64(BigInt(count)))
      .commit();
    if (res.ok) return count;
  }
  throw new Error("recountUnread: too much contention");
}

/**
 * Marks one notification read (idempotent: an already read one is returned as is).
 * @returns the updated notification
 * @throws NotFound (`notification_not_found`) when the id is not the user's
 */
export async function markRead(userId: string, id: string, now: Date = new Date()): Promise<Notification> {
  const kv = await getKv();
  for (let attempt = 0; attempt < 10; attempt++) {
    const entry = isId(id) && userId ? await kv.get<Notification>(keys.notification(userId, id)) : null;
    if (!entry || entry.value === null) throw new NotFound("notification_not_found", "notify.not_found");
    if (entry.value.readAt !== null) return entry.value;
    const readAt = now.toISOString();
    const updated: Notification = { ...entry.value, readAt };
    const res = await kv.atomic()
      .check(entry)
      .set(entry.key, updated)
      .set(keys.readAt(readAt, userId, id), null)
      .sum(keys.unread(userId), minus(1))
      .commit();
    if (res.ok) return updated;
  }
  throw new Error("markRead: too much contention");
}

/**
 * Marks every unread notification of the user read, in commits of ≤ 100 notifications
 * (KV allows ≤ 100 checks per atomic operation). A notification changed concurrently is
 * re-read and retried (bounded).
 * @returns how many notifications this call marked read
 */
export async function markAllRead(userId: string, now: Date = new Date()): Promise<number> {
  const kv = await getKv();
  const readAt = now.toISOString();
  let marked = 0;
  let rounds = 0;
  for (;;) {
    const unread: Deno.KvEntry<Notification>[] = [];
    for await (const e of kv.list<Notification>({ prefix: keys.userPrefix(userId) })) {
      if (e.value.readAt === null) unread.push(e);
    }
    if (unread.length === 0) return marked;
    let conflicts = 0;
    for (let i = 0; i < unread.length; i += 100) {
      const batch = unread.slice(i, i + 100);
      const op = kv.atomic();
      for (const e of batch) {
        op.check(e).set(e.key, { ...e.value, readAt }).set(keys.readAt(readAt, userId, e.value.id), null);
      }
      op.sum(keys.unread(userId), minus(batch.length));
      const res = await op.commit();
      if (res.ok) marked += batch.length;
      else conflicts++;
    }
    if (conflicts === 0) return marked;
    if (++rounds >= 5) throw new Error("markAllRead: too much contention");
  }
}

/**
 * Deletes one notification of the user (and its feed copy and index entries); the
 * unread count drops when it was unread.
 * @throws NotFound (`notification_not_found`) when the id is not the user's
 */
export async function deleteNotification(userId: string, id: string): Promise<void> {
  const kv = await getKv();
  for (let attempt = 0; attempt < 10; attempt++) {
    const entry = isId(id) && userId ? await kv.get<Notification>(keys.notification(userId, id)) : null;
    if (!entry || entry.value === null) throw new NotFound("notification_not_found", "notify.not_found");
    const op = kv.atomic().check(entry).delete(entry.key).delete(keys.feed(userId, id));
    if (entry.value.readAt === null) op.sum(keys.unread(userId), minus(1));
    else op.delete(keys.readAt(entry.value.readAt, userId, id));
    if ((await op.commit()).ok) return;
  }
  throw new Error("deleteNotification: too much contention");
}

/**
 * Retention (docs/domain-rules.md "Retention": "read notifications older than 30 days are deleted"):
 * deletes notifications that were read more than `days` days before `now`, oldest first,
 * through the `notifications_read_at` index (never scans unread ones). Read notifications
 * never become unread again, so no check is needed; ≤ 300 deletions per commit.
 * @param days age in days since `readAt` (default 30)
 * @returns the number of notifications deleted
 */
export async function deleteReadOlderThan(days = 30, now: Date = new Date()): Promise<number> {
  const kv = await getKv();
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  let deleted = 0;
  for (;;) {
    const batch: Deno.KvKey[] = [];
    for await (
      const e of kv.list({ start: ["notifications_read_at"], end: ["notifications_read_at", cutoff] }, { limit: 300 })
    ) {
      batch.push(e.key);
    }
    if (batch.length === 0) return deleted;
    const op = kv.atomic();
    for (const k of batch) {
      const [, , userId, id] = k as [string, string, string, string];
      op.delete(k).delete(keys.notification(userId, id)).delete(keys.feed(userId, id));
    }
    await op.commit();
    deleted += batch.length;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** A cached formatter (constructing one costs far more than formatting). */
function fmt(locale: string, tz: string, kind: "day"): Intl.DateTimeFormat {
  const key = `${locale}|${tz}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit" };
    f = new Intl.DateTimeFormat(locale, { timeZone: tz, ...opts });
    if (formatters.size > 50) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

/** `09.05` / `09:05` (and the day when not today) of an instant in `config.timeZone` (`lib/i18n/format.ts`). */
function localTime(iso: string, lang: Lang, now: Date): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  let tz = config.timeZone;
  try {
    fmt("en-CA", tz, "day");
  } catch {
    tz = "UTC"; // an invalid TIME_ZONE must not break notifications
  }
  const time = formatTime(d, lang, tz);
  if (fmt("en-CA", tz, "day").format(d) === fmt("en-CA", tz, "day").format(now)) return time;
  return `${formatDate(d, lang, tz, { weekday: false, year: false })} ${time}`;
}

function str(v: unknown, max = 200): string {
  return typeof v === "string" ? v.slice(0, max) : "";
}

/**
 * Renders a notification's message in `lang` at display time (texts in `lib/i18n/notify.ts`).
 * `guest_arrived`: text "Guest {name} has arrived for {purpose}", detail "Arrived at 09:05 · On time"
 * (or "· Late", "· Early")
 * (time in `config.timeZone`, with the date when not today). Unknown kinds get a generic text.
 */
export function formatNotification(n: Notification, lang: Lang, now: Date = new Date()): RenderedNotification {
  let text: string;
  let detail = "";
  if (n.kind === "guest_arrived") {
    const d = n.data as Partial<GuestArrivedData>;
    text = translate(lang, "notify.guest_arrived", { name: str(d.guestName), purpose: str(d.purpose) });
    const time = localTime(str(d.arrivedAt) || n.createdAt, lang, now);
    const parts = [translate(lang, "notify.arrived_at", { time })];
    if (typeof d.late === "boolean") {
      parts.push(translate(lang, d.late ? "notify.late" : d.early === true ? "notify.early" : "notify.on_time"));
    }
    detail = parts.join(" · ");
  } else {
    text = translate(lang, "notify.generic");
    detail = localTime(n.createdAt, lang, now);
  }
  return { ...n, text, detail };
}
