/**
 * Creating appointments: the teacher's (or desk's) booking and the walk-in
 * registered at the desk. Rules of who may create what: `model.ts`.
 */
import { getUser, type User, usersOfRole } from "@/lib/auth/users.ts";
import { config } from "@/lib/config.ts";
import { getKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { Conflict, Forbidden, ValidationError } from "@/lib/errors.ts";
import { parseInput } from "@/lib/validation.ts";
import { log } from "@/lib/log.ts";
import { addNotificationOps } from "@/lib/notify/notifications.ts";
import { sendAppointmentEmail } from "./delivery.ts";
import { findOrCreateGuest, type GuestView, guestView } from "./guests.ts";
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
import { addDays, localDateOf, todayLocal } from "./time.ts";

/** Active teachers, by name (the teacher picker of the walk-in and staff forms). */
export async function listActiveTeachers(): Promise<
  { id: string; name: string }[]
> {
  return (await usersOfRole("teacher"))
    .filter((u) => u.status === "active")
    .map((u) => ({ id: u.id, name: u.name }))
    .sort((a, b) => a.name.localeCompare(b.name, "id"));
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
