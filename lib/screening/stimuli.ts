/**
 * The screening's stimulus sets and mapping tables (docs/domain-rules.md "Screening stimuli and
 * mapping"; key layout in `./stimuli_keys.ts`).
 *
 * - A stimulus set lists every picture (theme, order, active, id/en captions, image URL). The
 *   built-in default (version 1) shows the fourteen hand-drawn SVGs in `static/stimuli/<theme>.svg`,
 *   one per theme of {@link THEMES}, in that order.
 * - A mapping table says, for each theme and dominant emotion, which attachment style the picture
 *   votes for (or none). The default (version 1) is {@link DEFAULT_VOTES}, a documented screening
 *   heuristic — not a validated instrument.
 * - Both are versioned and immutable: an admin change writes the next version and moves the
 *   "current" pointer in the same atomic commit, and writes an audit entry. Stored screenings quote
 *   the versions they used, and every old version stays readable.
 * - A set must always have exactly {@link ACTIVE_COUNT} active pictures, one per theme, so every run
 *   shows the fourteen scene types once and `POST /api/screenings` can demand "exactly the 14 active
 *   stimuli".
 */
import type { User } from "@/lib/auth/users.ts";
import { audit } from "@/lib/audit.ts";
import { config } from "@/lib/config.ts";
import { getKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { Conflict, Forbidden, ValidationError } from "@/lib/errors.ts";
import { getFile } from "@/lib/files/store.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
import { parseInput, z } from "@/lib/validation.ts";
import {
  type AttachmentStyle,
  type Emotion,
  EMOTIONS,
  type MappingTable,
  type Stimulus,
  type StimulusSet,
  STYLES,
  type Theme,
  THEMES,
  themeSchema,
} from "./model.ts";
import * as K from "./stimuli_keys.ts";

/** Active pictures a set must have: one per theme (14). */
export const ACTIVE_COUNT = THEMES.length;
/** Most pictures (active and inactive) one set may hold, so a set stays well inside one KV value. */
export const MAX_ITEMS = 40;
/** Longest caption, characters. */
export const MAX_CAPTION = 160;
/** Who wrote the built-in version 1 of the set and the table. */
export const SYSTEM_AUTHOR = "system";

/** id/en captions of the built-in pictures, one per theme (alt text and the caption under the picture). */
export const DEFAULT_CAPTIONS: Readonly<Record<Theme, { id: string; en: string }>> = {
  neutral_play: {
    id: "Dua anak bermain bola di taman pada sore yang cerah.",
    en: "Two children playing ball in a park on a sunny afternoon.",
  },
  child_window: {
    id: "Seorang anak memandang ke luar jendela.",
    en: "A child looking out of a window.",
  },
  departure: {
    id: "Seseorang berjalan pergi membawa koper, seorang lain tetap di depan rumah.",
    en: "Someone walking away with a suitcase while another person stays by the house.",
  },
  bench_alone: {
    id: "Seseorang duduk sendirian di bangku taman.",
    en: "A person sitting alone on a park bench.",
  },
  bedtime: {
    id: "Seorang anak di tempat tidur, orang tua berdiri di ambang pintu.",
    en: "A child in bed, a parent standing in the doorway.",
  },
  ambulance: {
    id: "Sebuah ambulans berhenti di depan rumah pada malam hari.",
    en: "An ambulance stopped in front of a house at night.",
  },
  grave: {
    id: "Seseorang berdiri di depan makam membawa bunga.",
    en: "A person standing at a grave holding flowers.",
  },
  child_corner: {
    id: "Seorang anak duduk meringkuk di sudut ruangan.",
    en: "A child huddled in the corner of a room.",
  },
  reunion: {
    id: "Dua orang bertemu kembali di stasiun.",
    en: "Two people meeting again at a station.",
  },
  comfort_hug: {
    id: "Seseorang memeluk dan menghibur orang lain.",
    en: "One person hugging and comforting another.",
  },
  family_meal: {
    id: "Sebuah keluarga makan bersama di meja.",
    en: "A family eating together at the table.",
  },
  exclusion: {
    id: "Sekelompok orang berbicara bersama, satu orang berdiri terpisah.",
    en: "A group talking together while one person stands apart.",
  },
  argument: {
    id: "Dua orang bertengkar di dapur.",
    en: "Two people arguing in a kitchen.",
  },
  achievement_shared: {
    id: "Seseorang menunjukkan piala kepada orang yang bersorak untuknya.",
    en: "Someone showing a trophy to a person cheering for them.",
  },
};

/** Id of a built-in picture: `default-<theme>` (uploaded pictures get a ULID). */
export const defaultStimulusId = (theme: Theme): string => `default-${theme}`;
/** URL of a built-in picture (served from `static/stimuli/`). */
export const defaultImageUrl = (theme: Theme): string => `/stimuli/${theme}.svg`;

type Votes = Record<Theme, Record<Emotion, AttachmentStyle | null>>;

/** Builds one theme's row: every emotion not named votes for nobody. */
function row(v: Partial<Record<Emotion, AttachmentStyle>>): Record<Emotion, AttachmentStyle | null> {
  return Object.fromEntries(EMOTIONS.map((e) => [e, v[e] ?? null])) as Record<Emotion, AttachmentStyle | null>;
}

/**
 * The default mapping table (version 1), a screening heuristic. Rationale, per
 * docs/domain-rules.md "Screening stimuli and mapping":
 * - secure: emotion congruent with the scene and open to connection — happy (or pleasantly
 *   surprised) at connection scenes (reunion, comfort, family meal, shared achievement, bedtime with
 *   a parent at the door, a calm moment at a window or on a bench); sadness at loss or danger
 *   (grave, ambulance) as felt, acknowledged grief or concern.
 * - anxious (hyperactivation): sadness, fear or anger dominating at separation, loneliness and threat
 *   scenes, and anger or fear even at the reunion and comfort scenes (the "resistant" protest of
 *   ambivalent attachment).
 * - avoidant (deactivation): a flat, neutral face at the four strongest distress scenes (ambulance,
 *   grave, exclusion, argument), happiness at distress scenes (masking), and disgust wherever it
 *   dominates an attachment scene (aversion to closeness).
 * - no vote: the warm-up picture (neutral play) and every pair not listed — in particular neutral at
 *   mild scenes, because a neutral face is what most people show most of the time.
 */
export const DEFAULT_VOTES: Readonly<Votes> = {
  neutral_play: row({}),
  child_window: row({ happy: "secure", sad: "anxious", fearful: "anxious", angry: "anxious", disgusted: "avoidant" }),
  departure: row({ sad: "anxious", fearful: "anxious", angry: "anxious", disgusted: "avoidant" }),
  bench_alone: row({ happy: "secure", sad: "anxious", fearful: "anxious", angry: "anxious", disgusted: "avoidant" }),
  bedtime: row({ happy: "secure", sad: "anxious", fearful: "anxious", angry: "anxious", disgusted: "avoidant" }),
  ambulance: row({
    sad: "secure",
    neutral: "avoidant",
    happy: "avoidant",
    disgusted: "avoidant",
    fearful: "anxious",
    angry: "anxious",
  }),
  grave: row({
    sad: "secure",
    neutral: "avoidant",
    happy: "avoidant",
    disgusted: "avoidant",
    fearful: "anxious",
    angry: "anxious",
  }),
  child_corner: row({ sad: "anxious", fearful: "anxious", angry: "anxious", happy: "avoidant", disgusted: "avoidant" }),
  reunion: row({
    happy: "secure",
    surprised: "secure",
    sad: "anxious",
    fearful: "anxious",
    angry: "anxious",
    disgusted: "avoidant",
  }),
  comfort_hug: row({ happy: "secure", fearful: "anxious", angry: "anxious", disgusted: "avoidant" }),
  family_meal: row({ happy: "secure", sad: "anxious", fearful: "anxious", angry: "anxious", disgusted: "avoidant" }),
  exclusion: row({
    neutral: "avoidant",
    happy: "avoidant",
    disgusted: "avoidant",
    sad: "anxious",
    fearful: "anxious",
    angry: "anxious",
  }),
  argument: row({
    neutral: "avoidant",
    happy: "avoidant",
    disgusted: "avoidant",
    sad: "anxious",
    fearful: "anxious",
    angry: "anxious",
  }),
  achievement_shared: row({
    happy: "secure",
    surprised: "secure",
    sad: "anxious",
    fearful: "anxious",
    disgusted: "avoidant",
  }),
};

/** The built-in stimulus set (version 1): the fourteen shipped SVGs, one per theme, all active. */
export function defaultStimulusSet(nowMs: number = Date.now()): StimulusSet {
  return {
    version: 1,
    items: THEMES.map((theme, i) => ({
      id: defaultStimulusId(theme),
      theme,
      order: i + 1,
      active: true,
      caption: { ...DEFAULT_CAPTIONS[theme] },
      imageUrl: defaultImageUrl(theme),
    })),
    createdAt: new Date(nowMs).toISOString(),
    createdBy: SYSTEM_AUTHOR,
  };
}

/** The built-in mapping table (version 1): {@link DEFAULT_VOTES}. */
export function defaultMappingTable(nowMs: number = Date.now()): MappingTable {
  return {
    version: 1,
    votes: structuredClone(DEFAULT_VOTES) as Votes,
    createdAt: new Date(nowMs).toISOString(),
    createdBy: SYSTEM_AUTHOR,
  };
}

/**
 * Seconds each picture is shown in a run: `SCREENING_STIMULUS_SECONDS` (default 10; decimals
 * allowed, clamped to 0.5–120 so tests can shorten a run).
 */
export function stimulusSeconds(): number {
  return config.screeningStimulusSeconds;
}

/** The active pictures of `set`, in `order` (the order of a run). */
export function activeStimuli(set: StimulusSet): Stimulus[] {
  return set.items.filter((s) => s.active).sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

/** A stimulus's caption in `lang`. */
export function captionOf(s: Stimulus, lang: Lang): string {
  return s.caption[lang] || s.caption.id;
}

// ---------------------------------------------------------------- reading (v1 created on first read)

type Kind = "set" | "mapping";
const currentKey = (k: Kind) => (k === "set" ? K.currentSetKey() : K.currentMappingKey());
const versionKey = (k: Kind, v: number) => (k === "set" ? K.setKey(v) : K.mappingKey(v));

/**
 * The current version of `kind`; creates version 1 from the built-in default when nothing is
 * stored yet (one commit with `check(null)` on the pointer and on the version key: under
 * concurrency exactly one caller writes it, the others read what it wrote).
 */
async function currentVersion(kind: Kind, nowMs = Date.now()): Promise<number> {
  const kv = await getKv();
  for (let attempt = 0; attempt < 5; attempt++) {
    const cur = await kv.get<number>(currentKey(kind));
    if (cur.value !== null) return cur.value;
    const v1 = kind === "set" ? defaultStimulusSet(nowMs) : defaultMappingTable(nowMs);
    const r = await kv.atomic()
      .check({ key: currentKey(kind), versionstamp: null })
      .check({ key: versionKey(kind, 1), versionstamp: null })
      .set(versionKey(kind, 1), v1)
      .set(currentKey(kind), 1)
      .commit();
    if (r.ok) return 1;
  }
  throw new Error(`screening ${kind}: could not read or create version 1`);
}

/**
 * The current stimulus set (version 1, the built-in default, is created on the first read;
 * race-safe).
 */
export async function getActiveStimulusSet(): Promise<StimulusSet> {
  const v = await currentVersion("set");
  const set = (await (await getKv()).get<StimulusSet>(K.setKey(v))).value;
  if (!set) throw new Error(`screening set: current version ${v} missing`);
  return set;
}

/** Version `version` of the stimulus set, or null when there is none (old versions stay readable). */
export async function getStimulusSet(version: number): Promise<StimulusSet | null> {
  if (!Number.isSafeInteger(version) || version < 1) return null;
  await currentVersion("set");
  return (await (await getKv()).get<StimulusSet>(K.setKey(version))).value;
}

/**
 * Version `version` of the mapping table, or the current one when omitted (version 1 = the
 * default, created on first read); null for a version that does not exist.
 */
export async function getMappingTable(version?: number): Promise<MappingTable | null> {
  const current = await currentVersion("mapping");
  const v = version ?? current;
  if (!Number.isSafeInteger(v) || v < 1) return null;
  return (await (await getKv()).get<MappingTable>(K.mappingKey(v))).value;
}

/**
 * Every version of the stimulus set and of the mapping table, newest first, at most `limit`
 * (1..100, default 50) of each — the admin page's history.
 */
export async function listVersions(limit = 50): Promise<{ sets: StimulusSet[]; mappings: MappingTable[] }> {
  await currentVersion("set");
  await currentVersion("mapping");
  const kv = await getKv();
  const n = Math.min(100, Math.max(1, Math.trunc(limit)));
  const sets: StimulusSet[] = [];
  for await (const e of kv.list<StimulusSet>({ prefix: K.setsPrefix() }, { reverse: true, limit: n })) {
    sets.push(e.value);
  }
  const mappings: MappingTable[] = [];
  for await (const e of kv.list<MappingTable>({ prefix: K.mappingsPrefix() }, { reverse: true, limit: n })) {
    mappings.push(e.value);
  }
  return { sets, mappings };
}

// ---------------------------------------------------------------- admin edits (each writes a new version)

const caption = z.string().trim().min(1, "field.required").max(MAX_CAPTION, "field.too_long");
const boolish = z.union([z.boolean(), z.enum(["on", "1", "true", "0", "false", ""])]).transform((v) =>
  v === true || v === "on" || v === "1" || v === "true"
);
/** Version the admin's form was based on (optimistic concurrency). */
const baseVersion = z.coerce.number().int("field.invalid").min(1, "field.invalid").max(1_000_000, "field.invalid");

/** One picture's editable fields (the id picks the picture; images are changed by uploading a new one). */
export const stimulusEditSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "field.invalid"),
  theme: themeSchema,
  order: z.coerce.number("field.invalid_number").int("field.invalid_number").min(1, "field.invalid_number").max(
    99,
    "field.invalid_number",
  ),
  active: boolish.default(false),
  captionId: caption,
  captionEn: caption,
});
/** Input of {@link saveStimulusSet}: every picture of the current set, edited. */
export const stimulusSetEditSchema = z.strictObject({
  baseVersion,
  items: z.array(stimulusEditSchema).min(1, "field.required").max(MAX_ITEMS, "screening.stimuli.too_many"),
});
/** Input of {@link addUploadedStimulus}. */
export const stimulusUploadSchema = z.strictObject({
  baseVersion,
  fileId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "field.invalid"),
  theme: themeSchema,
  captionId: caption,
  captionEn: caption,
  /** True: the new picture takes the place (order, active) of the active picture of its theme. */
  replace: boolish.default(false),
});
/** Input of {@link saveMappingTable}: a full 14 × 7 grid; `"none"` = no vote. */
export const mappingEditSchema = z.strictObject({
  baseVersion,
  votes: z.strictObject(
    Object.fromEntries(
      THEMES.map((t) => [
        t,
        z.strictObject(
          Object.fromEntries(EMOTIONS.map((e) => [e, z.enum([...STYLES, "none"], "field.invalid_choice")])),
        ),
      ]),
    ),
  ),
});

