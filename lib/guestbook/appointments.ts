/**
 * Guest appointments (PRODUCT.md §2.1–2.6, issue 3 §1–2): creation, the status
 * machine, QR check-in, walk-ins, listings. Key layout: `lib/guestbook/keys.ts`.
 *
 * Status machine (PRODUCT.md §2.5), each arrow one atomic commit guarded by the
 * primary key's versionstamp (a lost race re-reads and re-decides, so two
 * receptionists scanning one code give exactly one check-in):
 *
 * ```
 * scheduled ──check-in──▶ waiting ──picked up──▶ in_meeting ──▶ finished
 *     │ (late = arrival > startsAt + LATE_GRACE_MINUTES)
 *     ├──cancel──▶ cancelled
 *     └──end of day (job)──▶ no_show
 * walk-in: created directly as waiting (late = false)
 * ```
 *
 * Who may do what (deny by default):
 * - create: a teacher for themself; receptionist/admin for any active teacher;
 * - check-in, walk-in: receptionist, admin;
 * - picked up (`in_meeting`), `finished`: the appointment's teacher, admin;
 * - cancel: the appointment's teacher, receptionist, admin;
 * - read: admin/receptionist all; a teacher their own; a guest their own.
 */
import type { Role, User } from "@/lib/auth/users.ts";
import { getUser } from "@/lib/auth/users.ts";
import { config } from "@/lib/config.ts";
import { getKv, listPage, type Page } from "@/lib/db/kv.ts";
import { isId, newId } from "@/lib/db/ids.ts";
import { AppError, Conflict, Forbidden, NotFound, ValidationError } from "@/lib/errors.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { log } from "@/lib/log.ts";
import { addNotificationOps } from "@/lib/notify/notifications.ts";
import { appointmentKey, byDayKey, byGuestKey, byTeacherKey } from "./keys.ts";
import {
  findOrCreateGuest,
  guestEmailSchema,
  guestNameSchema,
  guestPhoneSchema,
  type GuestView,
  guestView,
} from "./guests.ts";
import { currentQrKeyId, qrText, signQrToken, verifyQrToken } from "./qr_token.ts";
import { addDays, localDateOf, localTimeOf, parseStartsAt, startOfLocalDay, todayLocal } from "./time.ts";

/** Statuses of PRODUCT.md §2.5. */
export type AppointmentStatus =
  | "scheduled"
  | "waiting"
  | "in_meeting"
  | "finished"
  | "cancelled"
  | "no_show";
export const APPOINTMENT_STATUSES: readonly AppointmentStatus[] = [
  "scheduled",
  "waiting",
  "in_meeting",
  "finished",
  "cancelled",
  "no_show",
];
/** Statuses that mean the guest arrived (a "visit" in reports). */
export const VISIT_STATUSES: readonly AppointmentStatus[] = [
  "waiting",
  "in_meeting",
  "finished",
];

/** A guest appointment. Instants are UTC ISO strings; `localDate` is in `config.timeZone`. */
export interface Appointment {
  schemaVersion: 1;
  id: string;
  teacherId: string;
  /** Teacher's name when the appointment was made (lists, scanner result). */
  teacherName: string;
  guestId: string;
  /** Guest's name as typed for this appointment. */
  guestName: string;
  purpose: string;
  /** Scheduled start (UTC ISO); for a walk-in, the arrival. */
  startsAt: string;
  /** Local date of `startsAt` (`YYYY-MM-DD`); the QR is valid on this day only. */
  localDate: string;
  status: AppointmentStatus;
  /** Arrived after `startsAt + lateGraceMinutes`; null until checked in. */
  late: boolean | null;
  checkedInAt: string | null;
  checkedInBy: string | null;
  /** Teacher met the guest ("picked up"): ends the waiting time. */
  pickedUpAt: string | null;
  finishedAt: string | null;
  cancelledAt: string | null;
  cancelledBy: string | null;
  noShowAt: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  walkIn: boolean;
  /** Moved out of the active listings by retention (still in reports). */
  archived: boolean;
  /** Key id that signs this appointment's QR token. */
  qrKeyId: number;
  /** Review stars (1–5) once reviewed, else null. */
  rating: number | null;
}

