/**
 * Storage of articles (key layout in `keys.ts`, model and rules in `model.ts`).
 *
 * Writers take the acting user and refuse anyone but an admin (`Forbidden`).
 * Each write is one atomic commit: the primary record, the slug claim
 * (`check(null)` on the new slug key) and every index copy, guarded by the
 * primary key's versionstamp, so a failed or lost write leaves nothing half-written.
 */
import { audit } from "@/lib/audit.ts";
import type { User } from "@/lib/auth/users.ts";
import { newId } from "@/lib/db/ids.ts";
import { getKv, listPage, type Page } from "@/lib/db/kv.ts";
import { BadRequest, Conflict, Forbidden, NotFound, ValidationError } from "@/lib/errors.ts";
import { parseInput } from "@/lib/validation.ts";
import { getFile } from "@/lib/files/store.ts";
import * as K from "./keys.ts";
import {
  type Article,
  articleInputSchema,
  type ArticleLang,
  type ArticleSummary,
  MAX_SLUG,
  slugSchema,
  summaryOf,
} from "./model.ts";
import { plainText, readingMinutes, renderMarkdown, slugify } from "./render.ts";

export type { Article, ArticleLang, ArticleSummary } from "./model.ts";

/** Length of a generated excerpt (characters, before the ellipsis). */
const EXCERPT_CHARS = 200;
/** Earliest and latest accepted `publishAt` (the calendar window of the app). */
const PUBLISH_MIN = Date.UTC(2000, 0, 1);
const PUBLISH_MAX = Date.UTC(2101, 0, 1);
/** Longest cursor accepted from a client. */
const MAX_CURSOR = 1000;

function requireAdmin(actor: User): void {
  if (actor.role !== "admin" || actor.status !== "active") throw new Forbidden();
}

/** The key range of published entries under `prefix` with `publishAt ≤ now`. */
function visibleRange(prefix: Deno.KvKey, now: Date): Deno.KvListSelector {
  // publishAt strings are fixed-width ISO, so [..prefix, nowIso + "\0"] is just after every entry at or before now.
  return { start: prefix, end: [...prefix, now.toISOString() + "\0"] };
}

function indexPrefix(lang: ArticleLang | undefined, tag: string | undefined): Deno.KvKey {
  if (lang && tag) return K.byLangTagPrefix(lang, tag);
  if (lang) return K.byLangPrefix(lang);
  if (tag) return K.byTagPrefix(tag);
  return K.PUBLISHED_PREFIX;
}

/**
 * Published articles visible at `now` (default: the current time), newest
 * `publishAt` first, `limit` 1..100 per page (default 10), optionally of one
 * `tag` (stored form, e.g. "self-care").
 *
 * With `lang`, the page order is: every article in `lang` (newest first), then
 * the articles in the other language (newest first). Pagination walks that one
 * order: the cursor says which of the two parts it continues (`p.` preferred
 * language, `o.` other language, followed by the KV cursor), and a page that
 * ends the first part is filled from the start of the second. So a reader
 * always sees their language first and nothing is repeated or skipped. Without
 * `lang` it is one list of both languages.
 *
 * @throws BadRequest `invalid_cursor` for a cursor this function did not return.
 * @example
 * ```ts
 * const { items, cursor } = await listPublishedArticles({ lang: "id", limit: 3 });
 * // items: the 3 newest Indonesian articles (English ones when fewer exist)
 * ```
 */
export async function listPublishedArticles(
  opts: { lang?: ArticleLang; tag?: string; cursor?: string | null; limit?: number; now?: Date } = {},
): Promise<{ items: ArticleSummary[]; cursor: string | null }> {
  const kv = await getKv();
  const now = opts.now ?? new Date();
  const limit = Math.min(100, Math.max(1, Math.trunc(opts.limit ?? 10)));
  const tag = opts.tag || undefined;
  const cursor = opts.cursor || null;
  if (cursor !== null && (cursor.length > MAX_CURSOR || !/^[po]\./.test(cursor))) {
    throw new BadRequest("invalid_cursor", "error.invalid_cursor");
  }
  if (!opts.lang) {
    if (cursor && !cursor.startsWith("p.")) throw new BadRequest("invalid_cursor", "error.invalid_cursor");
    const page = await listPage<ArticleSummary>(kv, visibleRange(indexPrefix(undefined, tag), now), {
      reverse: true,
      limit,
      cursor: cursor ? cursor.slice(2) : null,
    });
    return { items: page.items, cursor: page.cursor ? `p.${page.cursor}` : null };
  }
  const other: ArticleLang = opts.lang === "id" ? "en" : "id";
  const items: ArticleSummary[] = [];
  let phase = cursor?.startsWith("o.") ? "o" : "p";
  let kvCursor: string | null = cursor ? cursor.slice(2) || null : null;
  while (true) {
    const lang = phase === "p" ? opts.lang : other;
    const page: Page<ArticleSummary> = await listPage<ArticleSummary>(
      kv,
      visibleRange(indexPrefix(lang, tag), now),
      { reverse: true, limit: limit - items.length, cursor: kvCursor },
    );
    items.push(...page.items);
    if (page.cursor) return { items, cursor: `${phase}.${page.cursor}` };
    if (phase === "o") return { items, cursor: null };
    phase = "o";
    kvCursor = null;
    if (items.length >= limit) return { items, cursor: "o." };
  }
}

