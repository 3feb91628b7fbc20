import { asset } from "fresh/runtime";
import { define } from "@/lib/define.ts";
import { Header } from "@/components/Header.tsx";
import { Footer } from "@/components/Footer.tsx";
import NotificationBell from "@/islands/NotificationBell.tsx";

/** Sheets every page links, in cascade order (docs/ui.md, "Stylesheets"). */
const BASE_SHEETS = ["tokens", "base", "components"] as const;

/**
 * The HTML shell of every page: head (the base sheets plus the feature sheets the
 * page declared in `state.sheets`, then the page's own `state.head` tags), header
 * with role navigation, main, footer.
 */
export default define.layout(function App({ Component, state, url }) {
  const t = state.t;
  return (
    <html lang={state.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{state.title ? `${state.title} · ${t("app.name")}` : `${t("app.name")} — ${t("app.tagline")}`}</title>
        {[...BASE_SHEETS, ...(state.sheets ?? [])].map((name) => (
          <link key={name} rel="stylesheet" href={asset(`/${name}.css`)} />
        ))}
        <link rel="icon" href={asset("/favicon.svg")} type="image/svg+xml" />
        {(state.head ?? []).map((h) =>
          "meta" in h
            ? <meta key={h.key} {...{ [h.meta]: h.key }} content={h.content} />
            : <link key={h.href} rel={h.link} href={h.href} type={h.type} title={h.title} />
        )}
      </head>
      <body>
        <a class="skip-link" href="#main">{t("common.skip_to_content")}</a>
        <Header
          user={state.user}
          t={t}
          lang={state.lang}
          path={url.pathname}
          bell={state.bell ? <NotificationBell {...state.bell} /> : null}
        />
        <main id="main" class="container">
          <Component />
        </main>
        <Footer t={t} />
      </body>
    </html>
  );
});