/** Who acts: the signed-in user (only id and role are used). */
export type Actor = Pick<User, "id" | "role">;

const STAFF: readonly Role[] = ["receptionist", "admin"];
/** Allowed clock skew when checking "not in the past" (minutes). */
export const CLOCK_SKEW_MINUTES = 2;

// ---------------------------------------------------------------- input schemas

const purposeSchema = z.string().trim().min(1, "field.required").max(
  500,
  "field.too_long",
);
const idSchema = z.string().refine((s) => isId(s), "field.invalid");
const startsAtSchema = z.union([
  z.date(),
  z.string().max(40, "field.invalid_date"),
]).transform((v, ctx) => {
  const d = v instanceof Date ? (Number.isNaN(v.getTime()) ? null : v) : parseStartsAt(v);
  if (!d) {
    ctx.addIssue({ code: "custom", message: "field.invalid_date" });
    return z.NEVER;
  }
  return d;
});

/**
 * Body of "create appointment" (`POST /api/appointments`, the teacher's form).
 * `startsAt`: ISO 8601 with offset, or a `datetime-local` value read in `config.timeZone`.
 * `teacherId` only for receptionist/admin.
 */
export const appointmentInputSchema = z.object({
  teacherId: idSchema.optional(),
  guestName: guestNameSchema,
  guestPhone: guestPhoneSchema,
  guestEmail: guestEmailSchema,
  purpose: purposeSchema,
  startsAt: startsAtSchema,
});
export type AppointmentInput = z.input<typeof appointmentInputSchema>;

/** Body of "walk-in" (`POST /api/appointments/walk-in`). */
export const walkInInputSchema = appointmentInputSchema.omit({ startsAt: true }).extend({ teacherId: idSchema });
export type WalkInInput = z.input<typeof walkInInputSchema>;

/** Body of `PUT /api/appointments/{id}/status`. */
export const statusInputSchema = z.object({
  status: z.enum(
    ["in_meeting", "finished", "cancelled"],
    "field.invalid_choice",
  ),
});

/** Body of `POST /api/appointments/check-in` and the code in `GET /api/appointments/qr/{code}`. */
export const codeInputSchema = z.object({
  code: z.string().trim().min(1, "field.required").max(512, "field.too_long"),
});

// ---------------------------------------------------------------- storage

