import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { getAppointmentFor } from "@/lib/guestbook/store.ts";
import { appointmentQrCode } from "@/lib/guestbook/qr_token.ts";
import { getReview } from "@/lib/guestbook/reviews.ts";

/**
 * `GET /api/appointments/{id}` — one appointment the caller may see (staff: any;
 * teacher/guest: own; else 404) with its QR text and review:
 * `{ appointment, qrCode, review: Review | null }`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "teacher", "guest", "receptionist", "admin");
    const appointment = await getAppointmentFor(user, ctx.params.id);
    return Response.json({
      appointment,
      qrCode: await appointmentQrCode(appointment),
      review: await getReview(appointment.id),
    });
  },
});
