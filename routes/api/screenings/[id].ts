import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { AUTH, defineOpenApi, idPath, okSchema } from "@/lib/openapi/operation.ts";
import { deleteScreening, getScreeningFor } from "@/lib/screening/store.ts";
import { screeningAnswerSchema } from "@/lib/screening/http.ts";

/**
 * `GET /api/screenings/{id}` — one screening (its client; a psychologist the client booked, audited).
 * `DELETE /api/screenings/{id}` — the client deletes their own screening → `{ok: true}`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client", "psychologist", "admin");
    return Response.json({ screening: await getScreeningFor(user, ctx.params.id) });
  },
  async DELETE(ctx) {
    const user = requireRole(ctx, "client");
    await deleteScreening(user, ctx.params.id);
    return Response.json({ ok: true });
  },
});

const path = idPath("Screening id (ULID)");

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["screening"],
    summary: "One screening (its client; a psychologist the client booked — audited; never admins)",
    security: AUTH,
    path,
    responses: {
      200: { description: "The screening", schema: screeningAnswerSchema },
      401: "Not signed in",
      403: "Admins and other roles",
      404: "`screening_not_found` (also another client's, or a psychologist's without a booking)",
    },
  },
  delete: {
    tags: ["screening"],
    summary: "Delete one's own screening (client)",
    security: AUTH,
    path,
    responses: {
      200: { description: "Deleted (record and index in one commit)", schema: okSchema },
      401: "Not signed in",
      403: "Role may not do this",
      404: "`screening_not_found`",
    },
  },
});
