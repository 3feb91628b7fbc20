/**
 * Timed booking moves: an unpaid hold expires at `holdUntil`, a paid booking
 * not confirmed by its start is rejected. Each booking's next move is a
 * `booking_due` key written with the booking (`./store.ts`); a queue message is
 * enqueued for it, and a catch-up cron every minute runs everything due, so a
 * restart or a lost message never leaves a move behind. Both paths call the
 * same idempotent moves (they reread the booking and do nothing when it has
 * moved on).
 */
import { getKv } from "@/lib/db/kv.ts";
import { log } from "@/lib/log.ts";
import { enqueueJob, onCron, onJob } from "@/lib/queue.ts";
import type { Booking } from "./model.ts";
import { dueOf } from "./store.ts";
import { autoReject, expireHold } from "./lifecycle.ts";
import * as K from "./keys.ts";

/** Queue message type of a booking's timed move. */
export const BOOKING_DUE_JOB = "booking_due";

/** Runs the due move of booking `id` if it is due at `nowMs` (idempotent). */
export async function runDue(id: string, kind: K.DueKind, nowMs = Date.now()): Promise<void> {
  if (kind === "expire_hold") await expireHold(id, nowMs);
  else await autoReject(id, nowMs);
}

/**
 * Runs every booking move due at or before `nowMs` (the catch-up). Returns how
 * many due keys it looked at. Bounded to `max` per run (the next run continues).
 */
export async function runDueBookings(nowMs = Date.now(), max = 500): Promise<number> {
  const kv = await getKv();
  let n = 0;
  const end = [...K.DUE_PREFIX, new Date(nowMs + 1).toISOString()];
  for await (const e of kv.list<K.DueKind>({ start: K.DUE_PREFIX, end }, { limit: max })) {
    n++;
    try {
      await runDue(e.key[2] as string, e.value, nowMs);
    } catch (err) {
      log("warn", "booking due move failed", { booking: String(e.key[2]), error: String(err) });
    }
  }
  return n;
}

/** Enqueues the timed move of `b` (if it has one) for when it falls due. */
export async function scheduleDue(b: Booking, nowMs = Date.now()): Promise<void> {
  const due = dueOf(b);
  if (!due) return;
  await enqueueJob(BOOKING_DUE_JOB, { id: b.id, kind: due.kind }, Date.parse(due.at) - nowMs + 1000);
}

/** Registers the queue handler and the catch-up cron (every minute). Call once per server. */
export function registerBookingJobs(): void {
  onJob<{ id: string; kind: K.DueKind }>(BOOKING_DUE_JOB, async (p) => {
    await runDue(p.id, p.kind);
  });
  onCron("booking-due", "* * * * *", async () => {
    await runDueBookings();
  });
}
