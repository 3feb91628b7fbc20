import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { parseInput, readBody } from "@/lib/validation.ts";
import { codeInputSchema } from "@/lib/guestbook/model.ts";
import { checkIn, checkInResponseSchema } from "@/lib/guestbook/check_in.ts";
import { limit } from "@/lib/guestbook/http.ts";
import { AUTH, defineOpenApi, tooManyRequests } from "@/lib/openapi/operation.ts";

/**
 * `POST /api/appointments/check-in` `{ code }` (QR text or bare token) — receptionist
 * or admin; consumes the code: → 200 `{ appointment, late, early, punctuality }`. Refusals: 400
 * `qr_malformed` / `qr_bad_signature`, 404 `qr_not_found`, 409 `qr_already_checked_in`,
 * `qr_cancelled`, `qr_wrong_day`, `qr_review_available` (meeting finished: offer the review).
 */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireRole(ctx, "receptionist", "admin");
    await limit("qr_scan_user", user.id);
    const { code } = parseInput(codeInputSchema, await readBody(ctx.req));
    const { appointment, late, early, punctuality } = await checkIn(code, user);
    return Response.json({ appointment, late, early, punctuality });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["guestbook"],
    summary: "Check a guest in by code (receptionist/admin); exactly once per appointment",
    security: AUTH,
    body: codeInputSchema,
    responses: {
      200: {
        description: "Checked in; the teacher is notified",
        schema: checkInResponseSchema,
      },
      400: "`qr_malformed`, `qr_bad_signature`, `validation_failed`",
      401: "Not signed in",
      403: "Role may not do this",
      404: "`qr_not_found`",
      409: "`qr_already_checked_in`, `qr_cancelled`, `qr_wrong_day`, `qr_review_available`",
      429: tooManyRequests(),
    },
  },
});
