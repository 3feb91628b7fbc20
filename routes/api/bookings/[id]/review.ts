import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody } from "@/lib/validation.ts";
import { reviewAnswerSchema, reviewFromInput } from "@/lib/reviews/http.ts";
import { reviewInputSchema } from "@/lib/reviews/model.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";

/**
 * `POST /api/bookings/{id}/review {rating, comment?}` — the client of a completed booking reviews it, once
 * → 201 `{review}` (docs/domain-rules.md "Reviews").
 */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireRole(ctx, "client");
    const answer = await reviewFromInput(user, ctx.params.id, await readBody(ctx.req));
    return Response.json(answer, { status: 201 });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["reviews"],
    summary: "Review a completed session: 1–5 stars and an optional comment, once (client)",
    description: "Only the booking's client, only when the booking is `completed`. The stars join the " +
      "psychologist's average in the same commit (the directory's rating filter and sort see it at once). " +
      "The profile shows the client's first name only.",
    security: AUTH,
    path: idPath("Booking id (ULID)"),
    body: reviewInputSchema,
    responses: {
      201: { description: "Stored", schema: reviewAnswerSchema },
      400: "`validation_failed` (rating, comment)",
      401: "Not signed in",
      403: "Role may not do this (only clients review)",
      404: "`booking_not_found` (unknown or not the caller's)",
      409: "`review_not_allowed` (not completed), `review_exists`, `concurrent_update`",
    },
  },
});
