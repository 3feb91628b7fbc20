import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { NotFound } from "@/lib/errors.ts";
import { isId } from "@/lib/db/ids.ts";
import { formatNotification, markRead, unreadCount } from "@/lib/notify/notifications.ts";
import { renderedNotificationSchema } from "@/lib/notify/notifications.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

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

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  put: {
    tags: ["notifications"],
    summary: "Mark one of my notifications read (idempotent)",
    security: AUTH,
    path: idPath("Notification id (ULID)"),
    responses: {
      200: {
        description: "Marked read",
        schema: z.object({
          notification: renderedNotificationSchema,
          unread: z.int().min(0).describe("Unread count after this call"),
        }),
      },
      401: "Not signed in (`unauthorized`)",
      403: "`password_change_required`",
      404: "`notification_not_found` (unknown, malformed, or not yours)",
    },
  },
});
