/**
 * The root middleware (mounted by `routes/_middleware.ts`): language, CSP nonce,
 * the signed-in user, CSRF, `no-store` for signed-in
 * responses, the forced first-password change, and one JSON log line per
 * request. Thrown errors go on to the error boundary (`routes/_error.tsx`,
 * mapped by `lib/http/errors.ts`).
 *
 * An anonymous request (no session cookie, no bearer token) reads nothing
 * from KV; header values that do not depend on the request are made once
 * (see docs/benchmarks.md for the measured request path).
 */
import type { Context } from "fresh";
import type { State } from "@/lib/state.ts";
import { csrfAllowed } from "./security.ts";
import { errorStatus } from "./errors.ts";
import { finishHeaders, initRequestState } from "./request.ts";
import { Forbidden } from "@/lib/errors.ts";
import { resolveRequestUser } from "@/lib/auth/sessions.ts";
import { allowedDuringPasswordChange } from "@/lib/auth/guard.ts";
import { log } from "@/lib/log.ts";
import { notificationBellProps } from "@/lib/notify/bell.ts";

/** Runs the request through the app with the cross-cutting rules above. */
export async function rootMiddleware(ctx: Context<State>): Promise<Response> {
  const started = performance.now();
  initRequestState(ctx);
  let res: Response;
  try {
    const who = await resolveRequestUser(ctx.req);
    ctx.state.user = who.user;
    ctx.state.sessionId = who.sessionId;
    ctx.state.authKind = who.authKind;
    if (!csrfAllowed(ctx.req, ctx.url)) throw new Forbidden("csrf_rejected", "error.csrf");
    const path = ctx.url.pathname;
    if (
      who.user?.mustChangePassword && who.authKind === "cookie" && !allowedDuringPasswordChange(path) &&
      ctx.req.method === "GET" && !path.startsWith("/api/")
    ) {
      res = new Response(null, { status: 303, headers: { location: "/first-password" } });
    } else {
      // POST too: a form posted with errors re-renders the page, and its header must keep the bell.
      if (
        who.user && !who.user.mustChangePassword && (ctx.req.method === "GET" || ctx.req.method === "POST") &&
        !path.startsWith("/api/")
      ) {
        ctx.state.bell = await notificationBellProps(who.user.id, ctx.state.lang);
      }
      res = await ctx.next();
    }
  } catch (err) {
    logRequest(ctx, errorStatus(err), started);
    throw err;
  }
  // Security headers: `securityHeaders()` (lib/http/security.ts), around every response.
  try {
    finishHeaders(ctx.state, res.headers);
  } catch {
    // Responses from Response.redirect()/fetch have immutable headers: copy.
    res = new Response(res.body, res);
    finishHeaders(ctx.state, res.headers);
  }
  logRequest(ctx, res.status, started);
  return res;
}

function logRequest(ctx: Context<State>, status: number, started: number): void {
  log("info", "request", {
    method: ctx.req.method,
    path: ctx.url.pathname,
    status,
    ms: Math.round((performance.now() - started) * 10) / 10,
    user: ctx.state.user?.id ?? null,
  });
}