/**
 * The set rules: ids unique, orders unique, exactly {@link ACTIVE_COUNT} active pictures and one
 * active picture per theme. Field keys: `items` (`screening.stimuli.active_count`, with `{count}`),
 * `items.<i>.theme` (`screening.stimuli.theme_twice`), `items.<i>.order`
 * (`screening.stimuli.order_taken`), `items.<i>.id` (`field.invalid`).
 * @throws ValidationError when a rule fails
 */
export function checkSetRules(items: Stimulus[]): void {
  const fields: Record<string, string> = {};
  const params: Record<string, Record<string, number>> = {};
  const ids = new Set<string>();
  const orders = new Set<number>();
  const themes = new Set<Theme>();
  items.forEach((s, i) => {
    if (ids.has(s.id)) fields[`items.${i}.id`] = "field.invalid";
    ids.add(s.id);
    if (orders.has(s.order)) fields[`items.${i}.order`] = "screening.stimuli.order_taken";
    orders.add(s.order);
    if (s.active) {
      if (themes.has(s.theme)) fields[`items.${i}.theme`] = "screening.stimuli.theme_twice";
      themes.add(s.theme);
    }
  });
  const active = items.filter((s) => s.active).length;
  if (active !== ACTIVE_COUNT) {
    fields.items = "screening.stimuli.active_count";
    params.items = { count: ACTIVE_COUNT, active };
  }
  if (Object.keys(fields).length) throw new ValidationError(fields, "error.validation", "validation_failed", params);
}

