import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { listToday } from "@/lib/guestbook/store.ts";
import { todayLocal } from "@/lib/guestbook/time.ts";

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
