import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { config } from "@/lib/config.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { conversationsOf } from "@/lib/chat/http.ts";
import { chatStrings } from "@/lib/chat/views.ts";
import { PageHeader } from "@/components/ui.tsx";
import ChatInbox from "@/islands/ChatInbox.tsx";

/**
 * `/chat` — the signed-in psychologist's (or client's) conversations with
 * unread counts, live (docs/domain-rules.md "Chat").
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client", "psychologist");
    addSheets(ctx.state, "chat");
    ctx.state.title = ctx.state.t("chat.list_title");
    return page({ list: await conversationsOf(user, {}) });
  },
});

export default define.page<typeof handler>(function ChatList({ data, state }) {
  const { t, lang } = state;
  return (
    <div class="chat-list-page">
      <PageHeader
        title={t("chat.list_title")}
        subtitle={t("chat.list_empty", { minutes: config.chatOpensMinutesBefore })}
      />
      <ChatInbox items={data.list.items} lang={lang} timeZone={config.timeZone} strings={chatStrings(lang)} />
    </div>
  );
});
