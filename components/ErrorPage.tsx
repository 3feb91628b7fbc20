import type { T } from "@/lib/i18n/mod.ts";

/** A translated error page body (403, 404, 429, 500 …). */
export function ErrorPage({ status, message, t }: { status: number; message: string; t: T }) {
  const titleKey = `error.title.${status}`;
  const title = t(titleKey) === titleKey ? String(status) : t(titleKey);
  return (
    <section class="card narrow error-page" aria-labelledby="error-title">
      <p class="error-code">{status}</p>
      <h1 id="error-title">{title}</h1>
      <p>{message}</p>
      <p>
        <a class="btn" href="/">{t("error.back_home")}</a>
      </p>
    </section>
  );
}
