/**
 * Creating appointments: the teacher's (or desk's) booking and the walk-in
 * registered at the desk. Rules of who may create what: `model.ts`.
 */
import { getUser, getUserByPhone, type User, usersOfRole } from "@/lib/auth/users.ts";
import { config } from "@/lib/config.ts";
import { getKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { Conflict, Forbidden, ValidationError } from "@/lib/errors.ts";
import { validationErrorOf, type z } from "@/lib/validation.ts";
import { log } from "@/lib/log.ts";
import { addNotificationOps } from "@/lib/notify/notifications.ts";
import { sendAppointmentEmail } from "./delivery.ts";
import {
  findOrCreateGuest,
  guestPhoneSchema,
  type GuestRef,
  type GuestView,
  guestView,
  guestViewFor,
} from "./guests.ts";
import { appointmentKey } from "./keys.ts";
import {
  type Actor,
  type Appointment,
  appointmentInputSchema,
  arrivalData,
  CLOCK_SKEW_MINUTES,
  STAFF,
  walkInInputSchema,
} from "./model.ts";
import { currentQrKeyId, qrText, signQrToken } from "./qr_token.ts";
import { insertAppointmentRecord, writeOps } from "./store.ts";
import { addDays, compareLocalDates, localDateOf, todayLocal } from "./time.ts";

/** Active teachers, by name (the teacher picker of the walk-in and staff forms). */
export async function listActiveTeachers(): Promise<
  { id: string; name: string }[]
> {
  return (await usersOfRole("teacher"))
    .filter((u) => u.status === "active")
    .map((u) => ({ id: u.id, name: u.name }))
    .sort((a, b) => a.name.localeCompare(b.name, "id"));
}

async function activeTeacher(teacherId: string): Promise<User | null> {
  const t = await getUser(teacherId);
  return t && t.role === "teacher" && t.status === "active" ? t : null;
}

/** The value of field `name` of `input` read through `schema`, or undefined when it is absent or invalid. */
function fieldValue<S extends z.ZodType>(schema: S, input: unknown, name: string): z.output<S> | undefined {
  const raw = input && typeof input === "object" ? (input as Record<string, unknown>)[name] : undefined;
  const r = schema.safeParse(raw);
  return r.success ? r.data : undefined;
}

/**
 * Validates a booking or walk-in body in one pass, so a form shows every problem
 * at once: all field rules of `schema` (zod checks every field), then, for the
 * fields that passed, the rules that need KV: `teacherId()` names an active
 * teacher (`guestbook.teacher_invalid`, or `field.required` when it gives none)
 * and the guest's phone is not a staff or client account (`guestbook.phone_unavailable`,
 * the answer of `findOrCreateGuest`, which names no account kind).
 * @returns the parsed body and the teacher
 * @throws ValidationError with every failing field
 */
async function validateAll<S extends z.ZodType<{ guestPhone: string }>>(
  schema: S,
  input: unknown,
  teacherId: (data: z.output<S> | null) => string | undefined,
): Promise<{ data: z.output<S>; teacher: User }> {
  const r = schema.safeParse(input, { reportInput: true });
  let err: ValidationError | null = r.success ? null : validationErrorOf(r.error);
  const add = (fields: Record<string, string>) => {
    const e = new ValidationError(fields);
    err = err ? err.merge(e) : e;
  };
  const tid = teacherId(r.success ? r.data : null);
  const teacher = tid ? await activeTeacher(tid) : null;
  if (!tid) {
    if (!err?.fields.teacherId) add({ teacherId: "field.required" });
  } else if (!teacher) add({ teacherId: "guestbook.teacher_invalid" });
  const phone = r.success ? r.data.guestPhone : fieldValue(guestPhoneSchema, input, "guestPhone");
  if (phone) {
    const owner = await getUserByPhone(phone);
    if (owner && owner.role !== "guest") add({ guestPhone: "guestbook.phone_unavailable" });
  }
  if (err || !r.success || !teacher) throw err ?? new ValidationError({ teacherId: "guestbook.teacher_invalid" });
  return { data: r.data, teacher };
}

/**
 * Finds or creates the guest of an appointment form (the rules of
 * `findOrCreateGuest`: a teacher's form never changes a known guest) and maps
 * guest-level validation errors onto the form's field names.
 */
async function guestFor(
  input: { guestName: string; guestPhone: string; guestEmail?: string },
  actor: Actor,
) {
  try {
    return await findOrCreateGuest({
      name: input.guestName,
      phone: input.guestPhone,
      email: input.guestEmail,
    }, { role: actor.role });
  } catch (err) {
    if (err instanceof ValidationError) {
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(err.fields)) {
        fields[`guest${k[0].toUpperCase()}${k.slice(1)}`] = v;
      }
      throw new ValidationError(fields);
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
  /** The whole guest for the desk; for a teacher only id, the typed name and phone (`guestViewFor`). */
  guest: GuestView | GuestRef;
  /** Generated portal password, only when the guest was created now (show once). */
  guestPassword: string | null;
}

/**
 * A new, scheduled appointment record with every lifecycle field empty (no
 * check-in, pick-up, finish, cancellation, no-show or rating yet). Times are UTC
 * ISO strings; `localDate` is the start's date in `config.timeZone`.
 */
function newAppointmentRecord(f: {
  now: Date;
  actor: Actor;
  teacher: { id: string; name: string };
  guestId: string;
  guestName: string;
  purpose: string;
  startsAt: string;
  localDate: string;
  qrKeyId: number;
}): Appointment {
  const iso = f.now.toISOString();
  return {
    schemaVersion: 1,
    id: newId(f.now.getTime()),
    teacherId: f.teacher.id,
    teacherName: f.teacher.name,
    guestId: f.guestId,
    guestName: f.guestName,
    purpose: f.purpose,
    startsAt: f.startsAt,
    localDate: f.localDate,
    status: "scheduled",
    late: null,
    early: null,
    checkedInAt: null,
    checkedInBy: null,
    pickedUpAt: null,
    finishedAt: null,
    cancelledAt: null,
    cancelledBy: null,
    noShowAt: null,
    createdAt: iso,
    createdBy: f.actor.id,
    updatedAt: iso,
    walkIn: false,
    archived: false,
    qrKeyId: f.qrKeyId,
    rating: null,
  };
}

/**
 * Creates an appointment. Validates `input` with
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
 * @example
 * ```ts
 * const { appointment, token } = await createAppointment({
 *   guestName: "Siti Aminah", guestPhone: "0812-3456-7890", purpose: "Pengambilan rapor",
 *   startsAt: "2026-12-02T09:30", // local wall time in TIME_ZONE, or ISO with an offset
 * }, teacher);
 * // appointment.status === "scheduled"; token goes into the guest's QR (/g/<token>)
 * ```
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
  const asked = fieldValue(appointmentInputSchema.shape.teacherId, input, "teacherId");
  if (actor.role === "teacher" && asked && asked !== actor.id) {
    throw new Forbidden("not_your_appointment", "guestbook.not_your_appointment");
  }
  const maxDate = addDays(todayLocal(now), config.appointmentMaxDaysAhead);
  const schema = appointmentInputSchema.extend({
    startsAt: appointmentInputSchema.shape.startsAt
      .refine((d) => d.getTime() >= now.getTime() - CLOCK_SKEW_MINUTES * 60_000, "guestbook.starts_in_past")
      .refine((d) => compareLocalDates(localDateOf(d), maxDate) <= 0, "guestbook.starts_too_far"),
  });
  const { data, teacher } = await validateAll(
    schema,
    input,
    (d) => actor.role === "teacher" ? actor.id : d ? d.teacherId : asked,
  );
  const startsAt = data.startsAt;
  const localDate = localDateOf(startsAt);
  const { guest, password } = await guestFor(data, actor);

  const appointment = newAppointmentRecord({
    now,
    actor,
    teacher,
    guestId: guest.id,
    guestName: data.guestName,
    purpose: data.purpose,
    startsAt: startsAt.toISOString(),
    localDate,
    qrKeyId: await currentQrKeyId(),
  });

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
    guest: guestViewFor(actor.role, guestView(guest), data.guestName),
    guestPassword: password,
  };
}

/**
 * Registers a walk-in: creates the appointment already
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
  const { data, teacher } = await validateAll(
    walkInInputSchema,
    input,
    (d) => d ? d.teacherId : fieldValue(walkInInputSchema.shape.teacherId, input, "teacherId"),
  );
  const { guest, password } = await guestFor(data, actor);
  const iso = now.toISOString();
  const appointment: Appointment = {
    ...newAppointmentRecord({
      now,
      actor,
      teacher,
      guestId: guest.id,
      guestName: data.guestName,
      purpose: data.purpose,
      startsAt: iso,
      localDate: localDateOf(now),
      qrKeyId: await currentQrKeyId(),
    }),
    status: "waiting",
    late: false,
    early: false,
    checkedInAt: iso,
    checkedInBy: actor.id,
    walkIn: true,
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
    guest: guestViewFor(actor.role, guestView(guest), data.guestName),
    guestPassword: password,
    notificationId,
  };
}
