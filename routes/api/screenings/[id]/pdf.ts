import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { z } from "@/lib/validation.ts";
import { AUTH, defineOpenApi, idPath, tooManyRequests } from "@/lib/openapi/operation.ts";
import { screeningPdfFor } from "@/lib/screening/pdf.ts";

/**
 * `GET /api/screenings/{id}/pdf` — the PDF summary for the screening's client (id/en by the account's
 * language); 402 `payment_required` until an insecure result's PDF is paid (`POST …/payment`); 429 past
 * 30 PDFs an hour per client (rendering costs CPU; `screening_pdf` in lib/ratelimit.ts).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client");
    const { bytes, fileName } = await screeningPdfFor(user, ctx.params.id);
    return new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        "content-type": "application/pdf",
        "content-disposition": `attachment; filename="${fileName}"`,
        "cache-control": "no-store",
      },
    });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["screening"],
    summary: "The screening's PDF summary (its client)",
    description: "Free when the result is secure or SCREENING_PDF_PRICE_IDR is 0; otherwise after payment.",
    security: AUTH,
    path: idPath("Screening id (ULID)"),
    responses: {
      200: {
        description: "The PDF",
        content: { "application/pdf": { schema: z.string().meta({ format: "binary" }) } },
      },
      401: "Not signed in",
      402: "`payment_required` (start it with POST /api/screenings/{id}/payment)",
      403: "Role may not do this",
      404: "`screening_not_found`",
      429: tooManyRequests("`rate_limited`: more than 30 PDFs an hour by this client; see `Retry-After` (seconds)"),
    },
  },
});
