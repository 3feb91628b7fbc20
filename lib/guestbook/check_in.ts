/**
 * QR verification and check-in at the desk: what a scanned code means
 * ({@link verifyQr}), the guest's public page look-up ({@link getAppointmentByCode})
 * and the check-in itself ({@link checkIn}, scheduled → waiting).
 */
import { config } from "@/lib/config.ts";
import { Conflict, Forbidden, NotFound } from "@/lib/errors.ts";
import { addNotificationOps } from "@/lib/notify/notifications.ts";
import { type Actor, type Appointment, appointmentSchema, arrivalData, STAFF } from "./model.ts";
import { z } from "@/lib/validation.ts";
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
  }),
  z.object({ outcome: z.literal("review"), appointment: appointmentSchema, reviewed: z.boolean() }),
]).describe("What a scanned code means now");
/** What a scanned code means now (see {@link qrOutcomeSchema}). */
export type QrOutcome = z.infer<typeof qrOutcomeSchema>;

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
    reviewable: isReviewable(a),
    checkInToday: a.status === "scheduled" && a.localDate === todayLocal(now),
  };
}

/**
 * Checks a guest in by their code: scheduled → waiting,
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
