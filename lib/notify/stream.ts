/**
 * The live notification stream (Server-Sent Events) behind
 * `GET /api/notifications/stream` (docs/architecture.md "Realtime: KV watch").
 *
 * Wire format (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * - `retry: 2000` first (EventSource reconnect delay, ms);
 * - one `id: <ulid>\nevent: notification\ndata: <json>\n\n` per notification, where the
 *   JSON is the notification with its message rendered in the request's language
 *   (`RenderedNotification`: `{ id, kind, data, createdAt, readAt, text, detail, … }`);
 * - `event: unread\ndata: {"unread":N}\n\n` at start and whenever the unread count
 *   changes (another tab marked read, a delete, a new notification) — no `id:`, so it
 *   does not move the browser's Last-Event-ID;
 * - `: ping` comment every 25 s (keeps proxies from closing an idle connection).
 *
 * Delivery order and resume — no gaps, no duplicates:
 * ids are ULIDs generated *before* a commit, so two check-ins for the same teacher can
 * commit in the opposite order of their ids; "everything with id > last" could then skip
 * one. Delivery therefore follows commit order: each notification has an immutable feed
 * copy whose versionstamp is its creating commit's, and the stream's cursor is the
 * greatest versionstamp it has handled. After each watch wake-up it lists the feed from a
 * floor (`previous listing time − REORDER_WINDOW_MS` as a ULID; only an id generated more
 * than that long before its commit could fall below it) and sends every entry with a
 * versionstamp above the cursor, in versionstamp order. On reconnect the
 * `Last-Event-ID` (a ULID) is looked up to find its versionstamp; if that notification
 * was deleted meanwhile, everything with a greater id is sent instead.
 * Without a Last-Event-ID, the stream starts at the user's current head (only new ones).
 */
import { getKv } from "@/lib/db/kv.ts";
import { isId } from "@/lib/db/ids.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
import { formatNotification, keys, type Notification } from "./notifications.ts";
import { reserveStream, type Snapshot, type StreamCaps, subscribe } from "./hub.ts";

/** Heartbeat comment interval (ms). */
export const HEARTBEAT_MS = 25_000;
/** Reconnect delay sent to EventSource (ms). */
export const RETRY_MS = 2_000;
/**
 * Longest time between generating a notification id and its commit landing (incl.
 * clock skew between app processes) that the stream tolerates without a gap (ms).
 */
export const REORDER_WINDOW_MS = 120_000;
/** Feed entries read per KV list call. */
const PAGE = 500;
/** A stream whose client does not read (this many events queued) is closed; it reconnects and resumes. */
const MAX_QUEUED = 1_000;

