import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { addSheets } from "@/lib/state.ts";
import { parseInput, readBody } from "@/lib/validation.ts";
import { ValidationError } from "@/lib/errors.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { answer, CHATBOT_MAX_BODY_BYTES, chatbotInputSchema, enforceChatbotLimit } from "@/lib/chatbot/mod.ts";
import { errorText, PageHeader } from "@/components/ui.tsx";
import { cnBuddyProps } from "@/components/CnBuddyPanel.tsx";
import CnBuddy, { type CnBuddyExchange } from "@/islands/CnBuddy.tsx";

/**
 * `/chatbot`: CnBuddy, signed in or not (docs/domain-rules.md "CnBuddy"). GET
 * shows the conversation island; POST is its no-JavaScript path: the form's
 * question is answered like `POST /api/chatbot` (same validation and rate
 * limit) and the page renders the answer — the crisis panel included — or
 * the field error (400) with the text kept.
 */
export const handler = define.handlers({
  GET(ctx) {
    addSheets(ctx.state, "chatbot");
    ctx.state.title = ctx.state.t("chatbot.title");
    return page({ initial: [] as CnBuddyExchange[], draft: "", error: null as string | null });
  },
  async POST(ctx) {
    addSheets(ctx.state, "chatbot");
    ctx.state.title = ctx.state.t("chatbot.title");
    const raw = await readBody(ctx.req, CHATBOT_MAX_BODY_BYTES);
    const draft = typeof raw.message === "string" ? raw.message.slice(0, 2000) : "";
    try {
      const input = parseInput(chatbotInputSchema, { message: raw.message });
      await enforceChatbotLimit(clientIp(ctx));
      const a = await answer(input, ctx.state.lang);
      return page({ initial: [{ question: input.message, answer: a }], draft: "", error: null });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const msg = err.messages().message;
      return page({ initial: [] as CnBuddyExchange[], draft, error: msg ? errorText(ctx.state.t, msg) : null }, {
        status: 400,
      });
    }
  },
});

export default define.page<typeof handler>(function ChatbotPage({ data, state }) {
  const t = state.t;
  return (
    <div class="cnbuddy-page">
      <PageHeader title={t("chatbot.title")} subtitle={t("chatbot.subtitle")} />
      <CnBuddy
        initial={data.initial}
        draft={data.draft}
        error={data.error ?? undefined}
        {...cnBuddyProps(t, state.lang)}
      />
      <p class="notice cnbuddy-disclaimer">{t("chatbot.disclaimer")}</p>
    </div>
  );
});
