import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { publicUser, verifyRegistration } from "@/lib/auth/accounts.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { clientIp } from "@/lib/ratelimit.ts";

/**
 * `POST /api/auth/verify` `{ email, code }` → `{ token, tokenType, expiresAt, user }`
 * (the account becomes active and a bearer token is issued).
 * Errors: 400 `validation_failed` / `otp_invalid` / `otp_expired` / `otp_locked`, 429.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const user = await verifyRegistration(
      await readBody(ctx.req),
      clientIp(ctx),
    );
    const { token, expiresAt } = await createSession(user.id, "bearer");
    return Response.json({
      token,
      tokenType: "Bearer",
      expiresAt: new Date(expiresAt).toISOString(),
      user: publicUser(user),
    });
  },
});
