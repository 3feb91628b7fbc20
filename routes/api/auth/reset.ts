import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { resetPassword } from "@/lib/auth/accounts.ts";
import { clientIp } from "@/lib/ratelimit.ts";

/**
 * `POST /api/auth/reset` `{ email, code, password }` → `{ ok: true }`; every
 * session and token of the account is ended. Errors: 400 `validation_failed`
 * / `otp_invalid` / `otp_expired` / `otp_locked`, 429.
 */
export const handler = define.handlers({
  async POST(ctx) {
    await resetPassword(await readBody(ctx.req), clientIp(ctx));
    return Response.json({ ok: true });
  },
});
