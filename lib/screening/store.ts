/**
 * Stored screenings (docs/domain-rules.md "Emotion screening"): validation of a submitted
 * run, the server's own recomputation of its result (`./result.ts`), encryption at rest with the data
 * key, the client's history, access rules (client: own; psychologist: only clients who booked them,
 * every read audited; admins: never) and deletion. Key layout in `./keys.ts`.
 *
 * The server only ever receives counts: the body schema is strict (no other field: no images, no
 * landmarks), every number is a bounded non-negative integer.
 */
import { getKv, type Page, scanPage } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { config } from "@/lib/config.ts";
import { audit } from "@/lib/audit.ts";
import { open, seal, type Sealed } from "@/lib/crypto/data_key.ts";
import { Conflict, Forbidden, NotFound, UnprocessableContent, ValidationError } from "@/lib/errors.ts";
import { enforce } from "@/lib/ratelimit.ts";
import { validationErrorOf, z } from "@/lib/validation.ts";
import { hasCareRelationship } from "@/lib/booking/relations.ts";
import { activeStimuli, getActiveStimulusSet, getMappingTable } from "./stimuli.ts";
import { EMOTIONS, emotionSchema, styleSchema, themeSchema } from "./model.ts";
import { computeResult, type StimulusInput } from "./result.ts";
import { currentConsent } from "./consent.ts";
import * as K from "./keys.ts";

/** Largest `frames` (and so any count) of one picture: 10 s at 60 fps is 600; this leaves room for long runs. */
export const MAX_FRAMES = 10_000;
/** Most items in `stimuli` read (the active set has 14; more is refused as too many). */
export const MAX_STIMULI = 64;
/** Limit of a `POST /api/screenings` body in bytes (a real one is about 3 KiB). */
export const SCREENING_BODY_MAX_BYTES = 16 * 1024;

/** Where the browser ran the models (docs/screening-engine.md). */
export const BACKENDS = ["webgpu", "webgl", "wasm", "cpu"] as const;
export const backendSchema = z.enum(BACKENDS, "field.invalid_choice");
export type Backend = z.infer<typeof backendSchema>;

const count = z.int("field.invalid_number").min(0, "field.invalid_number").max(MAX_FRAMES, "field.invalid_number");
const version = z.int("field.invalid_number").min(1, "field.invalid_number").max(1_000_000, "field.invalid_number");

/** Per-emotion frame counts: exactly the seven emotions, no other key. */
export const emotionCountsSchema = z.strictObject(
  Object.fromEntries(EMOTIONS.map((e) => [e, count])) as Record<(typeof EMOTIONS)[number], typeof count>,
);

/** One measured picture of `POST /api/screenings`. */
export const stimulusInputSchema = z.strictObject({
  stimulusId: z.string("field.required").min(1, "field.required").max(64, "field.too_long")
    .regex(/^[A-Za-z0-9_-]+$/, "field.invalid"),
  frames: count.describe("Frames analysed while the picture was shown"),
  faceFrames: count.describe("Frames of them with a face (≤ frames)"),
  emotions: emotionCountsSchema.describe(
    "Per emotion, the face frames whose most probable emotion was this one (sum = faceFrames)",
  ),
}).superRefine((s, ctx) => {
  if (s.faceFrames > s.frames) {
    ctx.addIssue({ code: "custom", path: ["faceFrames"], message: "screening.error.face_frames" });
  }
  const sum = EMOTIONS.reduce((a, e) => a + s.emotions[e], 0);
  if (sum !== s.faceFrames) {
    ctx.addIssue({ code: "custom", path: ["emotions"], message: "screening.error.emotions_sum" });
  }
});

/** `POST /api/screenings` body (docs/domain-rules.md "Emotion screening"): counts only, nothing else. */
export const screeningInputSchema = z.strictObject({
  stimulusSetVersion: version,
  mappingVersion: version,
  modelVersion: z.string("field.required").min(1, "field.required").max(80, "field.too_long")
    .regex(/^[A-Za-z0-9._\-\/+@]+$/, "field.invalid").describe("The engine's model id, e.g. human-3.3/emotion-1"),
  backend: backendSchema,
  stimuli: z.array(stimulusInputSchema, "field.required").min(1, "field.required")
    .max(MAX_STIMULI, "field.too_long"),
});
export type ScreeningInput = z.infer<typeof screeningInputSchema>;

