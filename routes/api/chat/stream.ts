import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { sessionGate } from "@/lib/auth/sessions.ts";
import { z } from "@/lib/validation.ts";
import { inboxStream } from "@/lib/chat/live.ts";
import { AUTH, defineOpenApi, tooManyRequests } from "@/lib/openapi/operation.ts";

/** `GET /api/chat/stream` — the caller's conversation list, live (Server-Sent Events; `lib/chat/live.ts` `inboxStream`); ends when the session is revoked. */
export const handler = define.handlers({
  GET(ctx) {
    const user = requireRole(ctx, "client", "psychologist");
    return new Response(inboxStream(user, { authorized: sessionGate(ctx.state.sessionId, user.id) }), {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store, no-transform",
        "x-accel-buffering": "no",
      },
    });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["chat"],
    summary: "My conversation list, live (Server-Sent Events)",
    description: "`event: conversations` with `data: {items}` (as `GET /api/chat/conversations`, first page) now and " +
      "after every message to the caller, read receipt of theirs or end of one of their conversations; `: ping` " +
      "every 25 s. Shares the caps of the notification streams.",
    security: AUTH,
    responses: {
      200: { description: "The event stream", content: { "text/event-stream": { schema: z.string() } } },
      401: "Not signed in",
      403: "Other roles",
      429: tooManyRequests("`too_many_streams`"),
      503: tooManyRequests("`streams_busy`"),
    },
  },
});
