/**
 * Whole-database backup and restore of Deno KV (docs/domain-rules.md "Retention").
 *
 * ## File format
 * `ruangpulih-kv-<UTC time YYYY-MM-DDTHHMMSSZ>.jsonl.gz`: gzip (CompressionStream)
 * of UTF-8 lines:
 * 1. header, JSON: `{"format":"ruangpulih-kv-backup","version":1,"createdAt":ISO}`;
 * 2. one line per entry: `devalue.stringify({ key, value })` — devalue keeps
 *    Date, Map, Set, BigInt, RegExp, typed arrays (Uint8Array keys/values),
 *    undefined, NaN, ±Infinity, -0 and shared references; `Deno.KvU64` is added
 *    as a custom type;
 * 3. trailer, JSON: `{"end":true,"entries":N}` — a file without it is refused
 *    (truncated copy).
 *
 * Versionstamps and `expireIn` are not kept (KV cannot set them on restore).
 * The listing is read in batches with strong consistency, not as one snapshot:
 * a write racing the backup may or may not be in it.
 */
import * as devalue from "devalue";
import { config } from "./config.ts";
import { getKv } from "./db/kv.ts";

export const BACKUP_FORMAT = "ruangpulih-kv-backup";
export const BACKUP_VERSION = 1;
/** Backups older than this many days are removed by {@link pruneBackups}. */
export const BACKUP_KEEP_DAYS = 30;
const NAME_RE = /^ruangpulih-kv-(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-\d+)?\.jsonl\.gz$/;

const reducers = {
  KvU64: (v: unknown) => v instanceof Deno.KvU64 && v.value,
};
const revivers = {
  KvU64: (v: bigint) => new Deno.KvU64(v),
};

/** Serialises one entry as one line (no raw newlines: devalue escapes them like JSON). */
export function encodeEntry(key: Deno.KvKey, value: unknown): string {
  return devalue.stringify({ key, value }, reducers);
}

/** Parses a line of {@link encodeEntry}. */
export function decodeEntry(line: string): { key: Deno.KvKey; value: unknown } {
  const e = devalue.parse(line, revivers) as {
    key: Deno.KvKey;
    value: unknown;
  };
  if (!e || !Array.isArray(e.key)) throw new Error("backup: bad entry line");
  return e;
}

function fileName(now: Date): string {
  const s = now.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/:/g, "");
  return `ruangpulih-kv-${s}.jsonl.gz`;
}

/**
 * Writes every KV entry to a new gzip file in `dir` (created if needed), via a
 * `.partial` file renamed when complete, then removes backups older than
 * {@link BACKUP_KEEP_DAYS} days.
 * @param dir target directory (default `config.backupDir`, env `BACKUP_DIR`)
 * @returns the file path, the number of entries and the file size in bytes
 */
export async function backupKv(
  dir: string = config.backupDir,
  opts: { kv?: Deno.Kv; now?: Date; prune?: boolean } = {},
): Promise<{ path: string; entries: number; bytes: number }> {
  const kv = opts.kv ?? (await getKv());
  const now = opts.now ?? new Date();
  await Deno.mkdir(dir, { recursive: true });
  let path = `${dir.replace(/[\\/]$/, "")}/${fileName(now)}`;
  for (let i = 1; await exists(path); i++) {
    path = `${dir.replace(/[\\/]$/, "")}/${fileName(now).replace(".jsonl.gz", `-${i}.jsonl.gz`)}`;
  }
  const partial = `${path}.partial`;
  let entries = 0;
  const iter = kv.list({ prefix: [] }, { batchSize: 500 });
  const lines = new ReadableStream<string>({
    start(c) {
      c.enqueue(
        JSON.stringify({
          format: BACKUP_FORMAT,
          version: BACKUP_VERSION,
          createdAt: now.toISOString(),
        }) + "\n",
      );
    },
    async pull(c) {
      const r = await iter.next();
      if (r.done) {
        c.enqueue(JSON.stringify({ end: true, entries }) + "\n");
        c.close();
        return;
      }
      entries++;
      c.enqueue(encodeEntry(r.value.key, r.value.value) + "\n");
    },
  });
  const file = await Deno.open(partial, {
    write: true,
    create: true,
    truncate: true,
  });
  try {
    await lines.pipeThrough(new TextEncoderStream()).pipeThrough(
      new CompressionStream("gzip"),
    ).pipeTo(file.writable);
  } catch (err) {
    await Deno.remove(partial).catch(() => {});
    throw err;
  }
  await Deno.rename(partial, path);
  const bytes = (await Deno.stat(path)).size;
  if (opts.prune !== false) await pruneBackups(dir, now);
  return { path, entries, bytes };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes backup files in `dir` whose time stamp (from the file name) is older
 * than `keepDays` days before `now`. Other files are never touched.
 * @returns the removed paths
 */
export async function pruneBackups(
  dir: string = config.backupDir,
  now: Date = new Date(),
  keepDays: number = BACKUP_KEEP_DAYS,
): Promise<string[]> {
  const cutoff = now.getTime() - keepDays * 86_400_000;
  const removed: string[] = [];
  let list: Deno.DirEntry[] = [];
  try {
    list = await Array.fromAsync(Deno.readDir(dir));
  } catch {
    return removed;
  }
  for (const e of list) {
    const m = e.isFile ? e.name.match(NAME_RE) : null;
    if (!m) continue;
    const at = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
    if (at < cutoff) {
      const p = `${dir.replace(/[\\/]$/, "")}/${e.name}`;
      await Deno.remove(p);
      removed.push(p);
    }
  }
  return removed;
}

/** Reads a backup file line by line: header first, then entries, then the trailer. */
async function* readLines(path: string): AsyncGenerator<string> {
  const file = await Deno.open(path, { read: true });
  const text = file.readable.pipeThrough(new DecompressionStream("gzip"))
    .pipeThrough(new TextDecoderStream());
  let buf = "";
  for await (const chunk of text) {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      yield buf.slice(0, i);
      buf = buf.slice(i + 1);
    }
  }
  if (buf) yield buf;
}

