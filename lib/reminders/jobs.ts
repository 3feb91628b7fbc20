/**
 * Session reminders: an e-mail to the client and the psychologist 24 h and
 * 1 h before a confirmed session (docs/domain-rules.md "Reminders").
 *
 * Two paths run the same idempotent step ({@link runReminder}): a delayed
 * queue message per reminder, enqueued when the booking is confirmed
 * ({@link scheduleReminders}), and a catch-up cron every 5 minutes over the
 * `reminders_due` index ({@link runDueReminders}), so a restart or a lost
 * message loses nothing. The step reads the booking's current state and start
 * at send time and claims `["reminders_sent", id, kind, startsAt]` with
 * `check(versionstamp: null)` — checked against the booking's versionstamp in
 * the same commit — before any mail goes out: a reminder is sent once however
 * often the job runs, never for a cancelled booking, never for an old start
 * (the Cal.com bugs calcom/cal.com#7225, #6973, #17785).
 *
 * When a reminder is sent (documented rule): from its due moment until the
 * next one takes over — the 24 h one until 1 h before the start, the 1 h one
 * until the start. A reminder whose due moment had passed when the booking
 * was confirmed is skipped (the confirmation mail already gave the time), and
 * so is one found after its window: it is never sent late as if on time.
 */
import { getKv } from "@/lib/db/kv.ts";
import { getUser } from "@/lib/auth/users.ts";
import { log } from "@/lib/log.ts";
import { sendMail } from "@/lib/mail/mod.ts";
import { enqueueJob, onCron, onJob } from "@/lib/queue.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { getBookingEntry } from "@/lib/booking/store.ts";
import { REMINDER_KINDS, reminderDueAt, type ReminderKind, REMINDERS, remindersOf } from "./due.ts";
import { renderReminderMail } from "./mail.ts";
import * as K from "./keys.ts";

/** Queue message type of one reminder. */
export const REMINDER_JOB = "session_reminder";

/** Payload of a reminder message: the start it was scheduled for (a moved booking makes it stale). */
export interface ReminderMessage {
  id: string;
  kind: ReminderKind;
  startsAt: string;
}

/** `["reminders_sent", …]` value: what was decided, and when. */
export interface SentClaim {
  at: string;
  outcome: "sent" | "skipped";
  /** Why it was skipped: `confirmed_late` or `window_passed`. */
  reason: string | null;
  /** Sides whose mail failed (logged; the claim is released when every side failed). */
  failed: ("client" | "psychologist")[];
}

/** What one run of {@link runReminder} did. */
export type ReminderOutcome =
  | "sent"
  | "skipped_confirmed_late"
  | "skipped_window_passed"
  | "already_done"
  | "not_due"
  | "stale"
  | "failed";

/** How long a claim is kept after the session's start (ms). */
const CLAIM_TTL_AFTER_START_MS = 30 * 86_400_000;
const MAX_ATTEMPTS = 4;

/** The end of reminder `kind`'s window: the next reminder's due moment, or the start. */
function windowEnd(startsAt: string, kind: ReminderKind): number {
  const i = REMINDER_KINDS.indexOf(kind);
  const next = REMINDER_KINDS[i + 1];
  return next ? Date.parse(reminderDueAt(startsAt, next)) : Date.parse(startsAt);
}

/** When booking `b` was last confirmed (ms), or null. */
function confirmedAtMs(b: Booking): number | null {
  const e = b.history.findLast((h) => h.status === "confirmed");
  return e ? Date.parse(e.at) : null;
}

/**
 * Decides and, when due, sends reminder `kind` of booking `id` at `nowMs`.
 * Idempotent and safe to run concurrently: reads the booking, does nothing
 * unless it is confirmed at start `startsAt` (when given: the start the message
 * was scheduled for) and the reminder is due; claims the send once; then mails
 * both sides in their language. Never throws for a send failure (logged; when
 * every side failed the claim is released so the cron retries).
 * @returns what it did
 */
