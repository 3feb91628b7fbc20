/**
 * Key layout of the screening stimulus sets and mapping tables in Deno KV — the one place it is
 * written down (docs/domain-rules.md "Screening stimuli and mapping").
 *
 * - `["screening_stimulus_sets", version]` → StimulusSet (immutable once written)
 * - `["screening_mappings", version]`      → MappingTable (immutable once written)
 * - `["screening_current", "set"]`         → number, the version of the current stimulus set
 * - `["screening_current", "mapping"]`     → number, the version of the current mapping table
 *
 * A new version is written in ONE atomic commit with `check(null)` on its version key and a check
 * of the "current" pointer it was based on, so two admins saving at once cannot both win and a
 * version number is never reused. Version 1 of each is the built-in default, created by the first
 * read (race-safe the same way).
 */

/** Top-level KV key prefixes owned by the screening stimuli (checked by tests/kv_prefixes_test.ts). */
export const SCREENING_STIMULI_PREFIXES: readonly string[] = [
  "screening_stimulus_sets",
  "screening_mappings",
  "screening_current",
];

/** One version of the stimulus set. */
export const setKey = (version: number): Deno.KvKey => ["screening_stimulus_sets", version];
/** Every version of the stimulus set (history listing). */
export const setsPrefix = (): Deno.KvKey => ["screening_stimulus_sets"];
/** One version of the mapping table. */
export const mappingKey = (version: number): Deno.KvKey => ["screening_mappings", version];
/** Every version of the mapping table (history listing). */
export const mappingsPrefix = (): Deno.KvKey => ["screening_mappings"];
/** Pointer to the current stimulus-set version. */
export const currentSetKey = (): Deno.KvKey => ["screening_current", "set"];
/** Pointer to the current mapping-table version. */
export const currentMappingKey = (): Deno.KvKey => ["screening_current", "mapping"];
