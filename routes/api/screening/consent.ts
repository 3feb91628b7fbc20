import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody } from "@/lib/validation.ts";
import { AUTH, defineOpenApi, tooManyRequests } from "@/lib/openapi/operation.ts";
import { consentInputSchema } from "@/lib/screening/consent.ts";
import { consentAnswerSchema, consentFromInput } from "@/lib/screening/http.ts";

/** `POST /api/screening/consent {textVersion}` — a client agrees to the screening consent text → 201 `{consent}`. */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireRole(ctx, "client");
    const consent = await consentFromInput(user, await readBody(ctx.req, 1024));
    return Response.json({ consent }, { status: 201 });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["screening"],
    summary: "Record the client's consent to the screening (the current text version)",
    description: "A screening is accepted within one hour of a consent to the current `textVersion`.",
    security: AUTH,
    body: consentInputSchema,
    responses: {
      201: { description: "Recorded", schema: consentAnswerSchema },
      400: "`validation_failed` (textVersion)",
      401: "Not signed in",
      403: "Role may not do this",
      409: "`consent_outdated` (the page showed an older text: reload)",
      429: tooManyRequests(),
    },
  },
});
