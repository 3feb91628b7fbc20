import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { NotFound } from "@/lib/errors.ts";
import { parseInput, readBody } from "@/lib/validation.ts";
import { getGuest, guestPatchSchema, guestView, updateGuest } from "@/lib/guestbook/guests.ts";
import { guestViewSchema } from "@/lib/guestbook/guests.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `GET /api/guests/{id}` — one guest (receptionist/admin). → `{ guest }`.
 * `PUT /api/guests/{id}` `{ name?, phone?, email? }` (`email: ""`/null clears it) —
 * edits a guest (receptionist/admin). → `{ guest }`; 400 with field
 * `phone`/`email` when taken by another account; 404 `guest_not_found`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "receptionist", "admin");
    const g = await getGuest(ctx.params.id);
    if (!g) throw new NotFound("guest_not_found", "guestbook.guest_not_found");
    return Response.json({ guest: guestView(g) });
  },
  async PUT(ctx) {
    requireRole(ctx, "receptionist", "admin");
    const patch = parseInput(guestPatchSchema, await readBody(ctx.req));
    return Response.json({
      guest: guestView(await updateGuest(ctx.params.id, patch)),
    });
  },
});

const path = idPath("Guest id (ULID)");
const guestAnswer = (description: string) => ({ description, schema: z.object({ guest: guestViewSchema }) });

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "One guest (receptionist/admin)",
    security: AUTH,
    path,
    responses: {
      200: guestAnswer("The guest"),
      401: "Not signed in",
      403: "Role may not do this",
      404: "`guest_not_found`",
    },
  },
  put: {
    tags: ["guestbook"],
    summary: 'Edit a guest (receptionist/admin); `email: ""` or null clears it',
    security: AUTH,
    path,
    body: guestPatchSchema,
    responses: {
      200: guestAnswer("Updated"),
      400: "`validation_failed` (phone/email taken, invalid)",
      401: "Not signed in",
      403: "Role may not do this",
      404: "`guest_not_found`",
    },
  },
});
