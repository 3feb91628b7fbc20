import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { z } from "@/lib/validation.ts";
import { endFromInput } from "@/lib/chat/http.ts";
import { chatStateSchema } from "@/lib/chat/model.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";

/** `POST /api/bookings/{id}/chat/end` — either participant ends the conversation: read-only for both, history kept. */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireUser(ctx);
    return Response.json(await endFromInput(user, ctx.params.id));
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["chat"],
    summary: "End the conversation",
    description: "Idempotent: ending an ended conversation answers 200 with its state.",
    security: AUTH,
    path: idPath("Booking id (ULID)"),
    responses: {
      200: { description: "Ended", schema: z.object({ state: chatStateSchema }) },
      401: "Not signed in",
      403: "`chat_private` (admins)",
      404: "`booking_not_found`",
      409: "`chat_not_open`, `chat_closed`: nothing to end",
    },
  },
});
