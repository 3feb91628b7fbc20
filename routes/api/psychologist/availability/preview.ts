import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody, z } from "@/lib/validation.ts";
import { previewSlots } from "@/lib/availability/preview.ts";
import { availabilityInputSchema, slotViewSchema } from "@/lib/availability/model.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";
import { enforce } from "@/lib/ratelimit.ts";

/**
 * `POST /api/psychologist/availability/preview` (psychologist): settings not yet
 * saved → the next free slots they would give (with the psychologist's real
 * bookings), for the editor's live preview. Takes the JSON settings (as PUT)
 * plus `serviceId`, or the availability form's own fields (form-encoded).
 * Saves nothing. Rate-limited per psychologist (`availability_preview`, 60 a minute).
 */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireRole(ctx, "psychologist");
    await enforce("availability_preview", user.id);
    const form = (ctx.req.headers.get("content-type") ?? "").includes("form");
    return Response.json(await previewSlots(user.id, await readBody(ctx.req), form, ctx.state.lang));
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["availability"],
    summary: "Preview the next free slots of unsaved availability settings",
    security: AUTH,
    body: availabilityInputSchema.extend({
      serviceId: z.string().max(40).optional().describe("One of the psychologist's services (default: the first)"),
    }),
    responses: {
      200: {
        description: "Up to 10 next slots, in the settings' zone",
        schema: z.object({
          timeZone: z.string(),
          durationMinutes: z.int(),
          slots: z.array(slotViewSchema.extend({ label: z.string().describe("Localised date and times") })),
        }),
      },
      400: "`validation_failed` (fields: `avail.error.*`; form field names for a form body)",
      401: "Not signed in",
      403: "Only psychologists have availability",
      413: "Body over 64 KiB",
      429: "`rate_limited`: more than 60 previews a minute (`Retry-After`)",
    },
  },
});
