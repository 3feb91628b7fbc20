import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody } from "@/lib/validation.ts";
import { bookingAnswerSchema, bookingView, setStatusFromInput, statusInputSchema } from "@/lib/booking/http.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";

/**
 * `PUT /api/bookings/{id}/status {status, reason?, absent?}` — psychologist: `confirmed`, `rejected` (reason),
 * `in_session`, `completed`, `no_show`; client: `cancelled`. → `{booking}`.
 */
export const handler = define.handlers({
  async PUT(ctx) {
    const user = requireRole(ctx, "client", "psychologist");
    const r = await setStatusFromInput(user, ctx.params.id, await readBody(ctx.req));
    return Response.json({ booking: bookingView(r.booking) });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  put: {
    tags: ["booking"],
    summary: "Move a booking: confirm/reject/in_session/completed/no_show (psychologist), cancel (client)",
    description: "Repeating the move a booking already made answers 200 with it unchanged. Reject needs a reason. " +
      "Cancelling a paid booking is possible until CANCEL_CUTOFF_HOURS before the start and makes a refund due.",
    security: AUTH,
    path: idPath("Booking id (ULID)"),
    body: statusInputSchema,
    responses: {
      200: { description: "Moved", schema: bookingAnswerSchema },
      400: "`validation_failed` (status, reason)",
      401: "Not signed in",
      403: "Role may not do this",
      404: "`booking_not_found`",
      409: "`invalid_transition`, `confirm_too_late`, `cancel_cutoff_passed`, `not_session_time`, `booking_busy`",
    },
  },
});
