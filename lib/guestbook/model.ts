/**
 * The appointment model of the front desk (guest book): the record, its
 * statuses, who counts as desk staff, and the zod schemas of every request body
 * that creates or changes an appointment. No storage here (see `store.ts`).
 *
 * Status machine, each arrow one atomic commit guarded by the primary key's
 * versionstamp (a lost race re-reads and re-decides, so two receptionists
 * scanning one code give exactly one check-in):
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
 * - create: a teacher for themself; receptionist/admin for any active teacher
 *   (`create.ts`);
 * - check-in, walk-in: receptionist, admin (`check_in.ts`, `create.ts`);
 * - picked up (`in_meeting`), `finished`: the appointment's teacher, admin (`status.ts`);
 * - cancel: the appointment's teacher, receptionist, admin (`status.ts`);
 * - read: admin/receptionist all; a teacher their own; a guest their own (`store.ts`).
 *
 * Key layout: `lib/guestbook/keys.ts`.
 */
import type { Role, User } from "@/lib/auth/users.ts";
import { config } from "@/lib/config.ts";
import { isId } from "@/lib/db/ids.ts";
import { calendarDate, instant, ulid, z } from "@/lib/validation.ts";
import { guestEmailSchema, guestForRoleSchema, guestNameSchema, guestPhoneSchema } from "./guests.ts";
import { startsAtParam } from "./time.ts";

/** Every appointment status, in the order of the status machine above (the one list: the type, reports and OpenAPI derive from it). */
export const appointmentStatusSchema = z.enum(
  ["scheduled", "waiting", "in_meeting", "finished", "cancelled", "no_show"],
  "field.invalid_choice",
);
/** One of {@link APPOINTMENT_STATUSES}. */
export type AppointmentStatus = z.infer<typeof appointmentStatusSchema>;
/** Every appointment status, in machine order. */
export const APPOINTMENT_STATUSES: readonly AppointmentStatus[] = appointmentStatusSchema.options;
/** Statuses that mean the guest arrived (a "visit" in reports). */
export const VISIT_STATUSES: readonly AppointmentStatus[] = [
  "waiting",
  "in_meeting",
  "finished",
];

/**
 * A guest appointment as stored and answered (OpenAPI component `Appointment`).
 * Instants are UTC ISO strings; `localDate` is in `config.timeZone`.
 */
export const appointmentSchema = z.object({
  schemaVersion: z.literal(1),
  id: ulid,
  teacherId: ulid,
  teacherName: z.string().describe("Teacher's name when the appointment was made (lists, scanner result)"),
  guestId: ulid,
  guestName: z.string().describe("Guest's name as typed for this appointment"),
  purpose: z.string(),
  startsAt: instant.describe("Scheduled start (UTC); for a walk-in, the arrival"),
  localDate: calendarDate.describe("Local date of `startsAt` (TIME_ZONE); the QR is valid on this day only"),
  status: appointmentStatusSchema,
  late: z.boolean().nullable().describe("Arrived after startsAt + LATE_GRACE_MINUTES; null until checked in"),
  // Absent on records written before this field existed: `punctualityOf` then derives it from `checkedInAt`.
  early: z.boolean().nullable().optional().describe(
    "Arrived more than EARLY_MINUTES before startsAt; null until checked in",
  ),
  checkedInAt: instant.nullable(),
  checkedInBy: ulid.nullable(),
  pickedUpAt: instant.nullable().describe('Teacher met the guest ("picked up"): ends the waiting time'),
  finishedAt: instant.nullable(),
  cancelledAt: instant.nullable(),
  cancelledBy: ulid.nullable(),
  noShowAt: instant.nullable(),
  createdAt: instant,
  createdBy: ulid,
  updatedAt: instant,
  walkIn: z.boolean(),
  archived: z.boolean().describe("Moved out of the active listings by retention (still in reports)"),
  qrKeyId: z.int().describe("Key id that signs this appointment's QR token"),
  rating: z.int().min(1).max(5).nullable().describe("Review stars (1–5) once reviewed, else null"),
});
/** A guest appointment (see {@link appointmentSchema}). */
export type Appointment = z.infer<typeof appointmentSchema>;

/** The API answer of `POST /api/appointments` and `/api/appointments/walk-in` (OpenAPI `CreatedAppointment`). */
export const createdAppointmentResponseSchema = z.object({
  appointment: appointmentSchema,
  qrCode: z.string().describe("Exact QR text: `${BASE_URL}/g/<48-char token>`"),
  guest: guestForRoleSchema.describe("Whole for the desk; id, typed name and phone for a teacher"),
  whatsappUrl: z.url().optional().describe("wa.me click-to-chat link (create only)"),
  guestPassword: z.string().optional().describe("Only when the guest was created by this call (show once)"),
});

