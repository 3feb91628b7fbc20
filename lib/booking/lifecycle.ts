/**
 * Booking lifecycle: every state move is one atomic commit checked against
 * the booking's versionstamp, retried a bounded number of times when another
 * move won the race, and e-mailed to both sides after it committed. Rules and
 * the state diagram: docs/domain-rules.md "Booking".
 */
import { getKv } from "@/lib/db/kv.ts";
import { config } from "@/lib/config.ts";
import { Conflict, NotFound, ValidationError } from "@/lib/errors.ts";
import { log } from "@/lib/log.ts";
import type { Role } from "@/lib/auth/users.ts";
import { bumpAvailabilityVersion } from "@/lib/availability/store.ts";
import type { Booking, BookingStatus, Refund } from "./model.ts";
import { getBookingEntry, putBookingOps } from "./store.ts";
import { releaseCellsOps } from "./cells.ts";
import { mailBookingChange } from "./mail.ts";
import { scheduleReminders } from "@/lib/reminders/jobs.ts";

/** Who makes a move: a signed-in user, or `system` (jobs, payment notifications). */
export type Actor = { id: string; role: Role } | "system";

/** How many times a move is rebuilt after losing a commit race before giving up with 409. */
const MAX_ATTEMPTS = 6;

/** A planned move: the booking after it, and whether its cells are freed. Null = nothing to do. */
export interface MovePlan {
  next: Booking;
  releaseCells: boolean;
}

/** Minutes before the start from which a psychologist may mark a session as begun. */
export const IN_SESSION_EARLY_MINUTES = 15;

function actorId(a: Actor): string {
  return a === "system" ? "system" : a.id;
}

/** The booking after moving to `status`, with the move in its history. */
export function withStatus(
  b: Booking,
  status: BookingStatus,
  by: Actor,
  nowMs: number,
  reason: string | null = null,
  patch: Partial<Booking> = {},
): Booking {
  const at = new Date(nowMs).toISOString();
  return {
    ...b,
    ...patch,
    status,
    holdUntil: status === "awaiting_payment" ? (patch.holdUntil ?? b.holdUntil) : null,
    history: [...b.history, { status, at, by: actorId(by), reason }].slice(-50),
    updatedAt: at,
  };
}

/** A refund of the whole price, due now. */
export function refundDue(b: Booking, reason: Refund["reason"], nowMs: number): Refund {
  return { status: "due", amountIdr: b.priceIdr, reason, dueAt: new Date(nowMs).toISOString(), doneAt: null };
}

/**
 * Runs one move on booking `id`: reads it, asks `plan` for the next state
 * (null = already done, nothing written), commits booking + indexes + freed
 * cells in one checked atomic commit, and e-mails both sides when the status
 * changed. `extra` may add more mutations to the same commit.
 * @throws NotFound `booking_not_found`; whatever `plan` throws;
 *   Conflict `booking_busy` after {@link MAX_ATTEMPTS} lost races
 */
export async function moveBooking(
  id: string,
  plan: (b: Booking) => MovePlan | null | Promise<MovePlan | null>,
  extra?: (op: Deno.AtomicOperation, before: Booking, after: Booking) => Promise<void>,
): Promise<{ booking: Booking; changed: boolean }> {
  const kv = await getKv();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const entry = await getBookingEntry(id);
    if (!entry) throw new NotFound("booking_not_found", "booking.error.not_found");
    const p = await plan(entry.value);
    if (!p) return { booking: entry.value, changed: false };
    const op = kv.atomic().check(entry);
    putBookingOps(op, entry.value, p.next);
    if (p.releaseCells) await releaseCellsOps(op, entry.value);
    bumpAvailabilityVersion(op, entry.value.psychologistId);
    if (extra) await extra(op, entry.value, p.next);
    const res = await op.commit();
    if (res.ok) {
      if (entry.value.status !== p.next.status || entry.value.startsAt !== p.next.startsAt) {
        await mailBookingChange(entry.value, p.next).catch((err) =>
          log("warn", "booking mail failed", { booking: id, error: String(err) })
        );
      }
      return { booking: p.next, changed: true };
    }
  }
  throw new Conflict("booking_busy", "booking.error.busy");
}

