import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody } from "@/lib/validation.ts";
import { AUTH, defineOpenApi, pageOf, tooManyRequests } from "@/lib/openapi/operation.ts";
import {
  createScreening,
  SCREENING_BODY_MAX_BYTES,
  screeningInputSchema,
  screeningViewSchema,
} from "@/lib/screening/store.ts";
import { screeningAnswerSchema, screeningListQuery, screeningsOf } from "@/lib/screening/http.ts";

/**
 * `GET /api/screenings?cursor=&limit=&clientId=` — a client's own screenings, newest first (a psychologist:
 * `clientId` of a client who booked them; audited).
 * `POST /api/screenings {stimulusSetVersion, mappingVersion, modelVersion, backend, stimuli}` — a client
 * stores a run's counts; the server recomputes the result → 201 `{screening}`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client", "psychologist");
    const page = await screeningsOf(user, Object.fromEntries(ctx.url.searchParams));
    return Response.json({ items: page.items, cursor: page.cursor });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "client");
    const screening = await createScreening(user, await readBody(ctx.req, SCREENING_BODY_MAX_BYTES));
    return Response.json({ screening }, { status: 201 });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["screening"],
    summary: "Screenings, newest first (client: own; psychologist: a client who booked them, audited)",
    security: AUTH,
    query: screeningListQuery,
    responses: {
      200: { description: "One page", schema: pageOf(screeningViewSchema) },
      400: "`validation_failed`, `invalid_cursor`",
      401: "Not signed in",
      403: "Role may not do this; a psychologist without `clientId` or without a booking from that client",
    },
  },
  post: {
    tags: ["screening"],
    summary: "Store a screening run's counts (client); the server computes the result",
    description: "Counts only: exactly the active stimuli of the current set, each once; `faceFrames ≤ frames`; " +
      "the emotion counts sum to `faceFrames`; no other field. Needs a consent (`POST /api/screening/consent`) " +
      "to the current text within the last hour. At most 10 a day. Body ≤ 16 KiB.",
    security: AUTH,
    body: screeningInputSchema,
    responses: {
      201: { description: "Stored", schema: screeningAnswerSchema },
      400: "`validation_failed` (field errors, e.g. `stimuli.3.emotions`), `bad_json`",
      401: "Not signed in",
      403: "Role may not do this",
      409: "`consent_required`, `stimulus_set_changed`, `mapping_changed`",
      413: "`payload_too_large`",
      422: "`not_enough_face` (more than 3 pictures with a face in < 50 % of their frames), `no_votes`",
      429: tooManyRequests(),
    },
  },
});
