/**
 * Session reminders: an e-mail to the client and the psychologist 24 h and
 * 1 h before a confirmed session (docs/domain-rules.md "Reminders").
 *
 * Two paths run the same idempotent step ({@link runReminder}): a delayed
 * queue message per reminder, enqueued when the booking is confirmed
 * ({@link scheduleReminders}), and a catch-up cron every 5 minutes over the
 * `reminders_due` index ({@link runDueReminders}), so a restart or a lost
 * message loses nothing. The step reads the booking's current state and start
 * at send time and sends at least once per recipient, never again after
 * success: each side's send is claimed (`["reminders_recipients", id, kind,
 * startsAt, side]`, `sending` with a lease) in a commit checked against the
 * booking's versionstamp, then mailed and marked `sent`; a failed mail, or a
 * claim whose run crashed (its lease passed), is tried again by a later run, a
 * bounded number of times. Once every side is done,
 * `["reminders_sent", id, kind, startsAt]` records the outcome. Never for a
 * cancelled booking, never for an old start (the Cal.com bugs
 * calcom/cal.com#7225, #6973, #17785).
 *
 * When a reminder is sent (documented rule): from its due moment until the
 * next one takes over — the 24 h one until 1 h before the start, the 1 h one
 * until the start. A reminder whose due moment had passed when the booking
 * was confirmed is skipped (the confirmation mail already gave the time), and
 * so is one found after its window: it is never sent late as if on time.
 */
import { getKv } from "@/lib/db/kv.ts";
import { getUser } from "@/lib/auth/users.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
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

/** `["reminders_sent", …]` value: the reminder is finished — what was decided, and when. */
export interface SentClaim {
  at: string;
  /**
   * `sent`: every recipient who could be mailed got it (or was given up, listed in `failed`), at
   * least one got it; `skipped`: nothing was tried (`reason`); `failed`: mails were tried but
   * nobody got it (every recipient given up).
   */
  outcome: "sent" | "skipped" | "failed";
  /** Why it was skipped or ended: `confirmed_late`, `window_passed` or `attempts_exhausted`; null when sent to all. */
  reason: string | null;
  /** Sides that were tried but never got it (given up; logged). */
  failed: Side[];
}

/** One side of a session: who a reminder goes to. */
export type Side = "client" | "psychologist";
const SIDES: readonly Side[] = ["client", "psychologist"];

/**
 * `["reminders_recipients", …, side]` value: the send of one reminder to one side.
 * `sending` (a run holds it until `leaseUntil`) → `sent`; or → `failed` (retried from `retryAt`)
 * → `sending` again …; after {@link MAX_SEND_ATTEMPTS} sends started → `gave_up`. Instants ISO 8601 UTC.
 */
export interface RecipientClaim {
  state: "sending" | "sent" | "failed" | "gave_up";
  /** Sends started so far (each claim of `sending` counts one). */
  attempts: number;
  /** When the state was last set. */
  at: string;
  /** While `sending`: until when the run that claimed it owns it (a crashed run's claim is taken over after). */
  leaseUntil: string | null;
  /** While `failed`: the earliest moment of the next try. */
  retryAt: string | null;
  /** The last mail error, if any. */
  error: string | null;
}

/** What one run of {@link runReminder} did. */
export type ReminderOutcome =
  /** This run mailed and the reminder is finished. */
  | "sent"
  | "skipped_confirmed_late"
  | "skipped_window_passed"
  /** Finished before (by another run, or now without a mail of this run). */
  | "already_done"
  | "not_due"
  | "stale"
  /** A mail of this run failed; the side is retried by a later run. */
  | "failed"
  /** Another run is sending, or a failed side waits for its retry moment: nothing to do now. */
  | "in_progress"
  /** Every try failed: finished without anybody being reminded (logged). */
  | "gave_up";

