/**
 * The OpenAPI 3.1 document served at `/api/openapi.json`, generated, not written:
 * - `paths`: every route file under `routes/api/` in the route manifest (`fresh.gen.ts`)
 *   that exports `openapi` (`lib/openapi/operation.ts`), one operation per method;
 * - `components.schemas`: the named record and input schemas of {@link COMPONENTS},
 *   converted by zod 4's `z.toJSONSchema` (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
 *   Wherever an operation uses one of these zod schemas, the document has a `$ref` to it.
 *
 * How to add an operation: docs/openapi.md. Spec: https://spec.openapis.org/oas/v3.1.0
 *
 * The import of `fresh.gen.ts` is circular (the manifest imports `routes/api/openapi.json.ts`,
 * which imports this module); the manifest is read only when the document is first built.
 */
import manifest from "@/fresh.gen.ts";
import { pathToPattern } from "fresh";
import { z } from "@/lib/validation.ts";
import { VERSION } from "@/lib/version.ts";
import { METHODS, type Operation, type ResponseSpec, type RouteOpenApi, type Schema } from "./operation.ts";
import { errorBodySchema } from "@/lib/http/errors.ts";
import { publicUserSchema, roleSchema, staffRole, tokenResponseSchema } from "@/lib/auth/schemas.ts";
import { renderedNotificationSchema } from "@/lib/notify/notifications.ts";
import {
  appointmentInputSchema,
  appointmentSchema,
  appointmentStatusSchema,
  createdAppointmentResponseSchema,
  walkInInputSchema,
} from "@/lib/guestbook/model.ts";
import { qrOutcomeSchema } from "@/lib/guestbook/check_in.ts";
import { guestInputSchema, guestPatchSchema, guestRefSchema, guestViewSchema } from "@/lib/guestbook/guests.ts";
import { reviewInputSchema, reviewSchema } from "@/lib/guestbook/reviews.ts";
import { reportSchema, todayDashboardSchema } from "@/lib/guestbook/reports.ts";
import { storedFileSchema } from "@/lib/files/store.ts";
import { directoryItemSchema } from "@/lib/psychologists/directory.ts";
import { publicPsychologistSchema } from "@/lib/psychologists/model.ts";
import { paymentViewSchema } from "@/lib/payments/view.ts";
import { articleInputSchema, articleSchema, articleSummarySchema, publicArticleSchema } from "@/lib/articles/model.ts";

type Obj = Record<string, unknown>;

/**
 * Named schemas of `components.schemas`. `output`: records as the API answers them
 * (converted with `io: "output"`, objects closed with `additionalProperties: false`);
 * `input`: request bodies (converted with `io: "input"`: what a client may send,
 * before defaults and transforms); `shared`: enums, the same both ways, referenced
 * from answers, bodies and parameters alike. A name is used once across all three.
 */
export const COMPONENTS: {
  shared: Record<string, Schema>;
  output: Record<string, Schema>;
  input: Record<string, Schema>;
} = {
  shared: {
    Role: roleSchema,
    StaffRole: staffRole,
    AppointmentStatus: appointmentStatusSchema,
  },
  output: {
    Error: errorBodySchema,
    User: publicUserSchema,
    Token: tokenResponseSchema,
    Notification: renderedNotificationSchema,
    Appointment: appointmentSchema,
    CreatedAppointment: createdAppointmentResponseSchema,
    QrOutcome: qrOutcomeSchema,
    Guest: guestViewSchema,
    GuestRef: guestRefSchema,
    Review: reviewSchema,
    Report: reportSchema,
    TodayDashboard: todayDashboardSchema,
    StoredFile: storedFileSchema,
    Article: articleSchema,
    ArticleSummary: articleSummarySchema,
    PublicArticle: publicArticleSchema,
    Payment: paymentViewSchema,
    DirectoryItem: directoryItemSchema,
    PublicPsychologist: publicPsychologistSchema,
  },
  input: {
    AppointmentInput: appointmentInputSchema,
    WalkInInput: walkInInputSchema,
    GuestInput: guestInputSchema,
    GuestPatch: guestPatchSchema,
    ReviewInput: reviewInputSchema,
    ArticleInput: articleInputSchema,
  },
};

