import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { platformStats, platformStatsSchema } from "@/lib/admin/stats.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";

/** `GET /api/admin/stats` (admin) → accounts, active users (30 d), bookings by status, guest visits (30 d). */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    return Response.json(await platformStats());
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["admin"],
    summary: "Platform statistics (admin)",
    security: AUTH,
    responses: {
      200: { description: "The figures", schema: platformStatsSchema },
      401: "Not signed in",
      403: "Not an admin",
    },
  },
});
