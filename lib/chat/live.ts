/**
 * Live delivery of a conversation (docs/architecture.md "Realtime: KV watch",
 * docs/domain-rules.md "Chat"): one KV watch per room and process fanned out to
 * the room's open streams, and the ephemeral signals — typing and presence —
 * that never touch KV: in memory, shared between isolates/processes of one
 * machine or Deno Deploy region through `BroadcastChannel`, with a heartbeat.
 *
 * The open-stream caps are the notification streams' (`reserveStream` in
 * `lib/notify/hub.ts`): a chat stream holds one slot of the same per-user and
 * per-process budget. The notification hub's watch is specific to a user's
 * notification keys, so rooms get their own small watch here.
 */
import { getKv } from "@/lib/db/kv.ts";
import { reserveStream, type StreamCaps } from "@/lib/notify/hub.ts";
import { sseEvent } from "@/lib/notify/stream.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { type ChatAccess, storedRange, toMessage, watchKeys } from "./store.ts";
import { chatState, type RoomMeta } from "./model.ts";
import { inboxKey } from "./keys.ts";
import type { User } from "@/lib/auth/users.ts";
import { type Conversation, conversationsOf } from "./http.ts";

/** Typing clears this long after the last keystroke signal (ms). */
export const TYPING_TIMEOUT_MS = 5_000;
/** Presence heartbeat between processes (ms). */
export const PRESENCE_HEARTBEAT_MS = 15_000;
/** A process's presence claims expire after this long without a heartbeat (ms). */
export const PRESENCE_TTL_MS = 40_000;
/** Comment line interval that keeps proxies from closing an idle stream (ms). */
export const HEARTBEAT_MS = 25_000;
/** EventSource reconnect delay (ms). */
export const RETRY_MS = 2_000;
/** Messages read per KV list call when catching up. */
const PAGE = 200;
/** Queued events past which a non-reading client is dropped (it reconnects and resumes). */
const MAX_QUEUED = 2_000;

/** A participant's presence as the stream sends it. */
export interface Presence {
  userId: string;
  online: boolean;
  /** When they were last seen online (UTC), or null (never seen by this process since it started). */
  lastSeen: string | null;
}

/** An ephemeral signal delivered to a room's open streams. */
export type Signal =
  | { type: "typing"; room: string; userId: string; typing: boolean }
  | { type: "presence"; presence: Presence };

interface Sink {
  room: string;
  /** The participant whose presence this stream shows. */
  otherId: string;
  change(): void;
  signal(s: Signal): void;
  close(): void;
}

// ------------------------------------------------------------------ room watch

class RoomWatch {
  readonly sinks = new Set<Sink>();
  #reader: ReadableStreamDefaultReader<Deno.KvEntryMaybe<unknown>[]>;
  #stopped = false;

  constructor(kv: Deno.Kv, readonly room: string, readonly onEnd: () => void) {
    this.#reader = kv.watch(watchKeys(room)).getReader();
    this.#run();
  }

  async #run(): Promise<void> {
    try {
      for (;;) {
        const { done } = await this.#reader.read();
        if (done || this.#stopped) break;
        for (const s of [...this.sinks]) {
          try {
            s.change();
          } catch { /* the sink's own failure */ }
        }
      }
    } catch { /* KV closed or failed: streams end, clients resume */ }
    if (!this.#stopped) {
      this.#stopped = true;
      this.onEnd();
      for (const s of [...this.sinks]) s.close();
      this.sinks.clear();
    }
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#reader.cancel().catch(() => {});
  }
}

const rooms = new WeakMap<Deno.Kv, Map<string, RoomWatch>>();
const allSinks = new Set<Sink>();

function subscribeRoom(kv: Deno.Kv, sink: Sink): () => void {
  let map = rooms.get(kv);
  if (!map) rooms.set(kv, map = new Map());
  let w = map.get(sink.room);
  if (!w) {
    const m = map;
    const created: RoomWatch = new RoomWatch(kv, sink.room, () => {
      if (m.get(sink.room) === created) m.delete(sink.room);
    });
    w = created;
    map.set(sink.room, w);
  }
  w.sinks.add(sink);
  allSinks.add(sink);
  const watch = w;
  const m = map;
  return () => {
    allSinks.delete(sink);
    if (!watch.sinks.delete(sink)) return;
    if (watch.sinks.size === 0) {
      if (m.get(sink.room) === watch) m.delete(sink.room);
      watch.stop();
    }
  };
}

