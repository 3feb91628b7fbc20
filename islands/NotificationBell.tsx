/**
 * The header notification bell (docs/domain-rules.md "Notification"): unread badge, a short beep on a new
 * notification (WebAudio, no audio file), a dropdown list with mark read / delete /
 * mark all read, live over Server-Sent Events, and a polite live region that announces
 * "Guest X has arrived for Y".
 *
 * Live connection: `new EventSource("/api/notifications/stream")` (with `?lastEventId=`
 * = the newest notification the page knew when it was rendered, so nothing that
 * arrives between render and connect is missed). EventSource reconnects by itself and
 * sends `Last-Event-ID`; if it gives up (HTTP error), the island reconnects with backoff
 * and `?lastEventId=` of the last event it saw.
 *
 * Many tabs: browsers allow ~6 HTTP/1.1 connections per host, and every EventSource holds
 * one. With the Web Locks API one tab per browser (the lock holder) keeps the stream and
 * relays events to the other tabs over a BroadcastChannel; when it closes, another tab
 * takes the lock and resumes after the last id it saw. Without those APIs each tab
 * connects itself.
 *
 * Every notification is also dispatched as `window` CustomEvent `"ruangpulih:notification"`
 * (detail = the notification JSON: `{ id, kind, data, createdAt, readAt, text, detail }`),
 * so other islands (the teacher's today list) can react.
 *
 * Texts come translated from the server in `strings` (see `lib/notify/bell.ts`).
 * Styles: `static/components.css` (classes `notify-*`) and `static/base.css` (`sr-only`).
 */
import { useEffect, useRef, useState } from "preact/hooks";

/** One notification as the API and the stream send it. */
export interface BellItem {
  id: string;
  kind: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
  text: string;
  detail: string;
}

export interface NotificationBellProps {
  initialUnread: number;
  lang: "id" | "en";
  /** Translated texts, keys `notify.*` (from `bellStrings(lang)`). */
  strings: Record<string, string>;
  /** Resume point for the first connection (a ULID); omitted = only notifications from now. */
  since?: string | null;
}

const STREAM_URL = "/api/notifications/stream";
const API = "/api/notifications";
const CHANNEL = "ruangpulih:notify";
const LOCK = "ruangpulih:notify-stream";
const SOUND_KEY = "ruangpulih:notify-sound";
/** The DOM event other islands listen to. */
export const NOTIFICATION_EVENT = "ruangpulih:notification";

type Relay =
  | { type: "notification"; n: BellItem; leaderVisible: boolean }
  | { type: "unread"; unread: number }
  | { type: "hello" };

