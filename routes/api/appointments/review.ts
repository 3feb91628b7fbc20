import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { submitReviewByCode } from "@/lib/guestbook/reviews.ts";
import { limit } from "@/lib/guestbook/http.ts";
import { reviewByCodeInputSchema, reviewSchema } from "@/lib/guestbook/reviews.ts";
import { defineOpenApi, tooManyRequests } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `POST /api/appointments/review` `{ code, rating: 1..5, comment? }` — review by
 * whoever holds the appointment's valid QR code (desk tablet after the meeting,
 * the guest's `/g/<token>` page); no sign-in needed. Rate-limited per client
 * address. → 201 `{ review }`; QR refusals as in check-in; 409
 * `review_not_available` / `already_reviewed`.
 */
export const handler = define.handlers({
  async POST(ctx) {
    await limit(
      "qr_review_ip",
      clientIp(ctx as unknown as { req: Request; info?: unknown }),
    );
    const review = await submitReviewByCode(await readBody(ctx.req));
    return Response.json({ review }, { status: 201 });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["guestbook"],
    summary: "Review by whoever holds the appointment's valid QR code (no sign-in; rate-limited)",
    body: reviewByCodeInputSchema,
    responses: {
      201: { description: "Stored", schema: z.object({ review: reviewSchema }) },
      400: "`qr_malformed`, `qr_bad_signature`, `validation_failed`",
      404: "`qr_not_found`",
      409: "`review_not_available`, `already_reviewed`, `qr_cancelled`, `qr_wrong_day`",
      429: tooManyRequests(),
    },
  },
});