/** Rooms with a running watch on `kv` in this process (benchmarks). */
export function roomWatchCount(kv: Deno.Kv): number {
  return rooms.get(kv)?.size ?? 0;
}

/** Ends every open chat stream (graceful shutdown; clients reconnect and resume). Returns how many. */
export function closeAllChatStreams(): number {
  const list = [...allSinks];
  for (const s of list) s.close();
  return list.length;
}

// ------------------------------------------------------- presence and typing

const PROCESS_ID = crypto.randomUUID();
const CHANNEL = "ruangpulih:chat";
/** Open chat streams per user in this process. */
const localOnline = new Map<string, number>();
/** Users other processes report online, with the expiry of that claim (ms). */
const remoteOnline = new Map<string, Map<string, number>>();
const lastSeen = new Map<string, string>();
/** Shortest gap between two "typing" broadcasts of one person in one room (ms). */
export const TYPING_MIN_GAP_MS = 1_000;
/** When each `room\nuser` last broadcast "typing". */
const typingSentAt = new Map<string, number>();
/** Pending "typing stopped" timers per `room\nuser`. */
const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
let channel: BroadcastChannel | null = null;
let heartbeat: ReturnType<typeof setInterval> | undefined;

type Wire =
  | { kind: "typing"; from: string; room: string; userId: string; typing: boolean }
  | { kind: "presence"; from: string; userId: string; online: boolean; lastSeen: string | null }
  | { kind: "alive"; from: string; users: string[] };

function post(msg: Wire): void {
  try {
    channel?.postMessage(msg);
  } catch { /* channel closed */ }
}

function ensureChannel(): void {
  if (channel) return;
  try {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (ev: MessageEvent<Wire>) => receive(ev.data);
  } catch {
    channel = null; // no BroadcastChannel here: this process only
  }
  const timer = setInterval(() => {
    post({ kind: "alive", from: PROCESS_ID, users: [...localOnline.keys()] });
    sweepRemote();
  }, PRESENCE_HEARTBEAT_MS);
  Deno.unrefTimer(timer);
  heartbeat = timer;
}

function maybeCloseChannel(): void {
  if (allSinks.size > 0 || localOnline.size > 0) return;
  if (heartbeat !== undefined) clearInterval(heartbeat);
  heartbeat = undefined;
  channel?.close();
  channel = null;
}

function sweepRemote(now = Date.now()): void {
  for (const [userId, claims] of remoteOnline) {
    const wasOnline = isOnline(userId);
    for (const [proc, exp] of claims) if (exp <= now) claims.delete(proc);
    if (claims.size === 0) remoteOnline.delete(userId);
    if (wasOnline && !isOnline(userId)) {
      lastSeen.set(userId, new Date(now).toISOString());
      dispatchPresence(userId);
    }
  }
}

function isOnline(userId: string): boolean {
  return (localOnline.get(userId) ?? 0) > 0 || (remoteOnline.get(userId)?.size ?? 0) > 0;
}

/** The presence of `userId` as this process knows it. */
export function presenceOf(userId: string): Presence {
  return { userId, online: isOnline(userId), lastSeen: lastSeen.get(userId) ?? null };
}

function dispatchPresence(userId: string): void {
  const p = presenceOf(userId);
  for (const s of [...allSinks]) if (s.otherId === userId) s.signal({ type: "presence", presence: p });
}

function dispatchTyping(room: string, userId: string, typing: boolean, notify = true): void {
  const key = `${room}\n${userId}`;
  const t = typingTimers.get(key);
  if (t !== undefined) clearTimeout(t);
  typingTimers.delete(key);
  if (typing) {
    const timer = setTimeout(() => {
      typingTimers.delete(key);
      typingSentAt.delete(key);
      dispatchTyping(room, userId, false);
    }, TYPING_TIMEOUT_MS);
    Deno.unrefTimer(timer);
    typingTimers.set(key, timer);
  }
  if (!notify) return;
  for (const s of [...allSinks]) if (s.room === room) s.signal({ type: "typing", room, userId, typing });
}

