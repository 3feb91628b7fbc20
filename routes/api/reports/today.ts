import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { todayDashboard } from "@/lib/guestbook/reports.ts";
import { todayDashboardSchema } from "@/lib/guestbook/reports.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";

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

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "Today's desk dashboard (teacher: own)",
    security: AUTH,
    responses: {
      200: { description: "Dashboard", schema: todayDashboardSchema },
      401: "Not signed in",
      403: "Role may not do this",
    },
  },
});