/** Who acts: the signed-in user (only id and role are used). */
export type Actor = Pick<User, "id" | "role">;

/** Desk staff: may check in, register walk-ins, cancel and see every appointment. */
export const STAFF: readonly Role[] = ["receptionist", "admin"];
/** Allowed clock skew when checking "not in the past" (minutes). */
export const CLOCK_SKEW_MINUTES = 2;

// ---------------------------------------------------------------- punctuality

/** How a check-in relates to the scheduled time (see {@link punctualityAt}). */
export const punctualitySchema = z.enum(["early", "on_time", "late"]).describe(
  "early = more than EARLY_MINUTES before the start; late = after the start + LATE_GRACE_MINUTES",
);
/** One of {@link punctualitySchema}. */
export type Punctuality = z.infer<typeof punctualitySchema>;

/**
 * Punctuality of an arrival at `at` for an appointment starting at `startsAt`:
 * - `late`: after `startsAt + config.lateGraceMinutes` (default 15);
 * - `early`: more than `config.earlyMinutes` (default 60) before `startsAt`;
 * - `on_time`: in between (both bounds included).
 * Rule: `docs/domain-rules.md` "Arrival".
 */
export function punctualityAt(startsAt: string, at: Date | string): Punctuality {
  const t = typeof at === "string" ? Date.parse(at) : at.getTime();
  const s = Date.parse(startsAt);
  if (t > s + config.lateGraceMinutes * 60_000) return "late";
  if (t < s - config.earlyMinutes * 60_000) return "early";
  return "on_time";
}

/**
 * The stored punctuality of a checked-in appointment (null before check-in):
 * `late` and `early` as recorded at check-in; a record without `early` (written
 * before it existed) is early when its `checkedInAt` is, by {@link punctualityAt}.
 * Walk-ins are always `on_time`.
 */
export function punctualityOf(
  a: Pick<Appointment, "late" | "early" | "checkedInAt" | "startsAt" | "walkIn">,
): Punctuality | null {
  if (!a.checkedInAt || a.late === null) return null;
  if (a.late) return "late";
  if (a.walkIn) return "on_time";
  const early = typeof a.early === "boolean" ? a.early : punctualityAt(a.startsAt, a.checkedInAt) === "early";
  return early ? "early" : "on_time";
}

// ---------------------------------------------------------------- request bodies

const purposeSchema = z.string().trim().min(1, "field.required").max(
  500,
  "field.too_long",
);
/** A teacher picked in a form: an empty choice says "choose a teacher", not "invalid". */
const teacherIdSchema = z.string().min(1, "guestbook.teacher_required").refine((s) => isId(s), "field.invalid");
/** Start time: ISO 8601 / `datetime-local`, inside the calendar window (see `startsAtParam`). */
const startsAtSchema = startsAtParam;

/**
 * Body of "create appointment" (`POST /api/appointments`, the teacher's form).
 * `startsAt`: ISO 8601 with offset, or a `datetime-local` value read in `config.timeZone`.
 * `teacherId` only for receptionist/admin.
 */
export const appointmentInputSchema = z.object({
  teacherId: teacherIdSchema.optional(),
  guestName: guestNameSchema,
  guestPhone: guestPhoneSchema,
  guestEmail: guestEmailSchema,
  purpose: purposeSchema,
  startsAt: startsAtSchema,
});
export type AppointmentInput = z.input<typeof appointmentInputSchema>;

/** Body of "walk-in" (`POST /api/appointments/walk-in`). */
export const walkInInputSchema = appointmentInputSchema.omit({ startsAt: true }).extend({ teacherId: teacherIdSchema });
export type WalkInInput = z.input<typeof walkInInputSchema>;

/** Body of `PUT /api/appointments/{id}/status`. */
export const statusInputSchema = z.object({
  status: appointmentStatusSchema.extract(["in_meeting", "finished", "cancelled", "no_show"], "field.invalid_choice"),
});
/** A status that `PUT /api/appointments/{id}/status` may set. */
export type StatusChange = z.output<typeof statusInputSchema>["status"];

/** Body of `POST /api/appointments/check-in` and the code in `GET /api/appointments/qr/{code}`. */
export const codeInputSchema = z.object({
  code: z.string().trim().min(1, "field.required").max(512, "field.too_long"),
});
// ---------------------------------------------------------------- notification payload

/** @internal Data of the teacher's `guest_arrived` notification (check-in and walk-in). */
export function arrivalData(a: Appointment): Record<string, unknown> {
  return {
    appointmentId: a.id,
    guestName: a.guestName,
    purpose: a.purpose,
    arrivedAt: a.checkedInAt,
    late: a.late === true,
    // Only when true, so the payload of an ordinary arrival stays as it was.
    ...(punctualityOf(a) === "early" ? { early: true } : {}),
  };
}
