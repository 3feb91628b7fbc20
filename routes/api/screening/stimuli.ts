import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { stimuliForRun, stimuliResponseSchema } from "@/lib/screening/stimuli.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";

/**
 * `GET /api/screening/stimuli` — what a new screening run shows and must quote: `{version,
 * mappingVersion, items: [{id, theme, imageUrl, seconds, caption}]}`, the active pictures of the
 * current set in run order, captions in the request's language (lib/screening/stimuli.ts
 * `stimuliForRun`). Signed-in clients (who run screenings) and admins (who manage the set).
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "client", "admin");
    return Response.json(await stimuliForRun(ctx.state.lang), { headers: { "cache-control": "private, no-store" } });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["screening"],
    summary: "The current screening pictures (active, in order) and the set and mapping versions to quote",
    security: AUTH,
    responses: {
      200: { description: "The current set", schema: stimuliResponseSchema },
      401: "Not signed in",
      403: "Only clients (and admins) read the screening pictures",
    },
  },
});
