import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { resendRegistrationCode } from "@/lib/auth/accounts.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { emailOnlySchema } from "@/lib/auth/schemas.ts";
import { defineOpenApi, okSchema, tooManyRequests } from "@/lib/openapi/operation.ts";

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

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["auth"],
    summary: "Send a new registration code (same answer whether or not a pending account exists)",
    body: emailOnlySchema,
    responses: {
      202: { description: "Accepted", schema: okSchema },
      400: "`validation_failed`",
      429: tooManyRequests(),
    },
  },
});
