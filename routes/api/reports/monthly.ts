import { define } from "@/lib/define.ts";
import { reportResponse } from "@/lib/guestbook/http.ts";

/**
 * `GET /api/reports/monthly?month=&format=json|csv&teacherId=` — the report over one
 * month (`month` = YYYY-MM, default this month); same shape and access rules as
 * `/api/reports/daily`.
 */
export const handler = define.handlers({
  GET: (ctx) => reportResponse(ctx, "monthly"),
});
