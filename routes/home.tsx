import { define } from "@/lib/define.ts";
import { FIRST_PASSWORD_PATH, requireUser, ROLE_HOME } from "@/lib/auth/guard.ts";

/**
 * `/home` sends each role to its home page (client `/client`, psychologist
 * `/psychologist`, teacher `/teacher`, receptionist `/frontdesk`, admin
 * `/admin`, guest `/guest`); anonymous visitors go to sign in.
 */
export const handler = define.handlers({
  GET(ctx) {
    const user = requireUser(ctx, { allowPasswordChange: true });
    if (user.mustChangePassword) return ctx.redirect(FIRST_PASSWORD_PATH, 303);
    return ctx.redirect(ROLE_HOME[user.role], 303);
  },
});
