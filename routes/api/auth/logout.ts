import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { clearSessionCookie, endAllSessions, endSession } from "@/lib/auth/sessions.ts";

/**
 * `POST /api/auth/logout` ends the token (or cookie session) of this request;
 * with `{ "all": true }` every session and token of the user. → `{ ok: true }`.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireUser(ctx, { allowPasswordChange: true });
    const body = await readBody(ctx.req);
    let ended = 1;
    if (body.all === true || body.all === "true") {
      ended = await endAllSessions(user.id);
    } else if (ctx.state.sessionId) await endSession(ctx.state.sessionId);
    const headers = new Headers();
    if (ctx.state.authKind === "cookie") {
      headers.set("set-cookie", clearSessionCookie());
    }
    return Response.json({ ok: true, ended }, { headers });
  },
});
