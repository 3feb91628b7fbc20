/**
 * The one Deno KV handle of the process.
 *
 * Opened once from `DENO_KV_PATH` (default `./data/ruangpulih.sqlite3`, the
 * directory is created on first start). Tests call `useKv(await Deno.openKv(":memory:"))`.
 * A `https://` path connects to a denokv server or Deno Deploy KV through KV Connect
 * (token in `DENO_KV_ACCESS_TOKEN`).
 */
import { BadRequest } from "@/lib/errors.ts";

let current: Deno.Kv | null = null;
let opening: Promise<Deno.Kv> | null = null;

/** Default local KV file used when `DENO_KV_PATH` is unset. */
export const DEFAULT_KV_PATH = "./data/ruangpulih.sqlite3";

/** Returns the process KV, opening it on first use from `DENO_KV_PATH`. */
export function getKv(): Promise<Deno.Kv> {
  if (current) return Promise.resolve(current);
  if (!opening) {
    opening = (async () => {
      const path = Deno.env.get("DENO_KV_PATH") ?? DEFAULT_KV_PATH;
      if (path !== ":memory:" && !path.startsWith("http")) {
        const dir = path.replace(/[\\/][^\\/]*$/, "");
        if (dir && dir !== path) await Deno.mkdir(dir, { recursive: true });
      }
      current = await Deno.openKv(path);
      return current;
    })();
  }
  return opening;
}

/** Replaces the process KV (tests: a fresh `:memory:` store per test). */
export function useKv(kv: Deno.Kv): void {
  current = kv;
  opening = Promise.resolve(kv);
}

/** Closes the process KV (graceful shutdown, end of a test). */
export function closeKv(): void {
  try {
    current?.close();
  } catch { /* already closed */ }
  current = null;
  opening = null;
}

/**
 * Lists every value under `prefix`, following KV's cursor. Use only for small
 * sets (admin screens, reports over one day); pages use `listPage`.
 */
export async function listAll<T>(
  kv: Deno.Kv,
  selector: Deno.KvListSelector,
  options: Deno.KvListOptions = {},
): Promise<Deno.KvEntry<T>[]> {
  const out: Deno.KvEntry<T>[] = [];
  for await (const e of kv.list<T>(selector, options)) out.push(e);
  return out;
}

/** One page of a cursor-paginated listing. */
export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, or null at the end. */
  cursor: string | null;
}

/**
 * Reads one page under `selector`. `limit` is clamped to 1..100 (default 20).
 * @throws BadRequest `invalid_cursor` when a client sends a malformed cursor
 *   (KV rejects it with a TypeError; restarting from the first page silently would be wrong).
 * @example
 * ```ts
 * const page = await listPage<Appointment>(kv, { prefix: ["appointments_by_day", "2026-12-02"] }, { limit: 50 });
 * // page.items in key order; pass page.cursor back for the next page (null at the end)
 * ```
 */
export async function listPage<T>(
  kv: Deno.Kv,
  selector: Deno.KvListSelector,
  opts: { cursor?: string | null; limit?: number; reverse?: boolean } = {},
): Promise<Page<T>> {
  const limit = Math.min(100, Math.max(1, Math.trunc(opts.limit ?? 20)));
  const items: T[] = [];
  let iter: Deno.KvListIterator<T>;
  try {
    iter = kv.list<T>(selector, { limit, cursor: opts.cursor || undefined, reverse: opts.reverse });
    for await (const e of iter) items.push(e.value);
  } catch (err) {
    if (err instanceof TypeError || (err instanceof Error && /cursor/i.test(err.message))) {
      throw new BadRequest("invalid_cursor", "error.invalid_cursor");
    }
    throw err;
  }
  const next = items.length === limit ? iter.cursor : "";
  return { items, cursor: next ? next : null };
}

/**
 * A filtered page: walks `selector` newest first (`reverse`, the default; pass
 * `reverse: false` for key order) and keeps the
 * entries that `pick` maps to a value (null/undefined = skip) until `limit`
 * (1..100, default 20) are found. The returned cursor continues the walk right
 * after the last entry looked at, so later pages never repeat or skip a match.
 * For searches over admin-sized sets (users, guests).
 * @throws BadRequest `invalid_cursor` for a malformed client cursor.
 */
export async function scanPage<V, T>(
  kv: Deno.Kv,
  selector: Deno.KvListSelector,
  pick: (value: V) => T | null | undefined | Promise<T | null | undefined>,
  opts: { cursor?: string | null; limit?: number; reverse?: boolean } = {},
): Promise<Page<T>> {
  const limit = Math.min(100, Math.max(1, Math.trunc(opts.limit ?? 20)));
  const items: T[] = [];
  let more = false;
  let iter: Deno.KvListIterator<V>;
  try {
    iter = kv.list<V>(selector, { reverse: opts.reverse ?? true, cursor: opts.cursor || undefined, batchSize: 200 });
    for await (const e of iter) {
      const v = await pick(e.value);
      if (v === null || v === undefined) continue;
      items.push(v);
      if (items.length >= limit) {
        more = true;
        break;
      }
    }
  } catch (err) {
    if (err instanceof TypeError || (err instanceof Error && /cursor/i.test(err.message))) {
      throw new BadRequest("invalid_cursor", "error.invalid_cursor");
    }
    throw err;
  }
  return { items, cursor: more ? iter.cursor : null };
}
