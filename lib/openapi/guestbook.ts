/**
 * OpenAPI 3.1 fragments of the front-desk (guest book) API: `paths` and
 * `components.schemas`, merged into `/api/openapi.json` by the lead's document.
 * Security schemes referenced: `bearerAuth` (HTTP bearer) and `cookieAuth`
 * (session cookie), defined by the main document.
 */
import { ERROR_SCHEMA } from "./error.ts";

type Obj = Record<string, unknown>;

const ref = (name: string): Obj => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Obj, description: string): Obj => ({
  description,
  content: { "application/json": { schema } },
});
const err = (description: string): Obj => json(ref("Error"), description);
const auth = [{ bearerAuth: [] }, { cookieAuth: [] }];
const idParam = (name = "id", description = "Appointment id (ULID)"): Obj => ({
  name,
  in: "path",
  required: true,
  description,
  schema: { type: "string", pattern: "^[0-9A-HJKMNP-TV-Z]{26}$" },
});
const q = (name: string, schema: Obj, description: string): Obj => ({
  name,
  in: "query",
  required: false,
  description,
  schema,
});
const pageParams = [
  q("cursor", { type: "string" }, "Cursor from the previous page"),
  q(
    "limit",
    { type: "integer", minimum: 1, maximum: 100, default: 20 },
    "Page size",
  ),
];
const dateQ = q(
  "date",
  { type: "string", format: "date" },
  "Local date YYYY-MM-DD (TIME_ZONE, default Asia/Jakarta); default today",
);
const common = {
  "401": err("Not signed in"),
  "403": err("Role may not do this"),
};
const page = (item: string): Obj => ({
  type: "object",
  required: ["items", "cursor"],
  properties: {
    items: { type: "array", items: ref(item) },
    cursor: { type: ["string", "null"] },
  },
});
const qrRefusals = {
  "400": err("`qr_malformed`, `qr_bad_signature`, `validation_failed`"),
  "404": err("`qr_not_found`"),
  "409": err(
    "`qr_already_checked_in`, `qr_cancelled`, `qr_wrong_day`, `qr_review_available` (check-in only)",
  ),
};
const reportParams = (period: Obj): Obj[] => [
  period,
  q(
    "format",
    { type: "string", enum: ["json", "csv"] },
    "`csv` = text/csv download (UTF-8 with BOM) in the request language",
  ),
  q(
    "teacherId",
    { type: "string" },
    "Receptionist/admin: only this teacher. Ignored for teachers (always their own).",
  ),
];
const reportResponses = {
  "200": {
    description: "The report (JSON) or its CSV",
    content: {
      "application/json": { schema: ref("Report") },
      "text/csv": { schema: { type: "string" } },
    },
  },
  "400": err("Invalid date/month"),
  ...common,
};

