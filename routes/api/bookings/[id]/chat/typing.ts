import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { readBody } from "@/lib/validation.ts";
import { typingFromInput } from "@/lib/chat/http.ts";
import { typingInputSchema } from "@/lib/chat/model.ts";
import { AUTH, defineOpenApi, idPath, okSchema } from "@/lib/openapi/operation.ts";

/**
 * `POST /api/bookings/{id}/chat/typing {typing}` — the caller is typing (repeat every ≤ 3 s while typing) or
 * stopped. Never stored: the other side's stream gets `event: typing`, cleared after 5 s without a repeat.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireUser(ctx);
    return Response.json(await typingFromInput(user, ctx.params.id, await readBody(ctx.req)));
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["chat"],
    summary: "Typing indicator (ephemeral)",
    description: "Ignored while the conversation takes no messages.",
    security: AUTH,
    path: idPath("Booking id (ULID)"),
    body: typingInputSchema,
    responses: {
      200: { description: "Passed on", schema: okSchema },
      400: "`validation_failed` (typing)",
      401: "Not signed in",
      403: "`chat_private` (admins)",
      404: "`booking_not_found`",
    },
  },
});
