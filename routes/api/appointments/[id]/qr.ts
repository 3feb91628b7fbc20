import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { getAppointmentFor } from "@/lib/guestbook/store.ts";
import { appointmentQrCode } from "@/lib/guestbook/qr_token.ts";
import { qrPng, qrSvg } from "@/lib/guestbook/qr_image.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";

const query = z.object({
  format: z.enum(["png", "svg"], "field.invalid_choice").optional(),
  scale: z.coerce.number("field.invalid_number").int("field.invalid_number")
    .min(1, "field.invalid_number").max(40, "field.invalid_number")
    .optional(),
  download: z.enum(["0", "1"], "field.invalid_choice").optional(),
});

/**
 * `GET /api/appointments/{id}/qr?format=png|svg&scale=1..40&download=1` — the
 * appointment's QR image (default PNG, 8 px per module) for the teacher who owns
 * it, its guest, or staff. `download=1` adds `Content-Disposition: attachment`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "teacher", "guest", "receptionist", "admin");
    const q = parseInput(query, Object.fromEntries(ctx.url.searchParams));
    const a = await getAppointmentFor(user, ctx.params.id);
    const text = await appointmentQrCode(a);
    const format = q.format ?? "png";
    const headers = new Headers({ "cache-control": "private, no-store" });
    if (q.download === "1") {
      headers.set(
        "content-disposition",
        `attachment; filename="qr-${a.localDate}-${a.id}.${format}"`,
      );
    }
    if (format === "svg") {
      headers.set("content-type", "image/svg+xml; charset=utf-8");
      return new Response(qrSvg(text, { title: a.guestName }), { headers });
    }
    headers.set("content-type", "image/png");
    return new Response(qrPng(text, q.scale ?? 8), { headers });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["guestbook"],
    summary: "The appointment's QR image (PNG or SVG)",
    description: "`format` default png; `scale` = PNG pixels per module (default 8); `download=1` adds " +
      "`Content-Disposition: attachment`.",
    security: AUTH,
    path: idPath("Appointment id (ULID)"),
    query,
    responses: {
      200: {
        description: "The image",
        content: {
          "image/png": { schema: z.string().meta({ contentMediaType: "image/png" }) },
          "image/svg+xml": { schema: z.string() },
        },
      },
      400: "`validation_failed` (format, scale, download)",
      401: "Not signed in",
      403: "Role may not do this",
      404: "`appointment_not_found`",
    },
  },
});
