import { define } from "@/lib/define.ts";
import { visitsQuery, visitsResponse } from "@/lib/guestbook/http.ts";
import { visitsResponseSchema } from "@/lib/guestbook/visits.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `GET /api/appointments/visits?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=csv][&teacherId=]`
 * — one row per appointment of the range (at most 366 days): date, scheduled
 * time, guest, teacher, purpose, status, arrival, picked up, waiting minutes,
 * punctuality, rating. Teacher (own), receptionist, admin. 422 for bad ranges.
 */
export const handler = define.handlers({
  GET: (ctx) => visitsResponse(ctx),
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "One row per appointment of a date range (at most 366 days), as JSON or CSV",
    security: AUTH,
    query: visitsQuery,
    responses: {
      200: {
        description: "The rows (JSON) or their CSV",
        content: { "application/json": { schema: visitsResponseSchema }, "text/csv": { schema: z.string() } },
      },
      400: "`validation_failed` (bad date, `to` before `from`, more than 366 days, format, teacherId)",
      401: "Not signed in",
      403: "Role may not do this",
    },
  },
});