/**
 * Validates a `POST /api/screenings` body with {@link screeningInputSchema}. An unknown field is
 * reported on its own path (`result`, `stimuli.2.image` → `screening.error.unknown_field`), so a client
 * sending more than counts (an image, landmarks, its own result) learns which field was refused.
 * @throws ValidationError
 */
export function parseScreeningInput(body: unknown): ScreeningInput {
  const r = screeningInputSchema.safeParse(body);
  if (r.success) return r.data;
  const base = validationErrorOf(r.error);
  const fields = { ...base.fields };
  const firstAt = new Map<string, string>();
  for (const issue of r.error.issues) {
    const at = issue.path.map(String).join(".") || "_";
    if (!firstAt.has(at)) firstAt.set(at, issue.code);
  }
  for (const issue of r.error.issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const at = issue.path.map(String);
    if (firstAt.get(at.join(".") || "_") === "unrecognized_keys") delete fields[at.join(".") || "_"];
    for (const k of issue.keys) fields[[...at, k].join(".")] = "screening.error.unknown_field";
  }
  throw new ValidationError(fields, undefined, undefined, base.fieldParams);
}

/** The counts of the three styles. */
export const countsSchema = z.object({ secure: z.int(), anxious: z.int(), avoidant: z.int() });

/** One picture of a stored screening: what was measured and what it gave. */
export const stimulusOutcomeSchema = z.object({
  stimulusId: z.string(),
  theme: themeSchema,
  frames: z.int(),
  faceFrames: z.int(),
  emotions: emotionCountsSchema,
  dominant: emotionSchema.nullable(),
  /** Share of the face frames of the dominant emotion, 0..1. */
  share: z.number(),
  enoughFace: z.boolean(),
  vote: styleSchema.nullable(),
});
export type StimulusOutcomeView = z.infer<typeof stimulusOutcomeSchema>;

/** What is sealed: the result and the per-picture distributions. */
interface SealedPart {
  result: z.infer<typeof styleSchema>;
  counts: z.infer<typeof countsSchema>;
  notEnoughFace: number;
  perStimulus: StimulusOutcomeView[];
}

/** A stored screening (`["screenings", id]`). Instants are ISO 8601 UTC. */
export interface ScreeningRecord {
  schemaVersion: 1;
  id: string;
  clientId: string;
  createdAt: string;
  stimulusSetVersion: number;
  mappingVersion: number;
  modelVersion: string;
  backend: Backend;
  /** Id of the consent record the run was admitted by. */
  consentId: string;
  /** The PDF summary's payment: `orderId` of the latest payment started, `paidAt` once paid. */
  pdf: { orderId: string | null; paidAt: string | null };
  /** {@link SealedPart} as JSON, AES-GCM with additional data {@link screeningAad}. */
  sealed: Sealed;
}

/** Additional data binding a sealed result to its screening. */
export const screeningAad = (id: string): string => `screening:${id}`;

/** A screening as the API and pages show it (opened). `pdf.required`: the PDF must be paid first. */
export const screeningViewSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  createdAt: z.string(),
  stimulusSetVersion: z.int(),
  mappingVersion: z.int(),
  modelVersion: z.string(),
  backend: backendSchema,
  result: styleSchema,
  counts: countsSchema,
  notEnoughFace: z.int(),
  perStimulus: z.array(stimulusOutcomeSchema),
  pdf: z.object({
    /** Whether the PDF costs money for this result (insecure result and a price above 0). */
    required: z.boolean(),
    priceIdr: z.int(),
    paid: z.boolean(),
  }),
}).describe("Screening");
export type Screening = z.infer<typeof screeningViewSchema>;

/** A signed-in user as the access rules see them. */
export interface Viewer {
  id: string;
  role: string;
}

/** The PDF's price for a result (0 = free): free when secure or `SCREENING_PDF_PRICE_IDR` is 0. */
export function pdfPriceFor(result: string): number {
  return result === "secure" ? 0 : config.screeningPdfPriceIdr;
}