/**
 * Reads and checks a backup file completely (header, every entry, trailer count).
 * @returns the header's `createdAt` and the entry count
 * @throws Error when the file is not a complete backup of a known version
 */
export async function checkBackup(
  path: string,
): Promise<{ createdAt: string; entries: number }> {
  let header: { format?: string; version?: number; createdAt?: string } | null = null;
  let count = 0;
  let trailer: { end?: boolean; entries?: number } | null = null;
  for await (const line of readLines(path)) {
    if (!header) {
      header = JSON.parse(line);
      if (
        header?.format !== BACKUP_FORMAT || header.version !== BACKUP_VERSION
      ) throw new Error("backup: unknown file format");
      continue;
    }
    if (trailer) throw new Error("backup: data after the end marker");
    if (line.startsWith('{"end":')) {
      trailer = JSON.parse(line);
      continue;
    }
    decodeEntry(line);
    count++;
  }
  if (!header) throw new Error("backup: empty file");
  if (!trailer?.end || trailer.entries !== count) {
    throw new Error("backup: file is truncated");
  }
  return { createdAt: header.createdAt ?? "", entries: count };
}

/** True when the database holds no entry at all. */
export async function isKvEmpty(kv?: Deno.Kv): Promise<boolean> {
  const k = kv ?? (await getKv());
  for await (const _ of k.list({ prefix: [] }, { limit: 1 })) return false;
  return true;
}

/**
 * Restores a backup written by {@link backupKv}. The file is checked completely
 * before anything is written. The database must be empty; with `force` every
 * existing entry is deleted first (the result is then exactly the backup).
 * Entries are written in commits of ≤ 500 mutations / ≈ 512 KB.
 * @throws Error `backup: …` for a bad file; Error "database is not empty" without `force`
 */
export async function restoreKv(
  path: string,
  opts: { force?: boolean; kv?: Deno.Kv } = {},
): Promise<{ entries: number }> {
  const kv = opts.kv ?? (await getKv());
  const { entries } = await checkBackup(path);
  if (!(await isKvEmpty(kv))) {
    if (!opts.force) {
      throw new Error(
        "database is not empty (use --force to replace its contents)",
      );
    }
    await wipeKv(kv);
  }
  let op = kv.atomic();
  let n = 0;
  let size = 0;
  const flush = async () => {
    if (n === 0) return;
    const res = await op.commit();
    if (!res.ok) throw new Error("restore: commit failed");
    op = kv.atomic();
    n = 0;
    size = 0;
  };
  let first = true;
  for await (const line of readLines(path)) {
    if (first) {
      first = false;
      continue;
    }
    if (line.startsWith('{"end":')) break;
    const e = decodeEntry(line);
    if (n >= 500 || size + line.length > 512_000) await flush();
    op.set(e.key, e.value);
    n++;
    size += line.length;
  }
  await flush();
  return { entries };
}

/** Deletes every entry (restore with `force`). */
async function wipeKv(kv: Deno.Kv): Promise<void> {
  for (;;) {
    const keys: Deno.KvKey[] = [];
    for await (const e of kv.list({ prefix: [] }, { limit: 500 })) {
      keys.push(e.key);
    }
    if (keys.length === 0) return;
    const op = kv.atomic();
    for (const k of keys) op.delete(k);
    await op.commit();
  }
}