function invalid(b: Booking, to: BookingStatus): never {
  throw new Conflict("invalid_transition", "booking.error.invalid_transition", { from: b.status, to });
}

/** Throws NotFound unless `actor` is the booking's psychologist. */
function ownPsychologist(b: Booking, actor: Actor): void {
  if (actor === "system" || actor.role !== "psychologist" || actor.id !== b.psychologistId) {
    throw new NotFound("booking_not_found", "booking.error.not_found");
  }
}

/** Throws NotFound unless `actor` is the booking's client. */
function ownClient(b: Booking, actor: Actor): void {
  if (actor === "system" || actor.role !== "client" || actor.id !== b.clientId) {
    throw new NotFound("booking_not_found", "booking.error.not_found");
  }
}

/** The cut-off before which a client may still cancel or reschedule (epoch ms). */
export function cutoffMs(b: Pick<Booking, "startsAt">): number {
  return Date.parse(b.startsAt) - config.cancelCutoffHours * 3600_000;
}

/**
 * The psychologist confirms a paid booking, before its start; its two
 * session reminders are then scheduled.
 * @throws NotFound (not theirs); Conflict `invalid_transition` (not paid) or `confirm_too_late`
 */
export async function confirmBooking(id: string, actor: Actor, nowMs = Date.now()) {
  const r = await moveBooking(id, (b) => {
    ownPsychologist(b, actor);
    if (b.status === "confirmed") return null;
    if (b.status !== "paid") invalid(b, "confirmed");
    if (nowMs >= Date.parse(b.startsAt)) throw new Conflict("confirm_too_late", "booking.error.confirm_too_late");
    return { next: withStatus(b, "confirmed", actor, nowMs), releaseCells: false };
  });
  if (r.changed) {
    // The session reminders (lib/reminders/jobs.ts); a lost message is caught up by their cron.
    await scheduleReminders(r.booking, nowMs).catch((err) =>
      log("warn", "could not enqueue reminders", { booking: id, error: String(err) })
    );
  }
  return r;
}

/**
 * The psychologist rejects a paid booking with a reason (1–500 characters):
 * the slot is freed and the full price becomes a refund due.
 * @throws ValidationError `reason`; NotFound; Conflict `invalid_transition`
 */
export async function rejectBooking(id: string, actor: Actor, reason: string, nowMs = Date.now()) {
  const r = reason.trim();
  if (r.length < 1 || r.length > 500) throw new ValidationError({ reason: "booking.error.reason_required" });
  return await moveBooking(id, (b) => {
    ownPsychologist(b, actor);
    if (b.status === "rejected") return null;
    if (b.status !== "paid") invalid(b, "rejected");
    return {
      next: withStatus(b, "rejected", actor, nowMs, r, { refund: refundDue(b, "rejected", nowMs) }),
      releaseCells: true,
    };
  });
}

/**
 * The client cancels: an unpaid booking at any time before its start; a paid
 * or confirmed one until `CANCEL_CUTOFF_HOURS` before the start, with the full
 * price due back. The slot is freed.
 * @throws NotFound; Conflict `invalid_transition` or `cancel_cutoff_passed`
 */
export function cancelBooking(id: string, actor: Actor, reason: string | null = null, nowMs = Date.now()) {
  return moveBooking(id, (b) => {
    ownClient(b, actor);
    if (b.status === "cancelled") return null;
    if (b.status === "awaiting_payment") {
      if (nowMs >= Date.parse(b.startsAt)) invalid(b, "cancelled");
      return { next: withStatus(b, "cancelled", actor, nowMs, reason), releaseCells: true };
    }
    if (b.status !== "paid" && b.status !== "confirmed") invalid(b, "cancelled");
    if (nowMs > cutoffMs(b)) {
      throw new Conflict("cancel_cutoff_passed", "booking.error.cutoff_passed", { hours: config.cancelCutoffHours });
    }
    return {
      next: withStatus(b, "cancelled", actor, nowMs, reason, { refund: refundDue(b, "cancelled", nowMs) }),
      releaseCells: true,
    };
  });
}

