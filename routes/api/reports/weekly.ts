import { define } from "@/lib/define.ts";
import { reportResponse } from "@/lib/guestbook/http.ts";

/**
 * `GET /api/reports/weekly?date=&format=json|csv&teacherId=` — the report over the
 * ISO week (Monday–Sunday) containing `date` (default today); same shape and
 * access rules as `/api/reports/daily`.
 */
export const handler = define.handlers({
  GET: (ctx) => reportResponse(ctx, "weekly"),
});