function requireAdmin(actor: User): void {
  if (actor.role !== "admin" || actor.status !== "active") throw new Forbidden();
}

/**
 * Writes `next` as the version after `base` (the current one): `check` of the pointer's
 * versionstamp and `check(null)` of the new version key, the version and the pointer in one commit.
 * @throws Conflict `stale_version` when the current version is no longer `base`
 */
async function writeNext<T extends { version: number }>(
  kind: Kind,
  base: number,
  build: (version: number) => T,
): Promise<T> {
  await currentVersion(kind);
  const kv = await getKv();
  const cur = await kv.get<number>(currentKey(kind));
  if (cur.value !== base) throw new Conflict("stale_version", "screening.stimuli.stale_version");
  const value = build(base + 1);
  const r = await kv.atomic()
    .check(cur)
    .check({ key: versionKey(kind, base + 1), versionstamp: null })
    .set(versionKey(kind, base + 1), value)
    .set(currentKey(kind), base + 1)
    .commit();
  if (!r.ok) throw new Conflict("stale_version", "screening.stimuli.stale_version");
  return value;
}

/**
 * Saves an edit of the current set (admin) as the next version: `input` lists every picture of
 * the current set by id with its theme, order, active flag and captions (images stay). Audited as
 * `screening.stimuli.save`.
 * @throws Forbidden for a non-admin; ValidationError (shape, {@link checkSetRules}, `items` =
 *   `screening.stimuli.items_mismatch` when the ids are not exactly the current set's);
 *   Conflict `stale_version` when `baseVersion` is not the current version
 */
