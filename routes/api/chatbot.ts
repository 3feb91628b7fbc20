import { define } from "@/lib/define.ts";
import { parseInput, readBody } from "@/lib/validation.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import {
  answer,
  CHATBOT_MAX_BODY_BYTES,
  chatbotAnswerSchema,
  chatbotInputSchema,
  enforceChatbotLimit,
} from "@/lib/chatbot/mod.ts";
import { defineOpenApi, tooManyRequests } from "@/lib/openapi/operation.ts";

/**
 * `POST /api/chatbot {message, lang?}` — one question to CnBuddy
 * (`lib/chatbot`). Public (works signed out), rate-limited per client address.
 * → 200 `{reply, intent, confidence, crisis, suggestions, actions, lang}`;
 * 400 with field errors for an empty or too long message; 429 with `Retry-After`.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const input = parseInput(chatbotInputSchema, await readBody(ctx.req, CHATBOT_MAX_BODY_BYTES));
    await enforceChatbotLimit(clientIp(ctx));
    return Response.json(await answer(input, ctx.state.lang));
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["chatbot"],
    summary:
      "Ask CnBuddy: intent, reply in the message's language, crisis resources when the message suggests self-harm",
    body: chatbotInputSchema,
    responses: {
      200: { description: "The answer", schema: chatbotAnswerSchema },
      400: "`validation_failed` (`message` empty or over 1,000 code points, `lang` not `id`/`en`) or `bad_request`",
      413: "`payload_too_large`",
      429: tooManyRequests(),
    },
  },
});
