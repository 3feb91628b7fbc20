/**
 * Session notes: write, lock & sign, amend, read (rules in docs/domain-rules.md
 * "Session notes"; key layout in `./keys.ts`). Only the booking's psychologist
 * reads or writes them — not the client, not admins; every read is audited
 * (`notes.read`), and so is every refused read (`notes.read_denied`). Text is
 * sealed with AES-256-GCM under the data key (`lib/crypto/data_key.ts`), each
 * field with the AAD `notes:<bookingId>:<version>:<field>`, so a ciphertext
 * copied to another booking, version or field does not open.
 */
import { getKv } from "@/lib/db/kv.ts";
import { audit } from "@/lib/audit.ts";
import { hit, type Limit } from "@/lib/ratelimit.ts";
import { open, seal } from "@/lib/crypto/data_key.ts";
import { Conflict, Forbidden, NotFound, ValidationError } from "@/lib/errors.ts";
import { parseInput } from "@/lib/validation.ts";
import type { Role } from "@/lib/auth/users.ts";
import { getBooking } from "@/lib/booking/store.ts";
import type { Booking, BookingStatus } from "@/lib/booking/model.ts";
import {
  MAX_NOTE_BYTES,
  MAX_REASON_CHARS,
  MAX_VERSIONS,
  NOTE_FIELDS,
  type NoteContent,
  type NoteField,
  type NotesInput,
  notesInputSchema,
  type NotesMeta,
  type NotesRecord,
  type NotesView,
  type NoteVersion,
  type NoteVersionView,
  SOAP_FIELDS,
} from "./model.ts";
import * as K from "./keys.ts";

/** Who acts on notes: a signed-in user. */
export interface NotesActor {
  id: string;
  role: Role;
}

/** Booking states whose session took place (or was due): notes may be written once the start has passed. */
export const NOTE_STATUSES: readonly BookingStatus[] = ["confirmed", "in_session", "completed", "no_show"];

/** How many times a save is rebuilt after losing a commit race before giving up with 409. */
const MAX_ATTEMPTS = 5;

/** The AAD that binds a sealed field to its booking, version and field. */
export function noteAad(bookingId: string, n: number, field: NoteField): string {
  return `notes:${bookingId}:${n}:${field}`;
}

/**
 * The booking `bookingId` if `actor` is its psychologist.
 * @throws NotFound `booking_not_found` (no such booking, or another psychologist's);
 *   Forbidden `notes_private` for every other role (clients, admins, staff)
 */
async function authorBooking(actor: NotesActor, bookingId: string): Promise<Booking> {
  if (actor.role !== "psychologist") throw new Forbidden("notes_private", "notes.error.private");
  const b = await getBooking(bookingId);
  if (!b || b.psychologistId !== actor.id) throw new NotFound("booking_not_found", "booking.error.not_found");
  return b;
}

/** Whether notes of `b` may be written at `nowMs`: its session took place or was due and its start has passed. */
export function notesWritable(b: Pick<Booking, "status" | "startsAt">, nowMs = Date.now()): boolean {
  return NOTE_STATUSES.includes(b.status) && nowMs >= Date.parse(b.startsAt);
}

function assertWritable(b: Booking, nowMs: number): void {
  if (!NOTE_STATUSES.includes(b.status)) throw new Conflict("notes_no_session", "notes.error.no_session");
  if (nowMs < Date.parse(b.startsAt)) {
    throw new Conflict("notes_not_yet", "notes.error.not_yet", { startsAt: b.startsAt });
  }
}

async function sealContent(bookingId: string, n: number, c: NoteContent): Promise<Record<NoteField, Sealed>> {
  const out = {} as Record<NoteField, Sealed>;
  for (const f of NOTE_FIELDS) out[f] = await seal(c[f], noteAad(bookingId, n, f));
  return out;
}
type Sealed = Awaited<ReturnType<typeof seal>>;

async function openVersion(bookingId: string, v: NoteVersion): Promise<NoteContent> {
  const out = {} as NoteContent;
  for (const f of NOTE_FIELDS) out[f] = await open(v.fields[f], noteAad(bookingId, v.n, f));
  return out;
}