function receive(msg: Wire): void {
  if (!msg || msg.from === PROCESS_ID) return;
  if (msg.kind === "typing") return dispatchTyping(msg.room, msg.userId, msg.typing);
  const now = Date.now();
  const claim = (userId: string, online: boolean) => {
    const was = isOnline(userId);
    let claims = remoteOnline.get(userId);
    if (online) {
      if (!claims) remoteOnline.set(userId, claims = new Map());
      claims.set(msg.from, now + PRESENCE_TTL_MS);
    } else if (claims) {
      claims.delete(msg.from);
      if (claims.size === 0) remoteOnline.delete(userId);
    }
    return was !== isOnline(userId);
  };
  if (msg.kind === "presence") {
    if (msg.lastSeen) lastSeen.set(msg.userId, msg.lastSeen);
    if (claim(msg.userId, msg.online)) dispatchPresence(msg.userId);
  } else if (msg.kind === "alive") {
    for (const u of msg.users) if (claim(u, true)) dispatchPresence(u);
  }
}

function goOnline(userId: string): void {
  ensureChannel();
  const n = localOnline.get(userId) ?? 0;
  localOnline.set(userId, n + 1);
  if (n === 0) {
    post({ kind: "presence", from: PROCESS_ID, userId, online: true, lastSeen: lastSeen.get(userId) ?? null });
    dispatchPresence(userId);
  }
}

function goOffline(userId: string): void {
  const n = (localOnline.get(userId) ?? 1) - 1;
  if (n > 0) return void localOnline.set(userId, n);
  localOnline.delete(userId);
  const seen = new Date().toISOString();
  lastSeen.set(userId, seen);
  post({ kind: "presence", from: PROCESS_ID, userId, online: false, lastSeen: seen });
  if (!isOnline(userId)) dispatchPresence(userId);
  maybeCloseChannel();
}

/**
 * Tells the room that `userId` is typing (`true`, repeat while keys are
 * pressed) or stopped (`false`). Not stored anywhere: delivered to the room's
 * open streams in this process and, over BroadcastChannel, in the others.
 * Typing clears by itself `TYPING_TIMEOUT_MS` after the last `true`.
 */
export function setTyping(room: string, userId: string, typing: boolean, nowMs = Date.now()): void {
  const key = `${room}\n${userId}`;
  if (typing) {
    // At most one "typing" broadcast per person and room every TYPING_MIN_GAP_MS (a flood of
    // keystroke signals costs nothing but this map lookup); the local expiry still restarts.
    const last = typingSentAt.get(key) ?? 0;
    if (nowMs - last < TYPING_MIN_GAP_MS && typingTimers.has(key)) {
      return void dispatchTyping(room, userId, true, false);
    }
    typingSentAt.set(key, nowMs);
  } else typingSentAt.delete(key);
  ensureChannel();
  post({ kind: "typing", from: PROCESS_ID, room, userId, typing });
  dispatchTyping(room, userId, typing);
  maybeCloseChannel();
}

// ---------------------------------------------------------------- the stream

/** Options of `chatStream` (tests and benchmarks shorten timers or raise caps). */
export interface ChatStreamOptions {
  heartbeatMs?: number;
  retryMs?: number;
  caps?: StreamCaps;
  /** Clock for the window's end (ms). */
  now?: () => number;
  /**
   * Re-checked before anything new is sent and at every heartbeat; false (or a failure) ends the
   * stream, so a revoked session or a deactivated account stops receiving messages at once (routes
   * pass `sessionGate` from lib/auth/sessions.ts). Default: no re-check.
   */
  authorized?: () => Promise<boolean>;
}

