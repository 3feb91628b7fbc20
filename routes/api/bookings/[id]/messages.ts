import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { readBody } from "@/lib/validation.ts";
import { historyFromQuery, sendAnswerSchema, sendFromInput } from "@/lib/chat/http.ts";
import { historyQuerySchema, messageSchema, sendInputSchema } from "@/lib/chat/model.ts";
import { AUTH, defineOpenApi, idPath, pageOf, tooManyRequests } from "@/lib/openapi/operation.ts";

/**
 * `GET /api/bookings/{id}/messages?before=&after=&limit=` — history of the booking's conversation → `{items, cursor}`.
 * `POST /api/bookings/{id}/messages {clientId, text}` — send → 201 `{message}`, 200 with the same message on a retry.
 * Only the booking's client and psychologist (docs/domain-rules.md "Chat").
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireUser(ctx);
    return Response.json(await historyFromQuery(user, ctx.params.id, Object.fromEntries(ctx.url.searchParams)));
  },
  async POST(ctx) {
    const user = requireUser(ctx);
    const r = await sendFromInput(user, ctx.params.id, await readBody(ctx.req));
    return Response.json({ message: r.message }, { status: r.created ? 201 : 200 });
  },
});

const errors = {
  401: "Not signed in",
  403: "`chat_private`: admins never read message text",
  404: "`booking_not_found` (also for anyone but the booking's client and psychologist)",
};

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["chat"],
    summary: "Conversation history",
    description: "Messages in seq order. Without `after`: the newest `limit` (with seq < `before`); `cursor` is then " +
      "the seq to pass as `before` for older ones. With `after`: the oldest `limit` after it; `cursor` is the seq to " +
      "pass as `after` for the next ones. `cursor` is null when there is nothing more.",
    security: AUTH,
    path: idPath("Booking id (ULID)"),
    query: historyQuerySchema,
    responses: {
      200: { description: "A page of messages", schema: pageOf(messageSchema) },
      400: "`validation_failed` (before, after, limit)",
      ...errors,
    },
  },
  post: {
    tags: ["chat"],
    summary: "Send a message (exactly once per clientId)",
    description: "Text 1–1000 characters (code points) after trimming. Retrying with the same `clientId` returns the " +
      "stored message with 200 and stores nothing new. The conversation takes messages while the booking is " +
      "`confirmed`/`in_session`, from CHAT_OPENS_MINUTES_BEFORE before the start until CHAT_GRACE_MINUTES after the " +
      "end, unless a participant ended it.",
    security: AUTH,
    path: idPath("Booking id (ULID)"),
    body: sendInputSchema,
    responses: {
      201: { description: "Stored", schema: sendAnswerSchema },
      200: { description: "Already stored (a retry with the same clientId)", schema: sendAnswerSchema },
      400: "`validation_failed` (clientId, text)",
      ...errors,
      409: "`chat_not_open`, `chat_ended`, `chat_closed`, `chat_busy`",
      429: tooManyRequests(),
    },
  },
});
