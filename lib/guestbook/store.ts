/**
 * Appointment storage: the one writer of appointment records and their
 * indexes ({@link insertAppointmentRecord}, {@link transition}), and every read
 * (by id, by teacher, by day, by guest, role-aware listings). Key layout:
 * `lib/guestbook/keys.ts`; the record and its rules: `model.ts`.
 */
import { getKv, listPage, type Page } from "@/lib/db/kv.ts";
import { isId } from "@/lib/db/ids.ts";
import { AppError, Conflict, Forbidden, NotFound } from "@/lib/errors.ts";
import {
  appointmentKey,
  byDayKey,
  byDayPrefix,
  byGuestKey,
  byGuestPrefix,
  byTeacherKey,
  byTeacherPrefix,
} from "./keys.ts";
import { type Actor, type Appointment, type AppointmentStatus, STAFF } from "./model.ts";
import { addDays, startOfLocalDay, todayLocal } from "./time.ts";

// ---------------------------------------------------------------- storage

/** @internal Appends to `op` the writes of `next` and its indexes, removing index keys `prev` had. */
export function writeOps(
  op: Deno.AtomicOperation,
  prev: Appointment | null,
  next: Appointment,
): Deno.AtomicOperation {
  if (prev) {
    if (
      prev.teacherId !== next.teacherId || prev.startsAt !== next.startsAt ||
      next.archived
    ) {
      op.delete(byTeacherKey(prev.teacherId, prev.startsAt, prev.id));
    }
    if (prev.guestId !== next.guestId || next.archived) {
      op.delete(byGuestKey(prev.guestId, prev.id));
    }
    if (prev.localDate !== next.localDate) {
      op.delete(byDayKey(prev.localDate, prev.id));
    }
  }
  op.set(appointmentKey(next.id), next);
  op.set(byDayKey(next.localDate, next.id), next);
  if (!next.archived) {
    op.set(byTeacherKey(next.teacherId, next.startsAt, next.id), next);
    op.set(byGuestKey(next.guestId, next.id), next);
  }
  return op;
}

/**
 * Stores a complete appointment record as it is (primary + indexes, one commit,
 * must not exist yet). For the seed and imports; no rule checks.
 * @returns false when an appointment with this id already exists.
 */
export async function insertAppointmentRecord(
  a: Appointment,
): Promise<boolean> {
  const kv = await getKv();
  const op = kv.atomic().check({
    key: appointmentKey(a.id),
    versionstamp: null,
  });
  return (await writeOps(op, null, a).commit()).ok;
}

/**
 * @internal The one way an existing appointment changes: runs `decide` on the
 * current record and commits the result (primary + indexes) with a versionstamp
 * check; on a lost race re-reads and decides again (≤ 10 times). `decide` throws
 * to refuse. `extra` adds mutations to the same commit.
 * @throws what `notFound` returns when the id is malformed or unknown
 *   (default NotFound `appointment_not_found`); Conflict `concurrent_update`
 *   after 10 lost races
 */
export async function transition(
  id: string,
  decide: (a: Appointment) => Appointment,
  notFound: () => AppError = () => new NotFound("appointment_not_found", "guestbook.appointment_not_found"),
  extra?: (op: Deno.AtomicOperation, next: Appointment) => void,
): Promise<Appointment> {
  const kv = await getKv();
  if (!isId(id)) throw notFound();
  for (let attempt = 0; attempt < 10; attempt++) {
    const cur = await kv.get<Appointment>(appointmentKey(id));
    if (!cur.value) throw notFound();
    const next = decide(cur.value);
    const op = writeOps(kv.atomic().check(cur), cur.value, next);
    extra?.(op, next);
    if ((await op.commit()).ok) return next;
  }
  throw new Conflict("concurrent_update", "error.conflict");
}

/** @internal Throws Conflict `invalid_transition` {from, to}. */
export function refuseTransition(a: Appointment, to: AppointmentStatus): never {
  throw new Conflict("invalid_transition", "guestbook.invalid_transition", {
    from: a.status,
    to,
  });
}

// ---------------------------------------------------------------- reads

/** The appointment with this id, or null. */
export async function getAppointment(id: string): Promise<Appointment | null> {
  if (!isId(id)) return null;
  const kv = await getKv();
  return (await kv.get<Appointment>(appointmentKey(id))).value;
}

/** True when `actor` may see `a` (staff all, teacher and guest their own). */
export function canView(actor: Actor, a: Appointment): boolean {
  if (STAFF.includes(actor.role)) return true;
  if (actor.role === "teacher") return a.teacherId === actor.id;
  if (actor.role === "guest") return a.guestId === actor.id;
  return false;
}

/**
 * The appointment if `actor` may see it.
 * @throws NotFound `appointment_not_found` when it does not exist or is not theirs.
 */
export async function getAppointmentFor(
  actor: Actor,
  id: string,
): Promise<Appointment> {
  const a = await getAppointment(id);
  if (!a || !canView(actor, a)) {
    throw new NotFound(
      "appointment_not_found",
      "guestbook.appointment_not_found",
    );
  }
  return a;
}

