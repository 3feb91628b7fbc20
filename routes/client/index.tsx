import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { config } from "@/lib/config.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { formatDateTime, formatIdr, formatLongDate, formatTime } from "@/lib/i18n/format.ts";
import { type HomeCard, HomeCards } from "@/components/HomeCards.tsx";
import { HOME_ARTICLES, LatestArticles } from "@/components/ArticleCard.tsx";
import { Card } from "@/components/ui.tsx";
import { BookingRow, BookingStatus } from "@/components/booking/ui.tsx";
import { listPublishedArticles } from "@/lib/articles/store.ts";
import { clientHome } from "@/lib/client/home.ts";
import CnBuddy from "@/islands/CnBuddy.tsx";
import { cnBuddyProps } from "@/components/CnBuddyPanel.tsx";

/**
 * The client's home: the next session (time in `TIME_ZONE`, service,
 * psychologist, link), unpaid bookings with their payment deadline and a pay
 * link, the latest history, completed sessions still to review, what they can
 * do (with the screening disclaimer), CnBuddy and the latest articles.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client");
    addSheets(ctx.state, "booking", "chatbot", "reviews", "stars");
    ctx.state.title = ctx.state.t("nav.home");
    const [{ items }, home] = await Promise.all([
      listPublishedArticles({ lang: ctx.state.lang, limit: HOME_ARTICLES }),
      clientHome(user.id),
    ]);
    return page({ articles: items, home });
  },
});

const CARDS: HomeCard[] = [
  ["home.client.psychologists", "home.client.psychologists_body", "/psychologists"],
  ["home.client.bookings", "home.client.bookings_body", "/client/bookings"],
  ["home.client.screening", "home.client.screening_body", "/screening"],
];

export default define.page<typeof handler>(function ClientHome({ state: { t, user, lang }, data }) {
  const tz = config.timeZone;
  const { next, unpaid, history, toReview } = data.home;
  return (
    <>
      <HomeCards
        t={t}
        title={t("home.welcome", { name: user?.name ?? "" })}
        subtitle={t("home.client.intro")}
        cards={CARDS}
        notice={t("about.disclaimer")}
      >
        <div class="home-panels">
          <Card title={t("client.home.next_title")}>
            {next
              ? (
                <div class="next-session" data-testid="next-session">
                  <span class="next-when">
                    {formatLongDate(next.startsAt, lang, tz)}, {formatTime(next.startsAt, lang, tz)}–
                    {formatTime(next.endsAt, lang, tz)}
                  </span>
                  <span>
                    {t(`booking.service.${next.serviceType}`)} ·{" "}
                    {t("client.home.with", { name: next.psychologistName })}
                  </span>
                  <span>
                    <BookingStatus b={next} t={t} />
                  </span>
                  <p>
                    <a class="btn" href={`/client/bookings/${next.id}`}>{t("client.home.next_open")}</a>
                  </p>
                </div>
              )
              : (
                <p class="muted">
                  {t("client.home.next_none")} <a href="/psychologists">{t("booking.client.find")}</a>
                </p>
              )}
          </Card>
          {unpaid.length
            ? (
              <Card title={t("client.home.unpaid_title")}>
                <div data-testid="unpaid">
                  {unpaid.map(({ booking: b, payUrl }) => (
                    <div class="unpaid-row" key={b.id}>
                      <div>
                        <strong>{b.psychologistName}</strong>
                        <div class="muted">
                          <a href={`/client/bookings/${b.id}`}>{formatDateTime(b.startsAt, lang, tz)}</a> ·{" "}
                          {formatIdr(b.priceIdr, lang)}
                        </div>
                        <div>{t("client.home.unpaid_before", { time: formatDateTime(b.holdUntil, lang, tz) })}</div>
                      </div>
                      <a class="btn btn-sm" href={payUrl}>{t("client.home.pay")}</a>
                    </div>
                  ))}
                </div>
              </Card>
            )
            : null}
          {toReview.length
            ? (
              <Card title={t("client.home.to_review_title")}>
                <div data-testid="to-review">
                  {toReview.map((b) => (
                    <div class="unpaid-row" key={b.id}>
                      <div>
                        <strong>{b.psychologistName}</strong>
                        <div class="muted">
                          {formatDateTime(b.startsAt, lang, tz)} · {t(`booking.service.${b.serviceType}`)}
                        </div>
                      </div>
                      <a class="btn btn-sm btn-secondary" href={`/client/bookings/${b.id}#review`}>
                        {t("client.home.to_review_cta")}
                      </a>
                    </div>
                  ))}
                </div>
              </Card>
            )
            : null}
          {history.length
            ? (
              <Card title={t("client.home.history_title")}>
                <ul class="booking-list" role="list" data-testid="history">
                  {history.map((b) => (
                    <BookingRow
                      key={b.id}
                      b={b}
                      t={t}
                      lang={lang}
                      timeZone={tz}
                      href={`/client/bookings/${b.id}`}
                      side="client"
                    />
                  ))}
                </ul>
                <p>
                  <a href="/client/bookings?scope=history">{t("client.home.history_all")} →</a>
                </p>
              </Card>
            )
            : null}
        </div>
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
