import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { adminUpdateUser, assertUserId, deactivateUser, publicUser } from "@/lib/auth/accounts.ts";
import { requireUser as loadUser } from "@/lib/auth/users.ts";

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
