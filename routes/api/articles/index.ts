import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { readBody, z } from "@/lib/validation.ts";
import { createArticle, listPublishedArticles } from "@/lib/articles/store.ts";
import { articleInputSchema, articleSchema, articleSummarySchema } from "@/lib/articles/model.ts";
import { articleListQuery, parseListQuery } from "@/lib/articles/http.ts";
import { AUTH, defineOpenApi, pageOf } from "@/lib/openapi/operation.ts";

/**
 * `GET /api/articles?tag=&lang=&cursor=&limit=` — published articles, newest
 * first; with `lang` that language's first (`listPublishedArticles`). Public.
 * → `{ items: ArticleSummary[], cursor }`.
 * `POST /api/articles` (admin) `{ title, lang, body, tags, status, publishAt?, slug?, author?,
 * excerpt?, coverFileId?, coverAlt? }` → 201 `{ article }`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const q = parseListQuery(ctx.url);
    const page = await listPublishedArticles({ lang: q.lang, tag: q.tag, cursor: q.cursor, limit: q.limit ?? 10 });
    return Response.json(page);
  },
  async POST(ctx) {
    const user = requireUser(ctx);
    const article = await createArticle(await readBody(ctx.req), user);
    return Response.json({ article }, { status: 201 });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["articles"],
    summary: "Published articles, newest first (with `lang`: that language first, then the other)",
    query: articleListQuery,
    responses: {
      200: { description: "One page", schema: pageOf(articleSummarySchema) },
      400: "`validation_failed` (limit, lang) or `invalid_cursor`",
    },
  },
  post: {
    tags: ["articles"],
    summary: "Write an article (admin); Markdown body, sanitised HTML stored",
    security: AUTH,
    body: articleInputSchema,
    responses: {
      201: { description: "Created", schema: z.object({ article: articleSchema }) },
      400: "`validation_failed`",
      401: "Not signed in",
      403: "Only admins write articles",
      409: "`slug_taken`",
    },
  },
});