/**
 * The SSE body of one participant's live conversation
 * (`GET /api/bookings/{id}/chat/stream`). On connect: state, presence, the missed messages, then
 * receipts (the first `receipts` event marks "caught up"). Events:
 * - `retry: 2000` first;
 * - `event: state` (ChatState JSON) at start and whenever it changes (ended, booking moved, window over);
 * - `event: presence` (`{userId, online, lastSeen}` of the other participant) at start and on change;
 * - `event: receipts` (`{receipts: {<userId>: Receipt}}`) at start and whenever a receipt moves;
 * - `id: <seq>` `event: message` (the message JSON) for every message with seq > `after`, in seq
 *   order, each exactly once per stream — own messages too (other tabs, the confirmation of a send);
 * - `event: typing` (`{userId, typing}`);
 * - `: ping` comment every 25 s.
 *
 * @param after resume point: the last seq the client has (Last-Event-ID or `?after=`); null = from
 *   the current head (only new messages)
 * @throws TooManyRequests / ServiceUnavailable from the stream caps, before anything is allocated
 */
export function chatStream(
  a: ChatAccess,
  after: number | null,
  options: ChatStreamOptions = {},
): ReadableStream<Uint8Array> {
  const room = a.booking.id;
  const now = options.now ?? Date.now;
  const release = reserveStream(a.me.id, options.caps);
  const enc = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let unsubscribe: (() => void) | null = null;
  let online = false;
  let ping: ReturnType<typeof setInterval> | undefined;
  let windowTimer: ReturnType<typeof setTimeout> | undefined;
  let cursor = -1;
  let pumping = false;
  let pending = false;
  let lastMetaJson = "";
  let lastStateJson = "";
  let presenceSent = false;
  let booking: Booking = a.booking;

  const cleanup = () => {
    if (closed) return;
    closed = true;
    if (ping !== undefined) clearInterval(ping);
    if (windowTimer !== undefined) clearTimeout(windowTimer);
    unsubscribe?.();
    unsubscribe = null;
    if (online) goOffline(a.me.id);
    online = false;
    release();
  };
  const end = () => {
    if (closed) return;
    cleanup();
    try {
      controller.close();
    } catch { /* already closed */ }
  };
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
    const [head, metaE, endE, b] = await kv.getMany<[Deno.KvU64, RoomMeta, { at: string; by: string }, Booking]>(
      watchKeys(room),
    );
    if (b.value) booking = b.value;
    const state = chatState(booking, endE.value ? { endedAt: endE.value.at, endedBy: endE.value.by } : null, now());
    const stateJson = JSON.stringify(state);
    if (stateJson !== lastStateJson) {
      lastStateJson = stateJson;
      send(`event: state\ndata: ${stateJson}\n\n`);
      scheduleWindow(
        kv,
        state.writable
          ? Date.parse(state.closesAt)
          : state.reason === "not_open_yet"
          ? Date.parse(state.opensAt)
          : null,
      );
    }
    if (!presenceSent) {
      presenceSent = true;
      send(sseEvent("presence", presenceOf(a.otherId)));
    }
    const headSeq = head.value ? Number(head.value.value) : 0;
    if (cursor < 0) cursor = after === null ? headSeq : Math.min(after, headSeq);
    while (cursor < headSeq && !closed) {
      const to = Math.min(headSeq, cursor + PAGE);
      const msgs = await storedRange(room, cursor + 1, to);
      for (const m of msgs) {
        if (closed) return;
        if (m.seq !== cursor + 1) throw new Error(`chat: gap at ${cursor + 1} in ${room}`);
        send(sseEvent("message", await toMessage(room, m), String(m.seq)));
        cursor = m.seq;
      }
      if (msgs.length === 0) break;
    }
    const metaJson = JSON.stringify(metaE.value?.receipts ?? {});
    if (metaJson !== lastMetaJson) {
      lastMetaJson = metaJson;
      send(`event: receipts\ndata: {"receipts":${metaJson}}\n\n`);
    }
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
      } while (pending && !closed);
    } catch {
      end(); // the client reconnects and resumes from its Last-Event-ID
    } finally {
      pumping = false;
    }
  };

  /** Re-evaluates the state when the window opens or closes (no KV write marks that moment). */
  const scheduleWindow = (kv: Deno.Kv, atMs: number | null) => {
    if (windowTimer !== undefined) clearTimeout(windowTimer);
    windowTimer = undefined;
    if (atMs === null || closed) return;
    const delay = Math.max(0, atMs - now()) + 50;
    if (delay > 2 ** 31 - 1) return;
    const timer = setTimeout(() => {
      windowTimer = undefined;
      pump(kv);
    }, delay);
    Deno.unrefTimer(timer);
    windowTimer = timer;
  };

  const sink: Sink = {
    room,
    otherId: a.otherId,
    change: () => {},
    signal(s) {
      if (s.type === "typing") {
        if (s.userId !== a.me.id) send(sseEvent("typing", { userId: s.userId, typing: s.typing }));
      } else send(sseEvent("presence", s.presence));
    },
    close: () => end(),
  };

  return new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      send(`retry: ${options.retryMs ?? RETRY_MS}\n\n`);
      let kv: Deno.Kv;
      try {
        kv = await getKv();
        sink.change = () => pump(kv);
        unsubscribe = subscribeRoom(kv, sink);
        online = true;
        goOnline(a.me.id);
      } catch {
        return end();
      }
      if (closed) return;
      ping = setInterval(() => {
        send(": ping\n\n");
        options.authorized?.().then((ok) => ok || end(), () => end());
      }, options.heartbeatMs ?? HEARTBEAT_MS);
      pump(kv);
    },
    cancel() {
      cleanup();
    },
  }, { highWaterMark: 16 });
}