/** Tags in document order. */
const TAGS = [
  { name: "auth", description: "Sign-in, bearer tokens, registration, password reset" },
  { name: "users", description: "User management (admin)" },
  { name: "guestbook", description: "Front desk: appointments, signed QR check-in, guests, reviews, reports" },
  { name: "notifications", description: "In-app notifications (a guest has arrived), live over Server-Sent Events" },
  { name: "articles", description: "Health articles: public reading, admin writing" },
  { name: "files", description: "The shared file store (uploads such as article covers)" },
  { name: "payments", description: "Midtrans payments: history, the HTTP notification endpoint" },
  { name: "psychologists", description: "The directory of verified psychologists and their public profiles" },
  {
    name: "screening",
    description:
      "Emotion screening: the stimulus pictures and versions, consent, stored results (counts only; computed on the server), history, PDF",
  },
  { name: "chatbot", description: "CnBuddy, the FAQ chatbot (public), with the crisis override" },
  {
    name: "chat",
    description: "Consultation chat of a booking: messages exactly once, receipts, live over Server-Sent Events",
  },
  { name: "notes", description: "Session notes of a booking (SOAP + private note): encrypted, signed, audited" },
];

const ref = (name: string) => `#/components/schemas/${name}`;

/** `routes/api/users/[id].ts` → `/api/users/{id}`. */
export function openApiPath(routeFile: string): string | null {
  const pattern = pathToPattern(routeFile.replace(/^\.?\/?routes\//, ""));
  return pattern === null ? null : pattern.replace(/:(\w+)\*?/g, "{$1}");
}

/** Everything to convert in one `io` mode: named components plus the operations' own schemas. */
class Pass {
  readonly registry = z.registry<{ id: string }>();
  readonly #ids = new Map<Schema, string>();
  #n = 0;
  constructor(readonly io: "input" | "output", components: Record<string, Schema>) {
    for (const [name, s] of Object.entries(components)) {
      this.registry.add(s, { id: name });
      this.#ids.set(s, name);
    }
  }
  /** A placeholder for `s`, replaced by its JSON Schema after {@link convert}. */
  use(s: Schema): { $pass: Pass; id: string } {
    let id = this.#ids.get(s);
    if (!id) {
      id = `~${this.io}${this.#n++}`;
      this.registry.add(s, { id });
      this.#ids.set(s, id);
    }
    return { $pass: this, id };
  }
  converted: Record<string, Obj> = {};
  convert(): void {
    const out = z.toJSONSchema(this.registry, {
      io: this.io,
      uri: ref,
      unrepresentable: (ctx) =>
        ctx.zodSchema._zod.def.type === "date" ? { type: "string", format: "date-time" } : "throw",
      override: ({ jsonSchema }) => {
        // Formats say it; zod's long regular expressions for them only add noise.
        if (typeof jsonSchema.format === "string" && ["date-time", "date", "email"].includes(jsonSchema.format)) {
          delete jsonSchema.pattern;
        }
        // `z.int()` bounds at the safe-integer range: not a rule of the API.
        if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
        if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      },
    }).schemas as Record<string, Obj>;
    for (const s of Object.values(out)) {
      delete s.$schema;
      delete s.$id;
    }
    this.converted = out;
  }
  /** The JSON Schema of a placeholder: a `$ref` for named components, inline for the rest. */
  resolve(id: string): Obj {
    if (!id.startsWith("~")) return { $ref: ref(id) };
    return inlineAnonymous(this.converted[id], this.converted);
  }
}

/** Replaces `$ref`s to operation-only schemas (`~…`) by their content: they are not components. */
function inlineAnonymous(schema: Obj, all: Record<string, Obj>): Obj {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const o = v as Obj;
      if (typeof o.$ref === "string" && o.$ref.startsWith(ref("~"))) {
        return walk(all[o.$ref.slice(ref("").length)]);
      }
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(schema) as Obj;
}

/** Replaces every placeholder left by `Pass.use` with its converted schema. */
function fill(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fill);
  if (v && typeof v === "object") {
    const o = v as { $pass?: Pass; id?: string };
    if (o.$pass instanceof Pass) return o.$pass.resolve(o.id!);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
  }
  return v;
}

/** OpenAPI parameters of one location from a zod object (required unless optional). */
function parameters(where: "path" | "query" | "header", obj: z.ZodObject | undefined, input: Pass): Obj[] {
  if (!obj) return [];
  return Object.entries(obj.shape).map(([name, s]) => {
    const schema = s as Schema;
    const optional = schema.safeParse(undefined).success;
    const description = schema.description ??
      (schema instanceof z.ZodOptional ? (schema.unwrap() as Schema).description : undefined);
    return {
      name,
      in: where,
      required: where === "path" || !optional,
      ...(description ? { description } : {}),
      schema: input.use(schema),
    };
  });
}

function response(spec: ResponseSpec | string, output: Pass): Obj {
  if (typeof spec === "string") spec = { description: spec, schema: errorBodySchema };
  const content: Obj = {};
  if (spec.schema) content["application/json"] = { schema: output.use(spec.schema) };
  for (const [type, c] of Object.entries(spec.content ?? {})) {
    content[type] = c.schema ? { schema: output.use(c.schema) } : {};
  }
  return {
    description: spec.description,
    ...(spec.headers
      ? {
        headers: Object.fromEntries(
          Object.entries(spec.headers).map(([k, h]) => [k, {
            ...(h.description ? { description: h.description } : {}),
            schema: output.use(h.schema),
          }]),
        ),
      }
      : {}),
    ...(Object.keys(content).length ? { content } : {}),
  };
}

function operation(op: Operation, input: Pass, output: Pass): Obj {
  const params = [
    ...parameters("path", op.path, input),
    ...parameters("query", op.query, input),
    ...parameters("header", op.headers, input),
  ];
  return {
    tags: op.tags,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.security ? { security: op.security } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(op.body
      ? {
        requestBody: {
          required: op.bodyRequired ?? true,
          content: { "application/json": { schema: input.use(op.body) } },
        },
      }
      : {}),
    responses: Object.fromEntries(
      Object.entries(op.responses).map(([status, r]) => [status, response(r, output)]),
    ),
  };
}

/**
 * Builds the document from route modules (`{ "./routes/api/x.ts": module }`, the
 * manifest's `routes`). A route file under `routes/api/` without an `openapi` export
 * is left out (the OpenAPI test requires one for every API route).
 * @throws Error when a component name is defined twice, a shared component converts
 *   differently for requests and answers, or a zod schema cannot be represented in JSON Schema (e.g. an output transform).
 */
export function buildOpenApiDocument(routes: Record<string, unknown>): Obj {
  const { shared } = COMPONENTS;
  const names = [shared, COMPONENTS.output, COMPONENTS.input].flatMap(Object.keys);
  const clash = names.filter((n, i) => names.indexOf(n) !== i);
  if (clash.length) throw new Error(`OpenAPI component names used twice: ${clash.join(", ")}`);
  const input = new Pass("input", { ...shared, ...COMPONENTS.input });
  const output = new Pass("output", { ...shared, ...COMPONENTS.output });
  const paths: Record<string, Obj> = {};
  for (const [file, mod] of Object.entries(routes).sort(([a], [b]) => a.localeCompare(b))) {
    if (!/^\.\/routes\/api\//.test(file)) continue;
    const spec = (mod as { openapi?: RouteOpenApi }).openapi;
    const path = openApiPath(file);
    if (!spec || !path) continue;
    const item: Obj = {};
    for (const m of METHODS) {
      const op = spec[m];
      if (op) item[m] = operation(op, input, output);
    }
    paths[path] = item;
  }
  input.convert();
  output.convert();
  const schemas: Record<string, Obj> = {};
  for (const pass of [output, input]) {
    for (const [name, s] of Object.entries(pass.converted)) {
      if (name.startsWith("~")) continue;
      const json = inlineAnonymous(s, pass.converted);
      if (name in schemas && JSON.stringify(schemas[name]) !== JSON.stringify(json)) {
        throw new Error(`OpenAPI shared component ${name} differs between requests and answers`);
      }
      schemas[name] = json;
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "RuangPulih API",
      version: VERSION,
      description:
        "JSON API for non-browser clients. Authenticate with `POST /api/auth/login` and send `Authorization: Bearer <token>`. Errors are `{error: {code, message, fields?}}`.",
    },
    servers: [{ url: "/" }],
    tags: TAGS,
    paths: fill(paths),
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "token from POST /api/auth/login (12 h)" },
        cookieAuth: { type: "apiKey", in: "cookie", name: "__Host-session", description: "browser session" },
      },
    },
  };
}

let cached: Obj | null = null;

/** The document of this app's route manifest (built once per process). */
export function openApiDocument(): Obj {
  return cached ??= buildOpenApiDocument(manifest.routes);
}
