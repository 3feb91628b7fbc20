/**
 * The conversation list (`/chat`): each booking's conversation with the other
 * person, the session time, its state and the unread count, kept live over
 * `GET /api/chat/stream` (EventSource; reconnects by itself). Styles:
 * `static/chat.css` (`chat-conv*`).
 */
import { useEffect, useState } from "preact/hooks";
import { formatDateTime } from "@/lib/i18n/format.ts";

/** One conversation as `GET /api/chat/conversations` lists it. */
export interface InboxItem {
  bookingId: string;
  other: { id: string; name: string };
  startsAt: string;
  endsAt: string;
  status: string;
  state: { writable: boolean; reason: string | null };
  head: number;
  unread: number;
}

export interface ChatInboxProps {
  items: InboxItem[];
  lang: "id" | "en";
  timeZone: string;
  /** Translated texts, keys `chat.*`. */
  strings: Record<string, string>;
}

/** The live conversation list island. */
export default function ChatInbox(props: ChatInboxProps) {
  const s = props.strings;
  const [items, setItems] = useState(props.items);
  useEffect(() => {
    const es = new EventSource("/api/chat/stream");
    es.addEventListener("conversations", (ev) => {
      setItems((JSON.parse((ev as MessageEvent).data) as { items: InboxItem[] }).items);
    });
    return () => es.close();
  }, []);
  if (!items.length) return <p class="chat-empty-list">{s["chat.list_empty_short"]}</p>;
  return (
    <ul class="chat-convs" aria-live="polite">
      {items.map((c) => (
        <li class="chat-conv" key={c.bookingId} data-testid="chat-conv">
          <a class="chat-conv-main" href={`/chat/${c.bookingId}`}>
            <strong>{c.other.name}</strong>
            <span class="chat-conv-when">
              {formatDateTime(c.startsAt, props.lang, props.timeZone)} ·{" "}
              {c.state.writable ? s["chat.open_now"] : s["chat.read_only"]}
            </span>
          </a>
          {c.unread > 0
            ? (
              <span class="chat-unread-badge" aria-label={s["chat.unread_count"].replace("{count}", String(c.unread))}>
                {c.unread}
              </span>
            )
            : null}
        </li>
      ))}
    </ul>
  );
}
