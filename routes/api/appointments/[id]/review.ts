import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody } from "@/lib/validation.ts";
import { submitReview } from "@/lib/guestbook/reviews.ts";
import { reviewInputSchema, reviewSchema } from "@/lib/guestbook/reviews.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `POST /api/appointments/{id}/review` `{ rating: 1..5, comment?: ≤ 1000 chars }` — the
 * guest who owns the finished appointment, once. → 201 `{ review }`; 409
 * `review_not_available` / `already_reviewed`.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireRole(ctx, "guest");
    const review = await submitReview(
      ctx.params.id,
      await readBody(ctx.req),
      user,
    );
    return Response.json({ review }, { status: 201 });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["guestbook"],
    summary: "Review by the guest who owns the finished appointment (once)",
    security: AUTH,
    path: idPath("Appointment id (ULID)"),
    body: reviewInputSchema,
    responses: {
      201: { description: "Stored", schema: z.object({ review: reviewSchema }) },
      400: "`validation_failed`",
      401: "Not signed in",
      403: "Role may not do this",
      404: "`appointment_not_found`",
      409: "`review_not_available`, `already_reviewed`",
    },
  },
});
