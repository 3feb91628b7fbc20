import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { publicUser } from "@/lib/auth/accounts.ts";

/** `GET /api/auth/me` → `{ user }` of the bearer token or session. */
export const handler = define.handlers({
  GET(ctx) {
    return Response.json({
      user: publicUser(requireUser(ctx, { allowPasswordChange: true })),
    });
  },
});
