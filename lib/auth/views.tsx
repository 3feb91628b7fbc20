/**
 * Presentational pieces of the accounts pages (server-rendered, no JS), and
 * the `page()` data their form handlers return (`formPage`, `failedForm`).
 * Their form fields are in `components/auth/fields.tsx`.
 */
import type { ComponentChildren } from "preact";
import { page, type PageResponse } from "fresh";
import type { T } from "@/lib/i18n/mod.ts";
import { FormAlert } from "@/components/ui.tsx";
import { formFailure, type FormPage, type Msg } from "./web.ts";

/**
 * A form page as first shown: `values` to fill in, an optional message and
 * any `extra` data of the page.
 */
export function formPage<X extends object = Record<never, never>>(
  values: Record<string, string> = {},
  message: Msg | null = null,
  extra?: X,
): PageResponse<FormPage & X> {
  return page({ ...extra, values, errors: {}, message } as FormPage & X);
}

/**
 * The form page again after a failed submission: `err` mapped by
 * `formFailure` (field errors, message, status, headers; anything that is not
 * an `AppError` is rethrown), with the submitted `values` shown again.
 */
export function failedForm<X extends object = Record<never, never>>(
  err: unknown,
  values: Record<string, string> = {},
  extra?: X,
): PageResponse<FormPage & X> {
  const f = formFailure(err);
  return page({ ...extra, values, errors: f.errors, message: f.message } as FormPage & X, {
    status: f.status,
    headers: f.headers,
  });
}

/** A narrow centred card for the sign-in/registration family of pages. */
export function AuthCard(
  { title, intro, children }: {
    title: string;
    intro?: string;
    children: ComponentChildren;
  },
) {
  return (
    <section class="card narrow auth-card" aria-labelledby="auth-title">
      <h1 id="auth-title">{title}</h1>
      {intro ? <p class="muted">{intro}</p> : null}
      {children}
    </section>
  );
}

/** Renders a `Msg` (translated) as an alert box. */
export function MsgAlert({ msg, t }: { msg: Msg | null | undefined; t: T }) {
  if (!msg) return null;
  return <FormAlert message={t(msg.key, msg.params)} kind={msg.kind ?? "error"} />;
}

/** A hidden input. */
export function Hidden(
  { name, value }: { name: string; value: string | null | undefined },
) {
  return <input type="hidden" name={name} value={value ?? ""} />;
}

/** Formats an ISO instant in the display time zone, e.g. `21 Nov 2026 09.30`. */
export function formatInstant(
  iso: string,
  lang: "id" | "en",
  timeZone: string,
): string {
  try {
    return new Intl.DateTimeFormat(lang === "id" ? "id-ID" : "en-GB", {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone,
    }).format(new Date(iso));
  } catch {
    return iso;
  }
}
