import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { NotFound } from "@/lib/errors.ts";
import { isId } from "@/lib/db/ids.ts";
import { deleteNotification, formatNotification, getNotification, unreadCount } from "@/lib/notify/notifications.ts";
import { renderedNotificationSchema } from "@/lib/notify/notifications.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `GET /api/notifications/{id}` — one of the user's notifications.
 * `DELETE /api/notifications/{id}` — deletes it: `{ deleted: true, unread }`.
 * Another user's id (or a malformed one) is 404 `notification_not_found`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireUser(ctx);
    const n = isId(ctx.params.id) ? await getNotification(user.id, ctx.params.id) : null;
    if (!n) throw new NotFound("notification_not_found", "notify.not_found");
    return Response.json({ notification: formatNotification(n, ctx.state.lang) });
  },
  async DELETE(ctx) {
    const user = requireUser(ctx);
    if (!isId(ctx.params.id)) throw new NotFound("notification_not_found", "notify.not_found");
    await deleteNotification(user.id, ctx.params.id);
    return Response.json({ deleted: true, unread: await unreadCount(user.id) });
  },
});

const path = idPath("Notification id (ULID). Another user's id is answered like an unknown one (404).");
const refusals = {
  401: "Not signed in (`unauthorized`)",
  403: "`password_change_required`",
  404: "`notification_not_found` (unknown, malformed, or not yours)",
};

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["notifications"],
    summary: "One of my notifications",
    security: AUTH,
    path,
    responses: {
      200: { description: "Found", schema: z.object({ notification: renderedNotificationSchema }) },
      ...refusals,
    },
  },
  delete: {
    tags: ["notifications"],
    summary: "Delete one of my notifications",
    security: AUTH,
    path,
    responses: {
      200: {
        description: "Deleted",
        schema: z.object({ deleted: z.literal(true), unread: z.int().min(0).describe("Unread count after this call") }),
      },
      ...refusals,
    },
  },
});