/**
 * A teacher's active (not archived) appointments ordered by start time.
 * @param opts.date only this local day (`YYYY-MM-DD`)
 * @param opts.from / opts.to UTC ISO bounds on `startsAt` (from inclusive, to exclusive)
 * @param opts.limit 1..100 (default 20); `reverse` = latest first
 * @throws BadRequest `invalid_cursor`
 * @example
 * ```ts
 * const { items, cursor } = await listAppointmentsByTeacher(teacher.id, { date: "2026-12-02", limit: 50 });
 * const next = cursor ? await listAppointmentsByTeacher(teacher.id, { date: "2026-12-02", cursor }) : null;
 * ```
 */
export async function listAppointmentsByTeacher(
  teacherId: string,
  opts: {
    date?: string;
    from?: string;
    to?: string;
    cursor?: string | null;
    limit?: number;
    reverse?: boolean;
  } = {},
): Promise<Page<Appointment>> {
  const kv = await getKv();
  let from = opts.from;
  let to = opts.to;
  if (opts.date) {
    from = startOfLocalDay(opts.date);
    to = startOfLocalDay(addDays(opts.date, 1));
  }
  const prefix = byTeacherPrefix(teacherId);
  const selector: Deno.KvListSelector = from || to
    ? {
      start: from ? [...prefix, from] : prefix,
      end: to ? [...prefix, to] : [...prefix, "\uffff"],
    }
    : { prefix };
  return await listPage<Appointment>(kv, selector, {
    cursor: opts.cursor,
    limit: opts.limit,
    reverse: opts.reverse,
  });
}

/**
 * Appointments of one local day (including archived ones), in creation order, one page.
 * @throws BadRequest `invalid_cursor`
 */
export async function listAppointmentsByDay(
  date: string,
  opts: { cursor?: string | null; limit?: number } = {},
): Promise<Page<Appointment>> {
  const kv = await getKv();
  return await listPage<Appointment>(kv, {
    prefix: byDayPrefix(date),
  }, opts);
}

/**
 * Every appointment of one local day, sorted by start time (then id). For
 * the day's lists and dashboards (a day holds at most a few hundred).
 * @param opts.teacherId only this teacher's
 */
export async function appointmentsOfDay(
  date: string,
  opts: { teacherId?: string } = {},
): Promise<Appointment[]> {
  const kv = await getKv();
  const out: Appointment[] = [];
  for await (
    const e of kv.list<Appointment>({ prefix: byDayPrefix(date) }, {
      batchSize: 500,
    })
  ) {
    if (!opts.teacherId || e.value.teacherId === opts.teacherId) {
      out.push(e.value);
    }
  }
  return out.sort((
    a,
    b,
  ) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : a.id < b.id ? -1 : 1));
}

/**
 * A guest's active appointments, newest first.
 * @throws BadRequest `invalid_cursor`
 */
export async function listAppointmentsByGuest(
  guestId: string,
  opts: { cursor?: string | null; limit?: number } = {},
): Promise<Page<Appointment>> {
  const kv = await getKv();
  return await listPage<Appointment>(kv, {
    prefix: byGuestPrefix(guestId),
  }, { ...opts, reverse: true });
}

/**
 * Role-aware listing behind `GET /api/appointments`:
 * - teacher: own, by start time (optionally one `date`);
 * - guest: own, newest first;
 * - receptionist/admin: one day (`date`, default today), all teachers, paged.
 * @throws Forbidden for other roles; BadRequest `invalid_cursor`
 */
export async function listAppointmentsFor(
  actor: Actor,
  opts: { date?: string; cursor?: string | null; limit?: number; now?: Date } = {},
): Promise<Page<Appointment>> {
  if (actor.role === "teacher") {
    return await listAppointmentsByTeacher(actor.id, opts);
  }
  if (actor.role === "guest") {
    return await listAppointmentsByGuest(actor.id, opts);
  }
  if (STAFF.includes(actor.role)) {
    return await listAppointmentsByDay(opts.date ?? todayLocal(opts.now), opts);
  }
  throw new Forbidden();
}

/**
 * Today's appointments for `actor`, sorted by start time: all of them for
 * receptionist/admin, their own for a teacher or guest.
 * @throws Forbidden for other roles
 */
export async function listToday(
  actor: Actor,
  now: Date = new Date(),
): Promise<Appointment[]> {
  const today = todayLocal(now);
  if (STAFF.includes(actor.role)) return await appointmentsOfDay(today);
  if (actor.role === "teacher") {
    return await appointmentsOfDay(today, { teacherId: actor.id });
  }
  if (actor.role === "guest") {
    return (await appointmentsOfDay(today)).filter((a) => a.guestId === actor.id);
  }
  throw new Forbidden();
}

/** @internal Rewrites an appointment with a check (reviews, retention). */
export async function updateAppointmentRecord(
  id: string,
  decide: (a: Appointment) => Appointment,
  extra?: (
    op: Deno.AtomicOperation,
    next: Appointment,
    prev: Appointment,
  ) => void,
): Promise<Appointment> {
  let prev: Appointment | null = null;
  return await transition(
    id,
    (a) => {
      prev = a;
      return decide(a);
    },
    undefined,
    extra ? (op, next) => extra(op, next, prev!) : undefined,
  );
}
