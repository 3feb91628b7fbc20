import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { publicUser } from "@/lib/auth/accounts.ts";
import { publicUserSchema } from "@/lib/auth/schemas.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";
import { z } from "@/lib/validation.ts";

/** `GET /api/auth/me` → `{ user }` of the bearer token or session. */
export const handler = define.handlers({
  GET(ctx) {
    return Response.json({
      user: publicUser(requireUser(ctx, { allowPasswordChange: true })),
    });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["auth"],
    summary: "The signed-in user",
    security: AUTH,
    responses: {
      200: { description: "The user", schema: z.object({ user: publicUserSchema }) },
      401: "`unauthorized`",
    },
  },
});
