import { define } from "@/lib/define.ts";
import { NotFound } from "@/lib/errors.ts";
import { z } from "@/lib/validation.ts";
import { getBookablePsychologist } from "@/lib/psychologists/store.ts";
import { publicPsychologist, publicPsychologistSchema } from "@/lib/psychologists/model.ts";
import { defineOpenApi, idPath } from "@/lib/openapi/operation.ts";

/**
 * `GET /api/psychologists/{id}` — the public profile of a bookable (verified, active)
 * psychologist; 404 `psychologist_not_found` otherwise (unverified and deactivated ones too).
 * Public. → `{ psychologist: PublicPsychologist }`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const p = await getBookablePsychologist(ctx.params.id);
    if (!p) throw new NotFound("psychologist_not_found", "psy.error.not_found");
    return Response.json({ psychologist: publicPsychologist(p) });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["psychologists"],
    summary: "A verified psychologist's public profile and services",
    path: idPath("Psychologist id (their user id, a ULID)"),
    responses: {
      200: { description: "Found", schema: z.object({ psychologist: publicPsychologistSchema }) },
      404: "`psychologist_not_found` (unknown, not verified or deactivated)",
    },
  },
});