/** Appends to `op` the writes of `next` and its indexes, removing index keys `prev` had. */
function writeOps(
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
 * Runs `decide` on the current record and commits the result with a
 * versionstamp check; on a lost race re-reads and decides again (≤ 10 times).
 * `decide` throws to refuse. `extra` adds mutations to the same commit.
 */
async function transition(
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

function refuseTransition(a: Appointment, to: AppointmentStatus): never {
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

/** The QR text of an appointment (`${BASE_URL}/g/<token>`), re-created with its key id. */
export async function appointmentQrCode(
  a: Pick<Appointment, "id" | "localDate" | "qrKeyId">,
): Promise<string> {
  return qrText(await signQrToken(a.id, a.localDate, a.qrKeyId));
}

/** The bare token of an appointment (the part after `/g/`). */
export async function appointmentToken(
  a: Pick<Appointment, "id" | "localDate" | "qrKeyId">,
): Promise<string> {
  return await signQrToken(a.id, a.localDate, a.qrKeyId);
}

/**
 * A teacher's active (not archived) appointments ordered by start time.
 * @param opts.date only this local day (`YYYY-MM-DD`)
 * @param opts.from / opts.to UTC ISO bounds on `startsAt` (from inclusive, to exclusive)
 * @param opts.limit 1..100 (default 20); `reverse` = latest first
 * @throws BadRequest `invalid_cursor`
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
  const prefix = ["appointments_by_teacher", teacherId];
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
    prefix: ["appointments_by_day", date],
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
    const e of kv.list<Appointment>({ prefix: ["appointments_by_day", date] }, {
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
    prefix: ["appointments_by_guest", guestId],
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

// ---------------------------------------------------------------- create

/** Active teachers, by name (the teacher picker of the walk-in and staff forms). */
export async function listActiveTeachers(): Promise<
  { id: string; name: string }[]
> {
  const kv = await getKv();
  const ids: string[] = [];
  for await (
    const e of kv.list<string>({ prefix: ["users_by_role", "teacher"] })
  ) ids.push(e.value);
  const out: { id: string; name: string }[] = [];
  for (let i = 0; i < ids.length; i += 10) {
    for (
      const r of await kv.getMany<User[]>(
        ids.slice(i, i + 10).map((id) => ["users", id]),
      )
    ) {
      if (
        r.value && r.value.role === "teacher" && r.value.status === "active"
      ) out.push({ id: r.value.id, name: r.value.name });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, "id"));
}

async function requireActiveTeacher(teacherId: string): Promise<User> {
  const t = await getUser(teacherId);
  if (!t || t.role !== "teacher" || t.status !== "active") {
    throw new ValidationError({ teacherId: "guestbook.teacher_invalid" });
  }
  return t;
}

/** Maps guest-level validation errors onto the appointment form's field names. */
async function guestFor(
  input: { guestName: string; guestPhone: string; guestEmail?: string },
) {
  try {
    return await findOrCreateGuest({
      name: input.guestName,
      phone: input.guestPhone,
      email: input.guestEmail,
    });
  } catch (err) {
    if (err instanceof ValidationError) {
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(err.fields)) {
        fields[`guest${k[0].toUpperCase()}${k.slice(1)}`] = v;
      }
      throw new ValidationError(fields);
    }
    if (err instanceof Conflict && err.code === "phone_not_guest") {
      throw new ValidationError({ guestPhone: "guestbook.phone_not_guest" });
    }
    throw err;
  }
}

/** Result of creating an appointment or a walk-in. */
export interface CreatedAppointment {
  appointment: Appointment;
  /** The exact QR text (`${BASE_URL}/g/<token>`). */
  qrCode: string;
  /** The bare token inside `qrCode`. */
  token: string;
  guest: GuestView;
  /** Generated portal password, only when the guest was created now (show once). */
  guestPassword: string | null;
}

/**
 * Creates an appointment (PRODUCT.md §2.1). Validates `input` with
 * {@link appointmentInputSchema}; finds or creates the guest by phone; writes the
 * appointment and its indexes in one commit.
 * Rules: `startsAt` not before now − {@link CLOCK_SKEW_MINUTES} min and its local
 * date at most `config.appointmentMaxDaysAhead` days after today; the teacher is
 * an active teacher (a teacher always books for themself).
 * When the guest has an e-mail, the QR is mailed best-effort (see delivery.ts);
 * pass `opts.email = false` to skip.
 * @throws ValidationError (fields `guestName`, `guestPhone`, `guestEmail`, `purpose`,
 *   `startsAt`, `teacherId`); Forbidden for roles other than teacher/receptionist/admin
 *   or a teacher booking for someone else.
 */
export async function createAppointment(
  input: unknown,
  actor: Actor,
  now: Date = new Date(),
  opts: { email?: boolean; lang?: User["lang"] } = {},
): Promise<CreatedAppointment> {
  if (actor.role !== "teacher" && !STAFF.includes(actor.role)) {
    throw new Forbidden();
  }
  const data = parseInput(appointmentInputSchema, input);
  let teacherId: string;
  if (actor.role === "teacher") {
    if (data.teacherId && data.teacherId !== actor.id) {
      throw new Forbidden(
        "not_your_appointment",
        "guestbook.not_your_appointment",
      );
    }
    teacherId = actor.id;
  } else {
    if (!data.teacherId) {
      throw new ValidationError({ teacherId: "field.required" });
    }
    teacherId = data.teacherId;
  }
  const startsAt = data.startsAt;
  if (startsAt.getTime() < now.getTime() - CLOCK_SKEW_MINUTES * 60_000) {
    throw new ValidationError({ startsAt: "guestbook.starts_in_past" });
  }
  const localDate = localDateOf(startsAt);
  if (localDate > addDays(todayLocal(now), config.appointmentMaxDaysAhead)) {
    throw new ValidationError({ startsAt: "guestbook.starts_too_far" });
  }
  const teacher = await requireActiveTeacher(teacherId);
  const { guest, password } = await guestFor(data);

  const iso = now.toISOString();
  const appointment: Appointment = {
    schemaVersion: 1,
    id: newId(now.getTime()),
    teacherId,
    teacherName: teacher.name,
    guestId: guest.id,
    guestName: data.guestName,
    purpose: data.purpose,
    startsAt: startsAt.toISOString(),
    localDate,
    status: "scheduled",
    late: null,
    checkedInAt: null,
    checkedInBy: null,
    pickedUpAt: null,
    finishedAt: null,
    cancelledAt: null,
    cancelledBy: null,
    noShowAt: null,
    createdAt: iso,
    createdBy: actor.id,
    updatedAt: iso,
    walkIn: false,
    archived: false,
    qrKeyId: await currentQrKeyId(),
    rating: null,
  };
  if (!(await insertAppointmentRecord(appointment))) {
    throw new Conflict("concurrent_update", "error.conflict");
  }
  const token = await signQrToken(
    appointment.id,
    localDate,
    appointment.qrKeyId,
  );
  const qrCode = qrText(token);
  if (opts.email !== false && guest.email) {
    try {
      const { sendAppointmentEmail } = await import("./delivery.ts");
      await sendAppointmentEmail(appointment, {
        to: guest.email,
        lang: opts.lang ?? guest.lang,
        password,
      });
    } catch (err) {
      log("warn", "appointment e-mail not sent", {
        appointmentId: appointment.id,
        error: String(err),
      });
    }
  }
  return {
    appointment,
    qrCode,
    token,
    guest: guestView(guest),
    guestPassword: password,
  };
}

/**
 * Registers a walk-in (PRODUCT.md §2.6): creates the appointment already
 * checked in (`waiting`, time = now, not late) and the teacher's `guest_arrived`
 * notification in the same commit.
 * @throws Forbidden unless receptionist/admin; ValidationError as {@link createAppointment}.
 */
export async function registerWalkIn(
  input: unknown,
  actor: Actor,
  now: Date = new Date(),
): Promise<CreatedAppointment & { notificationId: string }> {
  if (!STAFF.includes(actor.role)) throw new Forbidden();
  const data = parseInput(walkInInputSchema, input);
  const teacher = await requireActiveTeacher(data.teacherId);
  const { guest, password } = await guestFor(data);
  const iso = now.toISOString();
  const appointment: Appointment = {
    schemaVersion: 1,
    id: newId(now.getTime()),
    teacherId: teacher.id,
    teacherName: teacher.name,
    guestId: guest.id,
    guestName: data.guestName,
    purpose: data.purpose,
    startsAt: iso,
    localDate: localDateOf(now),
    status: "waiting",
    late: false,
    checkedInAt: iso,
    checkedInBy: actor.id,
    pickedUpAt: null,
    finishedAt: null,
    cancelledAt: null,
    cancelledBy: null,
    noShowAt: null,
    createdAt: iso,
    createdBy: actor.id,
    updatedAt: iso,
    walkIn: true,
    archived: false,
    qrKeyId: await currentQrKeyId(),
    rating: null,
  };
  const kv = await getKv();
  const op = writeOps(
    kv.atomic().check({
      key: appointmentKey(appointment.id),
      versionstamp: null,
    }),
    null,
    appointment,
  );
  const { id: notificationId } = addNotificationOps(op, {
    userId: teacher.id,
    kind: "guest_arrived",
    data: arrivalData(appointment),
  });
  if (!(await op.commit()).ok) {
    throw new Conflict("concurrent_update", "error.conflict");
  }
  const token = await signQrToken(
    appointment.id,
    appointment.localDate,
    appointment.qrKeyId,
  );
  return {
    appointment,
    qrCode: qrText(token),
    token,
    guest: guestView(guest),
    guestPassword: password,
    notificationId,
  };
}

function arrivalData(a: Appointment): Record<string, unknown> {
  return {
    appointmentId: a.id,
    guestName: a.guestName,
    purpose: a.purpose,
    arrivedAt: a.checkedInAt,
    late: a.late === true,
  };
}

// ---------------------------------------------------------------- QR verify / check-in

/** What a valid scan leads to. */
export type QrOutcome =
  | {
    outcome: "check_in";
    appointment: Appointment; /** would be late if checked in now */
    late: boolean;
  }
  | { outcome: "review"; appointment: Appointment; reviewed: boolean };

function isLate(a: Pick<Appointment, "startsAt">, at: Date): boolean {
  return at.getTime() >
    Date.parse(a.startsAt) + config.lateGraceMinutes * 60_000;
}

/**
 * Decides what a scan of `a` (token day `tokenDay`) means at `now`, or throws
 * the refusal. Order: cancelled, finished (→ review), already checked in,
 * wrong day, no-show.
 */
function decideScan(a: Appointment, tokenDay: string, now: Date): QrOutcome {
  if (a.status === "cancelled") {
    throw new Conflict("qr_cancelled", "guestbook.qr.cancelled");
  }
  if (a.status === "finished") {
    if (a.archived) {
      throw new Conflict("qr_wrong_day", "guestbook.qr.wrong_day", {
        date: a.localDate,
      });
    }
    return { outcome: "review", appointment: a, reviewed: a.rating !== null };
  }
  if (a.status === "waiting" || a.status === "in_meeting") {
    throw new Conflict(
      "qr_already_checked_in",
      "guestbook.qr.already_checked_in",
      {
        time: a.checkedInAt ? localTimeOf(a.checkedInAt) : "",
      },
    );
  }
  if (
    tokenDay !== a.localDate || a.localDate !== todayLocal(now) ||
    a.status !== "scheduled"
  ) {
    throw new Conflict("qr_wrong_day", "guestbook.qr.wrong_day", {
      date: a.localDate,
    });
  }
  return { outcome: "check_in", appointment: a, late: isLate(a, now) };
}

/**
 * Verifies a scanned code without changing anything (`GET /api/appointments/qr/{code}`).
 * @param code the QR text (`…/g/<token>`) or the bare token
 * @returns `check_in` for a scheduled appointment of today, `review` for a finished one
 * @throws BadRequest `qr_malformed` / `qr_bad_signature`; NotFound `qr_not_found`;
 *   Conflict `qr_cancelled`, `qr_already_checked_in`, `qr_wrong_day`
 */
export async function verifyQr(
  code: string,
  now: Date = new Date(),
): Promise<QrOutcome> {
  const t = await verifyQrToken(code);
  const a = await getAppointment(t.appointmentId);
  if (!a) throw new NotFound("qr_not_found", "guestbook.qr.not_found");
  return decideScan(a, t.localDate, now);
}

/**
 * The appointment a code belongs to, for the guest's public page `/g/<token>`
 * (QR, status, review form). Checks format and signature only — any day, any
 * status — since holding the signed link is what grants the view.
 * @returns the appointment, its review state, and whether the code would check in today
 * @throws BadRequest `qr_malformed` / `qr_bad_signature`; NotFound `qr_not_found`
 *   (also for a stale token signed for another day than the appointment's)
 */
export async function getAppointmentByCode(
  code: string,
  now: Date = new Date(),
): Promise<
  {
    appointment: Appointment;
    token: string;
    qrCode: string;
    reviewable: boolean;
    checkInToday: boolean;
  }
> {
  const t = await verifyQrToken(code);
  const a = await getAppointment(t.appointmentId);
  if (!a || a.localDate !== t.localDate) {
    throw new NotFound("qr_not_found", "guestbook.qr.not_found");
  }
  const token = await signQrToken(a.id, a.localDate, t.keyId);
  return {
    appointment: a,
    token,
    qrCode: qrText(token),
    reviewable: a.status === "finished" && !a.archived && a.rating === null,
    checkInToday: a.status === "scheduled" && a.localDate === todayLocal(now),
  };
}

/**
 * Checks a guest in by their code (PRODUCT.md §2.3–2.4): scheduled → waiting,
 * `late` when `now` is after `startsAt + config.lateGraceMinutes`, and the
 * teacher's `guest_arrived` notification — all in one commit guarded by the
 * appointment's versionstamp, so concurrent scans give exactly one check-in.
 * @param actor receptionist or admin
 * @throws Forbidden; the refusals of {@link verifyQr}; Conflict `qr_review_available`
 *   when the meeting is finished (the desk should offer the review instead)
 */
export async function checkIn(
  code: string,
  actor: Actor,
  now: Date = new Date(),
): Promise<
  { appointment: Appointment; late: boolean; notificationId: string }
> {
  if (!STAFF.includes(actor.role)) throw new Forbidden();
  const t = await verifyQrToken(code);
  let notificationId = "";
  const appointment = await transition(
    t.appointmentId,
    (a) => {
      const d = decideScan(a, t.localDate, now);
      if (d.outcome === "review") {
        throw new Conflict(
          "qr_review_available",
          "guestbook.qr.review_available",
        );
      }
      const iso = now.toISOString();
      return {
        ...a,
        status: "waiting",
        late: d.late,
        checkedInAt: iso,
        checkedInBy: actor.id,
        updatedAt: iso,
      };
    },
    () => new NotFound("qr_not_found", "guestbook.qr.not_found"),
    (op, next) => {
      notificationId = addNotificationOps(op, {
        userId: next.teacherId,
        kind: "guest_arrived",
        data: arrivalData(next),
      }).id;
    },
  );
  return { appointment, late: appointment.late === true, notificationId };
}

// ---------------------------------------------------------------- status changes

/**
 * Moves an appointment to `status` (`PUT /api/appointments/{id}/status`):
 * - `in_meeting` ("picked up", from waiting) and `finished` (from in_meeting):
 *   the appointment's teacher or an admin;
 * - `cancelled` (from scheduled): the appointment's teacher, receptionist, admin.
 * @throws NotFound `appointment_not_found` (also when not the caller's); Forbidden
 *   (role may not do this); Conflict `invalid_transition` {from, to}
 */
export async function setAppointmentStatus(
  id: string,
  status: "in_meeting" | "finished" | "cancelled",
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
  const markerKey: Deno.KvKey = ["settings", "no_show_through"];
  const through = (await kv.get<string>(markerKey)).value;
  const start: Deno.KvKey = through
    ? ["appointments_by_day", addDays(today, -NO_SHOW_LOOKBACK_DAYS)]
    : ["appointments_by_day"];
  const ids: string[] = [];
  for await (
    const e of kv.list<Appointment>({
      start,
      end: ["appointments_by_day", today],
    }, { batchSize: 500 })
  ) {
    if (e.value.status === "scheduled") ids.push(e.value.id);
  }
  let n = 0;
  const iso = now.toISOString();
  for (const id of ids) {
    try {
      await transition(id, (a) => {
        if (a.status !== "scheduled" || a.localDate >= today) {
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

// ---------------------------------------------------------------- internal for other guestbook modules

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
