import { define } from "@/lib/define.ts";
import { reportResponse } from "@/lib/guestbook/http.ts";

/**
 * `GET /api/reports/daily?date=&format=json|csv&teacherId=` — report over one local
 * day (`date` = YYYY-MM-DD, default today): `{ kind, period: {from, to}, visits,
 * punctualityPercent, averageWaitMinutes, averageRating, topTeachers: [{id, name,
 * appointments}], byDay, … }`. Receptionist/admin: all teachers (or `teacherId`);
 * a teacher: only their own. `format=csv` → `text/csv` download in the request's language.
 */
export const handler = define.handlers({
  GET: (ctx) => reportResponse(ctx, "daily"),
});