async function openRecord(r: ScreeningRecord): Promise<Screening> {
  const part = JSON.parse(await open(r.sealed, screeningAad(r.id))) as SealedPart;
  const priceIdr = pdfPriceFor(part.result);
  return {
    id: r.id,
    clientId: r.clientId,
    createdAt: r.createdAt,
    stimulusSetVersion: r.stimulusSetVersion,
    mappingVersion: r.mappingVersion,
    modelVersion: r.modelVersion,
    backend: r.backend,
    result: part.result,
    counts: part.counts,
    notEnoughFace: part.notEnoughFace,
    perStimulus: part.perStimulus,
    pdf: { required: priceIdr > 0, priceIdr, paid: r.pdf.paidAt !== null },
  };
}

/**
 * Validates a submitted run and stores it (`POST /api/screenings`). Checks, in order:
 * the body (strict schema; 400 with field keys), a consent to the current text within the last hour
 * (409 `consent_required`), the quoted versions (409 `stimulus_set_changed`, `mapping_changed`),
 * exactly the active stimuli of the set, each once (400 on `stimuli…`), then recomputes the result
 * with {@link computeResult}: more than 3 pictures without enough face → 422 `not_enough_face`, no
 * vote at all → 422 `no_votes`; then the daily limit (429). One atomic commit writes the record and its
 * index; nothing is written when any check fails.
 * @param client the signed-in client
 * @param body the parsed request body
 * @param nowMs the clock
 * @throws ValidationError; Conflict; UnprocessableContent; TooManyRequests
 */
