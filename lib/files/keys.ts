/**
 * Key layout of the shared file store in Deno KV — the one place it is written down.
 *
 * - `["files", id]`              → StoredFile (metadata; written last, so a file exists only once
 *   every chunk is stored)
 * - `["file_chunks", id, n]`     → Uint8Array, chunk `n` (0-based) of at most `CHUNK_BYTES` bytes
 * - `["files_by_hash", kind, sha256]` → id (public files: the same content uploaded again is the same file)
 *
 * Deno KV keeps values ≤ 64 KiB and one atomic commit ≤ 800 KiB of mutations, so
 * a file is written in batches of chunks and its metadata in the last commit;
 * on any failure the chunks already written are deleted (`store.ts`), and chunks
 * a crashed process left without metadata are removed by the daily job
 * (`sweepOrphanChunks`, after an hour).
 */

/** Top-level KV key prefixes owned by the file store (checked by tests/kv_prefixes_test.ts). */
export const FILES_PREFIXES: readonly string[] = ["files", "file_chunks", "files_by_hash"];

/** Metadata of a file. */
export const fileKey = (id: string): Deno.KvKey => ["files", id];
/** Every file's metadata (sweeps). */
export const filesPrefix = (): Deno.KvKey => ["files"];
/** One chunk of a file. */
export const chunkKey = (id: string, n: number): Deno.KvKey => ["file_chunks", id, n];
/** Prefix of every chunk of a file. */
export const chunksPrefix = (id: string): Deno.KvKey => ["file_chunks", id];
/** Content hash → id of a public file of `kind`. */
export const byHashKey = (kind: string, sha256: string): Deno.KvKey => ["files_by_hash", kind, sha256];
