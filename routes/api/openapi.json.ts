import { define } from "@/lib/define.ts";
import { openApiDocument } from "@/lib/openapi/mod.ts";

/** `GET /api/openapi.json` — the OpenAPI 3.1 description of the JSON API (generated: docs/openapi.md). */
export const handler = define.handlers({
  GET() {
    return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
  },
});
