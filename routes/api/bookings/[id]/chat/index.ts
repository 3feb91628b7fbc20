import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { chatInfo, chatInfoSchema } from "@/lib/chat/http.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";

/** `GET /api/bookings/{id}/chat` — the conversation's state, receipts, unread count and the other side's presence. */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireUser(ctx);
    return Response.json(await chatInfo(user, ctx.params.id));
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["chat"],
    summary: "Conversation state",
    security: AUTH,
    path: idPath("Booking id (ULID)"),
    responses: {
      200: { description: "State", schema: chatInfoSchema },
      401: "Not signed in",
      403: "`chat_private` (admins)",
      404: "`booking_not_found`",
    },
  },
});
