import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { getAppointmentFor } from "@/lib/guestbook/store.ts";
import { appointmentQrCode } from "@/lib/guestbook/qr_token.ts";
import { qrPng, qrSvg } from "@/lib/guestbook/qr_image.ts";

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
