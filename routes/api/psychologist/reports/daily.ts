import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { csvResponse } from "@/lib/csv.ts";
import { reportAnswerSchema, reportFor, reportQuery } from "@/lib/workspace/http.ts";
import { reportCsv, reportCsvName } from "@/lib/workspace/reports.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `GET /api/psychologist/reports/daily?date=&format=json|csv` (psychologist, own only) —
 * the bookings starting in one local day (TIME_ZONE), a summary and a per-day breakdown;
 * `format=csv` → a `text/csv` download in the request's language.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "psychologist");
    const { report, format } = await reportFor(user, "daily", Object.fromEntries(ctx.url.searchParams));
    if (format === "csv") return csvResponse(reportCsv(report, ctx.state.lang), reportCsvName(report, ctx.state.lang));
    return Response.json(report);
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["workspace"],
    summary: "Daily report of the psychologist's sessions (JSON or CSV)",
    security: AUTH,
    query: reportQuery,
    responses: {
      200: {
        description: "The report (JSON), or its CSV with `format=csv`",
        content: { "application/json": { schema: reportAnswerSchema }, "text/csv": { schema: z.string() } },
      },
      400: "`validation_failed` (date: malformed or outside 2000–2100; format)",
      401: "Not signed in",
      403: "Role may not do this (psychologists only)",
    },
  },
});