/** Path items of the guest-book endpoints. */
export const guestbookPaths: Record<string, Obj> = {
  "/api/appointments": {
    get: {
      tags: ["guestbook"],
      summary: "List appointments",
      description:
        "Teacher: own appointments by start time (optionally one `date`). Guest: own, newest first. Receptionist/admin: one local day (default today).",
      security: auth,
      parameters: [dateQ, ...pageParams],
      responses: {
        "200": json(page("Appointment"), "One page"),
        "400": err("Invalid query"),
        ...common,
      },
    },
    post: {
      tags: ["guestbook"],
      summary: "Create an appointment (teacher for themself; receptionist/admin pass teacherId)",
      security: auth,
      requestBody: {
        required: true,
        content: { "application/json": { schema: ref("AppointmentInput") } },
      },
      responses: {
        "201": json(
          ref("CreatedAppointment"),
          "Created; `guestPassword` only when the guest was created now",
        ),
        "400": err(
          "`validation_failed` with `fields` (guestName, guestPhone, guestEmail, purpose, startsAt, teacherId)",
        ),
        ...common,
      },
    },
  },
  "/api/appointments/today": {
    get: {
      tags: ["guestbook"],
      summary: "Today's appointments (all for staff, own for teacher/guest), by start time",
      security: auth,
      responses: {
        "200": json({
          type: "object",
          required: ["date", "items"],
          properties: {
            date: { type: "string", format: "date" },
            items: { type: "array", items: ref("Appointment") },
          },
        }, "Today's list"),
        ...common,
      },
    },
  },
  "/api/appointments/teacher/{id}": {
    get: {
      tags: ["guestbook"],
      summary: "One teacher's appointments (a teacher only their own)",
      security: auth,
      parameters: [idParam("id", "Teacher id"), dateQ, ...pageParams],
      responses: {
        "200": json(page("Appointment"), "One page"),
        "400": err("Invalid query"),
        ...common,
        "404": err("Malformed id"),
      },
    },
  },
  "/api/appointments/{id}": {
    get: {
      tags: ["guestbook"],
      summary: "One appointment with its QR text and review",
      security: auth,
      parameters: [idParam()],
      responses: {
        "200": json({
          type: "object",
          required: ["appointment", "qrCode", "review"],
          properties: {
            appointment: ref("Appointment"),
            qrCode: { type: "string" },
            review: { oneOf: [ref("Review"), { type: "null" }] },
          },
        }, "The appointment"),
        ...common,
        "404": err("`appointment_not_found` (also when not the caller's)"),
      },
    },
  },
  "/api/appointments/{id}/qr": {
    get: {
      tags: ["guestbook"],
      summary: "The appointment's QR image (PNG or SVG)",
      security: auth,
      parameters: [
        idParam(),
        q(
          "format",
          { type: "string", enum: ["png", "svg"], default: "png" },
          "Image format",
        ),
        q(
          "scale",
          { type: "integer", minimum: 1, maximum: 40, default: 8 },
          "PNG pixels per module",
        ),
        q(
          "download",
          { type: "string", enum: ["0", "1"] },
          "`1` = Content-Disposition: attachment",
        ),
      ],
      responses: {
        "200": {
          description: "The image",
          content: {
            "image/png": {
              schema: { type: "string", contentMediaType: "image/png" },
            },
            "image/svg+xml": { schema: { type: "string" } },
          },
        },
        ...common,
        "404": err("`appointment_not_found`"),
      },
    },
  },
  "/api/appointments/{id}/status": {
    put: {
      tags: ["guestbook"],
      summary: "Picked up (`in_meeting`), `finished` (teacher/admin) or `cancelled` (teacher/receptionist/admin)",
      security: auth,
      parameters: [idParam()],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["status"],
              properties: {
                status: {
                  type: "string",
                  enum: ["in_meeting", "finished", "cancelled"],
                },
              },
            },
          },
        },
      },
      responses: {
        "200": json({
          type: "object",
          required: ["appointment"],
          properties: { appointment: ref("Appointment") },
        }, "Moved"),
        "400": err("Invalid status"),
        ...common,
        "404": err("`appointment_not_found`"),
        "409": err("`invalid_transition`"),
      },
    },
  },
  "/api/appointments/{id}/review": {
    post: {
      tags: ["guestbook"],
      summary: "Review by the guest who owns the finished appointment (once)",
      security: auth,
      parameters: [idParam()],
      requestBody: {
        required: true,
        content: { "application/json": { schema: ref("ReviewInput") } },
      },
      responses: {
        "201": json({
          type: "object",
          required: ["review"],
          properties: { review: ref("Review") },
        }, "Stored"),
        "400": err("`validation_failed`"),
        ...common,
        "404": err("`appointment_not_found`"),
        "409": err("`review_not_available`, `already_reviewed`"),
      },
    },
  },
  "/api/appointments/review": {
    post: {
      tags: ["guestbook"],
      summary: "Review by whoever holds the appointment's valid QR code (no sign-in; rate-limited)",
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              allOf: [ref("ReviewInput"), {
                type: "object",
                required: ["code"],
                properties: { code: { type: "string", maxLength: 512 } },
              }],
            },
          },
        },
      },
      responses: {
        "201": json({
          type: "object",
          required: ["review"],
          properties: { review: ref("Review") },
        }, "Stored"),
        ...qrRefusals,
        "409": err("`review_not_available`, `already_reviewed`"),
        "429": err("`rate_limited`"),
      },
    },
  },
  "/api/appointments/qr/{code}": {
    get: {
      tags: ["guestbook"],
      summary: "Verify a scanned code without consuming it (receptionist/admin)",
      security: auth,
      parameters: [{
        name: "code",
        in: "path",
        required: true,
        description: "The bare token or the URL-encoded QR text",
        schema: { type: "string" },
      }],
      responses: {
        "200": json(ref("QrOutcome"), "What the scan means"),
        ...qrRefusals,
        ...common,
        "429": err("`rate_limited`"),
      },
    },
  },
  "/api/appointments/check-in": {
    post: {
      tags: ["guestbook"],
      summary: "Check a guest in by code (receptionist/admin); exactly once per appointment",
      security: auth,
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["code"],
              properties: {
                code: {
                  type: "string",
                  maxLength: 512,
                  description: "QR text or bare token",
                },
              },
            },
          },
        },
      },
      responses: {
        "200": json({
          type: "object",
          required: ["appointment", "late"],
          properties: {
            appointment: ref("Appointment"),
            late: { type: "boolean" },
          },
        }, "Checked in; the teacher is notified"),
        ...qrRefusals,
        ...common,
        "429": err("`rate_limited`"),
      },
    },
  },
  "/api/appointments/walk-in": {
    post: {
      tags: ["guestbook"],
      summary: "Register a walk-in and check in at once (receptionist/admin)",
      security: auth,
      requestBody: {
        required: true,
        content: { "application/json": { schema: ref("WalkInInput") } },
      },
      responses: {
        "201": json(
          ref("CreatedAppointment"),
          "Created as waiting; the teacher is notified",
        ),
        "400": err("`validation_failed`"),
        ...common,
      },
    },
  },
  "/api/guests": {
    get: {
      tags: ["guestbook"],
      summary: "All guests, newest first (receptionist/admin)",
      security: auth,
      parameters: pageParams,
      responses: {
        "200": json(page("Guest"), "One page"),
        "400": err("Invalid query"),
        ...common,
      },
    },
    post: {
      tags: ["guestbook"],
      summary: "Find a guest by phone or create one (teacher/receptionist/admin)",
      security: auth,
      requestBody: {
        required: true,
        content: { "application/json": { schema: ref("GuestInput") } },
      },
      responses: {
        "200": json({
          type: "object",
          required: ["guest"],
          properties: { guest: ref("Guest") },
        }, "Known guest"),
        "201": json({
          type: "object",
          required: ["guest", "password"],
          properties: {
            guest: ref("Guest"),
            password: {
              type: "string",
              description: "Generated portal password (shown once)",
            },
          },
        }, "Created"),
        "400": err("`validation_failed`"),
        ...common,
      },
    },
  },
  "/api/guests/search": {
    get: {
      tags: ["guestbook"],
      summary: "Search guests by name or phone (any Indonesian format) (receptionist/admin)",
      security: auth,
      parameters: [
        q("q", { type: "string", maxLength: 100 }, "Name or phone fragment"),
        ...pageParams,
      ],
      responses: {
        "200": json(page("Guest"), "Matches"),
        "400": err("Invalid query"),
        ...common,
      },
    },
  },
  "/api/guests/{id}": {
    get: {
      tags: ["guestbook"],
      summary: "One guest (receptionist/admin)",
      security: auth,
      parameters: [idParam("id", "Guest id")],
      responses: {
        "200": json({
          type: "object",
          required: ["guest"],
          properties: { guest: ref("Guest") },
        }, "The guest"),
        ...common,
        "404": err("`guest_not_found`"),
      },
    },
    put: {
      tags: ["guestbook"],
      summary: "Edit a guest (receptionist/admin)",
      security: auth,
      parameters: [idParam("id", "Guest id")],
      requestBody: {
        required: true,
        content: { "application/json": { schema: ref("GuestPatch") } },
      },
      responses: {
        "200": json({
          type: "object",
          required: ["guest"],
          properties: { guest: ref("Guest") },
        }, "Updated"),
        "400": err("`validation_failed` (phone/email taken, invalid)"),
        ...common,
        "404": err("`guest_not_found`"),
      },
    },
  },
  "/api/reports/daily": {
    get: {
      tags: ["guestbook"],
      summary: "Report of one day",
      security: auth,
      parameters: reportParams(dateQ),
      responses: reportResponses,
    },
  },
  "/api/reports/weekly": {
    get: {
      tags: ["guestbook"],
      summary: "Report of the ISO week (Monday–Sunday) containing `date`",
      security: auth,
      parameters: reportParams(dateQ),
      responses: reportResponses,
    },
  },
  "/api/reports/monthly": {
    get: {
      tags: ["guestbook"],
      summary: "Report of one month",
      security: auth,
      parameters: reportParams(
        q(
          "month",
          { type: "string", pattern: "^\\d{4}-(0[1-9]|1[0-2])$" },
          "YYYY-MM; default this month",
        ),
      ),
      responses: reportResponses,
    },
  },
  "/api/reports/today": {
    get: {
      tags: ["guestbook"],
      summary: "Today's desk dashboard (teacher: own)",
      security: auth,
      responses: { "200": json(ref("TodayDashboard"), "Dashboard"), ...common },
    },
  },
  "/api/reports/ratings": {
    get: {
      tags: ["guestbook"],
      summary: "Each teacher's average rating; with teacherId also their reviews (admin)",
      security: auth,
      parameters: [
        q("teacherId", { type: "string" }, "Also list this teacher's reviews"),
        ...pageParams,
      ],
      responses: {
        "200": json({
          type: "object",
          required: ["teachers"],
          properties: {
            teachers: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  teacherId: { type: "string" },
                  name: { type: "string" },
                  average: { type: ["number", "null"] },
                  count: { type: "integer" },
                },
              },
            },
            reviews: page("Review"),
          },
        }, "Ratings"),
        "400": err("Invalid query"),
        ...common,
      },
    },
  },
};

