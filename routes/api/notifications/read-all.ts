import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { markAllRead } from "@/lib/notify/notifications.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/** `PUT /api/notifications/read-all` — marks all of the user's notifications read: `{ updated, unread: 0 }`. */
export const handler = define.handlers({
  async PUT(ctx) {
    const user = requireUser(ctx);
    const updated = await markAllRead(user.id);
    return Response.json({ updated, unread: 0 });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  put: {
    tags: ["notifications"],
    summary: "Mark all my notifications read",
    security: AUTH,
    responses: {
      200: {
        description: "Done",
        schema: z.object({ updated: z.int().min(0).describe("How many were unread"), unread: z.literal(0) }),
      },
      401: "Not signed in (`unauthorized`)",
      403: "`password_change_required`",
    },
  },
});