function fill(s: string, params?: Record<string, string | number>): string {
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

async function api<T>(method: string, path: string): Promise<T> {
  const res = await fetch(path, { method, headers: { accept: "application/json" }, credentials: "same-origin" });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return await res.json() as T;
}

let audioCtx: AudioContext | null = null;
/** Creates/resumes the AudioContext; browsers allow that only after a user gesture. */
function unlockAudio(): void {
  try {
    if (!audioCtx) {
      const C = globalThis.AudioContext ??
        (globalThis as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
      if (!C) return;
      audioCtx = new C();
    }
    if (audioCtx.state === "suspended") audioCtx.resume().catch(() => {});
  } catch { /* no audio on this device */ }
}

/** A short two-tone chime (~0.3 s) synthesised with oscillators. */
function beep(): void {
  const c = audioCtx;
  if (!c) return;
  try {
    if (c.state === "suspended") c.resume().catch(() => {});
    const t0 = c.currentTime + 0.01;
    for (const [freq, at] of [[880, 0], [1318.5, 0.15]] as const) {
      const osc = c.createOscillator();
      const gain = c.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t0 + at);
      gain.gain.exponentialRampToValueAtTime(0.3, t0 + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + 0.14);
      osc.connect(gain).connect(c.destination);
      osc.start(t0 + at);
      osc.stop(t0 + at + 0.15);
    }
  } catch { /* ignore */ }
}

function BellIcon() {
  return (
    <svg
      aria-hidden="true"
      focusable="false"
      width="22"
      height="22"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
      <path d="M13.73 21a2 2 0 0 1-3.46 0" />
    </svg>
  );
}

export default function NotificationBell({ initialUnread, lang, strings, since }: NotificationBellProps) {
  const s = (k: string, p?: Record<string, string | number>) => fill(strings[k] ?? k, p);
  const [unread, setUnread] = useState(Math.max(0, initialUnread | 0));
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<BellItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState("");
  const [offline, setOffline] = useState(false);
  /** "connecting" → "live" (stream sent its first event, or relayed by another tab). Test hook: `data-stream`. */
  const [stream, setStream] = useState<"connecting" | "live">("connecting");
  const [sound, setSound] = useState(true);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const soundRef = useRef(true);
  const openRef = useRef(false);
  openRef.current = open;
  soundRef.current = sound;

  const load = async (more: boolean) => {
    setLoading(true);
    setError(null);
    try {
      const q = more && cursor ? `?limit=20&cursor=${encodeURIComponent(cursor)}` : "?limit=20";
      const page = await api<{ items: BellItem[]; cursor: string | null; unread: number }>("GET", API + q);
      setItems((prev) => {
        if (!more || !prev) return page.items;
        const seen = new Set(prev.map((x) => x.id));
        return [...prev, ...page.items.filter((x) => !seen.has(x.id))];
      });
      setCursor(page.cursor);
      setUnread(page.unread);
    } catch {
      setError(s("notify.load_error"));
    } finally {
      setLoading(false);
    }
  };

  // Sound preference and audio unlock on the first user gesture.
  useEffect(() => {
    try {
      setSound(localStorage.getItem(SOUND_KEY) !== "off");
    } catch { /* storage blocked */ }
    const unlock = () => unlockAudio();
    addEventListener("pointerdown", unlock, { once: true, capture: true });
    addEventListener("keydown", unlock, { once: true, capture: true });
    return () => {
      removeEventListener("pointerdown", unlock, { capture: true });
      removeEventListener("keydown", unlock, { capture: true });
    };
  }, []);

  // The live connection (one tab per browser holds it, see the module doc).
  useEffect(() => {
    let es: EventSource | null = null;
    let lastId: string | null = since ?? null;
    let stopped = false;
    let leader = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let backoff = 2000;
    let releaseLock: (() => void) | null = null;
    let lastUnread: number | null = null;
    const seen: string[] = [];
    const bc = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;

    const onNotification = (n: BellItem, leaderVisible: boolean) => {
      if (!n || typeof n.id !== "string" || seen.includes(n.id)) return;
      seen.push(n.id);
      if (seen.length > 200) seen.shift();
      if (!lastId || n.id > lastId) lastId = n.id;
      setItems((prev) => (prev && !prev.some((x) => x.id === n.id) ? [n, ...prev] : prev));
      // Re-announce even an identical text: clear, then set.
      setAnnounce("");
      setTimeout(() => setAnnounce(n.text), 50);
      const visible = document.visibilityState === "visible";
      if (soundRef.current && (leader || (visible && !leaderVisible))) beep();
      dispatchEvent(new CustomEvent(NOTIFICATION_EVENT, { detail: n }));
    };

    const connect = () => {
      if (stopped) return;
      es = new EventSource(lastId ? `${STREAM_URL}?lastEventId=${encodeURIComponent(lastId)}` : STREAM_URL);
      es.addEventListener("open", () => {
        setOffline(false);
        backoff = 2000;
      });
      es.addEventListener("notification", (ev) => {
        let n: BellItem;
        try {
          n = JSON.parse((ev as MessageEvent).data);
        } catch {
          return;
        }
        const visible = document.visibilityState === "visible";
        onNotification(n, visible);
        bc?.postMessage({ type: "notification", n, leaderVisible: visible } satisfies Relay);
      });
      es.addEventListener("unread", (ev) => {
        try {
          const { unread } = JSON.parse((ev as MessageEvent).data) as { unread: number };
          setStream("live");
          lastUnread = unread;
          setUnread(unread);
          bc?.postMessage({ type: "unread", unread } satisfies Relay);
        } catch { /* ignore */ }
      });
      es.addEventListener("error", () => {
        setOffline(true);
        if (es && es.readyState === EventSource.CLOSED) {
          es.close();
          es = null;
          if (!stopped) retryTimer = setTimeout(connect, backoff);
          backoff = Math.min(backoff * 2, 60_000);
        }
      });
    };

    if (bc) {
      bc.onmessage = (m: MessageEvent<Relay>) => {
        if (leader) {
          // A new tab says hello: tell it the current count (it is then live).
          if (m.data?.type === "hello" && lastUnread !== null) {
            bc.postMessage({ type: "unread", unread: lastUnread } satisfies Relay);
          }
          return;
        }
        if (m.data?.type === "notification") onNotification(m.data.n, m.data.leaderVisible);
        else if (m.data?.type === "unread" && typeof m.data.unread === "number") {
          setStream("live");
          setUnread(m.data.unread);
        }
      };
    }
    bc?.postMessage({ type: "hello" } satisfies Relay);
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (bc && locks?.request) {
      locks.request(LOCK, () => {
        if (stopped) return;
        leader = true;
        connect();
        return new Promise<void>((resolve) => releaseLock = resolve);
      }).catch(() => {
        if (!stopped && !es) connect();
      });
    } else {
      leader = true;
      connect();
    }
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      es?.close();
      bc?.close();
      releaseLock?.();
    };
  }, []);

  // Close on Escape (focus back to the button) and on a click outside.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    addEventListener("keydown", onKey);
    addEventListener("click", onClick);
    return () => {
      removeEventListener("keydown", onKey);
      removeEventListener("click", onClick);
    };
  }, [open]);

  const toggle = () => {
    unlockAudio();
    const next = !open;
    setOpen(next);
    if (next) {
      // Small screens: the panel is fixed below the bell (CSS reads --notify-top).
      const bottom = buttonRef.current?.getBoundingClientRect().bottom;
      if (bottom !== undefined) panelRef.current?.style.setProperty("--notify-top", `${Math.round(bottom + 6)}px`);
      load(false);
      setTimeout(() => panelRef.current?.focus(), 0);
    }
  };

  const markRead = async (id: string) => {
    try {
      const r = await api<{ notification: BellItem; unread: number }>("PUT", `${API}/${encodeURIComponent(id)}/read`);
      setItems((prev) => prev?.map((x) => (x.id === id ? { ...x, readAt: r.notification.readAt } : x)) ?? prev);
      setUnread(r.unread);
    } catch {
      setError(s("notify.action_error"));
    }
  };

  const remove = async (id: string, index: number) => {
    try {
      const r = await api<{ unread: number }>("DELETE", `${API}/${encodeURIComponent(id)}`);
      setItems((prev) => prev?.filter((x) => x.id !== id) ?? prev);
      setUnread(r.unread);
      // Keep keyboard focus in the list: the next item's first button, else the panel.
      setTimeout(() => {
        const buttons = panelRef.current?.querySelectorAll<HTMLElement>(".notify-item .notify-first");
        (buttons?.[Math.min(index, (buttons?.length ?? 1) - 1)] ?? panelRef.current)?.focus();
      }, 0);
    } catch {
      setError(s("notify.action_error"));
    }
  };

  const markAll = async () => {
    try {
      await api<{ updated: number; unread: number }>("PUT", `${API}/read-all`);
      const now = new Date().toISOString();
      setItems((prev) => prev?.map((x) => (x.readAt ? x : { ...x, readAt: now })) ?? prev);
      setUnread(0);
    } catch {
      setError(s("notify.action_error"));
    }
  };

  const toggleSound = () => {
    unlockAudio();
    const next = !sound;
    setSound(next);
    try {
      localStorage.setItem(SOUND_KEY, next ? "on" : "off");
    } catch { /* storage blocked */ }
  };

  const label = unread > 0 ? s("notify.bell_unread", { count: unread }) : s("notify.bell");
  return (
    <div class="notify" ref={rootRef} lang={lang} data-stream={stream}>
      <button
        type="button"
        class="notify-button"
        ref={buttonRef}
        aria-expanded={open ? "true" : "false"}
        aria-controls="notify-panel"
        aria-label={label}
        title={label}
        onClick={toggle}
      >
        <BellIcon />
        {unread > 0
          ? <span class="notify-count" aria-hidden="true" data-count={unread}>{unread > 99 ? "99+" : unread}</span>
          : null}
      </button>
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">{announce}</div>
      <div
        id="notify-panel"
        class="notify-panel"
        ref={panelRef}
        role="region"
        aria-labelledby="notify-panel-title"
        tabIndex={-1}
        hidden={!open}
      >
        <div class="notify-head">
          <h2 id="notify-panel-title" class="notify-title">{s("notify.title")}</h2>
          <button type="button" class="notify-btn notify-btn-quiet" onClick={markAll} disabled={unread === 0}>
            {s("notify.mark_all_read")}
          </button>
        </div>
        {offline ? <p class="notify-status">{s("notify.reconnecting")}</p> : null}
        {error ? <p class="notify-status notify-error" role="alert">{error}</p> : null}
        {items === null
          ? <p class="notify-empty">{s("notify.loading")}</p>
          : items.length === 0
          ? <p class="notify-empty">{s("notify.empty")}</p>
          : (
            <ul class="notify-list">
              {items.map((n, i) => (
                <li key={n.id} class={`notify-item${n.readAt ? "" : " unread"}`} data-id={n.id}>
                  <p class="notify-text" id={`notify-text-${n.id}`}>
                    {n.readAt ? null : <span class="sr-only">{s("notify.unread")}:</span>}
                    {n.text}
                  </p>
                  <p class="notify-detail">{n.detail}</p>
                  <div class="notify-actions">
                    {n.readAt ? null : (
                      <button
                        type="button"
                        class="notify-btn notify-btn-primary notify-first"
                        aria-describedby={`notify-text-${n.id}`}
                        onClick={() => markRead(n.id)}
                      >
                        {s("notify.mark_read")}
                      </button>
                    )}
                    <button
                      type="button"
                      class={`notify-btn${n.readAt ? " notify-first" : ""}`}
                      aria-describedby={`notify-text-${n.id}`}
                      onClick={() => remove(n.id, i)}
                    >
                      {s("notify.delete")}
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )}
        <div class="notify-foot">
          {cursor
            ? (
              <button type="button" class="notify-btn" onClick={() => load(true)} disabled={loading}>
                {loading ? s("notify.loading") : s("notify.load_more")}
              </button>
            )
            : <span />}
          <button
            type="button"
            class="notify-btn notify-btn-quiet"
            aria-pressed={sound ? "true" : "false"}
            onClick={toggleSound}
          >
            {sound ? s("notify.sound_on") : s("notify.sound_off")}
          </button>
        </div>
      </div>
    </div>
  );
}