/** How long a claim is kept after the session's start (ms). */
const CLAIM_TTL_AFTER_START_MS = 30 * 86_400_000;
/** Rereads after a lost commit race, per run. */
const MAX_ATTEMPTS = 6;
/**
 * How long a run owns a side's `sending` claim (ms): past it, another run takes the send over (the
 * claiming run crashed or hung). Longer than an SMTP send normally takes; a send slower than this
 * may reach its side twice (at least once, docs/domain-rules.md "Reminders").
 */
export const SEND_LEASE_MS = 10 * 60_000;
/** Sends started per side before giving up. */
export const MAX_SEND_ATTEMPTS = 5;
/** Wait after the n-th failed send (1-based) before the next try: 5 min × 2^(n−1) (5, 10, 20, 40 min). */
export function retryDelayMs(attempts: number): number {
  return 5 * 60_000 * 2 ** Math.max(0, Math.min(attempts, MAX_SEND_ATTEMPTS) - 1);
}

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
 * Decides and, when due, sends reminder `kind` of booking `id` at `nowMs`
 * (docs/domain-rules.md "Reminders"). Idempotent and safe to run concurrently:
 * reads the booking and does nothing unless it is confirmed at start
 * `startsAt` (when given: the start the message was scheduled for) and the
 * reminder is due. Then, per side (client, psychologist): claims the side's
 * send (`sending` with a lease, in a commit checked against the booking and
 * the claims read), mails it in the side's language, and marks it `sent`; a
 * failed mail is marked `failed` and retried by a later run from its retry
 * moment ({@link retryDelayMs}); a `sending` claim whose lease passed (a
 * crashed run) is taken over; after {@link MAX_SEND_ATTEMPTS} a side is given
 * up (logged). When every side is done, `["reminders_sent", …]` records the
 * outcome and the index key goes, in one commit. A side that got it is never
 * mailed again. Never throws for a send failure.
 * @param startsAt the start the queue message was made for (absent from other callers)
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
  let mailed = 0;
  let failedNow = 0;
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
      return mailed > 0 ? "sent" : "already_done";
    }
    const expireIn = Math.max(60_000, Date.parse(b.startsAt) + CLAIM_TTL_AFTER_START_MS - Date.now());
    const recipients = await recipientsOf(b);
    const claims = await kv.getMany<RecipientClaim[]>(
      recipients.map((r) => K.recipientKey(id, kind, b.startsAt, r.side)),
    );
    const finish = async (final: SentClaim): Promise<boolean> => {
      const op = kv.atomic().check(entry).check(prior);
      for (const c of claims) op.check(c);
      const res = await op.set(sentKey, final, { expireIn }).delete(K.dueKey(dueAt, id, kind)).commit();
      if (res.ok && final.failed.length) {
        log("error", "reminder given up", { booking: id, kind, sides: final.failed, reason: final.reason });
      }
      return res.ok;
    };
    const state = (i: number) => claims[i].value?.state ?? null;
    const tried = recipients.filter((_, i) => state(i) !== null && state(i) !== "sent").map((r) => r.side);
    const anySent = recipients.some((_, i) => state(i) === "sent");

    // Confirmed after its moment, or past its window: nothing more is sent (never late as if on time).
    const confirmedAt = confirmedAtMs(b);
    const skip = confirmedAt !== null && confirmedAt > Date.parse(dueAt)
      ? "confirmed_late"
      : nowMs >= windowEnd(b.startsAt, kind)
      ? "window_passed"
      : null;
    if (skip) {
      const final: SentClaim = {
        at: new Date(nowMs).toISOString(),
        outcome: anySent ? "sent" : tried.length ? "failed" : "skipped",
        reason: anySent && tried.length === 0 ? null : skip,
        failed: tried,
      };
      if (!(await finish(final))) continue;
      if (mailed > 0) return "sent";
      if (anySent || tried.length) return tried.length && !anySent ? "gave_up" : "already_done";
      return skip === "confirmed_late" ? "skipped_confirmed_late" : "skipped_window_passed";
    }

    // Which sides this run sends now, which wait (another run's lease, a retry moment), which are given up.
    const take: number[] = [];
    const giveUp: number[] = [];
    let waiting = false;
    recipients.forEach((_, i) => {
      const c = claims[i].value;
      if (!c) return take.push(i);
      if (c.state === "sent" || c.state === "gave_up") return;
      const until = c.state === "sending" ? c.leaseUntil : c.retryAt;
      if (until && Date.parse(until) > nowMs) return (waiting = true);
      (c.attempts >= MAX_SEND_ATTEMPTS ? giveUp : take).push(i);
    });
    if (take.length === 0 && giveUp.length === 0) {
      if (waiting) return failedNow > 0 ? "failed" : "in_progress";
      // Every side is done: record the outcome and drop the index key.
      const gaveUp = recipients.filter((_, i) => state(i) === "gave_up").map((r) => r.side);
      const final: SentClaim = {
        at: new Date(nowMs).toISOString(),
        outcome: anySent || gaveUp.length === 0 ? "sent" : "failed",
        reason: gaveUp.length ? "attempts_exhausted" : null,
        failed: gaveUp,
      };
      if (!(await finish(final))) continue;
      if (mailed > 0) return "sent";
      return final.outcome === "failed" ? "gave_up" : "already_done";
    }

    // Claim the sides in one commit, checked against the booking (a cancellation racing the send wins
    // or loses atomically) and the claims read (a concurrent run claims them once).
    const at = new Date(nowMs).toISOString();
    const op = kv.atomic().check(entry).check(prior);
    for (const i of [...take, ...giveUp]) op.check(claims[i]);
    for (const i of take) {
      const claim: RecipientClaim = {
        state: "sending",
        attempts: (claims[i].value?.attempts ?? 0) + 1,
        at,
        leaseUntil: new Date(nowMs + SEND_LEASE_MS).toISOString(),
        retryAt: null,
        error: claims[i].value?.error ?? null,
      };
      op.set(claims[i].key, claim, { expireIn });
    }
    for (const i of giveUp) {
      const c = claims[i].value!;
      op.set(claims[i].key, { ...c, state: "gave_up", at, leaseUntil: null, retryAt: null }, { expireIn });
    }
    const res = await op.commit();
    if (!res.ok) continue; // the booking moved or another run claimed: look again
    for (const i of take) {
      const r = recipients[i];
      const key = claims[i].key;
      const attempts = (claims[i].value?.attempts ?? 0) + 1;
      try {
        await sendMail(renderReminderMail(b, r.side, r.lang, r.email, nowMs));
        mailed++;
        // Sent is the truth whoever holds the claim now.
        const sent: RecipientClaim = { state: "sent", attempts, at, leaseUntil: null, retryAt: null, error: null };
        await kv.set(key, sent, { expireIn });
      } catch (err) {
        failedNow++;
        const error = String(err).slice(0, 300);
        log("error", "reminder mail failed", { booking: b.id, kind, side: r.side, attempts, error });
        const failed: RecipientClaim = attempts >= MAX_SEND_ATTEMPTS
          ? { state: "gave_up", attempts, at, leaseUntil: null, retryAt: null, error }
          : {
            state: "failed",
            attempts,
            at,
            leaseUntil: null,
            retryAt: new Date(nowMs + retryDelayMs(attempts)).toISOString(),
            error,
          };
        // Only over our own claim: a run that took it over meanwhile owns the outcome.
        await kv.atomic().check({ key, versionstamp: res.versionstamp }).set(key, failed, { expireIn }).commit();
      }
    }
  }
  return failedNow > 0 ? "failed" : mailed > 0 ? "sent" : "in_progress"; // lost every race: the cron looks again
}

/** Who reminder mails of booking `b` go to: each side with an e-mail address, in their language. */
async function recipientsOf(b: Booking): Promise<{ side: Side; email: string; lang: Lang }[]> {
  const out: { side: Side; email: string; lang: Lang }[] = [];
  for (const side of SIDES) {
    const user = await getUser(side === "client" ? b.clientId : b.psychologistId);
    if (user?.email) out.push({ side, email: user.email, lang: user.lang });
  }
  return out;
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
