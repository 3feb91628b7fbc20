/**
 * The `page()` data the accounts pages' form handlers return (`formPage`,
 * `failedForm`) and the instant formatting they share. What these pages render
 * (`AuthCard`, `MsgAlert`, `Hidden`) is in `components/auth/views.tsx`.
 */
import { page, type PageResponse } from "fresh";
import { formatDateTime } from "@/lib/i18n/format.ts";
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

/** Formats an ISO instant in the display time zone, e.g. `21 Nov 2026 09.30` (`lib/i18n/format.ts`). */
export function formatInstant(
  iso: string,
  lang: "id" | "en",
  timeZone: string,
): string {
  return formatDateTime(iso, lang, timeZone) || iso;
}
