/**
 * OpenAPI 3.1 fragment of the accounts API (`/api/auth/*`, `/api/users*`):
 * `paths` and `components.schemas`, merged into `/api/openapi.json` by the
 * lead's document. Security schemes referenced: `bearerAuth` (HTTP bearer,
 * token from `POST /api/auth/login`) and `cookieAuth` (the `__Host-session`
 * cookie), defined by the main document. `Error` is the shared error body.
 */
import { ERROR_SCHEMA } from "./error.ts";

type Obj = Record<string, unknown>;

const ref = (name: string): Obj => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Obj, description: string): Obj => ({
  description,
  content: { "application/json": { schema } },
});
const body = (schema: Obj): Obj => ({
  required: true,
  content: { "application/json": { schema } },
});
const err = (description: string): Obj => json(ref("Error"), description);
const auth = [{ bearerAuth: [] }, { cookieAuth: [] }];
const tags = ["auth"];
const adminTags = ["users"];
const rateLimited = {
  "429": {
    ...err("`rate_limited`; see the `Retry-After` header (seconds)"),
    headers: { "Retry-After": { schema: { type: "integer" } } },
  },
};
const idParam: Obj = {
  name: "id",
  in: "path",
  required: true,
  description: "User id (ULID)",
  schema: { type: "string", pattern: "^[0-9A-HJKMNP-TV-Z]{26}$" },
};
const email = { type: "string", format: "email", maxLength: 254 };
const password = {
  type: "string",
  minLength: 8,
  maxLength: 128,
  description: "8–128 characters, not a common password",
};
const code = {
  type: "string",
  pattern: "^\\d{6}$",
  description: "6-digit code from the e-mail (valid 5 minutes, 5 attempts, single use)",
};
const lang = { type: "string", enum: ["id", "en"] };
const phone = {
  type: "string",
  maxLength: 40,
  description: "Indonesian number in any common format (08…, +62 8…, 628…); stored as `62…` digits",
};
const tokenResponse = json({
  type: "object",
  required: ["token", "tokenType", "expiresAt", "user"],
  properties: {
    token: {
      type: "string",
      description: "Bearer token (43 characters, base64url); valid 12 hours",
    },
    tokenType: { const: "Bearer" },
    expiresAt: { type: "string", format: "date-time" },
    user: ref("User"),
  },
}, "Signed in");
const ok = (description: string): Obj =>
  json({
    type: "object",
    required: ["ok"],
    properties: { ok: { const: true } },
  }, description);
const userResponse = (description: string): Obj =>
  json({
    type: "object",
    required: ["user"],
    properties: { user: ref("User") },
  }, description);

