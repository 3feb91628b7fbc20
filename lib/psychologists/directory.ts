/**
 * The directory of bookable psychologists (docs/domain-rules.md "Psychologists
 * and directory"): search by name, filters, sorts, cursor pagination.
 *
 * How it is fast for thousands of psychologists: every listed psychologist has a
 * compact card (`["psychologist_cards", id]`, written in the profile's commit);
 * a process keeps all cards in memory and reads them again only when the
 * directory marker (`["psychologist_directory_version"]`, rewritten by every
 * card change) differs — one KV read per query otherwise. Filters and sorts run
 * in memory; the availability filters ask `availabilitySummary` (lib/availability,
 * cached; the answers for every listed psychologist are reused for
 * {@link SUMMARY_REUSE_MS}), and the page's "next free slot" only for the cards
 * shown. Measured in docs/benchmarks.md.
 *
 * The cursor is opaque (base64url JSON of the sort and the last card's sort
 * key): the next page holds the cards strictly after that key, so paging never
 * repeats or skips a card that did not change meanwhile.
 */
import { getKv } from "@/lib/db/kv.ts";
import { BadRequest } from "@/lib/errors.ts";
import { localDateParam } from "@/lib/guestbook/time.ts";
import { z } from "@/lib/validation.ts";
import { fromBase64Url, toBase64Url } from "@/lib/crypto/encoding.ts";
import { availabilitySummary } from "@/lib/availability/store.ts";
import {
  categorySchema,
  type DirectoryCard,
  directoryCardSchema,
  SERVICE_LIMITS,
  type ServiceType,
  serviceTypeSchema,
} from "./model.ts";
import * as K from "./keys.ts";

/** Sort orders of the directory. */
export const directorySortSchema = z.enum(["rating", "price", "soonest"], "field.invalid_choice");
export type DirectorySort = z.infer<typeof directorySortSchema>;

/** Largest page. */
export const DIRECTORY_MAX_LIMIT = 50;

const blank = (v: unknown) => (v === "" || v === null ? undefined : v);
const intParam = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && /^\d{1,12}$/.test(v.trim()) ? Number(v.trim()) : blank(v)),
    z.number("field.invalid_number").int("field.invalid_number").min(0, "field.invalid_number")
      .max(max, "field.invalid_number").optional(),
  );

/**
 * The directory's query (`GET /psychologists`, `GET /api/psychologists`): every
 * parameter optional and bounded; empty strings (an empty GET form field) count
 * as absent. Errors are field keys (400).
 */
export const directoryQuerySchema = z.object({
  q: z.preprocess(blank, z.string().trim().max(100, "field.too_long").optional())
    .describe("Name contains (case and accents ignored), ≤ 100 characters"),
  category: z.preprocess(blank, categorySchema.optional()),
  minRating: z.preprocess(
    (v) => (typeof v === "string" && /^\d(\.\d)?$/.test(v.trim()) ? Number(v.trim()) : blank(v)),
    z.number("field.invalid_number").min(1, "field.invalid_number").max(5, "field.invalid_number").optional(),
  ).describe("1–5, one decimal"),
  minPrice: intParam(SERVICE_LIMITS.maxPriceIdr).describe("Whole rupiah"),
  maxPrice: intParam(SERVICE_LIMITS.maxPriceIdr).describe("Whole rupiah"),
  service: z.preprocess(blank, serviceTypeSchema.optional()),
  availableOn: z.preprocess(blank, localDateParam.optional())
    .describe("Has a free slot on this local date (TIME_ZONE), 2000-01-01..2100-12-31"),
  sort: z.preprocess(blank, directorySortSchema.default("rating")),
  cursor: z.preprocess(blank, z.string().max(300, "field.invalid").optional()),
  limit: intParam(DIRECTORY_MAX_LIMIT).pipe(
    z.number().int().min(1, "field.invalid_number").default(12),
  ).describe(`1–${DIRECTORY_MAX_LIMIT}, default 12`),
}).refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, {
  message: "psy.error.price_range",
  path: ["maxPrice"],
});
export type DirectoryQuery = z.output<typeof directoryQuerySchema>;

