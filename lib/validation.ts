/**
 * Input validation at the edge, with zod (one schema library for the app).
 *
 * Schemas put i18n keys in their custom messages (e.g. `z.string().min(1, "field.required")`);
 * `parseInput` turns zod issues into a `ValidationError` whose `fields` map each
 * field path ("email", "items.0.name") to an i18n key. Issues without a custom
 * key are mapped by zod issue code to a generic key.
 */
import { Buffer } from "node:buffer";
import { z } from "zod";
import { BadRequest, BodyAborted, PayloadTooLarge, ValidationError } from "./errors.ts";
import { log } from "./log.ts";

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

/**
 * Default limit of a request body, in bytes (64 KiB): every JSON and form body of the
 * app (the largest real one, a walk-in or profile form, is under 2 KiB). An endpoint that
 * takes uploads passes its own, larger `maxBytes` to `readBodyBytes` / `readFormData`
 * (and documents it beside the handler); nothing reads a body past its limit.
 */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads the whole body of `req` as bytes, never more than `maxBytes` (docs/architecture.md
 * "Security baseline": bodies are read as streams and cut at the limit; OWASP API Security
 * Top 10 2023, API4 "Unrestricted Resource Consumption").
 * - A declared `Content-Length` above the limit is refused before a byte is read.
 * - Otherwise the body stream is read chunk by chunk and cancelled as soon as more than
 *   `maxBytes` arrived, so a chunked body (no `Content-Length`) or a lying
 *   `Content-Length` costs at most `maxBytes` plus one chunk of memory.
 * @param maxBytes limit in bytes (default {@link MAX_BODY_BYTES})
 * @returns the body (empty when there is none)
 * @throws PayloadTooLarge (413) past the limit; BodyAborted (400) when the body stream
 *   fails — the client disconnected or aborted the upload (logged at debug level)
 */
export async function readBodyBytes(req: Request, maxBytes: number = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = (req.headers.get("content-length") ?? "").trim();
  if (/^\d+$/.test(declared) && Number(declared) > maxBytes) throw new PayloadTooLarge();
  if (req.body === null) return new Uint8Array(0);
  if (req.bodyUsed) throw new BodyAborted();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (err) {
      log("debug", "request body aborted", {
        method: req.method,
        path: new URL(req.url).pathname,
        received: total,
        error: err instanceof Error ? err.name : String(err),
      });
      throw new BodyAborted();
    }
    if (chunk.done) break;
    const bytes = chunk.value;
    if (!(bytes instanceof Uint8Array)) {
      reader.cancel().catch(() => {});
      throw new BadRequest("bad_body", "error.bad_request");
    }
    total += bytes.byteLength;
    if (total > maxBytes) {
      // Stop the transfer: the rest of the stream is never pulled.
      reader.cancel().catch(() => {});
      throw new PayloadTooLarge();
    }
    chunks.push(bytes);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * Drops a request body unread (e.g. a request refused by a rate limit before
 * its body is looked at), so the connection is not held by an upload nobody
 * reads. Never throws.
 */
export async function discardBody(req: Request): Promise<void> {
  await req.body?.cancel().catch(() => {});
}

/**
 * Most fields (multipart parts or `name=value` pairs) of one form body: the largest real form,
 * the admin's screening mapping grid, has about 100. Parsing is linear but slow per field (a
 * 15 MiB body of `a=1&a=1…` took 13 s of CPU on the anonymous application form), so the fields
 * are counted on the raw bytes before the body is parsed.
 */
export const MAX_FORM_FIELDS = 1000;

/** Occurrences of `needle` in `bytes`, counting stops past `max`. */
function countUpTo(bytes: Uint8Array, needle: Uint8Array, max: number): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (let at = buf.indexOf(needle); at !== -1 && n <= max; at = buf.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** The `boundary` parameter of a multipart `Content-Type` (quotes removed), or null. */
function multipartBoundary(type: string): string | null {
  const m = type.match(/;\s*boundary=(?:"([^"]{1,200})"|([^\s;]{1,200}))/i);
  return m ? (m[1] ?? m[2]) : null;
}

/**
 * Reads a form body (`application/x-www-form-urlencoded` or `multipart/form-data`,
 * files included) through `readBodyBytes`, so the limit holds for multipart too.
 * An urlencoded body carries no files, so it is always held to {@link MAX_BODY_BYTES}
 * whatever `maxBytes` an upload form allows; either kind may have at most
 * {@link MAX_FORM_FIELDS} fields, counted before parsing (docs/architecture.md "Security baseline").
 * @param maxBytes limit of the whole encoded body, in bytes (default
 *   {@link MAX_BODY_BYTES}; an upload form passes its own)
 * @throws PayloadTooLarge, BodyAborted as `readBodyBytes`; BadRequest `bad_form` for a
 *   body that is not a well-formed form of the declared type, `too_many_fields` past
 *   {@link MAX_FORM_FIELDS}
 */
export async function readFormData(req: Request, maxBytes: number = MAX_BODY_BYTES): Promise<FormData> {
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  const urlencoded = type.includes("application/x-www-form-urlencoded");
  const bytes = await readBodyBytes(req, urlencoded ? Math.min(maxBytes, MAX_BODY_BYTES) : maxBytes);
  const boundary = urlencoded ? null : multipartBoundary(req.headers.get("content-type") ?? "");
  const separator = new TextEncoder().encode(urlencoded ? "&" : `--${boundary ?? ""}`);
  if ((urlencoded || boundary) && countUpTo(bytes, separator, MAX_FORM_FIELDS + 1) > MAX_FORM_FIELDS + 1) {
    throw new BadRequest("too_many_fields", "error.too_many_fields", { max: MAX_FORM_FIELDS });
  }
  try {
    return await new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: { "content-type": req.headers.get("content-type") ?? "" },
    }).formData();
  } catch {
    throw new BadRequest("bad_form", "error.bad_request");
  }
}

/**
 * Reads a request body as a plain object, from JSON or a form
 * (`application/x-www-form-urlencoded` / `multipart/form-data`, string fields only;
 * file parts are dropped), always through the bounded `readBodyBytes`.
 * @param maxBytes limit in bytes (default {@link MAX_BODY_BYTES})
 * @throws BadRequest for invalid JSON, a non-object or a malformed form;
 *   PayloadTooLarge (413) past `maxBytes`; BodyAborted (400) when the client stops sending
 * @example
 * ```ts
 * const body = await readBody(ctx.req);                 // ≤ 64 KiB, JSON or form
 * const input = parseInput(appointmentInputSchema, body); // ValidationError with field keys
 * ```
 */
export async function readBody(req: Request, maxBytes: number = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
    const form = await readFormData(req, maxBytes);
    const out: Record<string, unknown> = {};
    for (const [k, v] of form.entries()) if (typeof v === "string") out[k] = v;
    return out;
  }
  const text = new TextDecoder().decode(await readBodyBytes(req, maxBytes));
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
