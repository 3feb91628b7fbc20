import { define } from "@/lib/define.ts";
import { reportQueries, reportResponse } from "@/lib/guestbook/http.ts";
import { reportSchema } from "@/lib/guestbook/reports.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `GET /api/reports/weekly?date=|week=&format=json|csv&teacherId=` — the report over
 * the ISO week (Monday–Sunday) given by `week` (`YYYY-Www`, what `<input type="week">`
 * sends) or containing `date` (default today); same shape and access rules as
 * `/api/reports/daily`. Dates and weeks outside the years 2000–2100 → 400.
 */
export const handler = define.handlers({
  GET: (ctx) => reportResponse(ctx, "weekly"),
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "Report of the ISO week (Monday–Sunday) `week`, or the one containing `date`",
    security: AUTH,
    query: reportQueries.weekly,
    responses: {
      200: {
        description: "The report (JSON) or its CSV",
        content: { "application/json": { schema: reportSchema }, "text/csv": { schema: z.string() } },
      },
      400: "`validation_failed` (date/week: malformed or outside 2000–2100; format, teacherId)",
      401: "Not signed in",
      403: "Role may not do this",
    },
  },
});
