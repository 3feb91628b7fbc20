import { define } from "@/lib/define.ts";
import { parseInput } from "@/lib/validation.ts";
import { directoryItemSchema, directoryQuerySchema, searchPsychologists } from "@/lib/psychologists/directory.ts";
import { defineOpenApi, pageOf } from "@/lib/openapi/operation.ts";

/**
 * `GET /api/psychologists?q=&category=&minRating=&minPrice=&maxPrice=&service=&availableOn=&sort=&cursor=&limit=`
 * — the directory of bookable psychologists (`searchPsychologists`). Public.
 * → `{ items: DirectoryItem[], cursor }`; every parameter bounded (400 with field errors).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const query = parseInput(directoryQuerySchema, Object.fromEntries(ctx.url.searchParams));
    return Response.json(await searchPsychologists(query, Date.now()));
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["psychologists"],
    summary: "Directory of verified psychologists: search, filters, sort (rating, price, soonest free slot)",
    query: directoryQuerySchema,
    responses: {
      200: { description: "One page", schema: pageOf(directoryItemSchema) },
      400: "`validation_failed` (a parameter out of bounds) or `invalid_cursor`",
    },
  },
});
