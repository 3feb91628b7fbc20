import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { addSheets } from "@/lib/state.ts";
import type { T } from "@/lib/i18n/mod.ts";
import { Badge } from "@/components/ui.tsx";
import { HOME_ARTICLES, LatestArticles } from "@/components/ArticleCard.tsx";
import { listPublishedArticles } from "@/lib/articles/store.ts";

/**
 * The public home page (no islands, no JavaScript): what the centre offers,
 * each part marked available or coming soon, and the sign-in and registration
 * calls to action, and the latest {@link HOME_ARTICLES} published articles (the
 * UI language's first). Signed-in users go to their role home (`/home`).
 */
export const handler = define.handlers({
  async GET(ctx) {
    if (ctx.state.user) return ctx.redirect("/home", 303);
    addSheets(ctx.state, "home");
    const { items } = await listPublishedArticles({ lang: ctx.state.lang, limit: HOME_ARTICLES });
    return page({ articles: items });
  },
});

/**
 * `[titleKey, bodyKey, live, href?, openKey?]`: the parts of the centre; `live` false
 * shows "coming soon"; `href` links a live part to where it starts, labelled `openKey`.
 */
const OFFERS: readonly [string, string, boolean, string?, string?][] = [
  ["landing.screening.title", "landing.screening.body", true, "/screening", "screening.hist.start"],
  ["landing.offer.psychologists.title", "landing.offer.psychologists.body", true, "/psychologists"],
  ["landing.offer.chat.title", "landing.offer.chat.body", true],
  ["landing.offer.chatbot.title", "landing.offer.chatbot.body", true, "/chatbot", "chatbot.open"],
  ["landing.frontdesk.title", "landing.offer.guestbook.body", true],
];

function Offer(
  { t, title, body, live, href, open }: {
    t: T;
    title: string;
    body: string;
    live: boolean;
    href?: string;
    open?: string;
  },
) {
  return (
    <li class="card offer">
      <h3 class="card-title">{t(title)}</h3>
      <p>{t(body)}</p>
      {live
        ? <Badge tone="success">{t("landing.offer.live")}</Badge>
        : <Badge tone="info">{t("common.coming_soon")}</Badge>}
      {href
        ? (
          <p>
            <a class="btn btn-secondary" href={href}>{t(open ?? "landing.offer.psychologists.open")}</a>
          </p>
        )
        : null}
    </li>
  );
}

export default define.page<typeof handler>(function Landing({ state, data }) {
  const t = state.t;
  return (
    <div class="home">
      <section class="hero home-hero">
        <h1>{t("app.name")}</h1>
        <p class="lead">{t("app.tagline")}</p>
        <p class="hero-actions">
          <a class="btn btn-lg" href="/register">{t("nav.register")}</a>
          <a class="btn btn-secondary btn-lg" href="/signin">{t("nav.signin")}</a>
        </p>
        <p class="home-help">
          <a href="/help">{t("footer.need_help")}</a>
        </p>
      </section>
      <section class="home-section" aria-labelledby="offer-title">
        <h2 id="offer-title">{t("landing.offer.title")}</h2>
        <ul class="offer-grid">
          {OFFERS.map(([title, body, live, href, open]) => (
            <Offer key={title} t={t} title={title} body={body} live={live} href={href} open={open} />
          ))}
        </ul>
      </section>
      <LatestArticles articles={data.articles} t={t} lang={state.lang} title={t("landing.articles.title")} />
      <section class="card home-cta" aria-labelledby="cta-title">
        <h2 id="cta-title" class="card-title">{t("landing.cta.title")}</h2>
        <p>{t("landing.cta.body")}</p>
        <p class="hero-actions">
          <a class="btn" href="/register">{t("nav.register")}</a>
          <a class="btn btn-secondary" href="/signin">{t("nav.signin")}</a>
        </p>
      </section>
      <p class="notice">{t("about.disclaimer")}</p>
    </div>
  );
});
