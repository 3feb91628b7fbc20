import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { parseInput } from "@/lib/validation.ts";
import { codeInputSchema } from "@/lib/guestbook/model.ts";
import { verifyQr } from "@/lib/guestbook/check_in.ts";
import { limit } from "@/lib/guestbook/http.ts";

/**
 * `GET /api/appointments/qr/{code}` — verifies a code (bare token, or the URL-encoded
 * QR text) without consuming it; receptionist or admin.
 * → `{ outcome: "check_in", appointment, late }` (late = if checked in now) or
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
