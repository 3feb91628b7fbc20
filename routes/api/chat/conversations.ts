import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { conversationSchema, conversationsOf, conversationsQuerySchema } from "@/lib/chat/http.ts";
import { AUTH, defineOpenApi, pageOf } from "@/lib/openapi/operation.ts";

/** `GET /api/chat/conversations?cursor=&limit=` — the caller's conversations with unread counts. */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client", "psychologist");
    return Response.json(await conversationsOf(user, Object.fromEntries(ctx.url.searchParams)));
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["chat"],
    summary: "My conversations (psychologist or client) with unread counts",
    description: "Bookings whose conversation is open now or has messages, in start order, one page of bookings " +
      "(`limit`, 1–50) at a time; `cursor` continues.",
    security: AUTH,
    query: conversationsQuerySchema,
    responses: {
      200: { description: "Conversations", schema: pageOf(conversationSchema) },
      400: "`validation_failed`, `invalid_cursor`",
      401: "Not signed in",
      403: "Other roles",
    },
  },
});
