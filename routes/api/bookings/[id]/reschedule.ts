import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody } from "@/lib/validation.ts";
import { bookingAnswerSchema, bookingView, rescheduleFromInput, rescheduleInputSchema } from "@/lib/booking/http.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";

/** `POST /api/bookings/{id}/reschedule {startsAt}` — the client moves a paid/confirmed booking once. */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireRole(ctx, "client");
    const r = await rescheduleFromInput(user, ctx.params.id, await readBody(ctx.req));
    return Response.json({ booking: bookingView(r.booking) });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["booking"],
    summary: "Reschedule a paid or confirmed booking to another free start of the same service (client, once)",
    description: "Until CANCEL_CUTOFF_HOURS before the start. Old cells are freed and new ones claimed in one " +
      "commit; the booking goes back to `paid` for the psychologist to confirm the new time.",
    security: AUTH,
    path: idPath("Booking id (ULID)"),
    body: rescheduleInputSchema,
    responses: {
      200: { description: "Moved", schema: bookingAnswerSchema },
      400: "`validation_failed` (startsAt)",
      401: "Not signed in",
      403: "Role may not do this",
      404: "`booking_not_found`",
      409: "`slot_taken`, `slot_unavailable`, `reschedule_used`, `cancel_cutoff_passed`, `invalid_transition`",
    },
  },
});
