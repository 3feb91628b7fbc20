import { define } from "@/lib/define.ts";
import { reportQueries, reportResponse } from "@/lib/guestbook/http.ts";
import { reportSchema } from "@/lib/guestbook/reports.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `GET /api/reports/daily?date=&format=json|csv&teacherId=` — report over one local
 * day (`date` = YYYY-MM-DD, default today): `{ kind, period: {from, to}, visits,
 * punctualityPercent, averageWaitMinutes, averageRating, topTeachers: [{id, name,
 * appointments}], byDay, … }`. Receptionist/admin: all teachers (or `teacherId`);
 * a teacher: only their own. `format=csv` → `text/csv` download in the request's language.
 * A date outside the years 2000–2100 → 400 (`field.date_out_of_range`).
 */
export const handler = define.handlers({
  GET: (ctx) => reportResponse(ctx, "daily"),
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "Report of one day",
    security: AUTH,
    query: reportQueries.daily,
    responses: {
      200: {
        description: "The report (JSON) or its CSV",
        content: { "application/json": { schema: reportSchema }, "text/csv": { schema: z.string() } },
      },
      400: "`validation_failed` (date: malformed or outside 2000–2100; format, teacherId)",
      401: "Not signed in",
      403: "Role may not do this",
    },
  },
});
