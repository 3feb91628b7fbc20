/**
 * Serves the shipped screening models (`models/`, copied from `@vladmandic/human` by
 * `tasks/vendor_screening.ts`) at `GET /models/{version}/{file}` (routes/models/[version]/[file].ts).
 *
 * Only the files of {@link MODEL_FILES} under the current {@link HUMAN_VERSION} exist; anything else is a
 * 404 (`NotFound`). The version is part of the path, so responses are
 * `Cache-Control: public, max-age=31536000, immutable` with a strong ETag (SHA-256) and `304` on a matching
 * `If-None-Match` (RFC 9110 §13.1.2). `.json` → `application/json`, `.bin` → `application/octet-stream`.
 *
 * @module
 */
import { NotFound } from "@/lib/errors.ts";
import { HUMAN_VERSION, MODEL_FILES } from "./engine_config.ts";

const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const cache = new Map<string, { body: Uint8Array<ArrayBuffer>; etag: string }>();

/**
 * The response for one model file.
 * @param version path segment; must equal {@link HUMAN_VERSION}.
 * @param file file name; must be one of {@link MODEL_FILES}.
 * @param req the request (for `If-None-Match` and HEAD).
 * @throws NotFound `model_not_found` for another version or file, or when the build did not copy it.
 */
export async function modelFileResponse(version: string, file: string, req: Request): Promise<Response> {
  if (version !== HUMAN_VERSION || !(MODEL_FILES as readonly string[]).includes(file)) {
    throw new NotFound("model_not_found");
  }
  let c = cache.get(file);
  if (!c) {
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await Deno.readFile(`${ROOT}/models/${file}`);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) throw new NotFound("model_not_found");
      throw e;
    }
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
    c = { body, etag: `"${[...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}"` };
    cache.set(file, c);
  }
  const headers = new Headers({
    "content-type": file.endsWith(".json") ? "application/json" : "application/octet-stream",
    "cache-control": "public, max-age=31536000, immutable",
    etag: c.etag,
  });
  const inm = req.headers.get("if-none-match");
  if (inm && inm.split(",").map((s) => s.trim().replace(/^W\//, "")).includes(c.etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(c.body.length));
  return new Response(req.method === "HEAD" ? null : c.body, { headers });
}