export async function createScreening(client: Viewer, body: unknown, nowMs = Date.now()): Promise<Screening> {
  if (client.role !== "client") throw new Forbidden();
  const input = parseScreeningInput(body);
  const consent = await currentConsent(client.id, nowMs);
  if (!consent) throw new Conflict("consent_required", "screening.error.consent_required");
  const set = await getActiveStimulusSet();
  if (input.stimulusSetVersion !== set.version) {
    throw new Conflict("stimulus_set_changed", "screening.error.stimulus_set_changed");
  }
  const table = await getMappingTable();
  if (!table || input.mappingVersion !== table.version) {
    throw new Conflict("mapping_changed", "screening.error.mapping_changed");
  }
  const active = activeStimuli(set);
  const byId = new Map(input.stimuli.map((s) => [s.stimulusId, s] as const));
  const fields: Record<string, string> = {};
  const activeIds = new Set(active.map((s) => s.id));
  const seen = new Set<string>();
  input.stimuli.forEach((s, i) => {
    if (!activeIds.has(s.stimulusId)) fields[`stimuli.${i}.stimulusId`] = "screening.error.stimulus_unknown";
    else if (seen.has(s.stimulusId)) fields[`stimuli.${i}.stimulusId`] = "screening.error.stimulus_duplicate";
    seen.add(s.stimulusId);
  });
  if (!Object.keys(fields).length && active.some((s) => !byId.has(s.id))) {
    fields.stimuli = "screening.error.stimuli_missing";
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
  // In run order, as the set shows them.
  const ordered: StimulusInput[] = active.map((s) => byId.get(s.id)!);
  const outcome = computeResult(ordered, set, table);
  if (outcome.notEnoughFace > 3 || outcome.result === null) {
    throw new UnprocessableContent(
      outcome.notEnoughFace > 3 ? "not_enough_face" : "no_votes",
      outcome.notEnoughFace > 3 ? "screening.error.not_enough_face" : "screening.error.no_votes",
    );
  }
  await enforce("screening_create", client.id, nowMs);
  const id = newId(nowMs);
  const part: SealedPart = {
    result: outcome.result,
    counts: outcome.counts,
    notEnoughFace: outcome.notEnoughFace,
    perStimulus: outcome.perStimulus.map((o, i) => ({ ...o, emotions: { ...ordered[i].emotions } })),
  };
  const record: ScreeningRecord = {
    schemaVersion: 1,
    id,
    clientId: client.id,
    createdAt: new Date(nowMs).toISOString(),
    stimulusSetVersion: set.version,
    mappingVersion: table.version,
    modelVersion: input.modelVersion,
    backend: input.backend,
    consentId: consent.id,
    pdf: { orderId: null, paidAt: null },
    sealed: await seal(JSON.stringify(part), screeningAad(id)),
  };
  const kv = await getKv();
  const res = await kv.atomic()
    .check({ key: K.screeningKey(id), versionstamp: null })
    .set(K.screeningKey(id), record)
    .set(K.byClientKey(client.id, id), id)
    .commit();
  if (!res.ok) throw new Conflict("screening_busy", "error.conflict");
  return await openRecord(record);
}

/** The stored record of `id` with its versionstamp, or null (also for a malformed id). */
export async function getScreeningEntry(id: string): Promise<Deno.KvEntry<ScreeningRecord> | null> {
  if (typeof id !== "string" || !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) return null;
  const kv = await getKv();
  const e = await kv.get<ScreeningRecord>(K.screeningKey(id));
  return e.versionstamp ? e as Deno.KvEntry<ScreeningRecord> : null;
}

/**
 * Screening `id` as `viewer` may see it: its client; a psychologist the client booked (paid or later,
 * `hasCareRelationship`), each such read written to the audit log (`screening.read`).
 * @throws Forbidden for admins (never readable by them) and other roles; NotFound `screening_not_found`
 *   for an unknown id, another client's or an unrelated psychologist's (the same answer)
 */
export async function getScreeningFor(viewer: Viewer, id: string): Promise<Screening> {
  if (viewer.role !== "client" && viewer.role !== "psychologist") throw new Forbidden();
  const e = await getScreeningEntry(id);
  const r = e?.value;
  if (!r) throw notFound();
  if (viewer.role === "client") {
    if (r.clientId !== viewer.id) throw notFound();
    return await openRecord(r);
  }
  if (!(await hasCareRelationship(r.clientId, viewer.id))) throw notFound();
  await audit(viewer.id, "screening.read", `screening:${r.id}`, { clientId: r.clientId });
  return await openRecord(r);
}

function notFound(): NotFound {
  return new NotFound("screening_not_found", "screening.error.not_found");
}

/** Page options: `limit` 1..100 (default 20), `cursor` from the previous page. */
export interface PageOpts {
  cursor?: string | null;
  limit?: number;
}

async function pageOf(clientId: string, opts: PageOpts): Promise<Page<Screening>> {
  const kv = await getKv();
  return await scanPage<string, Screening>(kv, { prefix: K.byClientPrefix(clientId) }, async (id) => {
    const r = (await kv.get<ScreeningRecord>(K.screeningKey(id))).value;
    return r ? await openRecord(r) : null;
  }, { cursor: opts.cursor, limit: opts.limit });
}

/**
 * The client's own screenings, newest first, cursor-paginated.
 * @throws Forbidden for any role but client; BadRequest `invalid_cursor`
 */
export async function listScreenings(viewer: Viewer, opts: PageOpts = {}): Promise<Page<Screening>> {
  if (viewer.role !== "client") throw new Forbidden();
  return await pageOf(viewer.id, opts);
}

/**
 * A client's screenings for a psychologist the client booked (patient details), newest first; the read
 * is written to the audit log (`screening.list`, target `user:<clientId>`).
 * @throws Forbidden for anyone but a psychologist with a care relationship (`hasCareRelationship`);
 *   BadRequest `invalid_cursor`
 */
export async function listScreeningsForPsychologist(
  viewer: Viewer,
  clientId: string,
  opts: PageOpts = {},
): Promise<Page<Screening>> {
  if (viewer.role !== "psychologist" || !(await hasCareRelationship(clientId, viewer.id))) throw new Forbidden();
  const page = await pageOf(clientId, opts);
  await audit(viewer.id, "screening.list", `user:${clientId}`, { count: page.items.length });
  return page;
}

/**
 * Deletes the client's own screening and its index in one commit (the right to delete). A PDF payment
 * already made stays in the payment history.
 * @throws Forbidden for any role but client; NotFound `screening_not_found` (also for another client's)
 */
export async function deleteScreening(viewer: Viewer, id: string): Promise<void> {
  if (viewer.role !== "client") throw new Forbidden();
  const kv = await getKv();
  for (let attempt = 0; attempt < 4; attempt++) {
    const e = await getScreeningEntry(id);
    if (!e || e.value.clientId !== viewer.id) throw notFound();
    const res = await kv.atomic().check(e).delete(e.key).delete(K.byClientKey(e.value.clientId, id)).commit();
    if (res.ok) return;
  }
  throw new Conflict("screening_busy", "error.conflict");
}

/** Number of stored screenings (all clients; deleted ones not counted). Reads the keys, O(n). */
export async function countScreenings(): Promise<number> {
  const kv = await getKv();
  let n = 0;
  for await (const _ of kv.list({ prefix: K.SCREENINGS_PREFIX }, { batchSize: 500 })) n++;
  return n;
}
