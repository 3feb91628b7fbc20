import { define } from "../../../lib/define.ts";
import { requireRole } from "../../../lib/auth/guard.ts";
import { parseInput } from "../../../lib/validation.ts";
import { csvFileName, toCsv, weeklyReport } from "../../../lib/guestbook/reports.ts";
import { csvResponse, dateParam, reportQuery, reportTeacherScope } from "../../../lib/guestbook/http.ts";
import { todayLocal } from "../../../lib/guestbook/time.ts";

const query = reportQuery.extend({ date: dateParam.optional() });

/**
 * `GET /api/reports/weekly?date=&format=json|csv&teacherId=` — report over
 * the ISO week (Monday–Sunday) containing `date` (default today): `{ kind, period: {from, to}, visits, punctualityPercent,
 * averageWaitMinutes, averageRating, topTeachers: [{id, name, appointments}], byDay, … }`.
 * Receptionist/admin: all teachers (or `teacherId`); a teacher: only their own.
 * `format=csv` → `text/csv` download in the request's language.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "teacher", "receptionist", "admin");
    const q = parseInput(query, Object.fromEntries(ctx.url.searchParams));
    const report = await weeklyReport(q.date ?? todayLocal(), {
      teacherId: reportTeacherScope(user, q.teacherId),
    });
    if (q.format === "csv") {
      return csvResponse(
        toCsv(report, ctx.state.lang),
        csvFileName(report, ctx.state.lang),
      );
    }
    return Response.json(report);
  },
});
