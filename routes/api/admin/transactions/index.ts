import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { csvResponse } from "@/lib/csv.ts";
import {
  exportTransactions,
  listTransactions,
  parseTransactionsQuery,
  transactionsPageSchema,
  transactionsQuerySchema,
} from "@/lib/admin/transactions.ts";
import { transactionsCsv, transactionsCsvName } from "@/lib/admin/exports.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/**
 * `GET /api/admin/transactions?status=&method=&from=&to=&psychologistId=&refund=&cursor=&limit=&format=`
 * (admin) → `{items, cursor, totals}`: payments newest first, totals over every match;
 * `format=csv` → every match as CSV.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    const q = parseTransactionsQuery(ctx.url.searchParams);
    if (q.format === "csv") {
      const rows = await exportTransactions(q);
      return csvResponse(transactionsCsv(rows, ctx.state.lang), transactionsCsvName(q, ctx.state.lang));
    }
    return Response.json(await listTransactions(q));
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["admin"],
    summary: "Transactions with filters and totals (admin)",
    description: "Days are local (TIME_ZONE) creation days, both included. Totals cover every page: " +
      "grossIdr = commissionIdr + payoutIdr + refundedIdr; refunds due are owed on paid payments.",
    security: AUTH,
    query: transactionsQuerySchema,
    responses: {
      200: {
        description: "One page and the totals, or the CSV",
        content: { "application/json": { schema: transactionsPageSchema }, "text/csv": { schema: z.string() } },
      },
      400:
        "`validation_failed` (dates malformed, outside 2000–2100 or reversed; status, method, limit; CSV over 20,000 rows), `invalid_cursor`",
      401: "Not signed in",
      403: "Not an admin",
    },
  },
});
