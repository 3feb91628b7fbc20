import { define } from "@/lib/define.ts";
import { parseInput, readBody } from "@/lib/validation.ts";
import { authenticate, publicUser } from "@/lib/auth/accounts.ts";
import { apiLoginSchema } from "@/lib/auth/schemas.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { ValidationError } from "@/lib/errors.ts";
import { tokenResponseSchema } from "@/lib/auth/schemas.ts";
import { defineOpenApi, tooManyRequests } from "@/lib/openapi/operation.ts";

/**
 * `POST /api/auth/login` `{ email | phone, password }` → `{ token, tokenType,
 * expiresAt, user }`. The bearer token is valid 12 hours. Errors: 400
 * `validation_failed`, 401 `invalid_credentials`, 409 `account_pending`, 429.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const body = parseInput(apiLoginSchema, await readBody(ctx.req));
    const identifier = body.email ?? body.phone ?? body.identifier;
    if (identifier === undefined) {
      throw new ValidationError({ email: "field.required" });
    }
    const user = await authenticate(identifier, body.password, clientIp(ctx));
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
    summary: "Sign in (e-mail, or phone for guests) and get a bearer token",
    description: "Send one of `email`, `phone` or `identifier` (e-mail or phone) with the password.",
    body: apiLoginSchema,
    responses: {
      200: { description: "Signed in", schema: tokenResponseSchema },
      400: "`validation_failed`, `bad_json`",
      401: "`invalid_credentials` (same answer for unknown accounts)",
      409: "`account_pending`: e-mail not verified yet",
      429: tooManyRequests(),
    },
  },
});