/** Options of `notificationStream` (tests shorten the timers). */
export interface StreamOptions {
  /** Language of the rendered `text`/`detail` (default `id`). */
  lang?: Lang;
  heartbeatMs?: number;
  retryMs?: number;
  /** Caps on open streams (default from the environment, see `streamCaps`). */
  caps?: StreamCaps;
  /**
   * Re-checked before anything new is sent and at every heartbeat; false (or a failure) ends the
   * stream, so a revoked session or a deactivated account stops receiving at once (routes pass
   * `sessionGate` from lib/auth/sessions.ts). Default: no re-check.
   */
  authorized?: () => Promise<boolean>;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The smallest ULID with timestamp `ms` (a key-range floor). */
export function ulidFloor(ms: number): string {
  let t = Math.max(0, Math.floor(ms));
  let s = "";
  for (let i = 0; i < 10; i++) {
    s = CROCKFORD[t % 32] + s;
    t = Math.floor(t / 32);
  }
  return s + "0".repeat(16);
}

/** The timestamp (ms) of a ULID. */
export function ulidTime(id: string): number {
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + CROCKFORD.indexOf(id[i]);
  return t;
}

/** Encodes one SSE event. `data` must be single-line (JSON is). */
export function sseEvent(event: string, data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

interface Cursor {
  /** Greatest versionstamp handled ("" = none). */
  vs: string;
  /** First listing only: also skip entries with id ≤ this (Last-Event-ID not found). */
  afterId: string | null;
  /** List the feed from this ULID. */
  floor: string;
}

/** Where a (re)connecting stream starts; read after subscribing so no wake-up is lost. */
async function initialCursor(kv: Deno.Kv, userId: string, lastEventId: string | null): Promise<Cursor> {
  if (lastEventId && isId(lastEventId) && ulidTime(lastEventId) <= Date.now() + REORDER_WINDOW_MS) {
    const floor = ulidFloor(ulidTime(lastEventId) - REORDER_WINDOW_MS);
    const e = await kv.get(keys.feed(userId, lastEventId));
    if (e.versionstamp) return { vs: e.versionstamp, afterId: null, floor };
    return { vs: "", afterId: lastEventId, floor };
  }
  const head = await kv.get(keys.head(userId));
  return { vs: head.versionstamp ?? "", afterId: null, floor: ulidFloor(Date.now() - REORDER_WINDOW_MS) };
}

/**
 * The SSE body for `userId`'s notifications (see the module doc for format and rules).
 *
 * @param userId the signed-in user (the caller checked authentication)
 * @param lastEventId the `Last-Event-ID` header, or `?lastEventId=` on a first connection;
 *   anything that is not a ULID (or lies in the future) is ignored: start at the current head
 * @param signal the request's abort signal: the stream ends and unsubscribes when it fires
 * @returns a byte stream that never ends by itself (until abort, cancel, or a KV failure);
 *   it holds one slot of the open-stream caps until it ends
 * @throws TooManyRequests (429) past the per-user cap, ServiceUnavailable (503 +
 *   Retry-After) past the global cap (`reserveStream`), before anything is allocated
 */
export function notificationStream(
  userId: string,
  lastEventId: string | null,
  signal?: AbortSignal | null,
  options: StreamOptions = {},
): ReadableStream<Uint8Array> {
  const lang = options.lang ?? "id";
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const retryMs = options.retryMs ?? RETRY_MS;
  const release = reserveStream(userId, options.caps);
  const enc = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let unsubscribe: (() => void) | null = null;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let cursor: Cursor | null = null;
  let pending = false;
  let pumping = false;
  let snapshot: Snapshot | null = null;
  let sentUnread = -1;

  const cleanup = () => {
    if (closed) return;
    closed = true;
    if (heartbeat !== undefined) clearInterval(heartbeat);
    release();
    signal?.removeEventListener("abort", onAbort);
    unsubscribe?.();
    unsubscribe = null;
  };
  const end = () => {
    if (closed) return;
    cleanup();
    try {
      controller.close();
    } catch { /* already closed or errored */ }
  };
  const onAbort = () => end();
  const send = (text: string) => {
    if (closed) return;
    if ((controller.desiredSize ?? 0) < -MAX_QUEUED) return end();
    try {
      controller.enqueue(enc.encode(text));
    } catch {
      cleanup();
    }
  };

  const deliver = async (kv: Deno.Kv) => {
    const c = cursor!;
    const startedAt = Date.now();
    const prefix = keys.feedPrefix(userId);
    let maxVs = c.vs;
    let listCursor: string | undefined;
    for (;;) {
      const it = kv.list<Notification>({ prefix, start: [...prefix, c.floor] }, { limit: PAGE, cursor: listCursor });
      const fresh: Deno.KvEntry<Notification>[] = [];
      let count = 0;
      for await (const e of it) {
        count++;
        if (e.versionstamp > maxVs) maxVs = e.versionstamp;
        if (e.versionstamp <= c.vs) continue;
        if (c.afterId !== null && (e.key[2] as string) <= c.afterId) continue;
        fresh.push(e);
      }
      fresh.sort((a, b) => (a.versionstamp < b.versionstamp ? -1 : a.versionstamp > b.versionstamp ? 1 : 0));
      for (const e of fresh) {
        if (closed) return;
        send(sseEvent("notification", formatNotification(e.value, lang), e.value.id));
      }
      if (count < PAGE) break;
      listCursor = it.cursor;
    }
    cursor = { vs: maxVs, afterId: null, floor: ulidFloor(startedAt - REORDER_WINDOW_MS) };
  };

  const pump = async (kv: Deno.Kv) => {
    if (pumping) {
      pending = true;
      return;
    }
    pumping = true;
    try {
      do {
        pending = false;
        if (options.authorized && !(await options.authorized())) return end();
        await deliver(kv);
        if (snapshot && snapshot.unread !== sentUnread && !closed) {
          sentUnread = snapshot.unread;
          send(sseEvent("unread", { unread: sentUnread }));
        }
      } while (pending && !closed);
    } catch {
      end(); // the client reconnects and resumes from its Last-Event-ID
    } finally {
      pumping = false;
    }
  };

  return new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      if (signal?.aborted) return end();
      signal?.addEventListener("abort", onAbort, { once: true });
      send(`retry: ${retryMs}\n\n`);
      let kv: Deno.Kv;
      try {
        kv = await getKv();
        unsubscribe = subscribe(kv, userId, {
          change(s) {
            snapshot = s;
            if (cursor) pump(kv);
          },
          close() {
            end();
          },
        });
        if (closed) return unsubscribe();
        cursor = await initialCursor(kv, userId, lastEventId);
      } catch {
        return end();
      }
      if (closed) return;
      heartbeat = setInterval(() => {
        send(": ping\n\n");
        options.authorized?.().then((ok) => ok || end(), () => end());
      }, heartbeatMs);
      pump(kv);
    },
    cancel() {
      cleanup();
    },
  }, { highWaterMark: 16 });
}
