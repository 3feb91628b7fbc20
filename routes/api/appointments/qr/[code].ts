import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { parseInput } from "@/lib/validation.ts";
import { codeInputSchema } from "@/lib/guestbook/model.ts";
import { verifyQr } from "@/lib/guestbook/check_in.ts";
import { limit } from "@/lib/guestbook/http.ts";
import { qrOutcomeSchema } from "@/lib/guestbook/check_in.ts";
import { AUTH, defineOpenApi, tooManyRequests } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `GET /api/appointments/qr/{code}` — verifies a code (bare token, or the URL-encoded
 * QR text) without consuming it; receptionist or admin.
 * → `{ outcome: "check_in", appointment, late, early, punctuality }` (as if checked in now) or
 * `{ outcome: "review", appointment, reviewed }`; refusals as in check-in.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "receptionist", "admin");
    await limit("qr_scan_user", user.id);
    let raw = ctx.params.code;
    try {
      raw = decodeURIComponent(raw);
    } catch { /* keep as is: verification refuses it */ }
    const { code } = parseInput(codeInputSchema, { code: raw });
    return Response.json(await verifyQr(code));
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "Verify a scanned code without consuming it (receptionist/admin)",
    security: AUTH,
    path: z.object({ code: z.string().describe("The bare token or the URL-encoded QR text") }),
    responses: {
      200: { description: "What the scan means", schema: qrOutcomeSchema },
      400: "`qr_malformed`, `qr_bad_signature`, `validation_failed`",
      401: "Not signed in",
      403: "Role may not do this",
      404: "`qr_not_found`",
      409: "`qr_cancelled`, `qr_wrong_day`",
      429: tooManyRequests(),
    },
  },
});
