/**
 * When the reminders of a booking fall due, and the index writes that keep
 * `reminders_due` in step with the booking (called by `putBookingOps`, so in
 * the booking's own commit). Pure: no KV reads. Rules in docs/domain-rules.md
 * "Reminders"; keys in `./keys.ts`.
 */
import type { Booking } from "@/lib/booking/model.ts";
import * as K from "./keys.ts";

/** The reminders of a confirmed session and how long before its start each falls due (ms). */
export const REMINDERS = { "24h": 24 * 3600_000, "1h": 3600_000 } as const;
export type ReminderKind = keyof typeof REMINDERS;
/** Reminder kinds, earliest first. */
export const REMINDER_KINDS: readonly ReminderKind[] = ["24h", "1h"];

/** The due moment (UTC ISO) of reminder `kind` of a session starting at `startsAt`. */
export function reminderDueAt(startsAt: string, kind: ReminderKind): string {
  return new Date(Date.parse(startsAt) - REMINDERS[kind]).toISOString();
}

/** The reminders booking `b` has in its current state: both for a confirmed booking, none otherwise. */
export function remindersOf(b: Pick<Booking, "status" | "startsAt">): { kind: ReminderKind; dueAt: string }[] {
  if (b.status !== "confirmed") return [];
  return REMINDER_KINDS.map((kind) => ({ kind, dueAt: reminderDueAt(b.startsAt, kind) }));
}

/**
 * Adds to `op` the `reminders_due` writes that turn `before` (null for a new
 * booking) into `after`: keys of reminders `after` no longer has are deleted,
 * keys it gains are set (value: its `startsAt`). A booking that stays confirmed
 * at the same start writes nothing, so a reminder the job already handled (and
 * whose key it deleted) is not put back.
 */
export function reminderIndexOps(op: Deno.AtomicOperation, before: Booking | null, after: Booking): void {
  const key = (r: { kind: string; dueAt: string }) => `${r.dueAt}|${r.kind}`;
  const was = before ? remindersOf(before) : [];
  const now = remindersOf(after);
  const keep = new Set(now.map(key));
  const had = new Set(was.map(key));
  for (const r of was) if (!keep.has(key(r))) op.delete(K.dueKey(r.dueAt, after.id, r.kind));
  for (const r of now) if (!had.has(key(r))) op.set(K.dueKey(r.dueAt, after.id, r.kind), after.startsAt);
}
