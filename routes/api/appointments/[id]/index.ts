import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { getAppointmentFor } from "@/lib/guestbook/store.ts";
import { appointmentQrCode } from "@/lib/guestbook/qr_token.ts";
import { getReview } from "@/lib/guestbook/reviews.ts";
import { appointmentSchema } from "@/lib/guestbook/model.ts";
import { reviewSchema } from "@/lib/guestbook/reviews.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

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

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "One appointment with its QR text and review",
    security: AUTH,
    path: idPath("Appointment id (ULID)"),
    responses: {
      200: {
        description: "The appointment",
        schema: z.object({ appointment: appointmentSchema, qrCode: z.string(), review: reviewSchema.nullable() }),
      },
      401: "Not signed in",
      403: "Role may not do this",
      404: "`appointment_not_found` (also when not the caller's)",
    },
  },
});
