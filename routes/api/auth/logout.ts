import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { clearSessionCookie, endAllSessions, endSession } from "@/lib/auth/sessions.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

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

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["auth"],
    summary: "End this token (or all sessions and tokens of the user with `all: true`)",
    security: AUTH,
    body: z.object({ all: z.boolean().optional() }),
    bodyRequired: false,
    responses: {
      200: {
        description: "Signed out",
        schema: z.object({ ok: z.literal(true), ended: z.int().min(0).describe("Sessions and tokens ended") }),
      },
      401: "`unauthorized`",
    },
  },
});
