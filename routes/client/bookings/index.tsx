import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { config } from "@/lib/config.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { bookingsOf } from "@/lib/booking/http.ts";
import { Empty, PageHeader, Pagination } from "@/components/ui.tsx";
import { BookingRow } from "@/components/booking/ui.tsx";

/**
 * `/client/bookings?scope=active|history` — the client's bookings: active ones
 * (awaiting payment, paid, confirmed, in session) soonest first, or the
 * history (completed, cancelled, rejected, expired, no-show) newest first.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client");
    addSheets(ctx.state, "booking");
    const scope = ctx.url.searchParams.get("scope") === "history" ? "history" : "active";
    ctx.state.title = ctx.state.t("booking.client.title");
    const q = Object.fromEntries(ctx.url.searchParams);
    const pageData = await bookingsOf(user, { ...q, scope });
    return page({ scope, items: pageData.items, cursor: pageData.cursor });
  },
});

export default define.page<typeof handler>(function ClientBookings({ data, state, url }) {
  const { t, lang } = state;
  return (
    <div class="booking-page">
      <PageHeader title={t("booking.client.title")} subtitle={t("booking.client.intro")}>
        <a class="btn" href="/psychologists">{t("booking.client.find")}</a>
      </PageHeader>
      <nav class="tabs" aria-label={t("booking.client.title")}>
        <a href="/client/bookings?scope=active" aria-current={data.scope === "active" ? "page" : undefined}>
          {t("booking.client.active")}
        </a>
        <a href="/client/bookings?scope=history" aria-current={data.scope === "history" ? "page" : undefined}>
          {t("booking.client.history")}
        </a>
        <a href="/client/payments">{t("booking.client.payments")}</a>
      </nav>
      {data.items.length === 0
        ? <Empty t={t} message={t(`booking.client.empty_${data.scope}`)} />
        : (
          <ul class="booking-list" role="list">
            {data.items.map((b) => (
              <BookingRow
                b={b}
                t={t}
                lang={lang}
                timeZone={config.timeZone}
                href={`/client/bookings/${b.id}`}
                side="client"
              />
            ))}
          </ul>
        )}
      <Pagination url={url} cursor={data.cursor} t={t} />
    </div>
  );
});
