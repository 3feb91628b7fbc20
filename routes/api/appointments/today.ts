import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { listToday } from "@/lib/guestbook/store.ts";
import { todayLocal } from "@/lib/guestbook/time.ts";
import { appointmentSchema } from "@/lib/guestbook/model.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";
import { calendarDate, z } from "@/lib/validation.ts";

/**
 * `GET /api/appointments/today` — today's appointments (local day in `TIME_ZONE`),
 * sorted by start time: all for receptionist/admin, own for teacher/guest.
 * → `{ date, items: Appointment[] }`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "teacher", "guest", "receptionist", "admin");
    const now = new Date();
    return Response.json({
      date: todayLocal(now),
      items: await listToday(user, now),
    });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "Today's appointments (all for staff, own for teacher/guest), by start time",
    security: AUTH,
    responses: {
      200: { description: "Today's list", schema: z.object({ date: calendarDate, items: z.array(appointmentSchema) }) },
      401: "Not signed in",
      403: "Role may not do this",
    },
  },
});
