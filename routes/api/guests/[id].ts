import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { NotFound } from "@/lib/errors.ts";
import { parseInput, readBody } from "@/lib/validation.ts";
import { getGuest, guestPatchSchema, guestView, updateGuest } from "@/lib/guestbook/guests.ts";

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
