import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody } from "@/lib/validation.ts";
import { registerWalkIn } from "@/lib/guestbook/create.ts";

/**
 * `POST /api/appointments/walk-in` `{ guestName, guestPhone, guestEmail?, purpose, teacherId }`
 * — receptionist or admin: registers and checks in at once (time = now), the teacher
 * is notified in the same commit. → 201 `{ appointment, qrCode, guest, guestPassword? }`.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireRole(ctx, "receptionist", "admin");
    const r = await registerWalkIn(await readBody(ctx.req), user);
    return Response.json({
      appointment: r.appointment,
      qrCode: r.qrCode,
      guest: r.guest,
      ...(r.guestPassword ? { guestPassword: r.guestPassword } : {}),
    }, { status: 201 });
  },
});
