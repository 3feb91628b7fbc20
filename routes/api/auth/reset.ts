import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { resetPassword } from "@/lib/auth/accounts.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { resetSchema } from "@/lib/auth/schemas.ts";
import { defineOpenApi, okSchema, tooManyRequests } from "@/lib/openapi/operation.ts";

/**
 * `POST /api/auth/reset` `{ email | phone, code, password }` → `{ ok: true }`; every
 * session and token of the account is ended. Errors: 400 `validation_failed`
 * / `otp_invalid` / `otp_expired` / `otp_locked`, 429.
 */
export const handler = define.handlers({
  async POST(ctx) {
    await resetPassword(await readBody(ctx.req), clientIp(ctx));
    return Response.json({ ok: true });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["auth"],
    summary: "Set a new password with the e-mailed code; ends every session and token",
    body: resetSchema,
    responses: {
      200: { description: "Password changed", schema: okSchema },
      400: "`validation_failed`, `otp_invalid`, `otp_expired`, `otp_locked`",
      429: tooManyRequests(),
    },
  },
});
