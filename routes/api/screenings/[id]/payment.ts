import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { z } from "@/lib/validation.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";
import { startPdfPayment } from "@/lib/screening/pdf.ts";

const paymentAnswerSchema = z.object({
  payment: z.object({
    orderId: z.string(),
    token: z.string().describe("Midtrans Snap token"),
    redirectUrl: z.string().describe("Snap payment page (the built-in sandbox's when MIDTRANS_ENV=builtin)"),
    grossAmount: z.int().describe("Whole rupiah"),
  }),
});

/**
 * `POST /api/screenings/{id}/payment` — the client starts (or resumes) paying for the PDF summary
 * → 201 `{payment}` (pay at `redirectUrl`).
 */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireRole(ctx, "client");
    const p = await startPdfPayment(user, ctx.params.id);
    return Response.json({
      payment: { orderId: p.orderId, token: p.snapToken, redirectUrl: p.redirectUrl, grossAmount: p.grossAmountIdr },
    }, { status: 201 });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["screening"],
    summary: "Start paying for the screening's PDF summary (its client)",
    description: "Resumes a pending payment whose window is still open; otherwise starts a new one of " +
      "SCREENING_PDF_PRICE_IDR (order type `screening_pdf`).",
    security: AUTH,
    path: idPath("Screening id (ULID)"),
    responses: {
      201: { description: "Payment started", schema: paymentAnswerSchema },
      401: "Not signed in",
      403: "Role may not do this",
      404: "`screening_not_found`",
      409: "`pdf_free` (nothing to pay), `pdf_paid`",
      503: "`payment_provider_unavailable`",
    },
  },
});