/**
 * The article with `slug` if readers may see it at `now`: published and
 * `publishAt ≤ now`. Null otherwise (drafts, scheduled, unknown, malformed slug).
 */
export async function getPublishedArticle(slug: string, now: Date = new Date()): Promise<Article | null> {
  const a = await getArticleBySlug(slug);
  if (!a || a.status !== "published" || Date.parse(a.publishAt) > now.getTime()) return null;
  return a;
}

/** The article with `slug` in any status (admin screens), or null. */
export async function getArticleBySlug(slug: string): Promise<Article | null> {
  return (await readBySlug(slug))?.value ?? null;
}

async function readBySlug(slug: string): Promise<Deno.KvEntry<Article> | null> {
  if (typeof slug !== "string" || !slugSchema.safeParse(slug).success) return null;
  const kv = await getKv();
  const id = (await kv.get<string>(K.slugKey(slug))).value;
  if (!id) return null;
  const e = await kv.get<Article>(K.articleKey(id));
  return e.value ? (e as Deno.KvEntry<Article>) : null;
}

/**
 * Every article in any status for the admin list, newest created first,
 * `limit` 1..100 (default 20).
 * @throws BadRequest `invalid_cursor`.
 */
export async function listAllArticles(
  opts: { cursor?: string | null; limit?: number } = {},
): Promise<Page<Article>> {
  return listPage<Article>(await getKv(), { prefix: K.ARTICLES_PREFIX }, { ...opts, reverse: true });
}

/**
 * Up to `limit` (default 3) other published articles sharing a tag with
 * `article`, those in the same language first, each tag's newest first (tags
 * in the article's order).
 */
export async function relatedArticles(
  article: Pick<Article, "slug" | "lang" | "tags">,
  limit = 3,
  now: Date = new Date(),
): Promise<ArticleSummary[]> {
  const kv = await getKv();
  const out: ArticleSummary[] = [];
  const seen = new Set([article.slug]);
  for (const prefixOf of [(t: string) => K.byLangTagPrefix(article.lang, t), (t: string) => K.byTagPrefix(t)]) {
    for (const tag of article.tags) {
      for await (const e of kv.list<ArticleSummary>(visibleRange(prefixOf(tag), now), { reverse: true, limit: 20 })) {
        if (out.length >= limit) return out;
        if (seen.has(e.value.slug)) continue;
        seen.add(e.value.slug);
        out.push(e.value);
      }
    }
  }
  return out;
}

/** Adds (or, with `remove`, deletes) every index copy of a published article to `op`. */
function indexOps(op: Deno.AtomicOperation, a: Article, remove = false): void {
  if (a.status !== "published") return;
  const s = summaryOf(a);
  const keys = [K.publishedKey(a.publishAt, a.id), K.byLangKey(a.lang, a.publishAt, a.id)];
  for (const t of a.tags) keys.push(K.byTagKey(t, a.publishAt, a.id), K.byLangTagKey(a.lang, t, a.publishAt, a.id));
  for (const k of keys) remove ? op.delete(k) : op.set(k, s);
}

