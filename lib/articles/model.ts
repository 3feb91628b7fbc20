/**
 * The article model: the stored record, the summary that listings answer, and
 * the zod schemas of the admin request bodies. No storage here (`store.ts`).
 *
 * Rules (docs/domain-rules.md, "Articles"):
 * - only admins create, change or delete articles; readers see an article only
 *   when `status` is `published` and `publishAt ≤ now` (a future `publishAt`
 *   schedules it; drafts and scheduled articles answer 404 to everyone else);
 * - the slug is generated from the title (unique, a number appended on a clash)
 *   or typed by the admin (must be unique: 409 `slug_taken`);
 * - Markdown is rendered and sanitised at save time (`render.ts`), the source is kept;
 * - a cover image needs alt text.
 */
import { instant, ulid, z } from "@/lib/validation.ts";

/** Languages an article is written in (the UI languages). */
export const articleLangSchema = z.enum(["id", "en"], "field.invalid_choice");
/** An article's language. */
export type ArticleLang = z.infer<typeof articleLangSchema>;
/** Draft (only admins see it) or published (visible from `publishAt`). */
export const articleStatusSchema = z.enum(["draft", "published"], "field.invalid_choice");
/** An article's status. */
export type ArticleStatus = z.infer<typeof articleStatusSchema>;

/** Longest title (characters). */
export const MAX_TITLE = 160;
/** Longest Markdown body (characters). */
export const MAX_BODY = 40_000;
/** Longest excerpt (characters). */
export const MAX_EXCERPT = 300;
/** Most tags per article. */
export const MAX_TAGS = 8;
/** Longest tag (characters). */
export const MAX_TAG = 30;
/** Longest author name (characters). */
export const MAX_AUTHOR = 100;
/** Longest slug (characters). */
export const MAX_SLUG = 80;

/** A slug: lower-case ASCII letters and digits in hyphen-separated words. */
export const slugSchema = z.string().max(MAX_SLUG, "field.too_long").regex(
  /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
  "articles.slug_invalid",
);

/** A tag as stored: lower-case letters, digits and hyphens (the input is folded to this). */
export const tagSchema = z.string().min(1).max(MAX_TAG).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);

/** An article as stored (OpenAPI component `Article`). */
export const articleSchema = z.object({
  schemaVersion: z.literal(1),
  id: ulid,
  slug: slugSchema,
  title: z.string(),
  lang: articleLangSchema,
  author: z.string(),
  bodySource: z.string().describe("Markdown as the admin wrote it"),
  bodyHtml: z.string().describe("Sanitised HTML rendered from bodySource at save time"),
  excerpt: z.string().describe("Plain-text summary (given, or the start of the body)"),
  tags: z.array(tagSchema),
  coverFileId: ulid.nullable().describe("Cover image in the file store (public)"),
  coverAlt: z.string(),
  status: articleStatusSchema,
  publishAt: instant.describe("Visible to readers from this instant (UTC) when published"),
  createdAt: instant,
  updatedAt: instant,
  createdBy: ulid,
  readingMinutes: z.number().int().min(1),
});
/** A stored article. */
export type Article = z.infer<typeof articleSchema>;

/** What listings answer (OpenAPI component `ArticleSummary`). */
export const articleSummarySchema = z.object({
  slug: slugSchema,
  title: z.string(),
  lang: articleLangSchema,
  excerpt: z.string(),
  coverUrl: z.string().nullable().describe("Path of the cover image, or null"),
  coverAlt: z.string(),
  publishAt: instant,
  tags: z.array(tagSchema),
  readingMinutes: z.number().int().min(1),
});
/** One article in a listing. */
export type ArticleSummary = z.infer<typeof articleSummarySchema>;

/** The public view of one article (`GET /api/articles/{slug}`): no Markdown source, no internal ids. */
export const publicArticleSchema = articleSummarySchema.extend({
  author: z.string(),
  bodyHtml: z.string(),
  updatedAt: instant,
});
/** A published article as readers get it. */
export type PublicArticle = z.infer<typeof publicArticleSchema>;

