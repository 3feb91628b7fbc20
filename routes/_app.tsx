import { asset } from "fresh/runtime";
import { define } from "@/lib/define.ts";
import { Header } from "@/components/Header.tsx";
import NotificationBell from "@/islands/NotificationBell.tsx";

/** The HTML shell of every page: head, header with role navigation, main, footer. */
export default define.layout(function App({ Component, state, url }) {
  const t = state.t;
  return (
    <html lang={state.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{state.title ? `${state.title} · ${t("app.name")}` : `${t("app.name")} — ${t("app.tagline")}`}</title>
        <link rel="stylesheet" href={asset("/styles.css")} />
        <link rel="stylesheet" href={asset("/frontdesk.css")} />
        <link rel="icon" href={asset("/favicon.svg")} type="image/svg+xml" />
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
        <footer class="site-footer">
          <div class="container">
            <p>{t("footer.crisis")}</p>
            <p>
              <a href="/about">{t("nav.about")}</a> · © RuangPulih
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
});
