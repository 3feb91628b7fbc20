/**
 * The root middleware (mounted by `routes/_middleware.ts`): language, CSP nonce,
 * the signed-in user, CSRF, error mapping, security headers, `no-store` for
 * signed-in responses, the forced first-password change, and one JSON log line
 * per request.
 */
import type { Context } from "fresh";
import { negotiateLang, translator } from "@/lib/i18n/mod.ts";
import type { State } from "@/lib/state.ts";
import { applySecurityHeaders, csrfAllowed, newNonce } from "./security.ts";
import { errorResponse } from "./errors.ts";
import { Forbidden } from "@/lib/errors.ts";
import { resolveRequestUser } from "@/lib/auth/sessions.ts";
import { log } from "@/lib/log.ts";
import { notificationBellProps } from "@/lib/notify/bell.ts";

/** Paths a user who must change the password may still reach. */
const FIRST_PASSWORD_ALLOWED =
  /^\/(first-password|signout|lang|about|healthz|api\/auth\/change-password|api\/auth\/logout)(\/|$)/;

/** Runs the request through the app with the cross-cutting rules above. */
export async function rootMiddleware(ctx: Context<State>): Promise<Response> {
  const started = performance.now();
  const lang = negotiateLang(ctx.req);
  ctx.state.lang = lang;
  ctx.state.t = translator(lang);
  ctx.state.nonce = newNonce();
  ctx.state.user = null;
  ctx.state.sessionId = null;
  ctx.state.authKind = null;
  ctx.state.bell = null;
  let res: Response;
  try {
    const who = await resolveRequestUser(ctx.req);
    ctx.state.user = who.user;
    ctx.state.sessionId = who.sessionId;
    ctx.state.authKind = who.authKind;
    if (!csrfAllowed(ctx.req, ctx.url)) {
      res = await errorResponse(ctx, new Forbidden("csrf_rejected", "error.csrf"));
    } else if (
      who.user?.mustChangePassword && who.authKind === "cookie" && !FIRST_PASSWORD_ALLOWED.test(ctx.url.pathname) &&
      ctx.req.method === "GET" && !ctx.url.pathname.startsWith("/api/")
    ) {
      res = new Response(null, { status: 303, headers: { location: "/first-password" } });
    } else {
      if (
        who.user && !who.user.mustChangePassword && ctx.req.method === "GET" && !ctx.url.pathname.startsWith("/api/")
      ) {
        ctx.state.bell = await notificationBellProps(who.user.id, lang);
      }
      res = await ctx.next();
    }
  } catch (err) {
    res = await errorResponse(ctx, err);
  }
  // Responses from Response.redirect()/fetch have immutable headers: copy when needed.
  let headers: Headers;
  try {
    headers = res.headers;
    headers.set("x-request-lang", lang);
    headers.delete("x-request-lang");
  } catch {
    res = new Response(res.body, res);
    headers = res.headers;
  }
  applySecurityHeaders(headers, ctx.state.nonce);
  if (ctx.state.user && !headers.has("cache-control")) headers.set("cache-control", "no-store");
  if (!headers.has("content-language") && (headers.get("content-type") ?? "").startsWith("text/html")) {
    headers.set("content-language", lang);
  }
  if (!headers.has("vary")) headers.set("vary", "Cookie, Accept-Language");
  log("info", "request", {
    method: ctx.req.method,
    path: ctx.url.pathname,
    status: res.status,
    ms: Math.round((performance.now() - started) * 10) / 10,
    user: ctx.state.user?.id ?? null,
  });
  return res;
}
