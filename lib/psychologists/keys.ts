/**
 * Key layout of the psychologists capability in Deno KV — the one place it is
 * written down.
 *
 * - `["psychologists", id]` → Psychologist (primary; id = the psychologist's user id)
 */

/** Top-level KV key prefixes owned by psychologists (checked by tests/kv_prefixes_test.ts). */
export const PSYCHOLOGISTS_PREFIXES: readonly string[] = ["psychologists"];

/** Primary key of a psychologist profile. */
export const psychologistKey = (id: string): Deno.KvKey => ["psychologists", id];
