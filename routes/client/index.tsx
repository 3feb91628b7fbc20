import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { type HomeCard, HomeCards } from "@/components/HomeCards.tsx";
import { HOME_ARTICLES, LatestArticles } from "@/components/ArticleCard.tsx";
import { listPublishedArticles } from "@/lib/articles/store.ts";

/**
 * The client's home: what they can do, with the screening disclaimer, and the
 * latest published articles (the UI language's first).
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "client");
    ctx.state.title = ctx.state.t("nav.home");
    const { items } = await listPublishedArticles({ lang: ctx.state.lang, limit: HOME_ARTICLES });
    return page({ articles: items });
  },
});

const CARDS: HomeCard[] = [
  ["home.client.screening", "home.client.screening_body"],
  ["home.client.psychologists", "home.client.psychologists_body"],
  ["home.client.bookings", "home.client.bookings_body"],
  ["home.client.chatbot", "home.client.chatbot_body"],
];

export default define.page<typeof handler>(function ClientHome({ state: { t, user, lang }, data }) {
  return (
    <>
      <HomeCards
        t={t}
        title={t("home.welcome", { name: user?.name ?? "" })}
        subtitle={t("home.client.intro")}
        cards={CARDS}
        notice={t("about.disclaimer")}
      />
      <LatestArticles articles={data.articles} t={t} lang={lang} title={t("client.articles.title")} />
    </>
  );
});
