/**
 * The consultation chat screen (docs/domain-rules.md "Chat"): bubbles with day
 * separators, ticks (✓ stored, ✓✓ delivered, blue ✓✓ read), the other side's
 * typing dots and online / last seen, "sending" / failed with retry, an outbox
 * that survives a dropped connection and a reload, the first unread message in
 * view on open, the "conversation ended" state, and a crisis-help link that is
 * always visible.
 *
 * Live: `EventSource` on `/api/bookings/{id}/chat/stream?after=<last seq>`; it
 * reconnects by itself with `Last-Event-ID`, and when it gives up the island
 * opens a new one after the last seq it holds — so nothing is missed or doubled.
 * Sending: each message gets a client id (`crypto.randomUUID()`) when written;
 * the outbox (also in `localStorage`) posts it until the server answers with the
 * stored message (201, or 200 for a retry), waiting out 429 `Retry-After` and
 * network errors; a 4xx refusal marks it failed, and "Retry" posts the same id.
 * Receipts: messages of the other side are acknowledged as delivered when they
 * arrive and as read once they were on screen while the page was visible.
 *
 * Keyboard: Enter sends, Shift+Enter is a new line. The message list is an ARIA
 * `log` (polite live region), so screen readers announce new messages.
 * Styles: `static/chat.css`.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { formatDate, formatDateTime, formatTime } from "@/lib/i18n/format.ts";

/** A stored message (the API's shape). */
export interface ChatMsg {
  id: string;
  seq: number;
  clientId: string;
  senderId: string;
  text: string;
  sentAt: string;
  deliveredAt: string | null;
  readAt: string | null;
}

/** A participant's receipt (the API's shape). */
export interface ChatReceipt {
  deliveredUpTo: number;
  deliveredAt: string | null;
  readUpTo: number;
  readAt: string | null;
  readCount: number;
}

/** The conversation state (the API's shape). */
export interface ChatStateProps {
  writable: boolean;
  reason: "not_open_yet" | "ended" | "session_over" | "booking_closed" | null;
  opensAt: string;
  closesAt: string;
  endedAt: string | null;
  endedBy: string | null;
}

export interface ChatProps {
  bookingId: string;
  me: string;
  other: { id: string; name: string };
  /** The newest page of history, ascending. */
  messages: ChatMsg[];
  /** Seq to pass as `before` for older messages, or null. */
  olderCursor: string | null;
  receipts: Record<string, ChatReceipt>;
  presence: { online: boolean; lastSeen: string | null };
  state: ChatStateProps;
  lang: "id" | "en";
  timeZone: string;
  /** Minutes the chat opens before the session (for the "not open yet" text). */
  opensMinutes: number;
  /** Translated texts, keys `chat.*`. */
  strings: Record<string, string>;
}

interface Pending {
  clientId: string;
  text: string;
  createdAt: string;
  status: "sending" | "queued" | "failed";
  error?: string;
}

const MAX = 1000;

