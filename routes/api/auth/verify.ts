import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { publicUser, verifyRegistration } from "@/lib/auth/accounts.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { tokenResponseSchema, verifySchema } from "@/lib/auth/schemas.ts";
import { defineOpenApi, tooManyRequests } from "@/lib/openapi/operation.ts";

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

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["auth"],
    summary: "Verify a registration with the e-mailed code; returns a bearer token",
    body: verifySchema,
    responses: {
      200: { description: "Verified and signed in", schema: tokenResponseSchema },
      400: "`validation_failed`, `otp_invalid`, `otp_expired`, `otp_locked`",
      429: tooManyRequests(),
    },
  },
});
