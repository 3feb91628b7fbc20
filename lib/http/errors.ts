/**
 * The one place that turns thrown errors into responses:
 * - `AppError` subclasses → their status, with a translated message;
 *   JSON `{ error: { code, message, fields? } }` for `/api/…` and JSON clients,
 *   otherwise a translated HTML error page (or a redirect to sign-in for an
 *   anonymous page visit).
 * - anything else → 500 with a generic translated message; the stack goes only to the log.
 */
import { h } from "preact";
import { type Context, HttpError } from "fresh";
import {
  AppError,
  BadRequest,
  MethodNotAllowed,
  NotFound,
  TooManyRequests,
  Unauthorized,
  ValidationError,
} from "@/lib/errors.ts";
import { translate } from "@/lib/i18n/mod.ts";
import type { State } from "@/lib/state.ts";
import { log } from "@/lib/log.ts";
import { ErrorPage } from "@/components/ErrorPage.tsx";

/** True when the client wants JSON: API paths, or an Accept header without text/html. */
export function wantsJson(req: Request, url: URL): boolean {
  if (url.pathname.startsWith("/api/")) return true;
  const accept = req.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

/** The JSON error body for an AppError, translated into `lang`. */
export function errorBody(err: AppError, lang: "id" | "en") {
  const body: { code: string; message: string; fields?: Record<string, string> } = {
    code: err.code,
    message: translate(lang, err.messageKey, err.params),
  };
  if (err instanceof ValidationError) {
    body.fields = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, translate(lang, v)]));
  }
  return { error: body };
}

/** Maps `err` to a response for this request (see module doc). Never throws. */
export async function errorResponse(ctx: Context<State>, err: unknown): Promise<Response> {
  const lang = ctx.state.lang ?? "id";
  const json = wantsJson(ctx.req, ctx.url);
  if (err instanceof HttpError && err.status < 500) {
    err = err.status === 404
      ? new NotFound()
      : err.status === 405
      ? new MethodNotAllowed(err.headers.get("allow") ?? "")
      : new BadRequest();
  }
  if (err instanceof AppError) {
    const headers = new Headers();
    if (err instanceof TooManyRequests) headers.set("retry-after", String(err.retryAfter));
    if (err instanceof MethodNotAllowed) headers.set("allow", err.allow);
    if (json) return Response.json(errorBody(err, lang), { status: err.status, headers });
    if (err instanceof Unauthorized && ctx.req.method === "GET") {
      const next = ctx.url.pathname + ctx.url.search;
      return new Response(null, { status: 303, headers: { location: `/signin?next=${encodeURIComponent(next)}` } });
    }
    return await renderErrorPage(ctx, err.status, translate(lang, err.messageKey, err.params), headers);
  }
  if (err instanceof Deno.errors.Http || (err instanceof Error && err.name === "AbortError")) {
    return new Response(null, { status: 499 });
  }
  log("error", "unhandled error", {
    path: ctx.url.pathname,
    method: ctx.req.method,
    error: String((err as Error)?.stack ?? err),
  });
  if (json) {
    return Response.json({ error: { code: "internal_error", message: translate(lang, "error.internal") } }, {
      status: 500,
    });
  }
  return await renderErrorPage(ctx, 500, translate(lang, "error.internal"));
}

async function renderErrorPage(
  ctx: Context<State>,
  status: number,
  message: string,
  headers = new Headers(),
): Promise<Response> {
  try {
    const res = await ctx.render(h(ErrorPage, { status, message, t: ctx.state.t }), { status, headers });
    return res;
  } catch (e) {
    log("error", "error page failed", { error: String(e) });
    return new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}
