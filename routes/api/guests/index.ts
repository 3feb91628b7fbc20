import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { parseInput, readBody } from "@/lib/validation.ts";
import { findOrCreateGuest, guestInputSchema, guestView, searchGuests } from "@/lib/guestbook/guests.ts";
import { pageQuery } from "@/lib/guestbook/http.ts";

/**
 * `GET /api/guests?cursor=&limit=` — all guests, newest first (receptionist/admin).
 * → `{ items: GuestView[], cursor }`.
 *
 * `POST /api/guests` `{ name, phone, email? }` — finds the guest by phone or creates
 * one (teacher/receptionist/admin). → 201 `{ guest, password }` when created (show the
 * generated portal password once), 200 `{ guest }` when the phone was known.
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
    requireRole(ctx, "teacher", "receptionist", "admin");
    const data = parseInput(guestInputSchema, await readBody(ctx.req));
    const r = await findOrCreateGuest(data);
    if (r.created) {
      return Response.json(
        { guest: guestView(r.guest), password: r.password },
        { status: 201 },
      );
    }
    return Response.json({ guest: guestView(r.guest) });
  },
});
