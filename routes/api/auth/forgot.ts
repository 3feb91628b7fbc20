import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { requestPasswordReset } from "@/lib/auth/accounts.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { forgotSchema } from "@/lib/auth/schemas.ts";
import { defineOpenApi, okSchema, tooManyRequests } from "@/lib/openapi/operation.ts";

/**
 * `POST /api/auth/forgot` `{ email }` or `{ phone }` (guests) → 202 `{ ok: true }`, the same answer
 * whether or not the e-mail is registered. A reset code is mailed if it is.
 */
export const handler = define.handlers({
  async POST(ctx) {
    await requestPasswordReset(await readBody(ctx.req), clientIp(ctx));
    return Response.json({ ok: true }, { status: 202 });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["auth"],
    summary:
      "Ask for a password-reset code by e-mail (same answer whether or not the e-mail is registered). Guests may give their `phone`: the code goes to the guest's e-mail on file",
    body: forgotSchema,
    responses: {
      202: { description: "Accepted", schema: okSchema },
      400: "`validation_failed`",
      429: tooManyRequests(),
    },
  },
});
