/**
 * Key layout of the availability capability in Deno KV — the one place it is
 * written down.
 *
 * - `["availability", psychologistId]` → Availability (settings; absent = defaults, no working hours)
 * - `["availability_version", psychologistId]` → Deno.KvU64 counter, bumped in the same commit as any
 *   change that can change free slots (settings saved, a booking claiming or freeing cells); cached
 *   directory summaries compare its versionstamp
 */

/** Top-level KV key prefixes owned by availability (checked by tests/kv_prefixes_test.ts). */
export const AVAILABILITY_PREFIXES: readonly string[] = [
  "availability",
  "availability_version",
  "availability_change_log",
];

/** Settings of one psychologist. */
export const availabilityKey = (psychologistId: string): Deno.KvKey => ["availability", psychologistId];

/** Change counter of one psychologist's free slots. */
export const availabilityVersionKey = (psychologistId: string): Deno.KvKey => ["availability_version", psychologistId];

/** One entry of the change log (`atMs` = epoch ms of the change). */
export const availabilityChangeKey = (atMs: number, psychologistId: string): Deno.KvKey => [
  "availability_change_log",
  atMs,
  psychologistId,
];

/** Selector of the change log from `fromMs` on. */
export const availabilityChangesSince = (fromMs: number): Deno.KvListSelector => ({
  start: ["availability_change_log", fromMs],
  end: ["availability_change_log", Number.MAX_SAFE_INTEGER],
});
