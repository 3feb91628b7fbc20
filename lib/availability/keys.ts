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
export const AVAILABILITY_PREFIXES: readonly string[] = ["availability", "availability_version"];

/** Settings of one psychologist. */
export const availabilityKey = (psychologistId: string): Deno.KvKey => ["availability", psychologistId];

/** Change counter of one psychologist's free slots. */
export const availabilityVersionKey = (psychologistId: string): Deno.KvKey => ["availability_version", psychologistId];
