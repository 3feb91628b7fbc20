import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { sessionGate } from "@/lib/auth/sessions.ts";
import { notificationStream } from "@/lib/notify/stream.ts";
import { AUTH, defineOpenApi, tooManyRequests } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `GET /api/notifications/stream` — Server-Sent Events of the signed-in user's
 * notifications (cookie or bearer; any role). Resumes after the `Last-Event-ID`
 * header, or `?lastEventId=` on a first connection. Format: `lib/notify/stream.ts`.
 * Caps per process (`reserveStream` in lib/notify/hub.ts): `SSE_MAX_STREAMS_PER_USER`
 * (default 20) streams of one user, more → 429; `SSE_MAX_STREAMS` (default 5,000) in all,
 * more → 503 with `Retry-After`. The stream ends as soon as the session is revoked or the account
 * deactivated (`sessionGate`, re-checked before each delivery and at each heartbeat).
 */
export const handler = define.handlers({
  GET(ctx) {
    const user = requireUser(ctx);
    const last = ctx.req.headers.get("last-event-id") ?? ctx.url.searchParams.get("lastEventId");
    // No request signal: Deno.serve cancels the body when the client goes away (that ends the
    // stream and its subscription), and listening to `req.signal` triggers Deno 2.9's
    // "legacy abort" warning.
    const body = notificationStream(user.id, last ? last.slice(0, 64) : null, null, {
      lang: ctx.state.lang,
      authorized: sessionGate(ctx.state.sessionId, user.id),
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        // no-transform: no compression/buffering by Deno or proxies; events must flush at once.
        "cache-control": "no-store, no-transform",
        "x-accel-buffering": "no",
      },
    });
  },
});

const resumeId = z.string().max(64).optional();

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["notifications"],
    summary: "Live notifications (Server-Sent Events)",
    description:
      '`text/event-stream`. First `retry: 2000`, then `event: unread` `data: {"unread":N}` (now and on every change ' +
      "of the count), one `id: <notification id>` `event: notification` `data: <Notification JSON>` per notification in " +
      "commit order, and a `: ping` comment every 25 s. Reconnect with the `Last-Event-ID` header (EventSource does it) or " +
      "`?lastEventId=` to receive exactly what was missed: no gaps, no duplicates. Without either, only new notifications. " +
      "Open streams per server process are capped per user (`SSE_MAX_STREAMS_PER_USER`, default 20; more → 429) " +
      "and in all (`SSE_MAX_STREAMS`, default 5,000; more → 503 with `Retry-After`).",
    security: AUTH,
    headers: z.object({ "Last-Event-ID": resumeId.describe("Resume after this notification id") }),
    query: z.object({ lastEventId: resumeId.describe("Same, for a first connection") }),
    responses: {
      200: {
        description: "The event stream (never ends by itself)",
        content: { "text/event-stream": { schema: z.string() } },
      },
      401: "Not signed in (`unauthorized`)",
      403: "`password_change_required`",
      429: tooManyRequests("`too_many_streams`"),
      503: tooManyRequests("`streams_busy`: the server holds its most open streams; see `Retry-After` (seconds)"),
    },
  },
});
