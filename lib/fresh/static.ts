/**
 * `staticFiles()` — serves `static/` at the site root (Fresh: `static/styles.css`
 * → `/styles.css`) with a strong ETag (SHA-256 of the content) and `304 Not
 * Modified` on a matching `If-None-Match` (RFC 9110 §13.1.2). URLs made by
 * `asset()` (`?__frsh_c=…`) get `Cache-Control: public, max-age=31536000, immutable`;
 * others `no-cache` (revalidate with the ETag). `/_fresh/…` (island bundles) is left to
 * the app. Security headers (nosniff, CSP, HSTS …) are not set here: the app's first
 * middleware (`securityHeaders()` in lib/http/security.ts) puts them on every response.
 */
import type { Middleware } from "./context.ts";

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  json: "application/json",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  ico: "image/x-icon",
  txt: "text/plain; charset=utf-8",
  wasm: "application/wasm",
  woff2: "font/woff2",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  webmanifest: "application/manifest+json",
};

interface Cached {
  etag: string;
  body: Uint8Array;
  mtime: number;
}

/** Serves files under `dir` (default `./static`). */
export function staticFiles<State>(dir = "./static"): Middleware<State> {
  const cache = new Map<string, Cached>();
  return async (ctx) => {
    const { req, url } = ctx;
    if (req.method !== "GET" && req.method !== "HEAD") return ctx.next();
    if (url.pathname.startsWith("/_fresh/")) return ctx.next();
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return ctx.next();
    }
    if (path.includes("..") || path.includes("\0") || path.endsWith("/")) return ctx.next();
    const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
    if (!(ext in TYPES)) return ctx.next();
    const file = `${dir}${path}`;
    let stat: Deno.FileInfo;
    try {
      stat = await Deno.stat(file);
      if (!stat.isFile) return ctx.next();
    } catch {
      return ctx.next();
    }
    const mtime = stat.mtime?.getTime() ?? 0;
    let c = cache.get(file);
    if (!c || c.mtime !== mtime) {
      const body = await Deno.readFile(file);
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
      const etag = `"${[...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
      c = { etag, body, mtime };
      cache.set(file, c);
    }
    const headers = new Headers({
      "content-type": TYPES[ext],
      etag: c.etag,
      "cache-control": url.searchParams.has("__frsh_c") ? "public, max-age=31536000, immutable" : "no-cache",
    });
    const inm = req.headers.get("if-none-match");
    if (inm && inm.split(",").map((s) => s.trim().replace(/^W\//, "")).includes(c.etag)) {
      return new Response(null, { status: 304, headers });
    }
    headers.set("content-length", String(c.body.length));
    return new Response(req.method === "HEAD" ? null : c.body as BodyInit, { headers });
  };
}
