import { define } from "@/lib/define.ts";
import { parseInput, readBody } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { createStaff, publicUser } from "@/lib/auth/accounts.ts";
import { listUsersSchema } from "@/lib/auth/schemas.ts";
import { listUsers } from "@/lib/auth/users.ts";
import { createStaffSchema, publicUserSchema } from "@/lib/auth/schemas.ts";
import { AUTH, defineOpenApi, pageOf } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `GET /api/users?role=&q=&cursor=&limit=` (admin) → `{ items, cursor }`,
 * newest first. `POST /api/users` `{ role, name, email, phone?, lang? }`
 * (admin; staff roles only) → 201 `{ user, mailSent }`: a temporary password
 * is mailed and must be changed at first sign-in.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    const query = parseInput(
      listUsersSchema,
      Object.fromEntries(ctx.url.searchParams),
    );
    const page = await listUsers({
      role: query.role || undefined,
      q: query.q,
      cursor: query.cursor,
      limit: query.limit ?? 20,
    });
    return Response.json({
      items: page.items.map(publicUser),
      cursor: page.cursor,
    });
  },
  async POST(ctx) {
    const admin = requireRole(ctx, "admin");
    const { user, mailSent } = await createStaff(
      admin,
      await readBody(ctx.req),
    );
    return Response.json({ user: publicUser(user), mailSent }, {
      status: 201,
      headers: { location: `/api/users/${user.id}` },
    });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["users"],
    summary: "List users, newest first (admin)",
    security: AUTH,
    query: listUsersSchema,
    responses: {
      200: { description: "One page", schema: pageOf(publicUserSchema) },
      400: "`validation_failed`, `invalid_cursor`",
      401: "`unauthorized`",
      403: "`forbidden`, `password_change_required`",
    },
  },
  post: {
    tags: ["users"],
    summary: "Create a staff account (admin); a temporary password is e-mailed and must be changed at first sign-in",
    security: AUTH,
    body: createStaffSchema,
    responses: {
      201: { description: "Created", schema: z.object({ user: publicUserSchema, mailSent: z.boolean() }) },
      400: "`validation_failed`, `email_taken`, `phone_taken`",
      401: "`unauthorized`",
      403: "`forbidden`",
    },
  },
});
