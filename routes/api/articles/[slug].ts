import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { NotFound } from "@/lib/errors.ts";
import { readBody, z } from "@/lib/validation.ts";
import { deleteArticle, getArticleBySlug, getPublishedArticle, updateArticle } from "@/lib/articles/store.ts";
import { articleInputSchema, articleSchema, publicArticleSchema, publicOf } from "@/lib/articles/model.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";

/**
 * `GET /api/articles/{slug}` — a published article → `{ article: PublicArticle }`
 * (an admin also gets drafts and scheduled ones, as the full `Article`); 404 otherwise.
 * `PUT` (admin, the whole article as in POST; no `slug` keeps it) → `{ article }`.
 * `DELETE` (admin) → `{ deleted: true }`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = ctx.state.user;
    if (user?.role === "admin") {
      const a = await getArticleBySlug(ctx.params.slug);
      if (a) return Response.json({ article: a });
    }
    const a = await getPublishedArticle(ctx.params.slug);
    if (!a) throw new NotFound("article_not_found", "articles.not_found");
    return Response.json({ article: publicOf(a) });
  },
  async PUT(ctx) {
    const user = requireUser(ctx);
    const article = await updateArticle(ctx.params.slug, await readBody(ctx.req), user);
    return Response.json({ article });
  },
  async DELETE(ctx) {
    const user = requireUser(ctx);
    await deleteArticle(ctx.params.slug, user);
    return Response.json({ deleted: true });
  },
});

const path = z.object({ slug: z.string().describe("Article slug") });

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["articles"],
    summary: "One published article (admins: any status, full record)",
    path,
    responses: {
      200: {
        description: "The article",
        schema: z.object({ article: z.union([publicArticleSchema, articleSchema]) }),
      },
      404: "`article_not_found` (also drafts and scheduled articles for non-admins)",
    },
  },
  put: {
    tags: ["articles"],
    summary: "Replace an article (admin); absent `slug` keeps the current one",
    security: AUTH,
    path,
    body: articleInputSchema,
    responses: {
      200: { description: "Updated", schema: z.object({ article: articleSchema }) },
      400: "`validation_failed`",
      401: "Not signed in",
      403: "Only admins write articles",
      404: "`article_not_found`",
      409: "`slug_taken` or `article_changed`",
    },
  },
  delete: {
    tags: ["articles"],
    summary: "Delete an article (admin)",
    security: AUTH,
    path,
    responses: {
      200: { description: "Deleted", schema: z.object({ deleted: z.literal(true) }) },
      401: "Not signed in",
      403: "Only admins write articles",
      404: "`article_not_found`",
      409: "`article_changed`",
    },
  },
});
