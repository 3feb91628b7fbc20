import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { bookingAnswerSchema, bookingFor, bookingView } from "@/lib/booking/http.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";

/** `GET /api/bookings/{id}` — one booking, for its client, its psychologist or an admin. */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireUser(ctx);
    return Response.json({ booking: bookingView(await bookingFor(user, ctx.params.id)) });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["booking"],
    summary: "One booking (its client, its psychologist, admins)",
    security: AUTH,
    path: idPath("Booking id (ULID)"),
    responses: {
      200: { description: "The booking", schema: bookingAnswerSchema },
      401: "Not signed in",
      404: "`booking_not_found` (also for bookings of others)",
    },
  },
});
