import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { readBody, z } from "@/lib/validation.ts";
import { receiptFromInput, receiptSchema } from "@/lib/chat/http.ts";
import { receiptInputSchema } from "@/lib/chat/model.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";

/**
 * `POST /api/bookings/{id}/chat/delivered {upTo}` — the caller's client received (delivered: ✓✓) every message of the
 * other side with seq ≤ upTo → `{receipt}`. Idempotent; the sender's stream gets an `event: receipts`.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireUser(ctx);
    return Response.json(await receiptFromInput(user, ctx.params.id, "delivered", await readBody(ctx.req)));
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["chat"],
    summary: "Receipt: delivered up to a seq",
    description: "Sets `deliveredAt` on the other side's messages up to `upTo` (clamped to the newest) that lack it. " +
      "A watermark never moves back.",
    security: AUTH,
    path: idPath("Booking id (ULID)"),
    body: receiptInputSchema,
    responses: {
      200: { description: "The caller's receipt", schema: z.object({ receipt: receiptSchema }) },
      400: "`validation_failed` (upTo)",
      401: "Not signed in",
      403: "`chat_private` (admins)",
      404: "`booking_not_found`",
      409: "`chat_busy`",
    },
  },
});
