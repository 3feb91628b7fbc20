import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { parseInput, readBody } from "@/lib/validation.ts";
import { appointmentSchema, statusInputSchema } from "@/lib/guestbook/model.ts";
import { setAppointmentStatus } from "@/lib/guestbook/status.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `PUT /api/appointments/{id}/status` `{ status: "in_meeting" | "finished" | "cancelled" | "no_show" }`
 * — "picked up" (`in_meeting`, from waiting) and `finished` (from in_meeting) by the
 * appointment's teacher or an admin; `cancelled` (from scheduled) by its teacher,
 * receptionist or admin; `no_show` (from scheduled, after the start time) by
 * receptionist or admin. → `{ appointment }`; 409 `invalid_transition`,
 * `no_show_too_early`; 404 when not the caller's.
 */
export const handler = define.handlers({
  async PUT(ctx) {
    const user = requireRole(ctx, "teacher", "receptionist", "admin");
    const { status } = parseInput(statusInputSchema, await readBody(ctx.req));
    return Response.json({
      appointment: await setAppointmentStatus(ctx.params.id, status, user),
    });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  put: {
    tags: ["guestbook"],
    summary:
      "Picked up (`in_meeting`), `finished` (teacher/admin), `cancelled` (teacher/receptionist/admin) or `no_show` (receptionist/admin, after the start time)",
    security: AUTH,
    path: idPath("Appointment id (ULID)"),
    body: statusInputSchema,
    responses: {
      200: { description: "Moved", schema: z.object({ appointment: appointmentSchema }) },
      400: "`validation_failed` (status)",
      401: "Not signed in",
      403: "Role may not do this",
      404: "`appointment_not_found`",
      409: "`invalid_transition`, `no_show_too_early`",
    },
  },
});
