/**
 * Timed background work: `kv.enqueue` messages dispatched by type, plus the
 * catch-up crons that make a restart lose nothing. Deno KV queues deliver at
 * least once, so every handler must be idempotent: claim an idempotency key
 * with `check({versionstamp: null})` and reread the current state before acting
 * (docs/architecture.md "Jobs").
 *
 * Capabilities register at module load (`onJob`, `onCron`); `startQueue()` (server
 * only, never under test) opens the one `kv.listenQueue` and the crons. Tests call
 * the job functions directly with an injected clock.
 */
import { getKv } from "@/lib/db/kv.ts";
import { log } from "@/lib/log.ts";

/** A queued message: `{type, payload}`. */
export interface JobMessage {
  type: string;
  payload: unknown;
}

type Handler = (payload: unknown) => Promise<void>;
const handlers = new Map<string, Handler>();
const crons: { name: string; schedule: string; fn: () => Promise<void> }[] = [];
let started = false;

/**
 * Registers the handler of job `type` (one per type).
 * @throws Error when `type` already has a handler
 */
export function onJob<P>(type: string, handler: (payload: P) => Promise<void>): void {
  if (handlers.has(type)) throw new Error(`job ${type} registered twice`);
  handlers.set(type, handler as Handler);
}

/**
 * Registers a catch-up cron (`Deno.cron` schedule in UTC, e.g. `"*\/5 * * * *"`),
 * started by `startQueue`. Names must be unique.
 */
export function onCron(name: string, schedule: string, fn: () => Promise<void>): void {
  if (crons.some((c) => c.name === name)) return;
  crons.push({ name, schedule, fn });
}

/**
 * Enqueues job `type` to run after `delayMs` (clamped to 0 … 30 days, Deno KV's
 * enqueue limit; a later job is picked up by its catch-up cron instead).
 */
export async function enqueueJob(type: string, payload: unknown, delayMs = 0): Promise<void> {
  const kv = await getKv();
  const delay = Math.max(0, Math.min(Math.floor(delayMs), 30 * 24 * 60 * 60 * 1000));
  await kv.enqueue({ type, payload } satisfies JobMessage, { delay });
}

/** Runs one message through its handler (exported for tests). Unknown types are logged and dropped. */
export async function dispatch(message: unknown): Promise<void> {
  const m = message as Partial<JobMessage> | null;
  const handler = m && typeof m.type === "string" ? handlers.get(m.type) : undefined;
  if (!handler) {
    log("warn", "queue message without a handler", { type: String(m?.type) });
    return;
  }
  await handler(m!.payload);
}

/** Starts the queue listener and every registered cron. Call once per server process. */
export async function startQueue(): Promise<void> {
  if (started) return;
  started = true;
  const kv = await getKv();
  kv.listenQueue(async (message) => {
    try {
      await dispatch(message);
    } catch (err) {
      log("error", "queue job failed", { type: String((message as JobMessage)?.type), error: String(err) });
      throw err; // redelivered by Deno KV
    }
  });
  for (const c of crons) {
    Deno.cron(c.name, c.schedule, async () => {
      try {
        await c.fn();
      } catch (err) {
        log("error", "cron failed", { name: c.name, error: String(err) });
      }
    });
  }
}
