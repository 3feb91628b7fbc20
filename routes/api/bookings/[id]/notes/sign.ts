import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { discardBody } from "@/lib/validation.ts";
import { signNotes } from "@/lib/notes/store.ts";
import { notesMetaAnswerSchema } from "@/lib/notes/http.ts";
import { AUTH, defineOpenApi, idPath } from "@/lib/openapi/operation.ts";

/** `POST /api/bookings/{id}/notes/sign` — lock and sign the draft (its psychologist). */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireUser(ctx);
    await discardBody(ctx.req);
    return Response.json({ notes: await signNotes(user, ctx.params.id) });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["notes"],
    summary: "Lock and sign the session notes (its psychologist)",
    description: "After signing, `PUT …/notes` only adds amendments (with a reason), each kept as a version. " +
      "Signing signed notes changes nothing (`changed: false`).",
    security: AUTH,
    path: idPath("Booking id (ULID)"),
    responses: {
      200: { description: "Signed", schema: notesMetaAnswerSchema },
      401: "Not signed in",
      403: "`notes_private`",
      404: "`booking_not_found`",
      409: "`notes_empty` (no SOAP text yet), `notes_not_yet`, `notes_no_session`, `notes_busy`",
    },
  },
});