export async function saveStimulusSet(actor: User, input: unknown, nowMs = Date.now()): Promise<StimulusSet> {
  requireAdmin(actor);
  const edit = parseInput(stimulusSetEditSchema, input);
  const current = await getActiveStimulusSet();
  if (edit.baseVersion !== current.version) throw new Conflict("stale_version", "screening.stimuli.stale_version");
  const byId = new Map(current.items.map((s) => [s.id, s]));
  const seen = new Set(edit.items.map((e) => e.id));
  if (seen.size !== edit.items.length || seen.size !== byId.size || edit.items.some((e) => !byId.has(e.id))) {
    throw new ValidationError({ items: "screening.stimuli.items_mismatch" });
  }
  const items: Stimulus[] = edit.items.map((e) => ({
    ...byId.get(e.id)!,
    theme: e.theme,
    order: e.order,
    active: e.active,
    caption: { id: e.captionId, en: e.captionEn },
  }));
  checkSetRules(items);
  const set = await writeNext("set", current.version, (version) => ({
    version,
    items,
    createdAt: new Date(nowMs).toISOString(),
    createdBy: actor.id,
  }));
  await audit(actor.id, "screening.stimuli.save", `screening_set:${set.version}`, {
    version: set.version,
    active: items.filter((s) => s.active).length,
  });
  return set;
}