/** One directory entry: the card, the price that matched, and when the psychologist is next free. */
export const directoryItemSchema = directoryCardSchema.extend({
  /** Cheapest service price that matched the filters (whole rupiah), or null. */
  priceFromIdr: z.int().nullable(),
  nextFreeAt: z.string().nullable().describe("Earliest free slot (ISO 8601 UTC), or null"),
  photoUrl: z.string().nullable(),
});
export type DirectoryItem = z.infer<typeof directoryItemSchema>;

/** Folds a name for search: accents removed, lower case, spaces collapsed ("Séna  Putri" → "sena putri"). */
export function foldName(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

interface Prepared {
  card: DirectoryCard;
  folded: string;
}

const caches = new WeakMap<Deno.Kv, { marker: string; cards: Prepared[] }>();

/**
 * Every listed psychologist's card, from the per-process cache when the
 * directory marker is unchanged (one KV read), else from KV.
 */
export async function allCards(): Promise<readonly Prepared[]> {
  const kv = await getKv();
  const mark = await kv.get<string>(K.directoryVersionKey());
  const marker = `${mark.versionstamp}|${mark.value}`;
  const hit = caches.get(kv);
  if (hit && hit.marker === marker) return hit.cards;
  const cards: Prepared[] = [];
  for await (const e of kv.list<DirectoryCard>({ prefix: K.cardsPrefix() }, { batchSize: 500 })) {
    cards.push({ card: e.value, folded: foldName(e.value.name) });
  }
  caches.set(kv, { marker, cards });
  return cards;
}

/**
 * How long the availability of every listed psychologist, computed for the
 * "available on" filter and the "soonest" sort, is reused (ms): 10 s. Checking
 * 2,000 psychologists' cached summaries still costs 45–140 ms, so a directory
 * query may lag a new booking or schedule change by up to this long; the booking
 * path always checks the slot itself (lib/availability `checkBookableStart`).
 */
export const SUMMARY_REUSE_MS = 10_000;

type Summaries = Map<string, { nextFreeAt: number | null; freeDates: Set<string> }>;
const summaryMemo = new WeakMap<Deno.Kv, { marker: string; at: number; map: Summaries }>();

/** The directory's summary computation now running, per KV and directory marker (single-flight). */
const summaryInFlight = new WeakMap<Deno.Kv, { marker: string; promise: Promise<Summaries> }>();

/**
 * The availability summary of every listed psychologist, reused for
 * {@link SUMMARY_REUSE_MS}. Single-flight: concurrent callers (same KV, same
 * directory marker) that find no fresh memo await the one computation already
 * running instead of each checking every psychologist again.
 */
async function allSummaries(nowMs: number): Promise<Summaries> {
  const kv = await getKv();
  const cards = await allCards();
  const marker = caches.get(kv)?.marker ?? "";
  const hit = summaryMemo.get(kv);
  if (hit && hit.marker === marker && nowMs >= hit.at && nowMs - hit.at < SUMMARY_REUSE_MS) return hit.map;
  const running = summaryInFlight.get(kv);
  if (running && running.marker === marker) return await running.promise;
  const promise = availabilitySummary(cards.map((c) => c.card.id), nowMs).then((map) => {
    summaryMemo.set(kv, { marker, at: nowMs, map });
    return map;
  }).finally(() => {
    if (summaryInFlight.get(kv)?.promise === promise) summaryInFlight.delete(kv);
  });
  summaryInFlight.set(kv, { marker, promise });
  return await promise;
}

/** Forgets the reused availability summaries (tests, benchmarks). */
export async function clearDirectorySummaries(): Promise<void> {
  const kv = await getKv();
  summaryMemo.delete(kv);
  summaryInFlight.delete(kv);
}

type SortKey = (number | string)[];

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

const FAR = Number.MAX_SAFE_INTEGER;

interface CursorData {
  s: DirectorySort;
  k: SortKey;
}

function encodeCursor(c: CursorData): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(c)));
}

function decodeCursor(s: string, sort: DirectorySort): SortKey {
  try {
    const bytes = fromBase64Url(s);
    const c = bytes ? JSON.parse(new TextDecoder().decode(bytes)) as CursorData : null;
    if (
      c && c.s === sort && Array.isArray(c.k) && c.k.length >= 2 && c.k.length <= 4 &&
      c.k.every((x) => typeof x === "number" || (typeof x === "string" && x.length <= 200))
    ) return c.k;
  } catch {
    // falls through
  }
  throw new BadRequest("invalid_cursor", "error.invalid_cursor");
}

