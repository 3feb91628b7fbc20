import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { changePassword, publicUser } from "@/lib/auth/accounts.ts";
import { changePasswordSchema, publicUserSchema } from "@/lib/auth/schemas.ts";
import { AUTH, defineOpenApi, tooManyRequests } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `PUT /api/auth/change-password` `{ currentPassword, newPassword }` →
 * `{ user }`. Also clears a forced change. Every other session/token of the
 * user is ended. Errors: 400 `validation_failed` / `current_password_wrong`, 401, 429.
 */
export const handler = define.handlers({
  async PUT(ctx) {
    const user = requireUser(ctx, { allowPasswordChange: true });
    const updated = await changePassword(
      user,
      await readBody(ctx.req),
      ctx.state.sessionId,
    );
    return Response.json({ user: publicUser(updated) });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  put: {
    tags: ["auth"],
    summary: "Change the password (also completes a forced change); ends the user's other sessions",
    security: AUTH,
    body: changePasswordSchema,
    responses: {
      200: { description: "Changed", schema: z.object({ user: publicUserSchema }) },
      400: "`validation_failed`, `current_password_wrong`",
      401: "`unauthorized`",
      429: tooManyRequests(),
    },
  },
});
