/**
 * Session notes of a booking (docs/domain-rules.md "Session notes"): a progress note in SOAP form
 * (subjective, objective, assessment, plan — the problem-oriented record of
 * L. Weed, 1968) and a separate private psychotherapy note (kept apart from the
 * progress note as the HIPAA "psychotherapy notes" category, 45 CFR 164.501).
 * Rules in docs/domain-rules.md "Session notes"; key layout in `./keys.ts`.
 */
import { z } from "@/lib/validation.ts";
import type { Sealed } from "@/lib/crypto/data_key.ts";

/** The SOAP fields, in form order. */
export const SOAP_FIELDS = ["subjective", "objective", "assessment", "plan"] as const;
/** Every sealed field of a version: the four SOAP fields and the private note. */
export const NOTE_FIELDS = [...SOAP_FIELDS, "private"] as const;
export type NoteField = typeof NOTE_FIELDS[number];

/** Most characters (UTF-16 code units) of one field. */
export const MAX_FIELD_CHARS = 8000;
/** Most UTF-8 bytes of all five fields together (keeps a sealed version well under KV's 64 KiB value limit). */
export const MAX_NOTE_BYTES = 40_000;
/** Most characters of an amendment's reason. */
export const MAX_REASON_CHARS = 500;
/** Most versions of one booking's notes: the signed original and up to 49 amendments. */
export const MAX_VERSIONS = 50;

const field = z.string("field.invalid").max(MAX_FIELD_CHARS, "field.too_long");

/**
 * Body of `PUT /api/bookings/{id}/notes` and the notes form. Text is kept as
 * written (line breaks too); surrounding whitespace is trimmed. `private`
 * omitted keeps the current private note (`""` clears it). `reason` (1–500
 * characters) is required once the notes are signed — the save is then an
 * amendment — and ignored before.
 */
export const notesInputSchema = z.object({
  subjective: field.default(""),
  objective: field.default(""),
  assessment: field.default(""),
  plan: field.default(""),
  private: field.optional(),
  reason: z.string("field.invalid").max(MAX_REASON_CHARS, "field.too_long").optional(),
}).describe("NotesInput");
export type NotesInput = z.input<typeof notesInputSchema>;

/** The plain text of one version. */
export const noteContentSchema = z.object({
  subjective: z.string(),
  objective: z.string(),
  assessment: z.string(),
  plan: z.string(),
  private: z.string(),
});
export type NoteContent = z.infer<typeof noteContentSchema>;

/** Where the notes of a booking stand: nothing written yet, a draft, or locked and signed. */
export const notesStatusSchema = z.enum(["empty", "draft", "signed"]);
export type NotesStatus = z.infer<typeof notesStatusSchema>;

/** `["notes", bookingId]`: the notes' record, without text. Instants are ISO 8601 UTC. */
export interface NotesRecord {
  schemaVersion: 1;
  bookingId: string;
  /** The psychologist who wrote them (the booking's psychologist): the only reader. */
  authorId: string;
  status: "draft" | "signed";
  /** Number of versions (1 = the draft or the signed original). */
  versions: number;
  signedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** `["notes_versions", bookingId, n]`: one version, every field sealed. */
export interface NoteVersion {
  schemaVersion: 1;
  n: number;
  /** `original`: the draft, later the signed original; `amendment`: a change after signing. */
  kind: "original" | "amendment";
  /** When this version was last written (ISO UTC). */
  at: string;
  /** Why it was amended (amendments only). */
  reason: string | null;
  fields: Record<NoteField, Sealed>;
}

/** One version as the author reads it. */
export const noteVersionViewSchema = z.object({
  version: z.number().int(),
  kind: z.enum(["original", "amendment"]),
  at: z.string(),
  reason: z.string().nullable(),
  content: noteContentSchema,
});
export type NoteVersionView = z.infer<typeof noteVersionViewSchema>;

/** The notes of a booking as their author reads them (`GET /api/bookings/{id}/notes`). */
export const notesViewSchema = z.object({
  bookingId: z.string(),
  status: notesStatusSchema,
  /** The newest version's text; null while nothing is written. */
  current: noteContentSchema.nullable(),
  signedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  /** Whether the author may save now (the booking's start has passed and it took place). */
  writable: z.boolean(),
  /** Every version, newest first. */
  versions: z.array(noteVersionViewSchema),
}).describe("SessionNotes");
export type NotesView = z.infer<typeof notesViewSchema>;

/** What a save or a signature answers: the record without any text. */
export const notesMetaSchema = z.object({
  bookingId: z.string(),
  status: notesStatusSchema,
  versions: z.number().int(),
  signedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  /** False when the save or signature changed nothing (same text, already signed). */
  changed: z.boolean(),
}).describe("SessionNotesMeta");
export type NotesMeta = z.infer<typeof notesMetaSchema>;
