/**
 * QR verification and check-in at the desk: what a scanned code means
 * ({@link verifyQr}), the guest's public page look-up ({@link getAppointmentByCode}),
 * the check-in itself ({@link checkIn}, scheduled → waiting) and the manual
 * check-in of a guest without their QR ({@link checkInManually}).
 */
import { type AppError, Conflict, Forbidden, NotFound, ValidationError } from "@/lib/errors.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { addNotificationOps } from "@/lib/notify/notifications.ts";
import { getGuest, guestNameSchema, guestPhoneSchema } from "./guests.ts";
import {
  type Actor,
  type Appointment,
  appointmentSchema,
  arrivalData,
  type Punctuality,
  punctualityAt,
  punctualityOf,
  punctualitySchema,
  STAFF,
} from "./model.ts";
import { qrText, signQrToken, verifyQrToken } from "./qr_token.ts";
import { isReviewable } from "./reviews.ts";
import { getAppointment, transition } from "./store.ts";
import { localTimeOf, todayLocal } from "./time.ts";

/** What a valid scan leads to. */
export const qrOutcomeSchema = z.discriminatedUnion("outcome", [
  z.object({
    outcome: z.literal("check_in"),
    appointment: appointmentSchema,
    late: z.boolean().describe("Would be late if checked in now"),
    early: z.boolean().describe("Would be early if checked in now"),
    punctuality: punctualitySchema,
  }),
  z.object({ outcome: z.literal("review"), appointment: appointmentSchema, reviewed: z.boolean() }),
]).describe("What a scanned code means now");
/** What a scanned code means now (see {@link qrOutcomeSchema}). */
export type QrOutcome = z.infer<typeof qrOutcomeSchema>;

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
  const punctuality = punctualityAt(a.startsAt, now);
  return {
    outcome: "check_in",
    appointment: a,
    late: punctuality === "late",
    early: punctuality === "early",
    punctuality,
  };
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
    reviewable: isReviewable(a),
    checkInToday: a.status === "scheduled" && a.localDate === todayLocal(now),
  };
}

/** The API answer of a check-in (by QR or manual). */
export const checkInResponseSchema = z.object({
  appointment: appointmentSchema,
  late: z.boolean(),
  early: z.boolean().describe("More than EARLY_MINUTES before the start"),
  punctuality: punctualitySchema,
});

/** Result of a check-in (by QR or manual). */
export interface CheckInResult {
  appointment: Appointment;
  late: boolean;
  early: boolean;
  punctuality: Punctuality;
  /** Id of the teacher's `guest_arrived` notification. */
  notificationId: string;
}

/**
 * Commits scheduled → waiting for appointment `id` after `refuse` accepted the
 * current record (it throws to refuse), with the teacher's `guest_arrived`
 * notification in the same commit guarded by the appointment's versionstamp,
 * so concurrent check-ins give exactly one.
 */
async function commitCheckIn(
  id: string,
  refuse: (a: Appointment) => void,
  actor: Actor,
  now: Date,
  notFound?: () => AppError,
): Promise<CheckInResult> {
  let notificationId = "";
  const appointment = await transition(
    id,
    (a) => {
      refuse(a);
      const iso = now.toISOString();
      const punctuality = punctualityAt(a.startsAt, now);
      return {
        ...a,
        status: "waiting",
        late: punctuality === "late",
        early: punctuality === "early",
        checkedInAt: iso,
        checkedInBy: actor.id,
        updatedAt: iso,
      };
    },
    notFound,
    (op, next) => {
      notificationId = addNotificationOps(op, {
        userId: next.teacherId,
        kind: "guest_arrived",
        data: arrivalData(next),
      }).id;
    },
  );
  const punctuality = punctualityOf(appointment) ?? "on_time";
  return {
    appointment,
    late: punctuality === "late",
    early: punctuality === "early",
    punctuality,
    notificationId,
  };
}

