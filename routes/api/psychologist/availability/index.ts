import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody, z } from "@/lib/validation.ts";
import { getAvailability, putAvailability } from "@/lib/availability/store.ts";
import { availabilityInputSchema, availabilitySchema } from "@/lib/availability/model.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";

/**
 * `GET /api/psychologist/availability` (psychologist) → `{ availability }`, their
 * own settings (defaults when none were saved: no working hours).
 * `PUT` the whole settings (`availabilityInputSchema`) → `{ availability }`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "psychologist");
    return Response.json({ availability: await getAvailability(user.id) });
  },
  async PUT(ctx) {
    const user = requireRole(ctx, "psychologist");
    const availability = await putAvailability(user.id, await readBody(ctx.req));
    return Response.json({ availability });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["availability"],
    summary: "The signed-in psychologist's availability settings",
    security: AUTH,
    responses: {
      200: {
        description: "Settings (defaults when never saved)",
        schema: z.object({ availability: availabilitySchema }),
      },
      401: "Not signed in",
      403: "Only psychologists have availability",
    },
  },
  put: {
    tags: ["availability"],
    summary: "Replace the signed-in psychologist's availability settings",
    description: "Ranges of one day must not overlap; override dates from yesterday to 365 days ahead in `timeZone`. " +
      "Existing bookings keep their time.",
    security: AUTH,
    body: availabilityInputSchema,
    responses: {
      200: { description: "Saved", schema: z.object({ availability: availabilitySchema }) },
      400: "`validation_failed` (fields: `avail.error.*`)",
      401: "Not signed in",
      403: "Only psychologists have availability",
      413: "Body over 64 KiB",
    },
  },
});