/** Paths of the accounts API. */
export const authPaths: Record<string, Obj> = {
  "/api/auth/login": {
    post: {
      tags,
      summary: "Sign in (e-mail, or phone for guests) and get a bearer token",
      requestBody: body({
        type: "object",
        required: ["password"],
        properties: {
          email,
          phone,
          identifier: {
            type: "string",
            description: "E-mail or phone (alternative to `email`/`phone`)",
          },
          password: { type: "string", maxLength: 128 },
        },
      }),
      responses: {
        "200": tokenResponse,
        "400": err("`validation_failed`, `bad_json`"),
        "401": err("`invalid_credentials` (same answer for unknown accounts)"),
        "409": err("`account_pending`: e-mail not verified yet"),
        ...rateLimited,
      },
    },
  },
  "/api/auth/logout": {
    post: {
      tags,
      summary: "End this token (or all sessions and tokens of the user with `all: true`)",
      security: auth,
      requestBody: {
        required: false,
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: { all: { type: "boolean" } },
            },
          },
        },
      },
      responses: {
        "200": json({
          type: "object",
          required: ["ok", "ended"],
          properties: { ok: { const: true }, ended: { type: "integer" } },
        }, "Signed out"),
        "401": err("`unauthorized`"),
      },
    },
  },
  "/api/auth/change-password": {
    put: {
      tags,
      summary: "Change the password (also completes a forced change); ends the user's other sessions",
      security: auth,
      requestBody: body({
        type: "object",
        required: ["currentPassword", "newPassword"],
        properties: {
          currentPassword: { type: "string" },
          newPassword: password,
        },
      }),
      responses: {
        "200": userResponse("Changed"),
        "400": err("`validation_failed`, `current_password_wrong`"),
        "401": err("`unauthorized`"),
        ...rateLimited,
      },
    },
  },
  "/api/auth/me": {
    get: {
      tags,
      summary: "The signed-in user",
      security: auth,
      responses: {
        "200": userResponse("The user"),
        "401": err("`unauthorized`"),
      },
    },
  },
  "/api/auth/register": {
    post: {
      tags,
      summary: "Register a client; a verification code is e-mailed (account `pending` until verified)",
      requestBody: body({
        type: "object",
        required: ["name", "gender", "birthDate", "email", "password"],
        properties: {
          name: { type: "string", minLength: 1, maxLength: 100 },
          gender: { type: "string", enum: ["female", "male"] },
          birthDate: {
            type: "string",
            format: "date",
            description: "Within CLIENT_MIN_AGE..CLIENT_MAX_AGE years",
          },
          email,
          password,
          lang,
        },
      }),
      responses: {
        "201": json({
          type: "object",
          required: ["user", "mailSent"],
          properties: { user: ref("User"), mailSent: { type: "boolean" } },
        }, "Registered, pending verification"),
        "400": err(
          "`validation_failed`, `email_taken` (a verified account has this e-mail)",
        ),
        ...rateLimited,
      },
    },
  },
  "/api/auth/verify": {
    post: {
      tags,
      summary: "Verify a registration with the e-mailed code; returns a bearer token",
      requestBody: body({
        type: "object",
        required: ["email", "code"],
        properties: { email, code },
      }),
      responses: {
        "200": tokenResponse,
        "400": err(
          "`validation_failed`, `otp_invalid`, `otp_expired`, `otp_locked`",
        ),
        ...rateLimited,
      },
    },
  },
  "/api/auth/resend": {
    post: {
      tags,
      summary: "Send a new registration code (same answer whether or not a pending account exists)",
      requestBody: body({
        type: "object",
        required: ["email"],
        properties: { email },
      }),
      responses: {
        "202": ok("Accepted"),
        "400": err("`validation_failed`"),
        ...rateLimited,
      },
    },
  },
  "/api/auth/forgot": {
    post: {
      tags,
      summary: "Ask for a password-reset code by e-mail (same answer whether or not the e-mail is registered)",
      requestBody: body({
        type: "object",
        required: ["email"],
        properties: { email },
      }),
      responses: {
        "202": ok("Accepted"),
        "400": err("`validation_failed`"),
        ...rateLimited,
      },
    },
  },
  "/api/auth/reset": {
    post: {
      tags,
      summary: "Set a new password with the e-mailed code; ends every session and token",
      requestBody: body({
        type: "object",
        required: ["email", "code", "password"],
        properties: { email, code, password, confirm: { type: "string" } },
      }),
      responses: {
        "200": ok("Password changed"),
        "400": err(
          "`validation_failed`, `otp_invalid`, `otp_expired`, `otp_locked`",
        ),
        ...rateLimited,
      },
    },
  },
  "/api/users": {
    get: {
      tags: adminTags,
      summary: "List users, newest first (admin)",
      security: auth,
      parameters: [
        { name: "role", in: "query", required: false, schema: ref("Role") },
        {
          name: "q",
          in: "query",
          required: false,
          description: "Case-insensitive search in name, e-mail, phone",
          schema: { type: "string", maxLength: 100 },
        },
        {
          name: "cursor",
          in: "query",
          required: false,
          description: "Cursor from the previous page",
          schema: { type: "string" },
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
          required: ["items", "cursor"],
          properties: {
            items: { type: "array", items: ref("User") },
            cursor: { type: ["string", "null"] },
          },
        }, "One page"),
        "400": err("`validation_failed`, `invalid_cursor`"),
        "401": err("`unauthorized`"),
        "403": err("`forbidden`, `password_change_required`"),
      },
    },
    post: {
      tags: adminTags,
      summary: "Create a staff account (admin); a temporary password is e-mailed and must be changed at first sign-in",
      security: auth,
      requestBody: body({
        type: "object",
        required: ["role", "name", "email"],
        properties: {
          role: {
            type: "string",
            enum: ["psychologist", "teacher", "receptionist", "admin"],
          },
          name: { type: "string", maxLength: 100 },
          email,
          phone,
          lang,
        },
      }),
      responses: {
        "201": json({
          type: "object",
          required: ["user", "mailSent"],
          properties: { user: ref("User"), mailSent: { type: "boolean" } },
        }, "Created"),
        "400": err("`validation_failed`, `email_taken`, `phone_taken`"),
        "401": err("`unauthorized`"),
        "403": err("`forbidden`"),
      },
    },
  },
  "/api/users/{id}": {
    parameters: [idParam],
    get: {
      tags: adminTags,
      summary: "One user (admin)",
      security: auth,
      responses: {
        "200": userResponse("The user"),
        "404": err("`user_not_found`"),
        "403": err("`forbidden`"),
      },
    },
    put: {
      tags: adminTags,
      summary: "Update a user (admin); `status: deactivated` ends their sessions. Audited.",
      security: auth,
      requestBody: body({
        type: "object",
        properties: {
          name: { type: "string", maxLength: 100 },
          email,
          phone: { ...phone, type: ["string", "null"] },
          gender: { type: ["string", "null"], enum: ["female", "male", null] },
          birthDate: { type: ["string", "null"], format: "date" },
          lang,
          status: { type: "string", enum: ["active", "deactivated"] },
        },
      }),
      responses: {
        "200": userResponse("Updated"),
        "400": err("`validation_failed`, `email_taken`, `phone_taken`"),
        "403": err("`forbidden`"),
        "404": err("`user_not_found`"),
        "409": err("`cannot_deactivate_self`, `concurrent_update`"),
      },
    },
    delete: {
      tags: adminTags,
      summary: "Deactivate a user and end all their sessions (admin). Audited.",
      security: auth,
      responses: {
        "200": userResponse("Deactivated"),
        "403": err("`forbidden`"),
        "404": err("`user_not_found`"),
        "409": err("`cannot_deactivate_self`"),
      },
    },
  },
  "/api/users/{id}/reset-password": {
    parameters: [idParam],
    post: {
      tags: adminTags,
      summary: "E-mail a new temporary password (must be changed); ends the user's sessions (admin). Audited.",
      security: auth,
      responses: {
        "200": json({
          type: "object",
          required: ["user", "mailSent"],
          properties: { user: ref("User"), mailSent: { type: "boolean" } },
        }, "Reset"),
        "403": err("`forbidden`"),
        "404": err("`user_not_found`"),
        "409": err("`no_email`"),
      },
    },
  },
};

