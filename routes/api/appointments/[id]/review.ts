import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody } from "@/lib/validation.ts";
import { submitReview } from "@/lib/guestbook/reviews.ts";

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
