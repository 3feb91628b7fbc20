import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { parseInput, readBody } from "@/lib/validation.ts";
import { findOrCreateGuest, guestInputSchema, guestView, guestViewFor, searchGuests } from "@/lib/guestbook/guests.ts";
import { pageQuery } from "@/lib/guestbook/http.ts";
import { guestForRoleSchema, guestViewSchema } from "@/lib/guestbook/guests.ts";
import { AUTH, defineOpenApi, pageOf } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `GET /api/guests?cursor=&limit=` — all guests, newest first (receptionist/admin).
 * → `{ items: GuestView[], cursor }`.
 *
 * `POST /api/guests` `{ name, phone, email? }` — finds the guest by phone or creates
 * one (teacher/receptionist/admin). → 201 `{ guest, password }` when created (show the
 * generated portal password once), 200 `{ guest }` when the phone was known. A teacher
 * gets only `{ id, name (as typed), phone }` and never changes a known guest; the desk
 * gets the whole guest and fills an empty e-mail (rules: lib/guestbook/guests.ts).
 * A phone of a staff/client account: 400, field `phone` = `guestbook.phone_unavailable`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "receptionist", "admin");
    const q = parseInput(pageQuery, Object.fromEntries(ctx.url.searchParams));
    return Response.json(
      await searchGuests("", { cursor: q.cursor ?? null, limit: q.limit }),
    );
  },
  async POST(ctx) {
    const user = requireRole(ctx, "teacher", "receptionist", "admin");
    const data = parseInput(guestInputSchema, await readBody(ctx.req));
    const r = await findOrCreateGuest(data, { role: user.role });
    const guest = guestViewFor(user.role, guestView(r.guest), data.name);
    if (r.created) return Response.json({ guest, password: r.password }, { status: 201 });
    return Response.json({ guest });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "All guests, newest first (receptionist/admin)",
    security: AUTH,
    query: pageQuery,
    responses: {
      200: { description: "One page", schema: pageOf(guestViewSchema) },
      400: "`validation_failed`, `invalid_cursor`",
      401: "Not signed in",
      403: "Role may not do this",
    },
  },
  post: {
    tags: ["guestbook"],
    summary: "Find a guest by phone or create one (teacher/receptionist/admin)",
    security: AUTH,
    body: guestInputSchema,
    responses: {
      200: {
        description: "Known guest (a teacher gets only id, the typed name and phone)",
        schema: z.object({ guest: guestForRoleSchema }),
      },
      201: {
        description: "Created",
        schema: z.object({
          guest: guestForRoleSchema,
          password: z.string().describe("Generated portal password (shown once)"),
        }),
      },
      400: "`validation_failed` (field `phone`: `guestbook.phone_invalid` / `guestbook.phone_unavailable`)",
      401: "Not signed in",
      403: "Role may not do this",
    },
  },
});