/** Schemas of the accounts API (`Error` is shared; defined here too so the fragment stands alone). */
export const authSchemas: Record<string, Obj> = {
  Error: ERROR_SCHEMA,
  Role: {
    type: "string",
    enum: [
      "client",
      "psychologist",
      "teacher",
      "receptionist",
      "admin",
      "guest",
    ],
  },
  User: {
    type: "object",
    description: "Public view of an account (never credentials)",
    required: [
      "id",
      "role",
      "name",
      "email",
      "phone",
      "gender",
      "birthDate",
      "lang",
      "status",
      "mustChangePassword",
      "createdAt",
      "updatedAt",
    ],
    properties: {
      id: { type: "string" },
      role: ref("Role"),
      name: { type: "string" },
      email: { type: ["string", "null"], format: "email" },
      phone: {
        type: ["string", "null"],
        description: "Canonical `62…` digits",
      },
      gender: { type: ["string", "null"], enum: ["female", "male", null] },
      birthDate: { type: ["string", "null"], format: "date" },
      lang,
      status: { type: "string", enum: ["pending", "active", "deactivated"] },
      mustChangePassword: { type: "boolean" },
      createdAt: { type: "string", format: "date-time" },
      updatedAt: { type: "string", format: "date-time" },
    },
  },
};

/** The fragment in one object: `{ tags, paths, components: { schemas } }`. */
export const authOpenApi = {
  tags: [
    {
      name: "auth",
      description: "Sign-in, bearer tokens, registration, password reset",
    },
    { name: "users", description: "User management (admin)" },
  ],
  paths: authPaths,
  components: { schemas: authSchemas },
};
export default authOpenApi;
