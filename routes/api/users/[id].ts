import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { adminUpdateUser, assertUserId, deactivateUser, publicUser } from "@/lib/auth/accounts.ts";
import { requireUser as loadUser } from "@/lib/auth/users.ts";
import { adminUpdateSchema, publicUserSchema } from "@/lib/auth/schemas.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `GET /api/users/{id}` → `{ user }`; `PUT` `{ name?, email?, phone?, gender?,
 * birthDate?, lang?, status? }` → `{ user }`; `DELETE` deactivates the account
 * and ends its sessions → `{ user }`. Admin only; audited.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    return Response.json({
      user: publicUser(await loadUser(assertUserId(ctx.params.id))),
    });
  },
  async PUT(ctx) {
    const admin = requireRole(ctx, "admin");
    const id = assertUserId(ctx.params.id);
    const user = await adminUpdateUser(admin, id, await readBody(ctx.req));
    return Response.json({ user: publicUser(user) });
  },
  async DELETE(ctx) {
    const admin = requireRole(ctx, "admin");
    const user = await deactivateUser(admin, assertUserId(ctx.params.id));
    return Response.json({ user: publicUser(user) });
  },
});

const path = idPath("User id (ULID)");
const userAnswer = (description: string) => ({ description, schema: z.object({ user: publicUserSchema }) });

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["users"],
    summary: "One user (admin)",
    security: AUTH,
    path,
    responses: { 200: userAnswer("The user"), 401: "`unauthorized`", 403: "`forbidden`", 404: "`user_not_found`" },
  },
  put: {
    tags: ["users"],
    summary: "Update a user (admin); `status: deactivated` ends their sessions. Audited.",
    security: AUTH,
    path,
    body: adminUpdateSchema,
    responses: {
      200: userAnswer("Updated"),
      400: "`validation_failed`, `email_taken`, `phone_taken`",
      401: "`unauthorized`",
      403: "`forbidden`",
      404: "`user_not_found`",
      409: "`cannot_deactivate_self`, `concurrent_update`",
    },
  },
  delete: {
    tags: ["users"],
    summary: "Deactivate a user and end all their sessions (admin). Audited.",
    security: AUTH,
    path,
    responses: {
      200: userAnswer("Deactivated"),
      401: "`unauthorized`",
      403: "`forbidden`",
      404: "`user_not_found`",
      409: "`cannot_deactivate_self`",
    },
  },
});