/**
 * Adds an uploaded picture (a stored file of kind `screening_stimulus`, PNG or JPEG) to the set as
 * the next version (admin). With `replace`, it takes the order and the active place of the active
 * picture of its theme (which stays in the set, inactive); otherwise it is added inactive at the
 * end. Audited as `screening.stimuli.upload`.
 * @throws Forbidden for a non-admin; ValidationError (`fileId` = `files.not_found` when there is no
 *   such stimulus file; `items` = `screening.stimuli.too_many` past {@link MAX_ITEMS} pictures or order 99); Conflict `stale_version`
 */
export async function addUploadedStimulus(actor: User, input: unknown, nowMs = Date.now()): Promise<StimulusSet> {
  requireAdmin(actor);
  const up = parseInput(stimulusUploadSchema, input);
  const file = await getFile(up.fileId);
  if (!file || file.kind !== "screening_stimulus" || file.access !== "public") {
    throw new ValidationError({ fileId: "files.not_found" });
  }
  const current = await getActiveStimulusSet();
  if (up.baseVersion !== current.version) throw new Conflict("stale_version", "screening.stimuli.stale_version");
  if (current.items.length >= MAX_ITEMS) throw new ValidationError({ items: "screening.stimuli.too_many" });
  const items = current.items.map((s) => ({ ...s }));
  const replaced = up.replace ? items.find((s) => s.active && s.theme === up.theme) : undefined;
  const maxOrder = Math.max(0, ...items.map((s) => s.order));
  const added: Stimulus = {
    id: newId(),
    theme: up.theme,
    order: replaced ? replaced.order : maxOrder + 1,
    active: Boolean(replaced),
    caption: { id: up.captionId, en: up.captionEn },
    imageUrl: `/files/${file.id}`,
  };
  if (replaced) {
    replaced.active = false;
    replaced.order = maxOrder + 1;
  }
  if (added.order > 99 || (replaced && replaced.order > 99)) {
    throw new ValidationError({ items: "screening.stimuli.too_many" });
  }
  items.push(added);
  checkSetRules(items);
  const set = await writeNext("set", current.version, (version) => ({
    version,
    items,
    createdAt: new Date(nowMs).toISOString(),
    createdBy: actor.id,
  }));
  await audit(actor.id, "screening.stimuli.upload", `screening_set:${set.version}`, {
    version: set.version,
    fileId: file.id,
    theme: up.theme,
    replace: Boolean(replaced),
  });
  return set;
}

