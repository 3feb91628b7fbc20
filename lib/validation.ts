/**
 * Input validation at the edge, with zod (one schema library for the app).
 *
 * Schemas put i18n keys in their custom messages (e.g. `z.string().min(1, "field.required")`);
 * `parseInput` turns zod issues into a `ValidationError` whose `fields` map each
 * field path ("email", "items.0.name") to an i18n key. Issues without a custom
 * key are mapped by zod issue code to a generic key.
 */
import { z } from "zod";
import { BadRequest, PayloadTooLarge, ValidationError } from "./errors.ts";

export { z };

function keyForIssue(issue: z.core.$ZodIssue): string {
  if (issue.message && /^[a-z_]+(\.[a-z0-9_]+)+$/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return (issue as { input?: unknown }).input === undefined ? "field.required" : "field.invalid";
    case "too_small":
      return "field.too_short";
    case "too_big":
      return "field.too_long";
    case "invalid_value":
      return "field.invalid_choice";
    case "invalid_format":
      return (issue as { format?: string }).format === "email" ? "field.invalid_email" : "field.invalid";
    default:
      return "field.invalid";
  }
}

/**
 * Validates `input` against `schema`. Returns the parsed value or throws
 * `ValidationError` (HTTP 400) with one i18n key per failing field (first issue
 * wins; see {@link validationErrorOf}).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input, { reportInput: true });
  if (r.success) return r.data;
  throw validationErrorOf(r.error);
}

/** Interpolation values of an issue's message: `{max}` of too_big, `{min}` of too_small. */
function paramsOfIssue(issue: z.core.$ZodIssue): Record<string, number> | null {
  if (issue.code === "too_big") return { max: Number(issue.maximum) };
  if (issue.code === "too_small") return { min: Number(issue.minimum) };
  return null;
}

/**
 * Turns a zod error into a `ValidationError`: one i18n key per failing field
 * (first issue wins), with `{min}`/`{max}` parameters for length and size issues.
 */
export function validationErrorOf(error: z.ZodError): ValidationError {
  const fields: Record<string, string> = {};
  const params: Record<string, Record<string, number>> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".") || "_";
    if (path in fields) continue;
    fields[path] = keyForIssue(issue);
    const p = paramsOfIssue(issue);
    if (p) params[path] = p;
  }
  return new ValidationError(fields, undefined, undefined, params);
}

/** Maximum accepted body size for JSON and form requests (bytes). */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads a request body as a plain object, from JSON or a form
 * (`application/x-www-form-urlencoded` / `multipart/form-data`, string fields only).
 * Throws `BadRequest` for invalid JSON or a non-object, `PayloadTooLarge` past
 * `maxBytes`.
 */
export async function readBody(req: Request, maxBytes = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const len = Number(req.headers.get("content-length") ?? "0");
  if (len > maxBytes) throw new PayloadTooLarge();
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      throw new BadRequest("bad_form", "error.bad_request");
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of form.entries()) if (typeof v === "string") out[k] = v;
    return out;
  }
  const text = await req.text();
  if (text.length > maxBytes) throw new PayloadTooLarge();
  if (text.trim() === "") return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new BadRequest("bad_json", "error.bad_json");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new BadRequest("bad_json", "error.bad_json");
  }
  return data as Record<string, unknown>;
}

// ---------------------------------------------------------------- record primitives
// Shapes of stored records and API responses (not input rules): the record schemas in
// each capability (e.g. `lib/auth/schemas.ts`) are built from these, and the OpenAPI
// document (`lib/openapi/mod.ts`, docs/openapi.md) is generated from the record schemas.

/** A UTC instant as the records store it: ISO 8601 from `Date.prototype.toISOString()`. */
export const instant = z.iso.datetime();
/** A local calendar date `YYYY-MM-DD`. */
export const calendarDate = z.iso.date();
/** An entity id: a ULID (26 Crockford base32 characters, see `lib/db/ids.ts`). */
export const ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/).describe("ULID (time-ordered)");
