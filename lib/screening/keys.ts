/**
 * Key layout of stored screenings and consent records in Deno KV — the one place it is written down
 * (docs/domain-rules.md "Emotion screening"). Stimulus sets and mapping tables live in `./stimuli.ts`
 * under their own prefixes.
 *
 * - `["screenings", id]`                          → ScreeningRecord (`./store.ts`): metadata in clear
 *   (client, time, versions, backend, PDF payment) and the result with the per-picture distributions
 *   AES-GCM sealed with the data key (additional data `screening:<id>`)
 * - `["screenings_by_client", clientId, id]`      → id (a client's history; ids are ULIDs, so time order)
 * - `["screening_consents", userId, id]`          → ConsentRecord (`./consent.ts`): when the user agreed to
 *   which consent text version (kept as the record of consent; holds no health data)
 *
 * A screening and its client index are written and deleted in one atomic commit.
 */

/** Top-level KV key prefixes owned by stored screenings (checked by tests/kv_prefixes_test.ts). */
export const SCREENING_STORE_PREFIXES: readonly string[] = ["screenings", "screenings_by_client", "screening_consents"];

/** Primary key of a screening. */
export const screeningKey = (id: string): Deno.KvKey => ["screenings", id];
/** Every screening (for counting). */
export const SCREENINGS_PREFIX: Deno.KvKey = ["screenings"];
/** A client's screening, by id (time order). */
export const byClientKey = (clientId: string, id: string): Deno.KvKey => ["screenings_by_client", clientId, id];
/** Prefix of a client's screenings. */
export const byClientPrefix = (clientId: string): Deno.KvKey => ["screenings_by_client", clientId];
/** A consent record of a user. */
export const consentKey = (userId: string, id: string): Deno.KvKey => ["screening_consents", userId, id];
/** Prefix of a user's consent records. */
export const consentPrefix = (userId: string): Deno.KvKey => ["screening_consents", userId];