/** Parses a resume point (`Last-Event-ID` or `?after=`): a seq 0 … 2^31, else null. */
export function resumePoint(...values: (string | null | undefined)[]): number | null {
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const s = v.trim();
    if (/^\d{1,10}$/.test(s) && Number(s) <= 2 ** 31) return Number(s);
  }
  return null;
}

/**
 * The SSE body of a user's conversation list (`GET /api/chat/stream`): `event: conversations`
 * `data: {items}` (the first page of `conversationsOf`, with unread counts) at start and after every
 * change of the user's inbox counter (a message to them, their read receipt, an end), at most every
 * `minGapMs` (default 300), and every `refreshMs` (default 60 s: a conversation opening or closing
 * with the clock writes nothing); `: ping` every 25 s. One KV watch per open list stream.
 * @throws TooManyRequests / ServiceUnavailable from the stream caps
 */
export function inboxStream(
  user: User,
  options: ChatStreamOptions & { minGapMs?: number; refreshMs?: number } = {},
): ReadableStream<Uint8Array> {
  const release = reserveStream(user.id, options.caps);
  const enc = new TextEncoder();
  let reader: ReadableStreamDefaultReader<unknown> | null = null;
  let ping: ReturnType<typeof setInterval> | undefined;
  let tick: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let last = "";
  const cleanup = () => {
    if (closed) return;
    closed = true;
    if (ping !== undefined) clearInterval(ping);
    if (tick !== undefined) clearInterval(tick);
    reader?.cancel().catch(() => {});
    release();
  };
  const send = (text: string) => {
    if (closed) return;
    if ((controller.desiredSize ?? 0) < -MAX_QUEUED) return cleanup();
    try {
      controller.enqueue(enc.encode(text));
    } catch {
      cleanup();
    }
  };
  const stop = () => {
    if (closed) return;
    cleanup();
    try {
      controller.close();
    } catch { /* closed */ }
  };
  const refresh = async () => {
    if (options.authorized && !(await options.authorized())) return stop();
    const items: Conversation[] = (await conversationsOf(user, {})).items;
    const json = JSON.stringify({ items });
    if (json !== last) {
      last = json;
      send(`event: conversations\ndata: ${json}\n\n`);
    }
  };
  const run = async (kv: Deno.Kv) => {
    reader = kv.watch([inboxKey(user.id)]).getReader();
    // A conversation opening or closing with the clock writes nothing: look again every minute.
    tick = setInterval(() => refresh().catch(() => {}), options.refreshMs ?? 60_000);
    try {
      for (;;) {
        const { done } = await reader.read();
        if (done || closed) break;
        await refresh();
        await new Promise((r) => setTimeout(r, options.minGapMs ?? 300));
      }
    } catch { /* KV closed: the client reconnects */ }
    stop();
  };
  return new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      send(`retry: ${options.retryMs ?? RETRY_MS}\n\n`);
      ping = setInterval(() => {
        send(": ping\n\n");
        options.authorized?.().then((ok) => ok || stop(), () => stop());
      }, options.heartbeatMs ?? HEARTBEAT_MS);
      run(await getKv());
    },
    cancel() {
      cleanup();
    },
  });
}
