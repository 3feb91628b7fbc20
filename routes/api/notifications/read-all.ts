import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { markAllRead } from "@/lib/notify/notifications.ts";

/** `PUT /api/notifications/read-all` — marks all of the user's notifications read: `{ updated, unread: 0 }`. */
export const handler = define.handlers({
  async PUT(ctx) {
    const user = requireUser(ctx);
    const updated = await markAllRead(user.id);
    return Response.json({ updated, unread: 0 });
  },
});
