import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody } from "@/lib/validation.ts";
import { checkInManually, checkInResponseSchema, manualCheckInInputSchema } from "@/lib/guestbook/check_in.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";

/**
 * `POST /api/appointments/{id}/check-in` `{ guestName, guestPhone }` — manual
 * check-in of a guest who lost their QR, receptionist or admin: the name and
 * phone the guest gives must match the appointment's guest. → 200
 * `{ appointment, late, early, punctuality }`. Refusals: 422 `validation`
 * (`guestName` / `guestPhone` mismatch or invalid), 404 `appointment_not_found`,
 * 409 `appointment_cancelled`, `already_checked_in`, `not_today`.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireRole(ctx, "receptionist", "admin");
    const { appointment, late, early, punctuality } = await checkInManually(
      ctx.params.id,
      await readBody(ctx.req),
      user,
    );
    return Response.json({ appointment, late, early, punctuality });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["guestbook"],
    summary: "Check a guest in without their QR (receptionist/admin): name and phone must match the guest",
    security: AUTH,
    path: idPath("Appointment id (ULID)"),
    body: manualCheckInInputSchema,
    responses: {
      200: { description: "Checked in; the teacher is notified", schema: checkInResponseSchema },
      400: "`validation_failed` (a field is invalid or does not match the appointment's guest)",
      401: "Not signed in",
      403: "Role may not do this",
      404: "`appointment_not_found`",
      409: "`appointment_cancelled`, `already_checked_in`, `not_today`",
    },
  },
});
