import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { searchGuests } from "@/lib/guestbook/guests.ts";
import { pageQuery } from "@/lib/guestbook/http.ts";
import { guestViewSchema } from "@/lib/guestbook/guests.ts";
import { AUTH, defineOpenApi, pageOf } from "@/lib/openapi/operation.ts";

const query = pageQuery.extend({
  q: z.string().max(100, "field.too_long").optional(),
});

/**
 * `GET /api/guests/search?q=&cursor=&limit=` — guests whose name contains `q`
 * (any case) or whose phone contains it (any Indonesian format), newest first;
 * receptionist/admin. → `{ items: GuestView[], cursor }`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "receptionist", "admin");
    const q = parseInput(query, Object.fromEntries(ctx.url.searchParams));
    return Response.json(
      await searchGuests(q.q ?? "", {
        cursor: q.cursor ?? null,
        limit: q.limit,
      }),
    );
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "Search guests by name or phone (any Indonesian format) (receptionist/admin)",
    security: AUTH,
    query,
    responses: {
      200: { description: "Matches", schema: pageOf(guestViewSchema) },
      400: "`validation_failed`, `invalid_cursor`",
      401: "Not signed in",
      403: "Role may not do this",
    },
  },
});
