import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { deskResetGuestPassword } from "@/lib/auth/accounts.ts";
import { guestView, guestViewSchema } from "@/lib/guestbook/guests.ts";
import { AUTH, defineOpenApi, idPath, tooManyRequests } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `POST /api/guests/{id}/reset-password` — gives a guest a new portal
 * password (receptionist/admin; audited as `guest.reset_password`; every
 * session of the guest ends). → `{ guest, password }`, shown once, sent with
 * `Cache-Control: no-store`. 404 `guest_not_found`, 429 after 10 resets of
 * one guest in an hour.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const actor = requireRole(ctx, "receptionist", "admin");
    const { guest, password } = await deskResetGuestPassword(actor, ctx.params.id);
    return Response.json({ guest: guestView(guest), password }, { headers: { "cache-control": "no-store" } });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["guestbook"],
    summary:
      "Give a guest a new portal password (receptionist/admin; audited; ends the guest's sessions). The password is in this answer only (`Cache-Control: no-store`)",
    security: AUTH,
    path: idPath("Guest id (ULID)"),
    responses: {
      200: {
        description: "New password",
        schema: z.object({ guest: guestViewSchema, password: z.string().describe("The new password, shown once") }),
      },
      401: "`unauthorized`",
      403: "`forbidden`",
      404: "`guest_not_found`",
      429: tooManyRequests("`rate_limited` (10 resets of one guest an hour)"),
    },
  },
});
