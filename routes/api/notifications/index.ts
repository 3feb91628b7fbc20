import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { formatNotification, listNotifications, unreadCount } from "@/lib/notify/notifications.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { renderedNotificationSchema } from "@/lib/notify/notifications.ts";
import { AUTH, defineOpenApi, pageOf } from "@/lib/openapi/operation.ts";

const query = z.object({
  cursor: z.string().max(1000, "field.too_long").optional(),
  limit: z.coerce.number().int("field.invalid_number").min(1, "field.invalid_number").max(100, "field.invalid_number")
    .optional(),
});

/**
 * `GET /api/notifications?cursor=&limit=` — the signed-in user's notifications, newest
 * first: `{ items: RenderedNotification[], cursor: string | null, unread: number }`.
 * Any signed-in role; each user sees only their own.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireUser(ctx);
    const q = parseInput(query, Object.fromEntries(ctx.url.searchParams));
    const page = await listNotifications(user.id, { cursor: q.cursor ?? null, limit: q.limit ?? 20 });
    const now = new Date();
    return Response.json({
      items: page.items.map((n) => formatNotification(n, ctx.state.lang, now)),
      cursor: page.cursor,
      unread: await unreadCount(user.id),
    });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["notifications"],
    summary: "List my notifications, newest first",
    security: AUTH,
    query,
    responses: {
      200: {
        description: "One page",
        schema: pageOf(renderedNotificationSchema).extend({
          unread: z.int().min(0).describe("The caller's unread count"),
        }),
      },
      400: "`validation_failed` (limit) or `invalid_cursor`",
      401: "Not signed in (`unauthorized`)",
      403: "`password_change_required`",
    },
  },
});