const instant = { type: "string", format: "date-time" };
const nullableInstant = { type: ["string", "null"], format: "date-time" };
const status = {
  type: "string",
  enum: [
    "scheduled",
    "waiting",
    "in_meeting",
    "finished",
    "cancelled",
    "no_show",
  ],
};
const phone = {
  type: "string",
  maxLength: 40,
  description: "Indonesian number in any format (08…, +628…, 628…, 8…); stored as 62…",
};

/** Schemas referenced by {@link guestbookPaths}. */
export const guestbookSchemas: Record<string, Obj> = {
  Error: ERROR_SCHEMA,
  Appointment: {
    type: "object",
    required: [
      "id",
      "teacherId",
      "guestId",
      "guestName",
      "purpose",
      "startsAt",
      "localDate",
      "status",
    ],
    properties: {
      schemaVersion: { const: 1 },
      id: { type: "string" },
      teacherId: { type: "string" },
      teacherName: { type: "string" },
      guestId: { type: "string" },
      guestName: { type: "string", maxLength: 100 },
      purpose: { type: "string", maxLength: 500 },
      startsAt: { ...instant, description: "UTC instant" },
      localDate: {
        type: "string",
        format: "date",
        description: "Local day of startsAt; the QR is valid only then",
      },
      status,
      late: {
        type: ["boolean", "null"],
        description: "Checked in after startsAt + LATE_GRACE_MINUTES; null before check-in",
      },
      checkedInAt: nullableInstant,
      checkedInBy: { type: ["string", "null"] },
      pickedUpAt: nullableInstant,
      finishedAt: nullableInstant,
      cancelledAt: nullableInstant,
      cancelledBy: { type: ["string", "null"] },
      noShowAt: nullableInstant,
      createdAt: instant,
      createdBy: { type: "string" },
      updatedAt: instant,
      walkIn: { type: "boolean" },
      archived: { type: "boolean" },
      qrKeyId: { type: "integer" },
      rating: { type: ["integer", "null"], minimum: 1, maximum: 5 },
    },
  },
  AppointmentInput: {
    type: "object",
    required: ["guestName", "guestPhone", "purpose", "startsAt"],
    properties: {
      guestName: { type: "string", minLength: 1, maxLength: 100 },
      guestPhone: phone,
      guestEmail: { type: "string", format: "email" },
      purpose: { type: "string", minLength: 1, maxLength: 500 },
      startsAt: {
        type: "string",
        description:
          "ISO 8601 with offset (e.g. 2026-11-20T09:30:00+07:00); not in the past, at most APPOINTMENT_MAX_DAYS_AHEAD days ahead",
      },
      teacherId: {
        type: "string",
        description: "Required for receptionist/admin; a teacher may only pass their own id",
      },
    },
  },
  WalkInInput: {
    type: "object",
    required: ["guestName", "guestPhone", "purpose", "teacherId"],
    properties: {
      guestName: { type: "string", minLength: 1, maxLength: 100 },
      guestPhone: phone,
      guestEmail: { type: "string", format: "email" },
      purpose: { type: "string", minLength: 1, maxLength: 500 },
      teacherId: { type: "string" },
    },
  },
  CreatedAppointment: {
    type: "object",
    required: ["appointment", "qrCode", "guest"],
    properties: {
      appointment: ref("Appointment"),
      qrCode: {
        type: "string",
        description: "Exact QR text: `${BASE_URL}/g/<48-char token>`",
      },
      guest: ref("Guest"),
      whatsappUrl: {
        type: "string",
        format: "uri",
        description: "wa.me click-to-chat link (create only)",
      },
      guestPassword: {
        type: "string",
        description: "Only when the guest was created by this call",
      },
    },
  },
  QrOutcome: {
    oneOf: [
      {
        type: "object",
        required: ["outcome", "appointment", "late"],
        properties: {
          outcome: { const: "check_in" },
          appointment: ref("Appointment"),
          late: { type: "boolean" },
        },
      },
      {
        type: "object",
        required: ["outcome", "appointment", "reviewed"],
        properties: {
          outcome: { const: "review" },
          appointment: ref("Appointment"),
          reviewed: { type: "boolean" },
        },
      },
    ],
  },
  ReviewInput: {
    type: "object",
    required: ["rating"],
    properties: {
      rating: { type: "integer", minimum: 1, maximum: 5 },
      comment: { type: "string", maxLength: 1000 },
    },
  },
  Review: {
    type: "object",
    properties: {
      appointmentId: { type: "string" },
      teacherId: { type: "string" },
      guestId: { type: "string" },
      guestName: { type: "string" },
      rating: { type: "integer", minimum: 1, maximum: 5 },
      comment: { type: ["string", "null"] },
      createdAt: instant,
    },
  },
  Guest: {
    type: "object",
    required: ["id", "name", "phone"],
    properties: {
      id: { type: "string" },
      name: { type: "string" },
      phone: { type: "string", description: "Canonical 62…" },
      email: { type: ["string", "null"] },
      lang: { type: "string", enum: ["id", "en"] },
      status: { type: "string" },
      createdAt: instant,
      updatedAt: instant,
    },
  },
  GuestInput: {
    type: "object",
    required: ["name", "phone"],
    properties: {
      name: { type: "string", minLength: 1, maxLength: 100 },
      phone,
      email: { type: "string", format: "email" },
    },
  },
  GuestPatch: {
    type: "object",
    properties: {
      name: { type: "string", minLength: 1, maxLength: 100 },
      phone,
      email: {
        type: ["string", "null"],
        description: "Empty string or null clears it",
      },
    },
  },
  Report: {
    type: "object",
    required: [
      "period",
      "visits",
      "punctualityPercent",
      "averageWaitMinutes",
      "averageRating",
      "topTeachers",
      "byDay",
    ],
    properties: {
      kind: { type: "string", enum: ["daily", "weekly", "monthly"] },
      period: {
        type: "object",
        properties: {
          from: { type: "string", format: "date" },
          to: { type: "string", format: "date" },
        },
      },
      teacherId: { type: ["string", "null"] },
      appointments: { type: "integer" },
      visits: {
        type: "integer",
        description: "Checked-in appointments (archived included)",
      },
      onTime: { type: "integer" },
      late: { type: "integer" },
      walkIns: { type: "integer" },
      punctualityPercent: { type: ["number", "null"] },
      averageWaitMinutes: {
        type: ["number", "null"],
        description: "Check-in → picked up",
      },
      averageRating: { type: ["number", "null"] },
      ratingCount: { type: "integer" },
      byStatus: { type: "object", additionalProperties: { type: "integer" } },
      topTeachers: {
        type: "array",
        items: {
          type: "object",
          properties: {
            id: { type: "string" },
            name: { type: "string" },
            appointments: { type: "integer" },
          },
        },
      },
      byDay: {
        type: "array",
        items: {
          type: "object",
          properties: {
            date: { type: "string", format: "date" },
            appointments: { type: "integer" },
            visits: { type: "integer" },
            onTime: { type: "integer" },
            late: { type: "integer" },
          },
        },
      },
    },
  },
  TodayDashboard: {
    type: "object",
    properties: {
      date: { type: "string", format: "date" },
      total: { type: "integer" },
      guests: { type: "integer" },
      counts: { type: "object", additionalProperties: { type: "integer" } },
      late: { type: "integer" },
      topTeacher: {
        oneOf: [{
          type: "object",
          properties: {
            id: { type: "string" },
            name: { type: "string" },
            appointments: { type: "integer" },
          },
        }, { type: "null" }],
      },
      appointments: { type: "array", items: ref("Appointment") },
    },
  },
};

/** The fragment in one object: `{ tags, paths, components: { schemas } }`. */
export const guestbookOpenApi = {
  tags: [{
    name: "guestbook",
    description: "Front desk: appointments, signed QR check-in, guests, reviews, reports",
  }],
  paths: guestbookPaths,
  components: { schemas: guestbookSchemas },
};
export default guestbookOpenApi;