/** Cheapest price among the card's services of `type` (any type when absent) inside [min, max], or null. */
function matchingPrice(card: DirectoryCard, type: ServiceType | undefined, min: number, max: number): number | null {
  let best: number | null = null;
  for (const s of card.services) {
    if (type && s.type !== type) continue;
    if (s.priceIdr < min || s.priceIdr > max) continue;
    if (best === null || s.priceIdr < best) best = s.priceIdr;
  }
  return best;
}

/**
 * Searches the listed (verified, active) psychologists.
 * @param query a parsed {@link directoryQuerySchema} (or the same fields)
 * @param nowMs the current instant (availability)
 * @returns `{items, cursor}`; `cursor` null on the last page
 * @throws BadRequest `invalid_cursor` (malformed, or made for another sort)
 * @example
 * ```ts
 * const page = await searchPsychologists(parseInput(directoryQuerySchema, { category: "anxiety", sort: "price" }), Date.now());
 * const next = await searchPsychologists({ ...query, cursor: page.cursor! }, Date.now());
 * ```
 */
export async function searchPsychologists(
  query: Partial<DirectoryQuery>,
  nowMs: number,
): Promise<{ items: DirectoryItem[]; cursor: string | null }> {
  const sort = query.sort ?? "rating";
  const limit = Math.min(DIRECTORY_MAX_LIMIT, Math.max(1, query.limit ?? 12));
  const q = query.q ? foldName(query.q) : "";
  const min = query.minPrice ?? 0;
  const max = query.maxPrice ?? Number.MAX_SAFE_INTEGER;
  const after = query.cursor ? decodeCursor(query.cursor, sort) : null;

  let hits: { card: DirectoryCard; folded: string; price: number | null }[] = [];
  for (const p of await allCards()) {
    const c = p.card;
    if (q && !p.folded.includes(q)) continue;
    if (query.category && !c.specialisations.includes(query.category)) continue;
    if (query.minRating !== undefined && (c.rating === null || c.rating < query.minRating)) continue;
    const price = matchingPrice(c, query.service, min, max);
    if (price === null) continue; // no service of the type in the price range (or no services at all)
    hits.push({ card: c, folded: p.folded, price });
  }

  let summary: Map<string, { nextFreeAt: number | null; freeDates: Set<string> }> | null = null;
  if (query.availableOn || sort === "soonest") {
    summary = await allSummaries(nowMs);
    if (query.availableOn) {
      const day = query.availableOn;
      hits = hits.filter((h) => summary!.get(h.card.id)?.freeDates.has(day));
    }
  }

  const keyOf = (h: (typeof hits)[number]): SortKey => {
    switch (sort) {
      case "price":
        return [h.price ?? FAR, h.folded, h.card.id];
      case "soonest":
        return [summary!.get(h.card.id)?.nextFreeAt ?? FAR, h.folded, h.card.id];
      default:
        return [-(h.card.rating ?? 0), -h.card.ratingCount, h.folded, h.card.id];
    }
  };
  const keyed = hits.map((h) => ({ h, k: keyOf(h) }));
  keyed.sort((a, b) => compareKeys(a.k, b.k));
  const start = after ? keyed.findIndex((x) => compareKeys(x.k, after) > 0) : 0;
  const slice = start < 0 ? [] : keyed.slice(start, start + limit);
  const more = start >= 0 && start + limit < keyed.length;

  const shown = summary ?? await availabilitySummary(slice.map((x) => x.h.card.id), nowMs);
  const items: DirectoryItem[] = slice.map(({ h }) => {
    const next = shown.get(h.card.id)?.nextFreeAt ?? null;
    return {
      ...h.card,
      priceFromIdr: h.price,
      nextFreeAt: next === null ? null : new Date(next).toISOString(),
      photoUrl: h.card.photoFileId ? `/files/${h.card.photoFileId}` : null,
    };
  });
  const last = slice.at(-1);
  return { items, cursor: more && last ? encodeCursor({ s: sort, k: last.k }) : null };
}
