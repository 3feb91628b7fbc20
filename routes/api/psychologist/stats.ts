import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { statsAnswerSchema, statsFor, statsQuery } from "@/lib/workspace/http.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";

/**
 * `GET /api/psychologist/stats?from=&to=` (psychologist, own only) — sessions held
 * and income net of commission per month (`YYYY-MM` in TIME_ZONE), default the
 * last 12 months; `from ≤ to`, at most 36 months.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "psychologist");
    const { months } = await statsFor(user, Object.fromEntries(ctx.url.searchParams));
    return Response.json({ months });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["workspace"],
    summary: "Sessions and income per month (own)",
    description: "One entry per month from `from` to `to` (zeros included). Income: payouts (price net of the " +
      "platform commission) of completed, in-session and no-show bookings without a refund.",
    security: AUTH,
    query: statsQuery,
    responses: {
      200: { description: "Months in order", schema: statsAnswerSchema },
      400: "`validation_failed` (from/to: malformed, outside 2000-01..2100-12, from after to, more than 36 months)",
      401: "Not signed in",
      403: "Role may not do this (psychologists only)",
    },
  },
});