function sameContent(a: NoteContent, b: NoteContent): boolean {
  return NOTE_FIELDS.every((f) => a[f] === b[f]);
}

function metaOf(bookingId: string, r: NotesRecord | null, changed: boolean): NotesMeta {
  return {
    bookingId,
    status: r ? r.status : "empty",
    versions: r?.versions ?? 0,
    signedAt: r?.signedAt ?? null,
    updatedAt: r?.updatedAt ?? null,
    changed,
  };
}

/**
 * Saves the notes of booking `bookingId` as its psychologist.
 *
 * Before signing, a save rewrites the draft (version 1). After signing it is an
 * amendment: `reason` (1–500 characters) is required and a new version is added
 * with its time and reason (at most {@link MAX_VERSIONS} versions). Text is
 * trimmed; `private` omitted keeps the current private note. A save that changes
 * no text writes nothing (`changed: false`, so a repeated submit adds no version).
 *
 * @param input `{subjective, objective, assessment, plan, private?, reason?}` — each field at most
 *   8,000 characters, all five together at most 40,000 UTF-8 bytes
 * @param nowMs the clock (epoch ms)
 * @returns the record without text
 * @throws ValidationError (fields; `reason` when an amendment has none; `_` when too long in all);
 *   Forbidden `notes_private` (not a psychologist); NotFound `booking_not_found` (not theirs);
 *   Conflict `notes_no_session` (booking never took place), `notes_not_yet` (before its start),
 *   `notes_version_limit`, `notes_busy` (lost commit races)
 */
export async function saveNotes(
  actor: NotesActor,
  bookingId: string,
  input: NotesInput | Record<string, unknown>,
  nowMs = Date.now(),
): Promise<NotesMeta> {
  const b = await authorBooking(actor, bookingId);
  const parsed = parseInput(notesInputSchema, input);
  assertWritable(b, nowMs);
  const kv = await getKv();
  const at = new Date(nowMs).toISOString();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const rec = await kv.get<NotesRecord>(K.notesKey(bookingId));
    const r = rec.value;
    const last = r ? (await kv.get<NoteVersion>(K.versionKey(bookingId, r.versions))).value : null;
    const prev = last ? await openVersion(bookingId, last) : null;
    const content: NoteContent = {
      subjective: parsed.subjective.trim(),
      objective: parsed.objective.trim(),
      assessment: parsed.assessment.trim(),
      plan: parsed.plan.trim(),
      private: parsed.private === undefined ? (prev?.private ?? "") : parsed.private.trim(),
    };
    const bytes = NOTE_FIELDS.reduce((n, f) => n + new TextEncoder().encode(content[f]).length, 0);
    if (bytes > MAX_NOTE_BYTES) {
      throw new ValidationError({ _: "notes.error.too_long" }, undefined, undefined, { _: { max: MAX_NOTE_BYTES } });
    }
    const signed = r?.status === "signed";
    const reason = (parsed.reason ?? "").trim();
    if (signed && (reason.length < 1 || reason.length > MAX_REASON_CHARS)) {
      throw new ValidationError({ reason: "notes.error.reason_required" });
    }
    if (prev && sameContent(prev, content)) return metaOf(bookingId, r, false);
    const n = signed ? r!.versions + 1 : 1;
    if (n > MAX_VERSIONS) throw new Conflict("notes_version_limit", "notes.error.version_limit", { max: MAX_VERSIONS });
    const version: NoteVersion = {
      schemaVersion: 1,
      n,
      kind: signed ? "amendment" : "original",
      at,
      reason: signed ? reason : null,
      fields: await sealContent(bookingId, n, content),
    };
    const next: NotesRecord = {
      schemaVersion: 1,
      bookingId,
      authorId: actor.id,
      status: signed ? "signed" : "draft",
      versions: n,
      signedAt: r?.signedAt ?? null,
      createdAt: r?.createdAt ?? at,
      updatedAt: at,
    };
    const op = kv.atomic().check(rec).set(K.notesKey(bookingId), next).set(K.versionKey(bookingId, n), version);
    if (signed) op.check({ key: K.versionKey(bookingId, n), versionstamp: null });
    if ((await op.commit()).ok) return metaOf(bookingId, next, true);
  }
  throw new Conflict("notes_busy", "notes.error.busy");
}