/** Derived fields of an article from its input: rendered HTML, excerpt, reading time, publishAt. */
function derive(input: ReturnType<typeof parseArticleInput>, now: Date) {
  const bodyHtml = renderMarkdown(input.body);
  const text = plainText(bodyHtml);
  let excerpt = (input.excerpt ?? "").replace(/\s+/g, " ").trim();
  if (!excerpt) {
    excerpt = text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS).replace(/\s+\S*$/, "")}…`;
  }
  let publishAt = now.toISOString();
  if (input.publishAt) {
    const ms = Date.parse(input.publishAt);
    if (!Number.isFinite(ms) || ms < PUBLISH_MIN || ms >= PUBLISH_MAX) {
      throw new ValidationError({ publishAt: "field.invalid" });
    }
    publishAt = new Date(ms).toISOString();
  }
  return { bodyHtml, excerpt, readingMinutes: readingMinutes(text), publishAt };
}

function parseArticleInput(input: unknown) {
  return parseInput(articleInputSchema, input);
}

/** A cover must be an article cover in the file store (public by its policy). */
async function checkCover(fileId: string | null): Promise<void> {
  if (!fileId) return;
  const file = await getFile(fileId);
  if (!file || file.kind !== "article_cover") throw new ValidationError({ coverFileId: "articles.cover_invalid" });
}

/**
 * Creates an article from `input` (see `articleInputSchema`: title, lang, body
 * (Markdown), tags, status, optional slug, author (default: the admin's name),
 * excerpt, publishAt (default now), coverFileId + coverAlt).
 * Without a slug one is generated from the title ("-2", "-3", … on a clash).
 * @throws Forbidden unless `actor` is an active admin
 * @throws ValidationError for bad input (fields → i18n keys)
 * @throws Conflict `slug_taken` when a typed slug is in use
 * @example
 * ```ts
 * const a = await createArticle({ title: "Tidur", lang: "id", body: "…", status: "published" }, admin);
 * a.slug; // "tidur"
 * ```
 */
export async function createArticle(input: unknown, actor: User, now: Date = new Date()): Promise<Article> {
  requireAdmin(actor);
  const v = parseArticleInput(input);
  const d = derive(v, now);
  const coverFileId = v.coverFileId || null;
  await checkCover(coverFileId);
  const kv = await getKv();
  const id = newId(now.getTime());
  const typed = v.slug || null;
  const base = typed ?? (slugify(v.title, MAX_SLUG - 4) || "artikel");
  for (let n = 1; n <= 100; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!typed && n > 1 && (await kv.get(K.slugKey(slug))).versionstamp) continue;
    const a: Article = {
      schemaVersion: 1,
      id,
      slug,
      title: v.title,
      lang: v.lang,
      author: v.author || actor.name,
      bodySource: v.body,
      ...d,
      tags: v.tags ?? [],
      coverFileId,
      coverAlt: coverFileId ? (v.coverAlt ?? "").trim() : "",
      status: v.status,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      createdBy: actor.id,
    };
    const op = kv.atomic()
      .check({ key: K.articleKey(id), versionstamp: null })
      .check({ key: K.slugKey(slug), versionstamp: null })
      .set(K.articleKey(id), a)
      .set(K.slugKey(slug), id);
    indexOps(op, a);
    if ((await op.commit()).ok) {
      await audit(actor.id, "article.create", `article:${id}`, { slug });
      return a;
    }
    if (typed) throw new Conflict("slug_taken", "articles.slug_taken");
  }
  throw new Conflict("slug_taken", "articles.slug_taken");
}

/**
 * Replaces the article with `slug` by `input` (same shape as create; the whole
 * article is sent). An absent or empty `slug` keeps the current one (links stay
 * valid); a different slug is claimed in the same commit and the old one freed.
 * `createdAt`/`createdBy` are kept.
 * @throws Forbidden unless `actor` is an active admin
 * @throws NotFound `article_not_found`
 * @throws ValidationError for bad input
 * @throws Conflict `slug_taken`, or `article_changed` when another write won the race
 */
export async function updateArticle(
  slug: string,
  input: unknown,
  actor: User,
  now: Date = new Date(),
): Promise<Article> {
  requireAdmin(actor);
  const cur = await readBySlug(slug);
  if (!cur) throw new NotFound("article_not_found", "articles.not_found");
  const v = parseArticleInput(input);
  const d = derive(v, now);
  const coverFileId = v.coverFileId || null;
  await checkCover(coverFileId);
  const old = cur.value;
  const newSlug = v.slug || old.slug;
  const a: Article = {
    ...old,
    slug: newSlug,
    title: v.title,
    lang: v.lang,
    author: v.author || old.author,
    bodySource: v.body,
    ...d,
    tags: v.tags ?? [],
    coverFileId,
    coverAlt: coverFileId ? (v.coverAlt ?? "").trim() : "",
    status: v.status,
    updatedAt: now.toISOString(),
  };
  const kv = await getKv();
  const op = kv.atomic().check(cur);
  if (newSlug !== old.slug) {
    op.check({ key: K.slugKey(newSlug), versionstamp: null }).delete(K.slugKey(old.slug)).set(K.slugKey(newSlug), a.id);
  }
  indexOps(op, old, true);
  op.set(K.articleKey(a.id), a);
  indexOps(op, a);
  if (!(await op.commit()).ok) {
    if (newSlug !== old.slug && (await kv.get(K.slugKey(newSlug))).versionstamp) {
      throw new Conflict("slug_taken", "articles.slug_taken");
    }
    throw new Conflict("article_changed", "articles.changed");
  }
  await audit(actor.id, "article.update", `article:${a.id}`, { slug: newSlug });
  return a;
}

/**
 * Deletes the article with `slug`: record, slug and index copies in one commit.
 * (Its cover file stays in the file store.)
 * @throws Forbidden unless `actor` is an active admin
 * @throws NotFound `article_not_found`
 * @throws Conflict `article_changed` when another write won the race
 */
export async function deleteArticle(slug: string, actor: User): Promise<void> {
  requireAdmin(actor);
  const cur = await readBySlug(slug);
  if (!cur) throw new NotFound("article_not_found", "articles.not_found");
  const kv = await getKv();
  const op = kv.atomic().check(cur).delete(K.articleKey(cur.value.id)).delete(K.slugKey(cur.value.slug));
  indexOps(op, cur.value, true);
  if (!(await op.commit()).ok) throw new Conflict("article_changed", "articles.changed");
  await audit(actor.id, "article.delete", `article:${cur.value.id}`, { slug });
}
