import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { sessionGate } from "@/lib/auth/sessions.ts";
import { z } from "@/lib/validation.ts";
import { chatAccess } from "@/lib/chat/store.ts";
import { chatStream, resumePoint } from "@/lib/chat/live.ts";
import { AUTH, defineOpenApi, idPath, tooManyRequests } from "@/lib/openapi/operation.ts";

/**
 * `GET /api/bookings/{id}/chat/stream` — the conversation live (Server-Sent Events; format in
 * `lib/chat/live.ts` `chatStream`). Resumes after `Last-Event-ID` (a seq) or `?after=<seq>`. Ends as soon
 * as the session is revoked or the account deactivated (`sessionGate`).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireUser(ctx);
    const a = await chatAccess(user, ctx.params.id);
    const after = resumePoint(ctx.req.headers.get("last-event-id"), ctx.url.searchParams.get("after"));
    // No request signal: Deno.serve cancels the body when the client goes away (see the notification stream).
    return new Response(chatStream(a, after, { authorized: sessionGate(ctx.state.sessionId, user.id) }), {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store, no-transform",
        "x-accel-buffering": "no",
      },
    });
  },
});

const seq = z.string().max(16).optional();

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["chat"],
    summary: "Live conversation (Server-Sent Events)",
    description: "`text/event-stream`: `retry: 2000`; `event: state` (the conversation state, now and on change); " +
      "`event: presence` `{userId, online, lastSeen}` of the other participant; `event: receipts` " +
      "`{receipts: {<userId>: {deliveredUpTo, deliveredAt, readUpTo, readAt, readCount}}}`; `id: <seq>` " +
      "`event: message` (the message JSON) for every message after the resume point, in seq order, exactly once; " +
      "`event: typing` `{userId, typing}`; a `: ping` comment every 25 s. Reconnect with `Last-Event-ID` (EventSource " +
      "does it) or `?after=<seq>` after a gap of any length to get exactly what was missed; without either, only new " +
      "messages. Open streams share the caps of the notification streams (SSE_MAX_STREAMS_PER_USER → 429, " +
      "SSE_MAX_STREAMS → 503).",
    security: AUTH,
    path: idPath("Booking id (ULID)"),
    headers: z.object({ "Last-Event-ID": seq.describe("Resume after this seq") }),
    query: z.object({ after: seq.describe("Same, for a first connection") }),
    responses: {
      200: { description: "The event stream", content: { "text/event-stream": { schema: z.string() } } },
      401: "Not signed in",
      403: "`chat_private` (admins)",
      404: "`booking_not_found`",
      429: tooManyRequests("`too_many_streams`"),
      503: tooManyRequests("`streams_busy`"),
    },
  },
});
