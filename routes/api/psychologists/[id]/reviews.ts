import { define } from "@/lib/define.ts";
import { publicReviewsPage, reviewListQuery, reviewPageSchema } from "@/lib/reviews/http.ts";
import { defineOpenApi, idPath } from "@/lib/openapi/operation.ts";

/**
 * `GET /api/psychologists/{id}/reviews?cursor=&limit=` — the visible reviews of a bookable psychologist, newest
 * first (first names only). Public.
 */
export const handler = define.handlers({
  async GET(ctx) {
    return Response.json(await publicReviewsPage(ctx.params.id, Object.fromEntries(ctx.url.searchParams)));
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["reviews"],
    summary: "A psychologist's reviews, newest first (public)",
    description: "Hidden reviews (an admin's moderation) are left out, and out of `rating`.",
    path: idPath("Psychologist id (their user id, a ULID)"),
    query: reviewListQuery,
    responses: {
      200: { description: "One page", schema: reviewPageSchema },
      400: "`validation_failed` (limit), `invalid_cursor`",
      404: "`psychologist_not_found` (unknown, not verified or deactivated)",
    },
  },
});
