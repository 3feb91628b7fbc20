import { define } from "@/lib/define.ts";
import { reportQueries, reportResponse } from "@/lib/guestbook/http.ts";
import { reportSchema } from "@/lib/guestbook/reports.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `GET /api/reports/monthly?month=&format=json|csv&teacherId=` — the report over one
 * month (`month` = YYYY-MM, default this month); same shape and access rules as
 * `/api/reports/daily`. A month outside 2000-01..2100-12 → 400.
 */
export const handler = define.handlers({
  GET: (ctx) => reportResponse(ctx, "monthly"),
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "Report of one month",
    security: AUTH,
    query: reportQueries.monthly,
    responses: {
      200: {
        description: "The report (JSON) or its CSV",
        content: { "application/json": { schema: reportSchema }, "text/csv": { schema: z.string() } },
      },
      400: "`validation_failed` (month: malformed or outside 2000–2100; format, teacherId)",
      401: "Not signed in",
      403: "Role may not do this",
    },
  },
});
