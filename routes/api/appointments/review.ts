import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { submitReviewByCode } from "@/lib/guestbook/reviews.ts";
import { limit } from "@/lib/guestbook/http.ts";

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
