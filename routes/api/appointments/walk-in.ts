import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody } from "@/lib/validation.ts";
import { registerWalkIn } from "@/lib/guestbook/create.ts";
import { createdAppointmentResponseSchema, walkInInputSchema } from "@/lib/guestbook/model.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";

/**
 * `POST /api/appointments/walk-in` `{ guestName, guestPhone, guestEmail?, purpose, teacherId }`
 * — receptionist or admin: registers and checks in at once (time = now), the teacher
 * is notified in the same commit. → 201 `{ appointment, qrCode, guest, guestPassword? }`.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireRole(ctx, "receptionist", "admin");
    const r = await registerWalkIn(await readBody(ctx.req), user);
    return Response.json({
      appointment: r.appointment,
      qrCode: r.qrCode,
      guest: r.guest,
      ...(r.guestPassword ? { guestPassword: r.guestPassword } : {}),
    }, { status: 201 });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["guestbook"],
    summary: "Register a walk-in and check in at once (receptionist/admin)",
    security: AUTH,
    body: walkInInputSchema,
    responses: {
      201: { description: "Created as waiting; the teacher is notified", schema: createdAppointmentResponseSchema },
      400: "`validation_failed`",
      401: "Not signed in",
      403: "Role may not do this",
    },
  },
});
