/**
 * Security headers and CSRF checks (docs/architecture.md "Security baseline";
 * OWASP Secure Headers Project, ASVS V3.4). `securityHeaders()` is the one place
 * that puts the headers on every response — pages, API, static files, island
 * bundles and error responses alike (main.ts mounts it first).
 */
import { config } from "@/lib/config.ts";
import type { Middleware } from "fresh";

/** CSPRNG bytes drawn in blocks of 4 KiB (one call per 256 nonces); every byte is used once. */
const noncePool = new Uint8Array(4096);
let nonceAt = noncePool.length;

/** A fresh CSP nonce: 16 random bytes (CSP Level 3 §7.2: at least 128 bits), base64. */
export function newNonce(): string {
  if (nonceAt === noncePool.length) {
    crypto.getRandomValues(noncePool);
    nonceAt = 0;
  }
  return noncePool.subarray(nonceAt, nonceAt += 16).toBase64();
}

/**
 * The Content-Security-Policy for a response. Scripts and styles only from our
 * origin or with this response's nonce; `'wasm-unsafe-eval'` lets the QR
 * decoder compile its WebAssembly; camera frames are `blob:`/`mediastream:`.
 */
export function contentSecurityPolicy(nonce: string): string {
  return CSP_HEAD + nonce + CSP_MIDDLE + nonce + CSP_TAIL;
}

// The policy split around its two nonces once, so a response only concatenates.
const [CSP_HEAD, CSP_MIDDLE, CSP_TAIL] = [
  "default-src 'self'",
  "script-src 'self' 'nonce-\0' 'wasm-unsafe-eval'",
  "style-src 'self' 'nonce-\0'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ").split("\0");

/** Sets the baseline security headers on `headers` (does not override ones already set). */
export function applySecurityHeaders(headers: Headers, nonce: string): void {
  const set = (k: string, v: string) => {
    if (!headers.has(k)) headers.set(k, v);
  };
  set("content-security-policy", contentSecurityPolicy(nonce));
  set("strict-transport-security", "max-age=63072000; includeSubDomains");
  set("x-content-type-options", "nosniff");
  set("referrer-policy", "strict-origin-when-cross-origin");
  set("x-frame-options", "DENY");
  set("cross-origin-opener-policy", "same-origin");
  set("permissions-policy", "camera=(self), microphone=(), geolocation=()");
}

/**
 * The middleware that gives every response the baseline security headers
 * (`applySecurityHeaders`), mounted first with `app.use()` so that it wraps static
 * files and island bundles as well as routes. It creates the request's CSP nonce
 * (`ctx.state.nonce`, used by pages for inline scripts) when none is set yet. A response
 * with immutable headers (`Response.redirect`, a fetched response) is copied.
 */
export function securityHeaders<State extends { nonce: string }>(): Middleware<State> {
  return async (ctx) => {
    ctx.state.nonce ??= newNonce();
    let res = await ctx.next();
    try {
      applySecurityHeaders(res.headers, ctx.state.nonce);
    } catch {
      res = new Response(res.body, res);
      applySecurityHeaders(res.headers, ctx.state.nonce);
    }
    return res;
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * True when a state-changing request may proceed (CSRF defence, OWASP CSRF
 * Cheat Sheet "Verifying Origin with standard headers" + Fetch Metadata).
 * - Safe methods always pass.
 * - Bearer-token requests (apps) carry no ambient credentials: pass.
 * - Otherwise `Sec-Fetch-Site` must be `same-origin` or `none`, or `Origin`
 *   must equal this site's origin (request URL or `BASE_URL`).
 * - A request with neither header passes only when it carries no cookies
 *   (non-browser clients); a browser always sends one of them.
 */
export function csrfAllowed(req: Request, url: URL): boolean {
  if (SAFE_METHODS.has(req.method)) return true;
  if ((req.headers.get("authorization") ?? "").toLowerCase().startsWith("bearer ")) return true;
  const site = req.headers.get("sec-fetch-site");
  const origin = req.headers.get("origin");
  const own = new Set([url.origin, new URL(config.baseUrl).origin]);
  if (origin !== null && origin !== "null") {
    return own.has(origin) && (site === null || site === "same-origin" || site === "none");
  }
  if (site !== null) return site === "same-origin" || site === "none";
  return !req.headers.has("cookie");
}
