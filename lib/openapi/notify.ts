/**
 * OpenAPI 3.1 fragment of the notifications API (`/api/notifications*`): `tags`,
 * `paths` and `components.schemas`, merged into `/api/openapi.json` by `lib/openapi/mod.ts`.
 * Security schemes referenced: `bearerAuth` and `cookieAuth` (main document); `Error`
 * is the shared error body.
 */

type Obj = Record<string, unknown>;

const ref = (name: string): Obj => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Obj, description: string): Obj => ({ description, content: { "application/json": { schema } } });
const err = (description: string): Obj => json(ref("Error"), description);
const auth = [{ bearerAuth: [] }, { cookieAuth: [] }];
const tags = ["notifications"];
const idParam: Obj = {
  name: "id",
  in: "path",
  required: true,
  description: "Notification id (ULID). Another user's id is answered like an unknown one (404).",
  schema: { type: "string", pattern: "^[0-9A-HJKMNP-TV-Z]{26}$" },
};
const common = { "401": err("Not signed in (`unauthorized`)"), "403": err("`password_change_required`") };
const notFound = { "404": err("`notification_not_found` (unknown, malformed, or not yours)") };
const unread = { type: "integer", minimum: 0, description: "The caller's unread count after this call" };

/** The fragment (also the default export). */
export const notifyOpenApi = {
  tags: [{
    name: "notifications",
    description: "In-app notifications (a guest has arrived), live over Server-Sent Events",
  }],
  paths: {
    "/api/notifications": {
      get: {
        tags,
        summary: "List my notifications, newest first",
        security: auth,
        parameters: [
          {
            name: "cursor",
            in: "query",
            required: false,
            schema: { type: "string", maxLength: 1000 },
            description: "From the previous page",
          },
          {
            name: "limit",
            in: "query",
            required: false,
            schema: { type: "integer", minimum: 1, maximum: 100, default: 20 },
          },
        ],
        responses: {
          "200": json({
            type: "object",
            required: ["items", "cursor", "unread"],
            properties: {
              items: { type: "array", items: ref("Notification") },
              cursor: { type: ["string", "null"], description: "Next page, null at the end" },
              unread,
            },
          }, "One page"),
          "400": err("`validation_failed` (limit) or `invalid_cursor`"),
          ...common,
        },
      },
    },
    "/api/notifications/{id}": {
      get: {
        tags,
        summary: "One of my notifications",
        security: auth,
        parameters: [idParam],
        responses: {
          "200": json(
            { type: "object", required: ["notification"], properties: { notification: ref("Notification") } },
            "Found",
          ),
          ...common,
          ...notFound,
        },
      },
      delete: {
        tags,
        summary: "Delete one of my notifications",
        security: auth,
        parameters: [idParam],
        responses: {
          "200": json({
            type: "object",
            required: ["deleted", "unread"],
            properties: { deleted: { const: true }, unread },
          }, "Deleted"),
          ...common,
          ...notFound,
        },
      },
    },
    "/api/notifications/{id}/read": {
      put: {
        tags,
        summary: "Mark one of my notifications read (idempotent)",
        security: auth,
        parameters: [idParam],
        responses: {
          "200": json({
            type: "object",
            required: ["notification", "unread"],
            properties: { notification: ref("Notification"), unread },
          }, "Marked read"),
          ...common,
          ...notFound,
        },
      },
    },
    "/api/notifications/read-all": {
      put: {
        tags,
        summary: "Mark all my notifications read",
        security: auth,
        responses: {
          "200": json({
            type: "object",
            required: ["updated", "unread"],
            properties: {
              updated: { type: "integer", minimum: 0, description: "How many were unread" },
              unread: { const: 0 },
            },
          }, "Done"),
          ...common,
        },
      },
    },
    "/api/notifications/stream": {
      get: {
        tags,
        summary: "Live notifications (Server-Sent Events)",
        description:
          '`text/event-stream`. First `retry: 2000`, then `event: unread` `data: {"unread":N}` (now and on every change ' +
          "of the count), one `id: <notification id>` `event: notification` `data: <Notification JSON>` per notification in " +
          "commit order, and a `: ping` comment every 25 s. Reconnect with the `Last-Event-ID` header (EventSource does it) or " +
          "`?lastEventId=` to receive exactly what was missed: no gaps, no duplicates. Without either, only new notifications. " +
          "At most 20 open streams per user per server process.",
        security: auth,
        parameters: [
          {
            name: "Last-Event-ID",
            in: "header",
            required: false,
            schema: { type: "string" },
            description: "Resume after this notification id",
          },
          {
            name: "lastEventId",
            in: "query",
            required: false,
            schema: { type: "string" },
            description: "Same, for a first connection",
          },
        ],
        responses: {
          "200": {
            description: "The event stream (never ends by itself)",
            content: { "text/event-stream": { schema: { type: "string" } } },
          },
          ...common,
          "429": {
            ...err("`too_many_streams`"),
            headers: { "Retry-After": { schema: { type: "integer" } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Notification: {
        type: "object",
        required: ["schemaVersion", "id", "userId", "kind", "data", "createdAt", "readAt", "text", "detail"],
        properties: {
          schemaVersion: { const: 1 },
          id: { type: "string", description: "ULID (time-ordered)" },
          userId: { type: "string", description: "The owner (the caller)" },
          kind: { type: "string", description: "`guest_arrived` (more kinds may come)" },
          data: {
            type: "object",
            description:
              "For `guest_arrived`: `{ appointmentId, guestName, purpose, arrivedAt (ISO), late (boolean) }`",
            additionalProperties: true,
          },
          createdAt: { type: "string", format: "date-time" },
          readAt: { type: ["string", "null"], format: "date-time" },
          text: {
            type: "string",
            description: 'Rendered message in the request language, e.g. "Guest Ani has arrived for …"',
          },
          detail: {
            type: "string",
            description: 'Arrival time in TIME_ZONE and on time/late, e.g. "Arrived at 09:05 · On time"',
          },
        },
      },
    },
  },
};

export default notifyOpenApi;
