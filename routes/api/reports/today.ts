import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { todayDashboard } from "@/lib/guestbook/reports.ts";

/**
 * `GET /api/reports/today` — the desk dashboard: `{ date, total, guests, counts (per
 * status), late, topTeacher, appointments }`. Receptionist/admin: everyone; a
 * teacher: their own.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "teacher", "receptionist", "admin");
    return Response.json(
      await todayDashboard(new Date(), {
        teacherId: user.role === "teacher" ? user.id : undefined,
      }),
    );
  },
});
