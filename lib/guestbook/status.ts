/**
 * Status changes after check-in: picked up, finished, cancelled
 * ({@link setAppointmentStatus}) and the end-of-day no-show job
 * ({@link markNoShows}).
 */
import { getKv } from "@/lib/db/kv.ts";
import { Conflict, Forbidden, NotFound } from "@/lib/errors.ts";
import { parseInput } from "@/lib/validation.ts";
import { BY_DAY_PREFIX, byDayPrefix, NO_SHOW_MARKER_KEY } from "./keys.ts";
import { type Actor, type Appointment, STAFF, type StatusChange, statusInputSchema } from "./model.ts";
import { canView, refuseTransition, transition } from "./store.ts";
import { addDays, compareLocalDates, localTimeOf, todayLocal } from "./time.ts";

/**
 * Moves an appointment to `status` (`PUT /api/appointments/{id}/status`):
 * - `in_meeting` ("picked up", from waiting) and `finished` (from in_meeting):
 *   the appointment's teacher or an admin;
 * - `cancelled` (from scheduled): the appointment's teacher, receptionist, admin;
 * - `no_show` (from scheduled, the desk marking a guest who did not come):
 *   receptionist, admin, once the scheduled start time has passed (the
 *   end-of-day job does the same for whatever is left, {@link markNoShows}).
 * @throws NotFound `appointment_not_found` (also when not the caller's); Forbidden
 *   (role may not do this); Conflict `invalid_transition` {from, to},
 *   `no_show_too_early` {time}
 * @example
 * ```ts
 * await setAppointmentStatus(id, "in_meeting", teacher); // the teacher met the guest in the lobby
 * await setAppointmentStatus(id, "finished", teacher);
 * ```
 */
export async function setAppointmentStatus(
  id: string,
  status: StatusChange,
  actor: Actor,
  now: Date = new Date(),
): Promise<Appointment> {
  const s = parseInput(statusInputSchema, { status }).status;
  return await transition(id, (a) => {
    if (!canView(actor, a)) {
      throw new NotFound(
        "appointment_not_found",
        "guestbook.appointment_not_found",
      );
    }
    const owner = actor.role === "teacher" && a.teacherId === actor.id;
    const iso = now.toISOString();
    if (s === "no_show") {
      if (!STAFF.includes(actor.role)) throw new Forbidden();
      if (a.status !== "scheduled") refuseTransition(a, s);
      if (now.getTime() < Date.parse(a.startsAt)) {
        throw new Conflict("no_show_too_early", "guestbook.no_show_too_early", { time: localTimeOf(a.startsAt) });
      }
      return { ...a, status: "no_show", noShowAt: iso, updatedAt: iso };
    }
    if (s === "cancelled") {
      if (!owner && !STAFF.includes(actor.role)) throw new Forbidden();
      if (a.status !== "scheduled") refuseTransition(a, s);
      return {
        ...a,
        status: "cancelled",
        cancelledAt: iso,
        cancelledBy: actor.id,
        updatedAt: iso,
      };
    }
    if (!owner && actor.role !== "admin") {
      throw new Forbidden(
        "not_your_appointment",
        "guestbook.not_your_appointment",
      );
    }
    if (s === "in_meeting") {
      if (a.status !== "waiting") refuseTransition(a, s);
      return { ...a, status: "in_meeting", pickedUpAt: iso, updatedAt: iso };
    }
    if (a.status !== "in_meeting") refuseTransition(a, s);
    return { ...a, status: "finished", finishedAt: iso, updatedAt: iso };
  });
}

/** Shorthand: the teacher met the guest (waiting → in_meeting). */
export function pickUp(
  id: string,
  actor: Actor,
  now?: Date,
): Promise<Appointment> {
  return setAppointmentStatus(id, "in_meeting", actor, now);
}
/** Shorthand: the meeting ended (in_meeting → finished). */
export function finish(
  id: string,
  actor: Actor,
  now?: Date,
): Promise<Appointment> {
  return setAppointmentStatus(id, "finished", actor, now);
}
/** Shorthand: the desk marks a guest who did not come (scheduled → no_show). */
export function markNoShow(
  id: string,
  actor: Actor,
  now?: Date,
): Promise<Appointment> {
  return setAppointmentStatus(id, "no_show", actor, now);
}
/** Shorthand: cancel a scheduled appointment. */
export function cancel(
  id: string,
  actor: Actor,
  now?: Date,
): Promise<Appointment> {
  return setAppointmentStatus(id, "cancelled", actor, now);
}

/** How many past days each no-show run re-examines (after the first, full run). */
export const NO_SHOW_LOOKBACK_DAYS = 62;

/**
 * End-of-day job: every appointment still `scheduled` on a local day before
 * today becomes `no_show`. The first run scans all past days; later runs
 * (marker `["settings","no_show_through"]`) the last {@link NO_SHOW_LOOKBACK_DAYS}
 * days, so it stays cheap when run daily and still catches records imported late.
 * @returns how many appointments were marked
 */
export async function markNoShows(now: Date = new Date()): Promise<number> {
  const kv = await getKv();
  const today = todayLocal(now);
  const markerKey = NO_SHOW_MARKER_KEY;
  const through = (await kv.get<string>(markerKey)).value;
  const start: Deno.KvKey = through ? byDayPrefix(addDays(today, -NO_SHOW_LOOKBACK_DAYS)) : BY_DAY_PREFIX;
  const ids: string[] = [];
  for await (
    const e of kv.list<Appointment>({
      start,
      end: byDayPrefix(today),
    }, { batchSize: 500 })
  ) {
    if (e.value.status === "scheduled") ids.push(e.value.id);
  }
  let n = 0;
  const iso = now.toISOString();
  for (const id of ids) {
    try {
      await transition(id, (a) => {
        if (a.status !== "scheduled" || compareLocalDates(a.localDate, today) >= 0) {
          throw new Conflict("skip");
        }
        return { ...a, status: "no_show", noShowAt: iso, updatedAt: iso };
      });
      n++;
    } catch (err) {
      if (!(err instanceof Conflict || err instanceof NotFound)) throw err;
    }
  }
  await kv.set(markerKey, addDays(today, -1));
  return n;
}
