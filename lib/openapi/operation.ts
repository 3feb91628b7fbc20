/**
 * How a route file describes its operations for `/api/openapi.json`: it exports
 * `openapi`, one {@link Operation} per HTTP method, built from the same zod schemas
 * that validate its input and shape its output. `lib/openapi/mod.ts` turns them into
 * OpenAPI 3.1 operations (zod 4's `z.toJSONSchema`). How to add one: docs/openapi.md.
 */
import { errorBodySchema } from "@/lib/http/errors.ts";
import { ulid, z } from "@/lib/validation.ts";

/** Any zod schema. */
export type Schema = z.ZodType;

/** One answer of an operation. */
export interface ResponseSpec {
  description: string;
  /** JSON body (`application/json`); omit for a body-less answer or when `content` is given. */
  schema?: Schema;
  /** Other media types (an image, CSV, an event stream), each with an optional schema. */
  content?: Record<string, { schema?: Schema }>;
  /** Response headers, e.g. `Retry-After`. */
  headers?: Record<string, { description?: string; schema: Schema }>;
}

/** One operation (an HTTP method of a route file). */
export interface Operation {
  summary: string;
  description?: string;
  tags: string[];
  /** {@link AUTH} for signed-in callers; omit for public operations. */
  security?: readonly Record<string, readonly string[]>[];
  /** Path parameters: one key per `[name]` segment of the route file. */
  path?: z.ZodObject;
  /** Query parameters (the same object the handler parses, where it has one). */
  query?: z.ZodObject;
  /** Request headers read by the handler. */
  headers?: z.ZodObject;
  /** JSON request body (the input schema the handler or its lib function parses). */
  body?: Schema;
  /** False when the body may be left out (default true when `body` is set). */
  bodyRequired?: boolean;
  /** Status → answer; a string is an error answer (`Error` body) with that description. */
  responses: Record<number, ResponseSpec | string>;
}

/** HTTP methods an `openapi` export may describe (lower-case, as in OpenAPI path items). */
export const METHODS = ["get", "put", "post", "delete", "patch"] as const;
/** The `openapi` export of a route file. */
export type RouteOpenApi = Partial<Record<(typeof METHODS)[number], Operation>>;

/** Identity with a type check: `export const openapi = defineOpenApi({ get: {...} })`. */
export function defineOpenApi<T extends RouteOpenApi>(spec: T): T {
  return spec;
}

/** Security of operations for signed-in callers: a bearer token or the session cookie. */
export const AUTH = [{ bearerAuth: [] }, { cookieAuth: [] }] as const;

/** The error body every endpoint answers with (OpenAPI component `Error`). */
export const ERROR = errorBodySchema;

/** A 429 answer with its `Retry-After` header (seconds). */
export function tooManyRequests(description = "`rate_limited`; see the `Retry-After` header (seconds)"): ResponseSpec {
  return { description, schema: ERROR, headers: { "Retry-After": { schema: z.int().min(0) } } };
}

/** Path parameter object `{ [name]: ULID }` with a description. */
export function idPath(description: string, name = "id"): z.ZodObject {
  return z.object({ [name]: ulid.describe(description) });
}

/** `{ items: T[], cursor }`, the paged list answer (`lib/db/kv.ts` `listPage`). */
export function pageOf<T extends Schema>(item: T) {
  return z.object({
    items: z.array(item),
    cursor: z.string().nullable().describe("Cursor of the next page; null at the end"),
  });
}

/** `{ ok: true }`. */
export const okSchema = z.object({ ok: z.literal(true) });