export async function runReminder(
  id: string,
  kind: ReminderKind,
  nowMs = Date.now(),
  startsAt?: string,
): Promise<ReminderOutcome> {
  if (!Object.hasOwn(REMINDERS, kind)) return "stale";
  const kv = await getKv();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const entry = await getBookingEntry(id);
    const b = entry?.value;
    if (!entry || !b || b.status !== "confirmed" || (startsAt !== undefined && startsAt !== b.startsAt)) {
      // Cancelled, rejected, moved or gone: nothing to send for this message. A left-over index key of an
      // old start is removed (the booking's own commits normally do that).
      if (startsAt) await kv.delete(K.dueKey(reminderDueAt(startsAt, kind), id, kind));
      return "stale";
    }
    const dueAt = reminderDueAt(b.startsAt, kind);
    if (nowMs < Date.parse(dueAt)) return "not_due";
    const sentKey = K.sentKey(id, kind, b.startsAt);
    const prior = await kv.get<SentClaim>(sentKey);
    if (prior.value) {
      await kv.delete(K.dueKey(dueAt, id, kind));
      return "already_done";
    }
    const confirmedAt = confirmedAtMs(b);
    const skip = confirmedAt !== null && confirmedAt > Date.parse(dueAt)
      ? "confirmed_late"
      : nowMs >= windowEnd(b.startsAt, kind)
      ? "window_passed"
      : null;
    const claim: SentClaim = {
      at: new Date(nowMs).toISOString(),
      outcome: skip ? "skipped" : "sent",
      reason: skip,
      failed: [],
    };
    const expireIn = Math.max(60_000, Date.parse(b.startsAt) + CLAIM_TTL_AFTER_START_MS - Date.now());
    const res = await kv.atomic()
      .check(entry)
      .check(prior)
      .set(sentKey, claim, { expireIn })
      .delete(K.dueKey(dueAt, id, kind))
      .commit();
    if (!res.ok) continue; // the booking moved or another run claimed it: look again
    if (skip) return skip === "confirmed_late" ? "skipped_confirmed_late" : "skipped_window_passed";
    const failed = await mailBothSides(b, nowMs);
    if (failed.length === 0) return "sent";
    if (failed.length === 2) {
      // Nobody got it: release the claim and put the index key back, so the next cron run retries.
      const cur = await kv.get<SentClaim>(sentKey);
      await kv.atomic().check(cur).delete(sentKey).set(K.dueKey(dueAt, id, kind), b.startsAt).commit();
      return "failed";
    }
    await kv.set(sentKey, { ...claim, failed }, { expireIn });
    return "sent";
  }
  return "not_due"; // lost every race: the cron looks again in five minutes
}

/** Mails the reminder to both sides; returns the sides whose mail failed. */
async function mailBothSides(b: Booking, nowMs: number): Promise<("client" | "psychologist")[]> {
  const failed: ("client" | "psychologist")[] = [];
  for (const side of ["client", "psychologist"] as const) {
    const user = await getUser(side === "client" ? b.clientId : b.psychologistId);
    if (!user?.email) continue;
    try {
      await sendMail(renderReminderMail(b, side, user.lang, user.email, nowMs));
    } catch (err) {
      failed.push(side);
      log("error", "reminder mail failed", { booking: b.id, side, error: String(err) });
    }
  }
  return failed;
}

/**
 * The catch-up: runs every reminder due at or before `nowMs` from the
 * `reminders_due` index (never a scan of all bookings), at most `max` per run
 * (the next run continues). Returns how many index keys it looked at.
 */
export async function runDueReminders(nowMs = Date.now(), max = 500): Promise<number> {
  const kv = await getKv();
  const end = [...K.DUE_PREFIX, new Date(nowMs + 1).toISOString()];
  let n = 0;
  for await (const e of kv.list<string>({ start: K.DUE_PREFIX, end }, { limit: max })) {
    n++;
    const [, , id, kind] = e.key as [string, string, string, ReminderKind];
    try {
      await runReminder(id, kind, nowMs, e.value);
    } catch (err) {
      log("warn", "reminder failed", { booking: id, kind, error: String(err) });
    }
  }
  return n;
}

/**
 * Enqueues one delayed message per reminder of `b` (none unless it is
 * confirmed), each due at its moment; one already due runs at once. Call after
 * the commit that confirmed the booking. A lost message is caught up by the cron.
 */
export async function scheduleReminders(b: Booking, nowMs = Date.now()): Promise<void> {
  for (const r of remindersOf(b)) {
    const msg: ReminderMessage = { id: b.id, kind: r.kind, startsAt: b.startsAt };
    await enqueueJob(REMINDER_JOB, msg, Date.parse(r.dueAt) - nowMs + 1000);
  }
}

/** Registers the queue handler and the catch-up cron (every 5 minutes). Call once per server. */
export function registerReminderJobs(): void {
  onJob<ReminderMessage>(REMINDER_JOB, async (p) => {
    if (!p || typeof p.id !== "string" || typeof p.startsAt !== "string") return;
    await runReminder(p.id, p.kind, Date.now(), p.startsAt);
  });
  onCron("session-reminders", "*/5 * * * *", async () => {
    await runDueReminders();
  });
}
