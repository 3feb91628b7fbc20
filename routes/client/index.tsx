import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { config } from "@/lib/config.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { type HomeCard, HomeCards } from "@/components/HomeCards.tsx";
import { HOME_ARTICLES, LatestArticles } from "@/components/ArticleCard.tsx";
import { Card } from "@/components/ui.tsx";
import { BookingRow } from "@/components/booking/ui.tsx";
import { listPublishedArticles } from "@/lib/articles/store.ts";
import { listBookings } from "@/lib/booking/store.ts";
import CnBuddy from "@/islands/CnBuddy.tsx";
import { cnBuddyProps } from "@/components/CnBuddyPanel.tsx";

/**
 * The client's home: their active bookings first (unpaid ones with their
 * payment deadline), what they can do, with the screening disclaimer, and the
 * latest published articles (the UI language's first).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client");
    addSheets(ctx.state, "booking", "chatbot");
    ctx.state.title = ctx.state.t("nav.home");
    const [{ items }, active] = await Promise.all([
      listPublishedArticles({ lang: ctx.state.lang, limit: HOME_ARTICLES }),
      listBookings({ clientId: user.id }, {
        scope: "active",
        from: new Date(Date.now() - 3 * 3600_000).toISOString(),
        limit: 3,
      }),
    ]);
    return page({ articles: items, bookings: active.items });
  },
});

const CARDS: HomeCard[] = [
  ["home.client.psychologists", "home.client.psychologists_body", "/psychologists"],
  ["home.client.bookings", "home.client.bookings_body", "/client/bookings"],
  ["home.client.screening", "home.client.screening_body"],
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
      >
        {data.bookings.length
          ? (
            <Card title={t("booking.client.next")}>
              <ul class="booking-list" role="list">
                {data.bookings.map((b) => (
                  <BookingRow
                    key={b.id}
                    b={b}
                    t={t}
                    lang={lang}
                    timeZone={config.timeZone}
                    href={`/client/bookings/${b.id}`}
                    side="client"
                  />
                ))}
              </ul>
            </Card>
          )
          : null}
      </HomeCards>
      <section class="home-cnbuddy" aria-labelledby="home-cnbuddy-title">
        <h2 id="home-cnbuddy-title">{t("home.client.chatbot")}</h2>
        <p class="muted">
          {t("home.client.chatbot_body")} <a href="/chatbot">{t("chatbot.open")}</a>
        </p>
        <CnBuddy initial={[]} compact inputId="home-cnbuddy" {...cnBuddyProps(t, lang)} />
      </section>
      <LatestArticles articles={data.articles} t={t} lang={lang} title={t("client.articles.title")} />
    </>
  );
});
