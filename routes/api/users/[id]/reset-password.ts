import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { adminResetPassword, assertUserId, publicUser } from "@/lib/auth/accounts.ts";
import { publicUserSchema } from "@/lib/auth/schemas.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `POST /api/users/{id}/reset-password` (admin) → `{ user, mailSent }`: a new
 * temporary password is mailed; the user must change it; sessions end.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const admin = requireRole(ctx, "admin");
    const r = await adminResetPassword(admin, assertUserId(ctx.params.id));
    return Response.json({ user: publicUser(r.user), mailSent: r.mailSent });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["users"],
    summary: "E-mail a new temporary password (must be changed); ends the user's sessions (admin). Audited.",
    security: AUTH,
    path: idPath("User id (ULID)"),
    responses: {
      200: { description: "Reset", schema: z.object({ user: publicUserSchema, mailSent: z.boolean() }) },
      401: "`unauthorized`",
      403: "`forbidden`",
      404: "`user_not_found`",
      409: "`no_email`",
    },
  },
});
