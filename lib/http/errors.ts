/**
 * The one place that turns thrown errors into responses. `routes/_error.tsx`
 * (the app's error boundary, Fresh 2's `_error` route) calls `errorPage(ctx)`
 * with the thrown error in `ctx.error`:
 * - `AppError` subclasses → their status, with a translated message;
 *   JSON `{ error: { code, message, fields? } }` for `/api/…` and JSON clients,
 *   otherwise the translated error page (or a redirect to sign-in for an
 *   anonymous page visit);
 * - the layer's `HttpError`s (no route: 404, wrong method: 405) → the matching `AppError`;
 * - a client that went away → 499 without a body;
 * - anything else → 500 with a generic translated message; the stack goes only to the log.
 *
 * The error page is rendered by the boundary, outside the middlewares that
 * set headers on normal responses, so every response made here gets the
 * security headers and `finishHeaders` itself.
 */
import { type Context, HttpError, page, type PageResponse } from "fresh";
import { AppError, BadRequest, MethodNotAllowed, NotFound, Unauthorized, ValidationError } from "@/lib/errors.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { z } from "@/lib/validation.ts";
import type { State } from "@/lib/state.ts";
import { log } from "@/lib/log.ts";
import { applySecurityHeaders } from "./security.ts";
import { finishHeaders, initRequestState } from "./request.ts";

/** True when the client wants JSON: API paths, or an Accept header without text/html. */
export function wantsJson(req: Request, url: URL): boolean {
  if (url.pathname.startsWith("/api/")) return true;
  const accept = req.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

/** The JSON error body every endpoint answers with (OpenAPI component `Error`). */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().describe("Stable machine-readable code (snake_case)"),
    message: z.string().describe("Translated human message (Accept-Language / lang cookie)"),
    fields: z.record(z.string(), z.string()).optional().describe("Field → translated message"),
  }),
});
/** The JSON error body (see {@link errorBodySchema}). */
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The JSON error body for an AppError, translated into `lang`. */
export function errorBody(err: AppError, lang: "id" | "en"): ErrorBody {
  const body: ErrorBody["error"] = {
    code: err.code,
    message: translate(lang, err.messageKey, err.params),
  };
  if (err instanceof ValidationError) {
    body.fields = Object.fromEntries(
      Object.entries(err.fields).map(([k, v]) => [k, translate(lang, v, err.fieldParams[k])]),
    );
  }
  return { error: body };
}

/** The HTTP status a thrown `err` is answered with (500 for anything unknown). */
export function errorStatus(err: unknown): number {
  if (err instanceof AppError || err instanceof HttpError) return err.status;
  return 500;
}

/** What the error page shows. */
export interface ErrorPageData {
  status: number;
  /** Translated message. */
  message: string;
}

/**
 * Maps `ctx.error` to a response (see module doc): a JSON or redirect
 * `Response`, or `page()` data for the error page with its status and headers.
 * Never throws.
 */
export function errorPage(ctx: Context<State>): Response | PageResponse<ErrorPageData> {
  if (!ctx.state.t) initRequestState(ctx); // thrown before the root middleware ran
  const lang = ctx.state.lang;
  let err = ctx.error;
  if (err instanceof HttpError && err.status < 500) {
    err = err.status === 404
      ? new NotFound()
      : err.status === 405
      ? new MethodNotAllowed(err.headers.get("allow") ?? "")
      : new BadRequest();
  }
  const headers = new Headers();
  const json = wantsJson(ctx.req, ctx.url);
  let data: ErrorPageData;
  if (err instanceof AppError) {
    // TooManyRequests (and any other error that says when to come back) → Retry-After (RFC 9110 §10.2.3).
    if ("retryAfter" in err && typeof err.retryAfter === "number") headers.set("retry-after", String(err.retryAfter));
    if (err instanceof MethodNotAllowed) headers.set("allow", err.allow);
    if (json) return finish(ctx, Response.json(errorBody(err, lang), { status: err.status, headers }));
    if (err instanceof Unauthorized && ctx.req.method === "GET") {
      const next = ctx.url.pathname + ctx.url.search;
      headers.set("location", `/signin?next=${encodeURIComponent(next)}`);
      return finish(ctx, new Response(null, { status: 303, headers }));
    }
    data = { status: err.status, message: translate(lang, err.messageKey, err.params) };
  } else if (err instanceof Deno.errors.Http || (err instanceof Error && err.name === "AbortError")) {
    return new Response(null, { status: 499 });
  } else {
    log("error", "unhandled error", {
      path: ctx.url.pathname,
      method: ctx.req.method,
      error: String((err as Error)?.stack ?? err),
    });
    const body = { error: { code: "internal_error", message: translate(lang, "error.internal") } };
    if (json) return finish(ctx, Response.json(body, { status: 500 }));
    data = { status: 500, message: body.error.message };
  }
  // The tab says what happened ("Tidak ditemukan · RuangPulih"), not the home page's tagline.
  const titleKey = `error.title.${data.status}`;
  const title = translate(lang, titleKey);
  ctx.state.title = title === titleKey ? String(data.status) : title;
  headers.set("content-type", "text/html; charset=utf-8");
  applySecurityHeaders(headers, ctx.state.nonce);
  finishHeaders(ctx.state, headers);
  return page(data, { status: data.status, headers });
}

function finish(ctx: Context<State>, res: Response): Response {
  applySecurityHeaders(res.headers, ctx.state.nonce);
  finishHeaders(ctx.state, res.headers);
  return res;
}
