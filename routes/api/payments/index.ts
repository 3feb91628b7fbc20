import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { listPayments } from "@/lib/payments/store.ts";
import { paymentView, paymentViewSchema } from "@/lib/payments/view.ts";
import { parsePaymentQuery, paymentListQuery } from "@/lib/payments/http.ts";
import { AUTH, defineOpenApi, pageOf } from "@/lib/openapi/operation.ts";

/**
 * `GET /api/payments?status=&from=&to=&cursor=&limit=` — payments newest
 * first: a client's own (as payer), a psychologist's incoming (as payee),
 * every payment for admins. → `{ items: PaymentView[], cursor }`
 * (`snapToken`/`redirectUrl` only on the caller's own payments: `paymentView`).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client", "psychologist", "admin");
    const { filter } = parsePaymentQuery(ctx.url);
    const who = user.role === "admin"
      ? { all: true }
      : user.role === "psychologist"
      ? { payeeId: user.id }
      : { payerId: user.id };
    const list = await listPayments({ ...filter, ...who });
    return Response.json({ items: list.items.map((p) => paymentView(p, user)), cursor: list.cursor });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["payments"],
    summary: "Payments, newest first (clients: their own; psychologists: paid to them; admins: all)",
    security: AUTH,
    query: paymentListQuery,
    responses: {
      200: { description: "One page", schema: pageOf(paymentViewSchema) },
      400: "`validation_failed` (status, from, to, limit) or `invalid_cursor`",
      401: "Not signed in",
      403: "Role without payments",
    },
  },
});