/**
 * Checks a guest in by their code: scheduled → waiting, with `late` / `early`
 * by {@link punctualityAt}, and the teacher's `guest_arrived` notification — all
 * in one commit guarded by the appointment's versionstamp, so concurrent scans
 * give exactly one check-in.
 * @param actor receptionist or admin
 * @throws Forbidden; the refusals of {@link verifyQr}; Conflict `qr_review_available`
 *   when the meeting is finished (the desk should offer the review instead)
 * @example
 * ```ts
 * const r = await checkIn(scannedText, receptionist); // a bare token or a BASE_URL /g/<token> link
 * // r.appointment.status === "waiting"; r.punctuality is "on_time" | "late" | "early"
 * ```
 */
export async function checkIn(
  code: string,
  actor: Actor,
  now: Date = new Date(),
): Promise<CheckInResult> {
  if (!STAFF.includes(actor.role)) throw new Forbidden();
  const t = await verifyQrToken(code);
  return await commitCheckIn(
    t.appointmentId,
    (a) => {
      if (decideScan(a, t.localDate, now).outcome === "review") {
        throw new Conflict("qr_review_available", "guestbook.qr.review_available");
      }
    },
    actor,
    now,
    () => new NotFound("qr_not_found", "guestbook.qr.not_found"),
  );
}

/** Body of a manual check-in (`POST /api/appointments/{id}/check-in`): what the guest tells the desk. */
export const manualCheckInInputSchema = z.object({
  guestName: guestNameSchema,
  guestPhone: guestPhoneSchema,
});

/** A name as people type it: Unicode NFC, case-folded, inner spaces collapsed. */
function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase("id");
  return norm(a) === norm(b);
}

/**
 * Checks a guest in without their QR (lost or unreadable phone): the
 * receptionist types the name and phone the guest gives, and they must match
 * the appointment's guest — the name as written on the appointment or the
 * guest's current name (case and spacing ignored), and the guest's phone (any
 * format, compared canonically). Then the same commit as {@link checkIn}.
 * @param input `{ guestName, guestPhone }`
 * @param actor receptionist or admin
 * @throws Forbidden; NotFound `appointment_not_found`; ValidationError
 *   `guestName` `guestbook.checkin.name_mismatch` / `guestPhone`
 *   `guestbook.checkin.phone_mismatch` (also the field rules of the schema);
 *   Conflict `appointment_cancelled`, `already_checked_in` {time},
 *   `not_today` {date} (another day, or already a no-show)
 */
export async function checkInManually(
  id: string,
  input: unknown,
  actor: Actor,
  now: Date = new Date(),
): Promise<CheckInResult> {
  if (!STAFF.includes(actor.role)) throw new Forbidden();
  const data = parseInput(manualCheckInInputSchema, input);
  const a = await getAppointment(id);
  if (!a) throw new NotFound("appointment_not_found", "guestbook.appointment_not_found");
  const guest = await getGuest(a.guestId);
  const fields: Record<string, string> = {};
  if (!sameName(data.guestName, a.guestName) && !(guest && sameName(data.guestName, guest.name))) {
    fields.guestName = "guestbook.checkin.name_mismatch";
  }
  if (!guest?.phone || guest.phone !== data.guestPhone) fields.guestPhone = "guestbook.checkin.phone_mismatch";
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return await commitCheckIn(
    id,
    (cur) => {
      if (cur.status === "cancelled") {
        throw new Conflict("appointment_cancelled", "guestbook.qr.cancelled");
      }
      if (cur.checkedInAt || cur.status === "waiting" || cur.status === "in_meeting" || cur.status === "finished") {
        throw new Conflict("already_checked_in", "guestbook.qr.already_checked_in", {
          time: cur.checkedInAt ? localTimeOf(cur.checkedInAt) : "",
        });
      }
      if (cur.status !== "scheduled" || cur.localDate !== todayLocal(now)) {
        throw new Conflict("not_today", "guestbook.checkin.not_today", { date: cur.localDate });
      }
    },
    actor,
    now,
  );
}
