/**
 * One shared KV watch per (KV handle, user) for all of that user's open
 * notification streams in this process: `kv.watch([head, unread])` (2 of the
 * ≤ 10 keys a watch takes), fanned out in-process to every subscriber.
 *
 * Why per user and not per connection: a user with several tabs costs one watch,
 * and a change wakes exactly the streams of that user. Measured here (Deno 2.9.5,
 * 2-core VM, `:memory:` and file KV): 1,000 concurrent watches cost ~25 MB RSS and
 * ~7 MB heap in total and a commit reaches its watcher in ~0.05 ms (p50), so one
 * watch per user scales to thousands of signed-in users per process; the numbers
 * with the HTTP streams on top are in `bench/notify.ts`.
 *
 * Watches see commits of this process, or of any process when KV is a shared
 * denokv / Deno Deploy KV (never a shared SQLite file; docs/architecture.md "Data: Deno KV").
 */
import { keys } from "./notifications.ts";
import { config } from "@/lib/config.ts";
import { ServiceUnavailable, TooManyRequests } from "@/lib/errors.ts";

/** What a watch reports: the head's versionstamp and the unread counter. */
export interface Snapshot {
  /** Versionstamp of the user's latest notification commit (null: none yet). */
  headVersionstamp: string | null;
  /** Unread count from the counter key. */
  unread: number;
}

/** A subscriber: `change` after every reported change, `close` when the watch ends or fails. */
export interface Subscriber {
  change(s: Snapshot): void;
  close(err?: unknown): void;
}

class UserWatch {
  readonly subscribers = new Set<Subscriber>();
  last: Snapshot | null = null;
  #reader: ReadableStreamDefaultReader<[Deno.KvEntryMaybe<unknown>, Deno.KvEntryMaybe<Deno.KvU64>]> | null = null;
  #stopped = false;

  constructor(kv: Deno.Kv, userId: string, readonly onEmpty: () => void) {
    const stream = kv.watch<[unknown, Deno.KvU64]>([keys.head(userId), keys.unread(userId)]);
    this.#reader = stream.getReader();
    this.#run();
  }

  async #run(): Promise<void> {
    let error: unknown = undefined;
    try {
      for (;;) {
        const { value, done } = await this.#reader!.read();
        if (done || this.#stopped) break;
        const [head, unread] = value;
        const n = unread.value instanceof Deno.KvU64 ? unread.value.value : 0n;
        const snap: Snapshot = {
          headVersionstamp: head.versionstamp,
          // A wrapped (negative) counter would be a bug elsewhere; never show it.
          unread: n > 1_000_000n ? 0 : Number(n),
        };
        this.last = snap;
        for (const s of [...this.subscribers]) {
          try {
            s.change(snap);
          } catch { /* a subscriber's failure is its own */ }
        }
      }
    } catch (err) {
      error = err;
    }
    if (!this.#stopped) {
      this.#stopped = true;
      this.onEmpty();
      for (const s of [...this.subscribers]) s.close(error);
      this.subscribers.clear();
    }
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#reader?.cancel().catch(() => {});
  }
}

const watches = new WeakMap<Deno.Kv, Map<string, UserWatch>>();
/** Every running watch of the process (for `closeAllStreams`). */
const running = new Set<UserWatch>();

/**
 * Subscribes to changes of `userId`'s notification head and unread counter on `kv`.
 * The first `change` comes right after the watch starts (current state), or at once
 * for a watch that is already running. Returns the unsubscribe function; the watch is
 * cancelled when its last subscriber leaves.
 */
