import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { TooManyRequests } from "@/lib/errors.ts";
import { getKv } from "@/lib/db/kv.ts";
import { notificationStream } from "@/lib/notify/stream.ts";
import { subscriberCount } from "@/lib/notify/hub.ts";

/** Open streams one user may hold in one process (tabs/devices); more get 429. */
const MAX_STREAMS_PER_USER = 20;

/**
 * `GET /api/notifications/stream` — Server-Sent Events of the signed-in user's
 * notifications (cookie or bearer; any role). Resumes after the `Last-Event-ID`
 * header, or `?lastEventId=` on a first connection. Format: `lib/notify/stream.ts`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireUser(ctx);
    if (subscriberCount(await getKv(), user.id) >= MAX_STREAMS_PER_USER) {
      throw new TooManyRequests(30, "too_many_streams", "notify.too_many_streams");
    }
    const last = ctx.req.headers.get("last-event-id") ?? ctx.url.searchParams.get("lastEventId");
    // No request signal: Deno.serve cancels the body when the client goes away (that ends the
    // stream and its subscription), and listening to `req.signal` triggers Deno 2.9's
    // "legacy abort" warning.
    const body = notificationStream(user.id, last ? last.slice(0, 64) : null, null, { lang: ctx.state.lang });
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