/**
 * The psychologist marks a confirmed session as begun, from
 * {@link IN_SESSION_EARLY_MINUTES} before its start until its end.
 * @throws NotFound; Conflict `invalid_transition` or `not_session_time`
 */
export function startSession(id: string, actor: Actor, nowMs = Date.now()) {
  return moveBooking(id, (b) => {
    ownPsychologist(b, actor);
    if (b.status === "in_session") return null;
    if (b.status !== "confirmed") invalid(b, "in_session");
    if (nowMs < Date.parse(b.startsAt) - IN_SESSION_EARLY_MINUTES * 60_000 || nowMs >= Date.parse(b.endsAt)) {
      throw new Conflict("not_session_time", "booking.error.not_session_time");
    }
    return { next: withStatus(b, "in_session", actor, nowMs), releaseCells: false };
  });
}

/**
 * The psychologist marks a session as completed (from its start on).
 * @throws NotFound; Conflict `invalid_transition` or `not_session_time`
 */
export function completeBooking(id: string, actor: Actor, nowMs = Date.now()) {
  return moveBooking(id, (b) => {
    ownPsychologist(b, actor);
    if (b.status === "completed") return null;
    if (b.status !== "in_session" && b.status !== "confirmed") invalid(b, "completed");
    if (nowMs < Date.parse(b.startsAt)) throw new Conflict("not_session_time", "booking.error.not_session_time");
    return { next: withStatus(b, "completed", actor, nowMs), releaseCells: false };
  });
}

/**
 * The psychologist records a no-show (from the start on); `reason` says who
 * did not come (`client` or `psychologist`).
 * @throws NotFound; Conflict `invalid_transition` or `not_session_time`
 */
export function markNoShow(
  id: string,
  actor: Actor,
  reason: "client" | "psychologist" = "client",
  nowMs = Date.now(),
) {
  return moveBooking(id, (b) => {
    ownPsychologist(b, actor);
    if (b.status === "no_show") return null;
    if (b.status !== "confirmed" && b.status !== "in_session") invalid(b, "no_show");
    if (nowMs < Date.parse(b.startsAt)) throw new Conflict("not_session_time", "booking.error.not_session_time");
    const refund = reason === "psychologist" ? { refund: refundDue(b, "not_confirmed", nowMs) } : {};
    return { next: withStatus(b, "no_show", actor, nowMs, reason, refund), releaseCells: false };
  });
}

/**
 * Job: an unpaid hold whose window has passed expires and frees its cells.
 * Idempotent: does nothing for a booking that is no longer awaiting payment
 * or whose hold has not passed at `nowMs`.
 */
export function expireHold(id: string, nowMs = Date.now()) {
  return moveBooking(id, (b) => {
    if (b.status !== "awaiting_payment" || !b.holdUntil || Date.parse(b.holdUntil) > nowMs) return null;
    return { next: withStatus(b, "expired", "system", nowMs, "payment_window"), releaseCells: true };
  });
}

/**
 * Job: a paid booking the psychologist has not confirmed by its start is
 * rejected, the slot freed and the full price due back. Idempotent.
 */
export function autoReject(id: string, nowMs = Date.now()) {
  return moveBooking(id, (b) => {
    if (b.status !== "paid" || Date.parse(b.startsAt) > nowMs) return null;
    return {
      next: withStatus(b, "rejected", "system", nowMs, "not_confirmed", {
        refund: refundDue(b, "not_confirmed", nowMs),
      }),
      releaseCells: true,
    };
  });
}
