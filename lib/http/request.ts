/**
 * Per-request state and the response headers that depend on it, shared by the
 * root middleware (`lib/http/middleware.ts`) and the error page
 * (`lib/http/errors.ts`, rendered by `routes/_error.tsx`).
 */
import type { Context } from "fresh";
import { type Lang, negotiateLang, type T, translator } from "@/lib/i18n/mod.ts";
import type { State } from "@/lib/state.ts";
import { newNonce } from "./security.ts";

/** One translator per language, made once (a translator is a pure function of its language). */
const TRANSLATORS: Record<Lang, T> = { id: translator("id"), en: translator("en") };

/**
 * Fills the request's state before anything else reads it: language (cookie,
 * then `Accept-Language`), its translator, the CSP nonce (kept when an earlier
 * middleware made one) and no user yet.
 */
export function initRequestState(ctx: Context<State>): void {
  const lang = negotiateLang(ctx.req);
  const s = ctx.state;
  s.lang = lang;
  s.t = TRANSLATORS[lang];
  s.nonce ??= newNonce();
  s.user = null;
  s.sessionId = null;
  s.authKind = null;
  s.bell = null;
}

/**
 * Sets the state-dependent response headers on `headers` (never overriding one
 * the handler set): `Cache-Control: no-store` when a user is signed in (OWASP
 * ASVS V8.2.1: authenticated pages are not cached), `Content-Language` on HTML,
 * and `Vary: Cookie, Accept-Language` (the page depends on both).
 * @throws TypeError when `headers` is immutable (a `Response.redirect()`'s).
 */
export function finishHeaders(state: State, headers: Headers): void {
  if (state.user && !headers.has("cache-control")) headers.set("cache-control", "no-store");
  if (!headers.has("content-language") && headers.get("content-type")?.startsWith("text/html")) {
    headers.set("content-language", state.lang);
  }
  if (!headers.has("vary")) headers.set("vary", "Cookie, Accept-Language");
}
