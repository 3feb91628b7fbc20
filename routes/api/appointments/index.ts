import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody } from "@/lib/validation.ts";
import { parseInput } from "@/lib/validation.ts";
import { listAppointmentsFor } from "@/lib/guestbook/store.ts";
import { createAppointment } from "@/lib/guestbook/create.ts";
import { whatsappLink } from "@/lib/guestbook/delivery.ts";
import { dateParam, pageQuery } from "@/lib/guestbook/http.ts";
import { appointmentInputSchema, appointmentSchema, createdAppointmentResponseSchema } from "@/lib/guestbook/model.ts";
import { AUTH, defineOpenApi, pageOf } from "@/lib/openapi/operation.ts";

const listQuery = pageQuery.extend({ date: dateParam.optional() });

/**
 * `GET /api/appointments?date=&cursor=&limit=` — teacher: own appointments by start
 * time (optionally one day); guest: own, newest first; receptionist/admin: one day
 * (default today), all teachers. → `{ items: Appointment[], cursor }`.
 *
 * `POST /api/appointments` `{ guestName, guestPhone, guestEmail?, purpose, startsAt, teacherId? }`
 * — teacher for themself; receptionist/admin pass `teacherId`. → 201
 * `{ appointment, qrCode, guest, whatsappUrl, guestPassword? }` (`guestPassword` only
 * when the guest was created now: show it once).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "teacher", "guest", "receptionist", "admin");
    const q = parseInput(listQuery, Object.fromEntries(ctx.url.searchParams));
    const page = await listAppointmentsFor(user, {
      date: q.date,
      cursor: q.cursor ?? null,
      limit: q.limit,
    });
    return Response.json({ items: page.items, cursor: page.cursor });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "teacher", "receptionist", "admin");
    const body = await readBody(ctx.req);
    const r = await createAppointment(body, user);
    const whatsappUrl = await whatsappLink(
      r.appointment,
      r.guest.phone,
      ctx.state.lang,
    );
    return Response.json({
      appointment: r.appointment,
      qrCode: r.qrCode,
      guest: r.guest,
      whatsappUrl,
      ...(r.guestPassword ? { guestPassword: r.guestPassword } : {}),
    }, { status: 201 });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "List appointments",
    description: "Teacher: own appointments by start time (optionally one `date`). Guest: own, newest first. " +
      "Receptionist/admin: one local day (default today).",
    security: AUTH,
    query: listQuery,
    responses: {
      200: { description: "One page", schema: pageOf(appointmentSchema) },
      400: "`validation_failed`, `invalid_cursor`",
      401: "Not signed in",
      403: "Role may not do this",
    },
  },
  post: {
    tags: ["guestbook"],
    summary: "Create an appointment (teacher for themself; receptionist/admin pass teacherId)",
    description: "`startsAt`: ISO 8601 with offset (e.g. 2026-11-20T09:30:00+07:00); not in the past, at most " +
      "APPOINTMENT_MAX_DAYS_AHEAD days ahead.",
    security: AUTH,
    body: appointmentInputSchema,
    responses: {
      201: {
        description: "Created; `guestPassword` only when the guest was created now",
        schema: createdAppointmentResponseSchema,
      },
      400: "`validation_failed` with `fields` (guestName, guestPhone, guestEmail, purpose, startsAt, teacherId)",
      401: "Not signed in",
      403: "Role may not do this",
    },
  },
});