export function subscribe(kv: Deno.Kv, userId: string, sub: Subscriber): () => void {
  let map = watches.get(kv);
  if (!map) watches.set(kv, map = new Map());
  let w = map.get(userId);
  if (!w) {
    const m = map;
    const created: UserWatch = new UserWatch(kv, userId, () => {
      if (m.get(userId) === created) m.delete(userId);
      running.delete(created);
    });
    running.add(created);
    w = created;
    map.set(userId, w);
  } else if (w.last) {
    const snap = w.last;
    queueMicrotask(() => {
      if (w!.subscribers.has(sub)) sub.change(snap);
    });
  }
  w.subscribers.add(sub);
  const watch = w;
  return () => {
    if (!watch.subscribers.delete(sub)) return;
    if (watch.subscribers.size === 0) {
      if (map!.get(userId) === watch) map!.delete(userId);
      running.delete(watch);
      watch.stop();
    }
  };
}

/** Number of open subscriptions (streams) of `userId` on `kv` in this process. */
export function subscriberCount(kv: Deno.Kv, userId: string): number {
  return watches.get(kv)?.get(userId)?.subscribers.size ?? 0;
}

/** Number of users with a running watch on `kv` in this process (benchmarks, health). */
export function watchCount(kv: Deno.Kv): number {
  return watches.get(kv)?.size ?? 0;
}

/**
 * Ends every open notification stream of the process (their HTTP responses complete)
 * and stops the watches. Call it on graceful shutdown *before* waiting for the server
 * to finish: an SSE response never ends by itself, so `server.finished` would wait for
 * every connected teacher. Browsers reconnect (to the next instance) and resume from
 * their Last-Event-ID. Returns the number of streams closed.
 */
export function closeAllStreams(): number {
  let n = 0;
  for (const w of [...running]) {
    running.delete(w);
    const subs = [...w.subscribers];
    w.subscribers.clear();
    w.onEmpty();
    w.stop();
    for (const s of subs) {
      n++;
      try {
        s.close();
      } catch { /* already closed */ }
    }
  }
  return n;
}

// ---------------------------------------------------------------- stream caps

/** Caps on open notification streams in this process (see `reserveStream`). */
export interface StreamCaps {
  /** All users together (`SSE_MAX_STREAMS`, default 5,000). */
  global: number;
  /** One user's tabs and devices (`SSE_MAX_STREAMS_PER_USER`, default 20). */
  perUser: number;
}

/** Seconds a refused client is told to wait (`Retry-After`). */
export const STREAM_RETRY_AFTER_SEC = 30;

let openStreams = 0;
const openByUser = new Map<string, number>();

/** The caps from the environment (`config.sseMaxStreams`, `config.sseMaxStreamsPerUser`). */
export function streamCaps(): StreamCaps {
  return { global: config.sseMaxStreams, perUser: config.sseMaxStreamsPerUser };
}

/**
 * Reserves one open-stream slot for `userId`, synchronously (so a burst of requests
 * cannot all pass the check before any stream subscribes). Every stream holds one slot
 * from the request until it ends; memory per process is thereby bounded by the global
 * cap (OWASP API Security Top 10 2023, API4 "Unrestricted Resource Consumption").
 * @returns the release function (idempotent)
 * @throws TooManyRequests (429, `too_many_streams`) when the user holds `caps.perUser`;
 *   ServiceUnavailable (503, `streams_busy`, Retry-After) when the process holds
 *   `caps.global` streams
 */
export function reserveStream(userId: string, caps: StreamCaps = streamCaps()): () => void {
  const mine = openByUser.get(userId) ?? 0;
  if (mine >= caps.perUser) {
    throw new TooManyRequests(STREAM_RETRY_AFTER_SEC, "too_many_streams", "notify.too_many_streams");
  }
  if (openStreams >= caps.global) {
    throw new ServiceUnavailable(STREAM_RETRY_AFTER_SEC, "streams_busy", "notify.streams_busy");
  }
  openStreams++;
  openByUser.set(userId, mine + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    openStreams--;
    const n = (openByUser.get(userId) ?? 1) - 1;
    if (n <= 0) openByUser.delete(userId);
    else openByUser.set(userId, n);
  };
}

/** Open streams holding a slot: of `userId`, or of the whole process without it. */
export function openStreamCount(userId?: string): number {
  return userId === undefined ? openStreams : openByUser.get(userId) ?? 0;
}