function fill(s: string | undefined, params: Record<string, string | number> = {}): string {
  return (s ?? "").replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function newClientId(): string {
  return globalThis.crypto?.randomUUID?.() ??
    Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function dayKey(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(iso),
  );
}

async function postJson(url: string, body: unknown): Promise<Response> {
  return await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
}

function Ticks({ m, other, s }: { m: ChatMsg; other: ChatReceipt | undefined; s: Record<string, string> }) {
  const read = !!m.readAt || (other?.readUpTo ?? 0) >= m.seq;
  const delivered = read || !!m.deliveredAt || (other?.deliveredUpTo ?? 0) >= m.seq;
  const label = read ? s["chat.read"] : delivered ? s["chat.delivered"] : s["chat.sent"];
  return (
    <span
      class={`chat-ticks ${read ? "is-read" : delivered ? "is-delivered" : "is-sent"}`}
      role="img"
      aria-label={label}
      title={label}
      data-state={read ? "read" : delivered ? "delivered" : "sent"}
    >
      {delivered ? "✓✓" : "✓"}
    </span>
  );
}

/** The chat island. */
export default function Chat(props: ChatProps) {
  const s = props.strings;
  const { bookingId, me, other, lang, timeZone } = props;
  const api = `/api/bookings/${bookingId}`;
  const outboxKey = `ruangpulih:chat-outbox:${bookingId}:${me}`;

  const [messages, setMessages] = useState<ChatMsg[]>(props.messages);
  const [older, setOlder] = useState<string | null>(props.olderCursor);
  const [pending, setPending] = useState<Pending[]>([]);
  const [receipts, setReceipts] = useState<Record<string, ChatReceipt>>(props.receipts);
  const [presence, setPresence] = useState(props.presence);
  const [state, setState] = useState<ChatStateProps>(props.state);
  const [typing, setTyping] = useState(false);
  const [connected, setConnected] = useState(true);
  const [text, setText] = useState("");
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const lastSeq = useRef(props.messages.at(-1)?.seq ?? 0);
  const pendingRef = useRef<Pending[]>([]);
  const sendingRef = useRef(false);
  const listRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const typingSent = useRef(0);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const readSent = useRef(props.receipts[me]?.readUpTo ?? 0);
  const deliveredSent = useRef(props.receipts[me]?.deliveredUpTo ?? 0);
  const seen = useRef(props.receipts[me]?.readUpTo ?? 0);
  const firstUnread = useRef<number | null>(
    props.messages.find((m) => m.senderId !== me && m.seq > (props.receipts[me]?.readUpTo ?? 0))?.seq ?? null,
  );
  const stuckToBottom = useRef(true);

  // ------------------------------------------------------------ outbox
  const savePending = (list: Pending[]) => {
    pendingRef.current = list;
    setPending(list);
    try {
      if (list.length) localStorage.setItem(outboxKey, JSON.stringify(list));
      else localStorage.removeItem(outboxKey);
    } catch { /* private mode */ }
  };
  const update = (clientId: string, patch: Partial<Pending> | null) => {
    const list = pendingRef.current.flatMap((p) => p.clientId !== clientId ? [p] : patch ? [{ ...p, ...patch }] : []);
    savePending(list);
  };

  const addMessages = (list: ChatMsg[]) => {
    if (!list.length) return;
    setMessages((cur) => {
      const bySeq = new Map(cur.map((m) => [m.seq, m]));
      for (const m of list) bySeq.set(m.seq, { ...bySeq.get(m.seq), ...m });
      return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    });
    for (const m of list) if (m.seq > lastSeq.current) lastSeq.current = m.seq;
    const mine = new Set(list.filter((m) => m.senderId === me).map((m) => m.clientId));
    if (mine.size && pendingRef.current.some((p) => mine.has(p.clientId))) {
      savePending(pendingRef.current.filter((p) => !mine.has(p.clientId)));
    }
  };

  const flush = async () => {
    if (sendingRef.current) return;
    sendingRef.current = true;
    try {
      for (;;) {
        const next = pendingRef.current.find((p) => p.status !== "failed");
        if (!next) break;
        update(next.clientId, { status: "sending" });
        let res: Response;
        try {
          res = await postJson(`${api}/messages`, { clientId: next.clientId, text: next.text });
        } catch {
          update(next.clientId, { status: "queued" });
          setConnected(false);
          await new Promise((r) => setTimeout(r, 3000));
          continue;
        }
        if (res.status === 200 || res.status === 201) {
          const { message } = await res.json() as { message: ChatMsg };
          addMessages([message]);
          continue;
        }
        if (res.status === 429 || res.status >= 500) {
          update(next.clientId, { status: "queued" });
          const wait = Number(res.headers.get("retry-after") ?? "3");
          await new Promise((r) => setTimeout(r, Math.min(60, Math.max(1, wait || 3)) * 1000));
          continue;
        }
        const body = await res.json().catch(() => null) as { error?: { message?: string } } | null;
        update(next.clientId, { status: "failed", error: body?.error?.message ?? s["chat.failed"] });
      }
    } finally {
      sendingRef.current = false;
    }
  };

  // ------------------------------------------------------------ receipts
  const ack = (kind: "delivered" | "read", upTo: number) => {
    const ref = kind === "read" ? readSent : deliveredSent;
    if (upTo <= ref.current) return;
    ref.current = upTo;
    if (kind === "read" && upTo > deliveredSent.current) deliveredSent.current = upTo;
    postJson(`${api}/chat/${kind}`, { upTo }).catch(() => {
      ref.current = Math.min(ref.current, upTo - 1);
    });
  };
  const markSeen = () => {
    if (document.visibilityState !== "visible") return;
    const list = listRef.current;
    if (!list) return;
    const box = list.getBoundingClientRect();
    let max = seen.current;
    for (const el of list.querySelectorAll<HTMLElement>("[data-theirs='1']")) {
      const r = el.getBoundingClientRect();
      if (r.top < box.bottom && r.bottom > box.top) max = Math.max(max, Number(el.dataset.seq));
    }
    if (max > seen.current) seen.current = max;
    ack("read", seen.current);
  };

  // ------------------------------------------------------------ live stream
  useEffect(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(outboxKey) ?? "[]") as Pending[];
      if (Array.isArray(saved) && saved.length) {
        savePending(saved.map((p) => ({ ...p, status: "queued" as const })));
        flush();
      }
    } catch { /* nothing saved */ }
    // Messages of the other side that came with the page were received too.
    const theirs = props.messages.filter((m) => m.senderId !== me).at(-1);
    if (theirs) ack("delivered", theirs.seq);
    let es: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let backoff = 1000;
    let typingClear: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      es = new EventSource(`${api}/chat/stream?after=${lastSeq.current}`);
      es.onopen = () => {
        setConnected(true);
        backoff = 1000;
        flush();
      };
      es.addEventListener("message", (ev) => {
        const m = JSON.parse((ev as MessageEvent).data) as ChatMsg;
        addMessages([m]);
        if (m.senderId !== me) {
          ack("delivered", m.seq);
          setTyping(false);
        }
      });
      es.addEventListener("receipts", (ev) => {
        setReceipts((JSON.parse((ev as MessageEvent).data) as { receipts: Record<string, ChatReceipt> }).receipts);
      });
      es.addEventListener("presence", (ev) => {
        const p = JSON.parse((ev as MessageEvent).data) as { online: boolean; lastSeen: string | null };
        setPresence({ online: p.online, lastSeen: p.lastSeen });
      });
      es.addEventListener("typing", (ev) => {
        const t = JSON.parse((ev as MessageEvent).data) as { userId: string; typing: boolean };
        if (t.userId !== other.id) return;
        setTyping(t.typing);
        if (typingClear) clearTimeout(typingClear);
        if (t.typing) typingClear = setTimeout(() => setTyping(false), 5000);
      });
      es.addEventListener("state", (ev) => setState(JSON.parse((ev as MessageEvent).data) as ChatStateProps));
      es.onerror = () => {
        setConnected(false);
        if (es && es.readyState === EventSource.CLOSED) {
          es = null;
          retry = setTimeout(open, backoff);
          backoff = Math.min(30_000, backoff * 2);
        }
      };
    };
    open();
    const onOnline = () => {
      if (!es) {
        if (retry) clearTimeout(retry);
        open();
      }
      flush();
    };
    const onVisible = () => markSeen();
    addEventListener("online", onOnline);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      es?.close();
      if (retry) clearTimeout(retry);
      removeEventListener("online", onOnline);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, []);

  // ------------------------------------------------------------ scrolling
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const marker = list.querySelector<HTMLElement>(".chat-unread-marker");
    if (marker) marker.scrollIntoView({ block: "start" });
    else list.scrollTop = list.scrollHeight;
    markSeen();
  }, []);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && stuckToBottom.current) list.scrollTop = list.scrollHeight;
    markSeen();
  }, [messages.length, pending.length, typing]);

  const onScroll = () => {
    const list = listRef.current!;
    stuckToBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    markSeen();
  };

  const loadOlder = async () => {
    if (!older) return;
    const list = listRef.current!;
    const fromBottom = list.scrollHeight - list.scrollTop;
    const res = await fetch(`${api}/messages?before=${older}&limit=50`, { credentials: "same-origin" });
    if (!res.ok) return;
    const page = await res.json() as { items: ChatMsg[]; cursor: string | null };
    stuckToBottom.current = false;
    addMessages(page.items);
    setOlder(page.cursor);
    requestAnimationFrame(() => list.scrollTop = list.scrollHeight - fromBottom);
  };

  // ------------------------------------------------------------ composing
  const signalTyping = (on: boolean) => {
    if (!state.writable) return;
    const now = Date.now();
    if (on && now - typingSent.current < 2000) return;
    if (!on && typingSent.current === 0) return;
    typingSent.current = on ? now : 0;
    postJson(`${api}/chat/typing`, { typing: on }).catch(() => {});
  };
  const onInput = (v: string) => {
    setText(v);
    setError(null);
    if (typingTimer.current) clearTimeout(typingTimer.current);
    if (v.trim()) {
      signalTyping(true);
      typingTimer.current = setTimeout(() => signalTyping(false), 4000);
    } else signalTyping(false);
  };
  const submit = (e?: Event) => {
    e?.preventDefault();
    const t = text.trim();
    if (!t) return setError(s["chat.error.empty"]);
    if (codePoints(t) > MAX) return setError(s["chat.error.too_long"]);
    if (!state.writable) return;
    const p: Pending = { clientId: newClientId(), text: t, createdAt: new Date().toISOString(), status: "sending" };
    stuckToBottom.current = true;
    savePending([...pendingRef.current, p]);
    setText("");
    if (typingTimer.current) clearTimeout(typingTimer.current);
    signalTyping(false);
    flush();
    inputRef.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) submit(e);
  };
  const retryOne = (clientId: string) => {
    update(clientId, { status: "queued", error: undefined });
    flush();
  };
  const endChat = async () => {
    setConfirmEnd(false);
    const res = await postJson(`${api}/chat/end`, {}).catch(() => null);
    if (res?.ok) setState(((await res.json()) as { state: ChatStateProps }).state);
  };

  // ------------------------------------------------------------ rendering
  const otherReceipt = receipts[other.id];
  const today = dayKey(new Date().toISOString(), timeZone);
  const yesterday = dayKey(new Date(Date.now() - 86_400_000).toISOString(), timeZone);
  const dayLabel = (iso: string) => {
    const k = dayKey(iso, timeZone);
    return k === today ? s["chat.today"] : k === yesterday ? s["chat.yesterday"] : formatDate(iso, lang, timeZone);
  };
  const rows = useMemo(() => {
    const out: preact.JSX.Element[] = [];
    let day = "";
    for (const m of messages) {
      const k = dayKey(m.sentAt, timeZone);
      if (k !== day) {
        day = k;
        out.push(
          <div class="chat-day" role="separator" key={`d${k}`}>
            <span>{dayLabel(m.sentAt)}</span>
          </div>,
        );
      }
      if (m.seq === firstUnread.current) {
        out.push(
          <div class="chat-unread-marker" key="unread" role="separator">
            <span>{s["chat.unread_marker"]}</span>
          </div>,
        );
      }
      const mine = m.senderId === me;
      out.push(
        <div
          class={`chat-msg ${mine ? "is-mine" : "is-theirs"}`}
          key={m.id}
          data-seq={m.seq}
          data-theirs={mine ? "0" : "1"}
          data-testid="chat-msg"
        >
          <span class="sr-only">{mine ? s["chat.you"] : other.name}:</span>
          <p class="chat-text">{m.text}</p>
          <span class="chat-meta">
            <time dateTime={m.sentAt}>{formatTime(m.sentAt, lang, timeZone)}</time>
            {mine ? <Ticks m={m} other={otherReceipt} s={s} /> : null}
          </span>
        </div>,
      );
    }
    return out;
  }, [messages, otherReceipt, lang]);

  const presenceText = presence.online
    ? s["chat.online"]
    : presence.lastSeen
    ? fill(s["chat.last_seen"], { time: formatDateTime(presence.lastSeen, lang, timeZone) })
    : "";
  const closedText = state.reason === "not_open_yet"
    ? fill(s["chat.state.not_open_yet"], {
      time: formatDateTime(state.opensAt, lang, timeZone),
      minutes: props.opensMinutes,
    })
    : state.reason
    ? s[`chat.state.${state.reason}`]
    : null;
  const count = codePoints(text.trim());

  return (
    <div class="chat" data-writable={state.writable ? "1" : "0"}>
      <div class="chat-head">
        <div class="chat-who">
          <span class={`chat-dot ${presence.online ? "is-online" : ""}`} aria-hidden="true" />
          <div class="chat-who-text">
            <h1 class="chat-name">{other.name}</h1>
            <span class="chat-presence" data-testid="chat-presence">{presenceText}</span>
          </div>
        </div>
        {state.writable
          ? (
            <button type="button" class="btn btn-ghost chat-end-btn" onClick={() => setConfirmEnd(true)}>
              {s["chat.end"]}
            </button>
          )
          : null}
      </div>
      <p class="chat-crisis">
        <a href="/help">{s["chat.crisis"]}</a>
      </p>
      {confirmEnd
        ? (
          <div class="chat-confirm" role="alertdialog" aria-label={s["chat.end"]}>
            <p>{s["chat.end_confirm"]}</p>
            <div class="chat-confirm-actions">
              <button type="button" class="btn btn-danger" onClick={endChat}>{s["chat.end_yes"]}</button>
              <button type="button" class="btn btn-ghost" onClick={() => setConfirmEnd(false)}>
                {s["chat.end_no"]}
              </button>
            </div>
          </div>
        )
        : null}
      {!connected ? <p class="chat-offline" role="status">{s["chat.offline_banner"]}</p> : null}
      <div class="chat-list" ref={listRef} onScroll={onScroll} role="log" aria-label={s["chat.title"]} tabIndex={0}>
        {older
          ? (
            <button type="button" class="btn btn-ghost chat-older" onClick={loadOlder}>
              {s["chat.older"]}
            </button>
          )
          : null}
        {messages.length === 0 && pending.length === 0 ? <p class="chat-empty">{s["chat.empty"]}</p> : null}
        {rows}
        {pending.map((p) => (
          <div class="chat-msg is-mine is-pending" key={p.clientId} data-status={p.status} data-testid="chat-pending">
            <span class="sr-only">{s["chat.you"]}:</span>
            <p class="chat-text">{p.text}</p>
            <span class="chat-meta">
              {p.status === "failed"
                ? (
                  <>
                    <span class="chat-failed">{p.error ?? s["chat.failed"]}</span>
                    <button
                      type="button"
                      class="btn-link chat-retry"
                      onClick={() => retryOne(p.clientId)}
                    >
                      {s["chat.retry"]}
                    </button>
                  </>
                )
                : <span class="chat-sending">{p.status === "queued" ? s["chat.queued"] : s["chat.sending"]}</span>}
            </span>
          </div>
        ))}
      </div>
      <div class="chat-typing" aria-live="polite" data-testid="chat-typing">
        {typing
          ? (
            <>
              <span class="chat-dots" aria-hidden="true">
                <i />
                <i />
                <i />
              </span>
              <span>{fill(s["chat.typing"], { name: other.name })}</span>
            </>
          )
          : null}
      </div>
      {closedText ? <p class="chat-closed" role="status" data-testid="chat-closed">{closedText}</p> : null}
      {state.writable
        ? (
          <form class="chat-compose" onSubmit={submit}>
            <label class="sr-only" for="chat-input">{s["chat.placeholder"]}</label>
            <textarea
              id="chat-input"
              ref={inputRef}
              rows={1}
              value={text}
              placeholder={s["chat.placeholder"]}
              maxLength={MAX * 2}
              aria-invalid={error ? "true" : undefined}
              aria-describedby="chat-compose-hint"
              onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)}
              onKeyDown={onKeyDown}
              onBlur={() => signalTyping(false)}
            />
            <button type="submit" class="btn chat-send" disabled={!text.trim()}>{s["chat.send"]}</button>
            <p id="chat-compose-hint" class={`chat-hint ${error || count > MAX ? "is-error" : ""}`} aria-live="polite">
              {error ?? (count > MAX - 100 ? fill(s["chat.counter"], { count, max: MAX }) : "")}
            </p>
          </form>
        )
        : null}
    </div>
  );
}
