/**
 * The two report routes, `GET /api/psychologist/reports/daily` and `…/weekly` (psychologist, own only): one
 * handler and one OpenAPI description, differing only in the period (docs/domain-rules.md "Psychologist workspace").
 * `format=csv` answers a `text/csv` download in the request's language.
 */
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { csvResponse } from "@/lib/csv.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";
import { reportAnswerSchema, reportFor, reportQuery } from "./http.ts";
import { reportCsv, reportCsvName } from "./reports.ts";

/** Handlers of the `period` report route: the bookings starting in one local day, or in the ISO week of the date. */
export function reportHandlers(period: "daily" | "weekly") {
  return define.handlers({
    async GET(ctx) {
      const user = requireRole(ctx, "psychologist");
      const { report, format } = await reportFor(user, period, Object.fromEntries(ctx.url.searchParams));
      if (format === "csv") {
        return csvResponse(reportCsv(report, ctx.state.lang), reportCsvName(report, ctx.state.lang));
      }
      return Response.json(report);
    },
  });
}

/** OpenAPI description of the `period` report route (docs/openapi.md). */
export function reportOpenApi(period: "daily" | "weekly") {
  return defineOpenApi({
    get: {
      tags: ["workspace"],
      summary: `${period === "daily" ? "Daily" : "Weekly (ISO week, Monday–Sunday)"} report of the psychologist's ` +
        "sessions (JSON or CSV)",
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
}
