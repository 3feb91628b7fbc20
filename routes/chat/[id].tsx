import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { config } from "@/lib/config.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { chatInfo } from "@/lib/chat/http.ts";
import { history } from "@/lib/chat/store.ts";
import { chatStrings } from "@/lib/chat/views.ts";
import { whenText } from "@/components/booking/ui.tsx";
import { getBooking } from "@/lib/booking/store.ts";
import Chat from "@/islands/Chat.tsx";

/**
 * `/chat/:bookingId` — the consultation chat of one booking, for its client
 * and its psychologist (others 404, admins 403; docs/domain-rules.md "Chat").
 * The island gets the newest 50 messages, receipts, presence and state, and
 * goes live from there.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client", "psychologist");
    const info = await chatInfo(user, ctx.params.id);
    const b = (await getBooking(ctx.params.id))!;
    const hist = await history(b.id, { limit: 50 });
    addSheets(ctx.state, "chat");
    ctx.state.title = `${ctx.state.t("chat.title")} · ${info.other.name}`;
    return page({ info, b, hist, isPsy: user.id === b.psychologistId });
  },
});

export default define.page<typeof handler>(function ChatPage({ data, state }) {
  const { t, lang } = state;
  const { info, b, hist, isPsy } = data;
  const back = isPsy ? `/psychologist/bookings/${b.id}` : `/client/bookings/${b.id}`;
  return (
    <div class="chat-page">
      <p class="back-link chat-back">
        <a href={back}>← {t("chat.back")}</a>
        <span class="chat-when">{whenText(b, lang, config.timeZone)}</span>
      </p>
      <Chat
        bookingId={b.id}
        me={info.me}
        other={info.other}
        messages={hist.items}
        olderCursor={hist.cursor}
        receipts={info.receipts}
        presence={{ online: info.presence.online, lastSeen: info.presence.lastSeen }}
        state={info.state}
        lang={lang}
        timeZone={config.timeZone}
        opensMinutes={config.chatOpensMinutesBefore}
        strings={chatStrings(lang)}
      />
    </div>
  );
});
