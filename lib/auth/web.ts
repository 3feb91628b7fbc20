/**
 * Small helpers shared by the accounts pages (routes/(auth), profile, admin):
 * turning a thrown error into a re-rendered form, echoing submitted values
 * back, and cookie/redirect responses.
 */
import { AppError, type FieldMessage, TooManyRequests, ValidationError } from "@/lib/errors.ts";
import type { T } from "@/lib/i18n/mod.ts";
import { config } from "@/lib/config.ts";

/** A message to show above a form: i18n key plus parameters. */
export interface Msg {
  key: string;
  params?: Record<string, string | number>;
  kind?: "error" | "success" | "info";
}

/** What a page with a form receives as `data`. */
export interface FormPage<V = Record<string, string>> {
  values: V;
  errors: Record<string, FieldMessage>;
  message: Msg | null;
}

/** A failed form submission: errors to show, HTTP status and headers. */
export interface FormFailure {
  errors: Record<string, FieldMessage>;
  message: Msg | null;
  status: number;
  headers: Headers;
}

/**
 * Maps an error thrown by a `lib/` function to a form re-render: field errors
 * (400), rate limit (429 + `Retry-After`), other `AppError`s as a message with
 * their status. Anything else (a bug) is rethrown for the 500 handler.
 */
export function formFailure(err: unknown): FormFailure {
  const headers = new Headers();
  if (err instanceof ValidationError) {
    const onlyForm = Object.keys(err.fields).every((k) => k === "_");
    return {
      errors: err.messages(),
      message: onlyForm ? { key: err.fields._, kind: "error" } : { key: "error.validation", kind: "error" },
      status: 400,
      headers,
    };
  }
  if (err instanceof TooManyRequests) {
    headers.set("retry-after", String(err.retryAfter));
    return {
      errors: {},
      message: {
        key: err.messageKey,
        params: { seconds: err.retryAfter },
        kind: "error",
      },
      status: 429,
      headers,
    };
  }
  if (err instanceof AppError) {
    return {
      errors: {},
      message: { key: err.messageKey, params: err.params, kind: "error" },
      status: err.status,
      headers,
    };
  }
  throw err;
}

/**
 * The submitted values to show again in a form: only the named fields, only
 * strings, at most 500 characters each (never passwords: leave them out of `names`).
 */
export function echo(
  body: Record<string, unknown>,
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = Object.hasOwn(body, n) ? body[n] : undefined;
    if (typeof v === "string") out[n] = v.slice(0, 500);
  }
  return out;
}

/**
 * A translator for field errors that fills the age-range placeholders
 * (`{min}`, `{max}`) from the configuration.
 */
export function fieldT(t: T): T {
  return (key, params) =>
    t(key, {
      min: config.clientMinAge,
      max: config.clientMaxAge ?? "",
      ...params,
    });
}

/** A 303 redirect, optionally setting cookies. */
export function seeOther(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ location });
  for (const c of cookies) headers.append("set-cookie", c);
  return new Response(null, { status: 303, headers });
}

/** A string query parameter (trimmed, ≤ `max` characters) or "". */
export function q(url: URL, name: string, max = 300): string {
  return (url.searchParams.get(name) ?? "").trim().slice(0, max);
}
