import { define } from "@/lib/define.ts";
import { parseInput, readBody } from "@/lib/validation.ts";
import { authenticate, publicUser } from "@/lib/auth/accounts.ts";
import { apiLoginSchema } from "@/lib/auth/schemas.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { ValidationError } from "@/lib/errors.ts";

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