/** Path of a file in the file store (served by `routes/files/[id].ts`). */
export function fileUrl(fileId: string): string {
  return `/files/${fileId}`;
}

/** The listing view of an article. */
export function summaryOf(a: Article): ArticleSummary {
  return {
    slug: a.slug,
    title: a.title,
    lang: a.lang,
    excerpt: a.excerpt,
    coverUrl: a.coverFileId ? fileUrl(a.coverFileId) : null,
    coverAlt: a.coverAlt,
    publishAt: a.publishAt,
    tags: a.tags,
    readingMinutes: a.readingMinutes,
  };
}

/** The reader view of an article. */
export function publicOf(a: Article): PublicArticle {
  return { ...summaryOf(a), author: a.author, bodyHtml: a.bodyHtml, updatedAt: a.updatedAt };
}

/** Folds one typed tag to the stored form ("Self Care" → "self-care"); "" when nothing is left. */
export function foldTag(tag: string): string {
  return tag.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, MAX_TAG).replace(/-+$/g, "");
}

/** Tags as typed: an array, or one comma-separated string (forms); folded, de-duplicated, at most {@link MAX_TAGS}. */
const tagsInput = z.union([z.array(z.string().max(200, "field.too_long")).max(50), z.string().max(2000)])
  .transform((v, ctx) => {
    const list = (typeof v === "string" ? v.split(",") : v).map((t) => t.trim()).filter((t) => t !== "");
    const out: string[] = [];
    for (const t of list) {
      const f = foldTag(t);
      if (!f) {
        ctx.addIssue({ code: "custom", message: "articles.tag_invalid" });
        return z.NEVER;
      }
      if (!out.includes(f)) out.push(f);
    }
    if (out.length > MAX_TAGS) {
      ctx.addIssue({ code: "custom", message: "articles.too_many_tags" });
      return z.NEVER;
    }
    return out;
  });

/** Trimmed one-line text: control characters and line breaks become spaces. */
const line = (max: number) =>
  // deno-lint-ignore no-control-regex -- control characters are what this removes
  z.string().transform((s) => s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim()).pipe(
    z.string().min(1, "field.required").max(max, "field.too_long"),
  );

/** `publishAt` input: an ISO 8601 instant with `Z` or an offset (forms convert their local time first); empty or absent = now. */
const publishAtInput = z.union([z.iso.datetime({ offset: true }), z.literal("")]).optional();

/**
 * Body of `POST /api/articles` and of the admin "new article" form. `body` is
 * Markdown; `slug` is optional (generated from the title when absent or empty);
 * `publishAt` defaults to now; `coverAlt` is required when `coverFileId` is set.
 */
export const articleInputSchema = z.object({
  title: line(MAX_TITLE),
  slug: z.union([slugSchema, z.literal("")]).optional(),
  lang: articleLangSchema,
  author: z.union([z.literal(""), line(MAX_AUTHOR)]).optional(),
  body: z.string().max(MAX_BODY, "field.too_long").refine((s) => s.trim() !== "", "field.required"),
  excerpt: z.string().max(MAX_EXCERPT, "field.too_long").optional(),
  tags: tagsInput.optional(),
  status: articleStatusSchema,
  publishAt: publishAtInput,
  coverFileId: z.union([ulid, z.literal(""), z.null()]).optional(),
  coverAlt: z.string().max(200, "field.too_long").optional(),
}).superRefine((v, ctx) => {
  if (v.coverFileId && !(v.coverAlt ?? "").trim()) {
    ctx.addIssue({ code: "custom", path: ["coverAlt"], message: "articles.cover_alt_required" });
  }
});
/** Parsed article input. */
export type ArticleInput = z.infer<typeof articleInputSchema>;
