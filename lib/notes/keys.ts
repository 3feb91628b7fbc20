/**
 * Key layout of session notes in Deno KV — the one place it is written down
 * (docs/domain-rules.md "Session notes"). Notes belong to one booking and are
 * identified by its id.
 *
 * - `["notes", bookingId]`              → NotesRecord (`./model.ts`): author, status (`draft` | `signed`),
 *   the number of versions, when it was signed; no note text
 * - `["notes_versions", bookingId, n]`  → NoteVersion: version `n` (1, 2, 3 …) with every field sealed
 *   with the data key (`lib/crypto/data_key.ts`), AAD `notes:<bookingId>:<n>:<field>`. Version 1 is the
 *   draft (rewritten by every save until it is signed); each amendment after signing adds version n+1.
 *
 * The record and the version it changes are written in one atomic commit checked against the record's
 * versionstamp (and, for a new version, against the version key being absent).
 */

/** Top-level KV key prefixes owned by session notes (checked by tests/kv_prefixes_test.ts). */
export const NOTES_PREFIXES: readonly string[] = ["notes", "notes_versions"];

/** The notes record of a booking. */
export const notesKey = (bookingId: string): Deno.KvKey => ["notes", bookingId];
/** Version `n` of a booking's notes. */
export const versionKey = (bookingId: string, n: number): Deno.KvKey => ["notes_versions", bookingId, n];
/** Prefix of a booking's note versions (in version order). */
export const versionsPrefix = (bookingId: string): Deno.KvKey => ["notes_versions", bookingId];
