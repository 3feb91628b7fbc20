/**
 * Key layout of the psychologists capability in Deno KV — the one place it is
 * written down.
 *
 * - `["psychologists", id]` → Psychologist (primary; id = the psychologist's user id)
 * - `["psychologist_cards", id]` → DirectoryCard: the compact directory entry of a
 *   psychologist who is listed (verified and active); written or deleted in the same
 *   commit as the profile, so the directory never lists a profile it should not
 * - `["psychologist_directory_version"]` → string, rewritten by every commit that
 *   touches a card: a process keeps the cards in memory and reads them again only
 *   when this key's versionstamp moved (`directory.ts`)
 * - `["psychologist_applications", id]` → Application (id = a ULID of its own)
 * - `["psychologist_applications_by_status", status, id]` → id (the admin queue)
 * - `["psychologist_applications_by_user", userId]` → application id
 */

/** Top-level KV key prefixes owned by psychologists (checked by tests/kv_prefixes_test.ts). */
export const PSYCHOLOGISTS_PREFIXES: readonly string[] = [
  "psychologists",
  "psychologist_cards",
  "psychologist_directory_version",
  "psychologist_applications",
  "psychologist_applications_by_status",
  "psychologist_applications_by_user",
];

/** Primary key of a psychologist profile. */
export const psychologistKey = (id: string): Deno.KvKey => ["psychologists", id];
/** Prefix of every profile. */
export const psychologistsPrefix = (): Deno.KvKey => ["psychologists"];
/** Directory card of a listed psychologist. */
export const cardKey = (id: string): Deno.KvKey => ["psychologist_cards", id];
/** Prefix of every directory card. */
export const cardsPrefix = (): Deno.KvKey => ["psychologist_cards"];
/** The directory's change marker. */
export const directoryVersionKey = (): Deno.KvKey => ["psychologist_directory_version"];
/** An application for verification. */
export const applicationKey = (id: string): Deno.KvKey => ["psychologist_applications", id];
/** Applications by status (`pending`, `approved`, `rejected`), oldest first. */
export const applicationByStatusKey = (status: string, id: string): Deno.KvKey => [
  "psychologist_applications_by_status",
  status,
  id,
];
/** Prefix of the applications in one status. */
export const applicationsByStatusPrefix = (status: string): Deno.KvKey => [
  "psychologist_applications_by_status",
  status,
];
/** The application of an applicant's account. */
export const applicationByUserKey = (userId: string): Deno.KvKey => ["psychologist_applications_by_user", userId];
