import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { Forbidden, NotFound } from "@/lib/errors.ts";
import { isId } from "@/lib/db/ids.ts";
import { parseInput } from "@/lib/validation.ts";
import { listAppointmentsByTeacher } from "@/lib/guestbook/store.ts";
import { dateParam, pageQuery } from "@/lib/guestbook/http.ts";
import { appointmentSchema } from "@/lib/guestbook/model.ts";
import { AUTH, defineOpenApi, idPath, pageOf } from "@/lib/openapi/operation.ts";

const query = pageQuery.extend({ date: dateParam.optional() });

/**
 * `GET /api/appointments/teacher/{id}?date=&cursor=&limit=` — one teacher's
 * appointments by start time. A teacher only their own id (403 otherwise);
 * receptionist/admin any. → `{ items: Appointment[], cursor }`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "teacher", "receptionist", "admin");
    const id = ctx.params.id;
    if (user.role === "teacher" && id !== user.id) {
      throw new Forbidden(
        "not_your_appointment",
        "guestbook.not_your_appointment",
      );
    }
    if (!isId(id)) throw new NotFound("teacher_not_found", "error.not_found");
    const q = parseInput(query, Object.fromEntries(ctx.url.searchParams));
    const page = await listAppointmentsByTeacher(id, {
      date: q.date,
      cursor: q.cursor ?? null,
      limit: q.limit,
    });
    return Response.json({ items: page.items, cursor: page.cursor });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "One teacher's appointments (a teacher only their own)",
    security: AUTH,
    path: idPath("Teacher id (ULID)"),
    query,
    responses: {
      200: { description: "One page", schema: pageOf(appointmentSchema) },
      400: "`validation_failed`, `invalid_cursor`",
      401: "Not signed in",
      403: "`not_your_appointment`, or the role may not do this",
      404: "`teacher_not_found` (malformed id)",
    },
  },
});
