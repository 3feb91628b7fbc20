import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { csvResponse } from "@/lib/csv.ts";
import { financeQuerySchema, financeReport, financeReportSchema, parseFinanceYear } from "@/lib/admin/finance.ts";
import { financeCsv, financeCsvName } from "@/lib/admin/exports.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";
import { parseInput, z } from "@/lib/validation.ts";

const formatQuery = z.object({
  format: z.enum(["json", "csv"], "field.invalid_choice").optional().describe("`csv`: a text/csv download"),
});
const query = financeQuerySchema.extend(formatQuery.shape);

/**
 * `GET /api/admin/finance?year=&format=` (admin) → `{year, months: [{month, grossIdr, commissionIdr,
 * payoutIdr, refundIdr, netIdr, payments, refunds}], totals}`, months local (TIME_ZONE).
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    const year = parseFinanceYear(ctx.url.searchParams);
    const { format } = parseInput(formatQuery, { format: ctx.url.searchParams.get("format") || undefined });
    const report = await financeReport(year);
    if (format === "csv") return csvResponse(financeCsv(report, ctx.state.lang), financeCsvName(year, ctx.state.lang));
    return Response.json(report);
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["admin"],
    summary: "Financial report of a year by month (admin)",
    description: "A payment counts in the month it was paid, a refund in the month it was made, where it " +
      "takes back its commission and payout: commissionIdr + payoutIdr = grossIdr − refundIdr every month.",
    security: AUTH,
    query,
    responses: {
      200: {
        description: "The report, or its CSV",
        content: { "application/json": { schema: financeReportSchema }, "text/csv": { schema: z.string() } },
      },
      400: "`validation_failed` (year not an integer 2000–2100, format)",
      401: "Not signed in",
      403: "Not an admin",
    },
  },
});
