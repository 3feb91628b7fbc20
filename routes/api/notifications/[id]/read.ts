import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { NotFound } from "@/lib/errors.ts";
import { isId } from "@/lib/db/ids.ts";
import { formatNotification, markRead, unreadCount } from "@/lib/notify/notifications.ts";

/**
 * `PUT /api/notifications/{id}/read` — marks one of the user's notifications read
 * (idempotent): `{ notification, unread }`. Another user's id is 404.
 */
export const handler = define.handlers({
  async PUT(ctx) {
    const user = requireUser(ctx);
    if (!isId(ctx.params.id)) throw new NotFound("notification_not_found", "notify.not_found");
    const n = await markRead(user.id, ctx.params.id);
    return Response.json({ notification: formatNotification(n, ctx.state.lang), unread: await unreadCount(user.id) });
  },
});
