/**
 * Key layout of the articles capability in Deno KV — the one place it is
 * written down. Every function in `lib/articles/` builds its keys here.
 *
 * - `["articles", id]`                                → Article (primary, full record with Markdown source)
 * - `["article_slugs", slug]`                         → id (unique slug; claimed with `check(null)` in the
 *   same atomic commit that writes the article)
 * - `["articles_published", publishAt, id]`           → ArticleSummary (every published article,
 *   scheduled ones too; readers list the range `publishAt ≤ now`)
 * - `["articles_by_lang", lang, publishAt, id]`       → ArticleSummary
 * - `["articles_by_tag", tag, publishAt, id]`         → ArticleSummary
 * - `["articles_by_lang_tag", lang, tag, publishAt, id]` → ArticleSummary
 *
 * `publishAt` is a UTC ISO string from `Date#toISOString` (fixed width), so key
 * order is time order. Drafts have only the primary and slug keys. Every copy
 * of an article is written (and removed) in one atomic commit guarded by the
 * primary key's versionstamp.
 */

/** Top-level KV key prefixes owned by articles (checked by tests/kv_prefixes_test.ts). */
export const ARTICLES_PREFIXES: readonly string[] = [
  "articles",
  "article_slugs",
  "articles_published",
  "articles_by_lang",
  "articles_by_tag",
  "articles_by_lang_tag",
];

/** Primary key of an article. */
export const articleKey = (id: string): Deno.KvKey => ["articles", id];
/** Prefix of every article (admin list, oldest first by ULID). */
export const ARTICLES_PREFIX: Deno.KvKey = ["articles"];
/** Slug → id. */
export const slugKey = (slug: string): Deno.KvKey => ["article_slugs", slug];
/** Published index entry. */
export const publishedKey = (publishAt: string, id: string): Deno.KvKey => ["articles_published", publishAt, id];
/** Prefix of the published index. */
export const PUBLISHED_PREFIX: Deno.KvKey = ["articles_published"];
/** Published-by-language index entry. */
export const byLangKey = (lang: string, publishAt: string, id: string): Deno.KvKey => [
  "articles_by_lang",
  lang,
  publishAt,
  id,
];
/** Prefix of one language's published index. */
export const byLangPrefix = (lang: string): Deno.KvKey => ["articles_by_lang", lang];
/** Published-by-tag index entry. */
export const byTagKey = (tag: string, publishAt: string, id: string): Deno.KvKey => [
  "articles_by_tag",
  tag,
  publishAt,
  id,
];
/** Prefix of one tag's published index. */
export const byTagPrefix = (tag: string): Deno.KvKey => ["articles_by_tag", tag];
/** Published-by-language-and-tag index entry. */
export const byLangTagKey = (lang: string, tag: string, publishAt: string, id: string): Deno.KvKey => [
  "articles_by_lang_tag",
  lang,
  tag,
  publishAt,
  id,
];
/** Prefix of one language's entries of one tag. */
export const byLangTagPrefix = (lang: string, tag: string): Deno.KvKey => ["articles_by_lang_tag", lang, tag];
