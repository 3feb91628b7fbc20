/**
 * The admin page `/admin/screening` (routes/admin/screening/index.tsx): what it shows and how its
 * three forms (the set table, the upload, the mapping grid) become the inputs of
 * `lib/screening/stimuli.ts`. Flat form field names:
 * - set table: `baseVersion`, `items.<i>.id|theme|order|active|captionId|captionEn` (i < 40);
 * - mapping grid: `baseVersion`, `votes.<theme>.<emotion>` = secure | anxious | avoidant | none;
 * - upload (multipart): `baseVersion`, `file`, `theme`, `captionId`, `captionEn`, `replace`.
 */
import { getUsers, type User } from "@/lib/auth/users.ts";
import { Conflict, NotFound, ValidationError } from "@/lib/errors.ts";
import { FILE_POLICIES, saveFile } from "@/lib/files/store.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { EMOTIONS, type MappingTable, type StimulusSet, THEMES } from "./model.ts";
import {
  addUploadedStimulus,
  getActiveStimulusSet,
  getMappingTable,
  getStimulusSet,
  listVersions,
  MAX_ITEMS,
  saveMappingTable,
  saveStimulusSet,
  stimulusUploadSchema,
} from "./stimuli.ts";

/** Largest upload form body: the stimulus file limit plus 64 KiB for the other fields. */
export const UPLOAD_FORM_MAX_BYTES = FILE_POLICIES.screening_stimulus.maxBytes + 64 * 1024;

const ITEM_FIELD = /^items\.(\d{1,2})\.(id|theme|order|active|captionId|captionEn)$/;

/**
 * The set table's fields as the input of `saveStimulusSet`: rows in index order, at most
 * `MAX_ITEMS` (rows past it are ignored). Other fields are left out.
 */
export function setFormInput(fields: Record<string, unknown>): { baseVersion: unknown; items: unknown[] } {
  const rows = new Map<number, Record<string, unknown>>();
  for (const [k, v] of Object.entries(fields)) {
    const m = ITEM_FIELD.exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    if (i >= MAX_ITEMS) continue;
    const row = rows.get(i) ?? {};
    row[m[2]] = v;
    rows.set(i, row);
  }
  return { baseVersion: fields.baseVersion, items: [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r) };
}

/** The mapping grid's fields as the input of `saveMappingTable` (a missing cell stays missing). */
export function mappingFormInput(fields: Record<string, unknown>): { baseVersion: unknown; votes: unknown } {
  return {
    baseVersion: fields.baseVersion,
    votes: Object.fromEntries(
      THEMES.map((t) => [t, Object.fromEntries(EMOTIONS.map((e) => [e, fields[`votes.${t}.${e}`]]))]),
    ),
  };
}

/** Saves the set table form (admin): see `saveStimulusSet`. */
export function submitSetForm(actor: User, fields: Record<string, unknown>): Promise<StimulusSet> {
  return saveStimulusSet(actor, setFormInput(fields));
}

/** Saves the mapping grid form (admin): see `saveMappingTable`. */
export function submitMappingForm(actor: User, fields: Record<string, unknown>): Promise<MappingTable> {
  return saveMappingTable(actor, mappingFormInput(fields));
}

const uploadFieldsSchema = stimulusUploadSchema.omit({ fileId: true });

/**
 * The upload form (admin): checks the fields first, then stores the file (kind
 * `screening_stimulus`: PNG or JPEG by magic bytes, or SVG rebuilt by lib/files/svg.ts; ≤ 2 MiB, ≤ 4000 px) and adds
 * it to the set (`addUploadedStimulus`). Count the upload against the rate limit
 * (`enforceUploadLimit`) before reading the body.
 * @throws ValidationError (`file`: `field.required` or the file store's keys; the other fields);
 *   Conflict `stale_version`; Forbidden for a non-admin
 */
export async function submitUploadForm(actor: User, form: FormData): Promise<StimulusSet> {
  const fields: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && k !== "file") fields[k] = v;
  const input = { ...fields };
  delete input.action;
  const file = form.get("file");
  let fieldError: ValidationError | null = null;
  try {
    parseInput(uploadFieldsSchema, input);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    fieldError = e;
  }
  if (!(file instanceof File) || file.size === 0) {
    throw new ValidationError({ file: "field.required" }).merge(fieldError ?? new ValidationError({}));
  }
  if (fieldError) throw fieldError;
  const current = await getActiveStimulusSet();
  // Checked before storing the file, so a stale or refused form leaves no unused upload behind.
  if (String(current.version) !== String(input.baseVersion).trim()) {
    throw new Conflict("stale_version", "screening.stimuli.stale_version");
  }
  if (current.items.length >= MAX_ITEMS) throw new ValidationError({ items: "screening.stimuli.too_many" });
  const stored = await saveFile(new Uint8Array(await file.arrayBuffer()), "screening_stimulus", actor);
  return addUploadedStimulus(actor, { ...input, fileId: stored.id });
}

/** Query of the admin page: an old version to look at, and the "saved" notice. */
export const adminScreeningQuery = z.object({
  set: z.coerce.number().int().min(1).max(1_000_000).optional(),
  mapping: z.coerce.number().int().min(1).max(1_000_000).optional(),
  done: z.enum(["set", "mapping", "upload"]).optional(),
});

/** What the admin page shows. */
export interface AdminScreeningView {
  /** The set shown (the current one unless `?set=` names an old version). */
  set: StimulusSet;
  currentSetVersion: number;
  mapping: MappingTable;
  currentMappingVersion: number;
  /** Every version of both, newest first (at most 50 each). */
  sets: StimulusSet[];
  mappings: MappingTable[];
  /** Display names of the authors (user id → name). */
  names: Record<string, string>;
}

/**
 * Loads the admin page: the current (or the requested old) set and mapping table, the version
 * history and the authors' names.
 * @throws NotFound `screening_version_not_found` for a version that does not exist
 */
export async function loadAdminScreening(q: { set?: number; mapping?: number }): Promise<AdminScreeningView> {
  const current = await getActiveStimulusSet();
  const currentMapping = (await getMappingTable())!;
  const set = q.set ? await getStimulusSet(q.set) : current;
  const mapping = q.mapping ? await getMappingTable(q.mapping) : currentMapping;
  if (!set || !mapping) throw new NotFound("screening_version_not_found", "screening.stimuli.version_not_found");
  const { sets, mappings } = await listVersions(50);
  const ids = [...new Set([...sets, ...mappings].map((v) => v.createdBy))].filter((id) =>
    /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)
  );
  const names: Record<string, string> = {};
  for (const u of await getUsers(ids)) if (u) names[u.id] = u.name;
  return {
    set,
    currentSetVersion: current.version,
    mapping,
    currentMappingVersion: currentMapping.version,
    sets,
    mappings,
    names,
  };
}
