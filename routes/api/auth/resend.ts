import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { resendRegistrationCode } from "@/lib/auth/accounts.ts";
import { clientIp } from "@/lib/ratelimit.ts";

/**
 * `POST /api/auth/resend` `{ email }` → 202 `{ ok: true }` whether or not a
 * pending account has that e-mail. Rate-limited (1/min, 5/h per address).
 */
export const handler = define.handlers({
  async POST(ctx) {
    await resendRegistrationCode(await readBody(ctx.req), clientIp(ctx));
    return Response.json({ ok: true }, { status: 202 });
  },
});
