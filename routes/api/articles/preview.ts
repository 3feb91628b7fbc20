import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { parseInput, readBody, z } from "@/lib/validation.ts";
import { renderMarkdown } from "@/lib/articles/render.ts";
import { MAX_BODY } from "@/lib/articles/model.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";

const body = z.object({ body: z.string().max(MAX_BODY, "field.too_long") });

/**
 * `POST /api/articles/preview` (admin) `{ body }` → `{ html }`: the Markdown
 * rendered and sanitised exactly as saving would (`lib/articles/render.ts`), for
 * the editor's live preview.
 */
export const handler = define.handlers({
  async POST(ctx) {
    requireRole(ctx, "admin");
    const v = parseInput(body, await readBody(ctx.req));
    return Response.json({ html: renderMarkdown(v.body) });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["articles"],
    summary: "Preview Markdown as sanitised HTML (admin; same rendering as saving)",
    security: AUTH,
    body,
    responses: {
      200: { description: "Rendered", schema: z.object({ html: z.string() }) },
      400: "`validation_failed`",
      401: "Not signed in",
      403: "Only admins",
    },
  },
});
