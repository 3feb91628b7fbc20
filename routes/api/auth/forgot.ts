import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { requestPasswordReset } from "@/lib/auth/accounts.ts";
import { clientIp } from "@/lib/ratelimit.ts";

/**
 * `POST /api/auth/forgot` `{ email }` → 202 `{ ok: true }`, the same answer
 * whether or not the e-mail is registered. A reset code is mailed if it is.
 */
export const handler = define.handlers({
  async POST(ctx) {
    await requestPasswordReset(await readBody(ctx.req), clientIp(ctx));
    return Response.json({ ok: true }, { status: 202 });
  },
});
