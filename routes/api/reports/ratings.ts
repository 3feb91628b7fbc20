import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { isId } from "@/lib/db/ids.ts";
import { listReviewsByTeacher, teacherRatings } from "@/lib/guestbook/reviews.ts";
import { pageQuery } from "@/lib/guestbook/http.ts";
import { reviewSchema, teacherRatingSchema } from "@/lib/guestbook/reviews.ts";
import { AUTH, defineOpenApi, pageOf } from "@/lib/openapi/operation.ts";

const query = pageQuery.extend({
  teacherId: z.string().refine((s) => isId(s), "field.invalid").optional(),
});

/**
 * `GET /api/reports/ratings` — every teacher's average rating (admin):
 * `{ teachers: [{ teacherId, name, average, count }] }`; with `?teacherId=` also that
 * teacher's reviews, newest first: `{ teachers, reviews: { items, cursor } }`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    const q = parseInput(query, Object.fromEntries(ctx.url.searchParams));
    const teachers = await teacherRatings();
    if (!q.teacherId) return Response.json({ teachers });
    return Response.json({
      teachers,
      reviews: await listReviewsByTeacher(q.teacherId, {
        cursor: q.cursor ?? null,
        limit: q.limit,
      }),
    });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "Each teacher's average rating; with teacherId also their reviews (admin)",
    security: AUTH,
    query,
    responses: {
      200: {
        description: "Ratings",
        schema: z.object({ teachers: z.array(teacherRatingSchema), reviews: pageOf(reviewSchema).optional() }),
      },
      400: "`validation_failed`, `invalid_cursor`",
      401: "Not signed in",
      403: "Role may not do this",
    },
  },
});
