import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { queueOf } from "@/lib/workspace/queue.ts";
import { queueAnswerSchema } from "@/lib/workspace/http.ts";
import { AUTH, defineOpenApi } from "@/lib/openapi/operation.ts";

/**
 * `GET /api/psychologist/queue` (psychologist) — today's sessions and the coming
 * ones (at most 100, soonest first) grouped today / tomorrow / later in the
 * psychologist's availability zone.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "psychologist");
    return Response.json(await queueOf(user));
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["workspace"],
    summary: "The psychologist's queue: today, tomorrow, later",
    description: "Today: paid, confirmed, in-session, completed and no-show sessions; tomorrow and later: paid, " +
      "confirmed and in-session ones. At most 100, soonest first.",
    security: AUTH,
    responses: {
      200: { description: "The queue", schema: queueAnswerSchema },
      401: "Not signed in",
      403: "Role may not do this (psychologists only)",
    },
  },
});