/**
 * Saves a full mapping grid (admin) as the next version of the table. Audited as
 * `screening.mapping.save` with the number of cells changed.
 * @throws Forbidden for a non-admin; ValidationError (a missing or unknown cell, a value that is
 *   not secure/anxious/avoidant/none); Conflict `stale_version`
 */
export async function saveMappingTable(actor: User, input: unknown, nowMs = Date.now()): Promise<MappingTable> {
  requireAdmin(actor);
  const edit = parseInput(mappingEditSchema, input);
  const current = (await getMappingTable())!;
  if (edit.baseVersion !== current.version) throw new Conflict("stale_version", "screening.stimuli.stale_version");
  const votes = Object.fromEntries(
    THEMES.map((t) => [
      t,
      Object.fromEntries(EMOTIONS.map((e) => {
        const v = (edit.votes as Record<string, Record<string, string>>)[t][e];
        return [e, v === "none" ? null : v as AttachmentStyle];
      })),
    ]),
  ) as Votes;
  let changed = 0;
  for (const t of THEMES) for (const e of EMOTIONS) if (votes[t][e] !== current.votes[t][e]) changed++;
  const table = await writeNext("mapping", current.version, (version) => ({
    version,
    votes,
    createdAt: new Date(nowMs).toISOString(),
    createdBy: actor.id,
  }));
  await audit(actor.id, "screening.mapping.save", `screening_mapping:${table.version}`, {
    version: table.version,
    changed,
  });
  return table;
}

// ---------------------------------------------------------------- the API's view

/** One item of `GET /api/screening/stimuli`. */
export const stimulusItemSchema = z.object({
  id: z.string().describe("Stimulus id (quote it as `stimulusId` in POST /api/screenings)"),
  theme: themeSchema,
  imageUrl: z.string().describe("Same-origin URL of the picture (SVG, PNG or JPEG)"),
  seconds: z.number().describe("How long the picture is shown, seconds (SCREENING_STIMULUS_SECONDS)"),
  caption: z.string().describe("Caption / alt text in the request's language"),
});
/** Body of `GET /api/screening/stimuli`. */
export const stimuliResponseSchema = z.object({
  version: z.int().min(1).describe("Stimulus-set version (quote as `stimulusSetVersion`)"),
  mappingVersion: z.int().min(1).describe("Mapping-table version (quote as `mappingVersion`)"),
  items: z.array(stimulusItemSchema).describe("The active pictures, in run order"),
});
/** The body of `GET /api/screening/stimuli`. */
export type StimuliResponse = z.infer<typeof stimuliResponseSchema>;

/**
 * What a new run needs: the current set's version, the current mapping version, and the active
 * pictures in order with their URL, display seconds and caption in `lang`.
 */
export async function stimuliForRun(lang: Lang): Promise<StimuliResponse> {
  const set = await getActiveStimulusSet();
  const table = (await getMappingTable())!;
  const seconds = stimulusSeconds();
  return {
    version: set.version,
    mappingVersion: table.version,
    items: activeStimuli(set).map((s) => ({
      id: s.id,
      theme: s.theme,
      imageUrl: s.imageUrl,
      seconds,
      caption: captionOf(s, lang),
    })),
  };
}