/**
 * Locks and signs the draft of booking `bookingId`: from then on only
 * amendments (see {@link saveNotes}). Signing signed notes changes nothing.
 * @param nowMs the clock (epoch ms): the signature's time
 * @throws Forbidden `notes_private`; NotFound `booking_not_found`; Conflict `notes_no_session`,
 *   `notes_not_yet`, `notes_empty` (no draft, or a draft without any SOAP text), `notes_busy`
 */
export async function signNotes(actor: NotesActor, bookingId: string, nowMs = Date.now()): Promise<NotesMeta> {
  const b = await authorBooking(actor, bookingId);
  assertWritable(b, nowMs);
  const kv = await getKv();
  const at = new Date(nowMs).toISOString();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const rec = await kv.get<NotesRecord>(K.notesKey(bookingId));
    const r = rec.value;
    if (r?.status === "signed") return metaOf(bookingId, r, false);
    const v = r ? (await kv.get<NoteVersion>(K.versionKey(bookingId, 1))).value : null;
    const c = v ? await openVersion(bookingId, v) : null;
    if (!r || !c || SOAP_FIELDS.every((f) => c[f] === "")) throw new Conflict("notes_empty", "notes.error.empty");
    const next: NotesRecord = { ...r, status: "signed", signedAt: at, updatedAt: at };
    if ((await kv.atomic().check(rec).set(K.notesKey(bookingId), next).commit()).ok) {
      return metaOf(bookingId, next, true);
    }
  }
  throw new Conflict("notes_busy", "notes.error.busy");
}

/** Refused notes reads written to the audit log per caller (the rest are refused all the same, unlogged). */
export const NOTES_DENIED_AUDIT_LIMIT: Limit = { limit: 30, windowSec: 60 * 60 };
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * The notes of booking `bookingId`, decrypted, for their author: the current
 * text and every version, newest first. Writes an audit entry
 * `audit(actor.id, "notes.read", "booking:<id>", {role, status})` — also when
 * nothing is written yet — and `notes.read_denied` with `{role}` when the
 * caller may not read them.
 * @param nowMs the clock, only for `writable`
 * @throws Forbidden `notes_private` (every role but psychologist); NotFound `booking_not_found`
 *   (no such booking, or another psychologist's)
 */
export async function readNotes(actor: NotesActor, bookingId: string, nowMs = Date.now()): Promise<NotesView> {
  let b: Booking;
  try {
    b = await authorBooking(actor, bookingId);
  } catch (err) {
    // Audited, but at most NOTES_DENIED_AUDIT_LIMIT entries per caller an hour (a loop must not grow the
    // append-only log without bound) and with no caller-chosen text in the target (review 2).
    if ((await hit("notes_read_denied_audit", actor.id, NOTES_DENIED_AUDIT_LIMIT)).ok) {
      const target = `booking:${ULID.test(bookingId) ? bookingId : "invalid"}`;
      await audit(actor.id, "notes.read_denied", target, { role: actor.role });
    }
    throw err;
  }
  const kv = await getKv();
  const r = (await kv.get<NotesRecord>(K.notesKey(bookingId))).value;
  await audit(actor.id, "notes.read", `booking:${bookingId}`, { role: actor.role, status: r?.status ?? "empty" });
  const versions: NoteVersionView[] = [];
  if (r) {
    for await (const e of kv.list<NoteVersion>({ prefix: K.versionsPrefix(bookingId) }, { reverse: true })) {
      const v = e.value;
      versions.push({
        version: v.n,
        kind: v.kind,
        at: v.at,
        reason: v.reason,
        content: await openVersion(bookingId, v),
      });
    }
  }
  return {
    bookingId,
    status: r ? r.status : "empty",
    current: versions[0]?.content ?? null,
    signedAt: r?.signedAt ?? null,
    updatedAt: r?.updatedAt ?? null,
    writable: notesWritable(b, nowMs),
    versions,
  };
}
