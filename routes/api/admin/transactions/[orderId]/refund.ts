import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody, z } from "@/lib/validation.ts";
import { completeRefund, refundInputSchema, refundResultSchema } from "@/lib/admin/refunds.ts";
import { ORDER_ID_RE } from "@/lib/payments/midtrans.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";

/**
 * `POST /api/admin/transactions/{orderId}/refund {confirm: true, mode?, reference?}` (admin) →
 * `{result, orderId, paymentStatus, bookingId, refundStatus}`: refunds the payment in full
 * (Midtrans, or `manual` when it was paid back by bank transfer) and marks the booking's due
 * refund done, in one commit; audited; a second call answers `already_done`.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const admin = requireRole(ctx, "admin");
    return Response.json(await completeRefund(admin, ctx.params.orderId, await readBody(ctx.req)));
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["admin"],
    summary: "Refund a payment whose booking has a refund due and mark the refund done (admin)",
    description: "Idempotent: a payment already refunded answers 200 `already_done` and changes nothing. " +
      "Midtrans cannot refund bank transfers / virtual accounts: pay back by transfer and use `mode: manual`.",
    security: AUTH,
    path: z.object({ orderId: z.string().regex(ORDER_ID_RE).describe("Midtrans order id") }),
    body: refundInputSchema,
    responses: {
      200: { description: "Refunded, already done, or requested at Midtrans", schema: refundResultSchema },
      400: "`validation_failed` (confirm missing, mode, reference required for manual)",
      401: "Not signed in",
      403: "Not an admin",
      404: "`payment_not_found`",
      409: "`refund_not_due`, `payment_not_paid`, `payment_busy`",
      503: "`refund_provider_failed`: Midtrans refused or could not be reached; nothing changed",
    },
  },
});
