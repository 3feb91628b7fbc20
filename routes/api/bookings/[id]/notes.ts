import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { readBody } from "@/lib/validation.ts";
import { readNotes, saveNotes } from "@/lib/notes/store.ts";
import { notesInputSchema } from "@/lib/notes/model.ts";
import { notesAnswerSchema, notesMetaAnswerSchema } from "@/lib/notes/http.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";

/**
 * `GET /api/bookings/{id}/notes` — the session notes, decrypted, for their author only (audited);
 * `PUT` — save the draft, or after signing an amendment with a `reason`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireUser(ctx);
    return Response.json({ notes: await readNotes(user, ctx.params.id) });
  },
  async PUT(ctx) {
    const user = requireUser(ctx);
    return Response.json({ notes: await saveNotes(user, ctx.params.id, await readBody(ctx.req)) });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["notes"],
    summary: "The session notes of a booking (its psychologist only; every read is audited)",
    description: "SOAP progress note and private psychotherapy note, the current text and every version, newest " +
      "first. Not for the client, not for admins: they get 403 `notes_private`. Encrypted at rest (AES-256-GCM).",
    security: AUTH,
    path: idPath("Booking id (ULID)"),
    responses: {
      200: { description: "The notes (status `empty` while nothing is written)", schema: notesAnswerSchema },
      401: "Not signed in",
      403: "`notes_private` (every role but the booking's psychologist)",
      404: "`booking_not_found` (also another psychologist's booking)",
    },
  },
  put: {
    tags: ["notes"],
    summary: "Save the session notes (draft; after signing an amendment with a reason)",
    description: "From the session's start on, for confirmed, in-session, completed or no-show bookings. Before " +
      "signing, the draft (version 1) is rewritten; after signing, `reason` (1–500 characters) is required and a " +
      "new version is added. Each field at most 8,000 characters, all five at most 40,000 UTF-8 bytes. `private` " +
      "left out keeps the current private note. The same text again changes nothing (`changed: false`).",
    security: AUTH,
    path: idPath("Booking id (ULID)"),
    body: notesInputSchema,
    responses: {
      200: { description: "Saved (the record, no text)", schema: notesMetaAnswerSchema },
      400: "`validation_failed` (a field too long; `reason` missing on an amendment)",
      401: "Not signed in",
      403: "`notes_private`",
      404: "`booking_not_found`",
      409: "`notes_not_yet` (before the start), `notes_no_session`, `notes_version_limit`, `notes_busy`",
    },
  },
});
