import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { adminResetPassword, assertUserId, publicUser } from "@/lib/auth/accounts.ts";

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
