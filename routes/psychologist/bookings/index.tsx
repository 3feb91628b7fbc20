import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { getAvailability } from "@/lib/availability/store.ts";
import { listBookings } from "@/lib/booking/store.ts";
import { localDateOf } from "@/lib/guestbook/time.ts";
import { Card, Empty, PageHeader, Pagination } from "@/components/ui.tsx";
import { BookingRow } from "@/components/booking/ui.tsx";

/**
 * `/psychologist/bookings` — a psychologist's day from a laptop: paid bookings
 * waiting for a confirmation (soonest first; unconfirmed ones are rejected
 * automatically at their start), today's sessions, and the next confirmed
 * ones. `?view=history` lists past and ended bookings, newest first. Times in
 * the psychologist's availability zone.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "booking");
    ctx.state.title = ctx.state.t("booking.psy.title");
    const tz = (await getAvailability(user.id)).timeZone;
    const now = Date.now();
    if (ctx.url.searchParams.get("view") === "history") {
      const h = await listBookings({ psychologistId: user.id }, {
        scope: "history",
        cursor: ctx.url.searchParams.get("cursor"),
        limit: 30,
      });
      return page({ tz, history: h.items, cursor: h.cursor, toConfirm: [], today: [], upcoming: [] });
    }
    const active = await listBookings({ psychologistId: user.id }, {
      scope: "active",
      from: new Date(now - 24 * 3600_000).toISOString(),
      limit: 100,
    });
    const today = localDateOf(new Date(now), tz);
    const items = active.items.filter((b) => Date.parse(b.endsAt) > now - 12 * 3600_000);
    return page({
      tz,
      history: null,
      cursor: null,
      toConfirm: items.filter((b) => b.status === "paid"),
      today: items.filter((b) =>
        b.status !== "paid" && b.status !== "awaiting_payment" && localDateOf(b.startsAt, tz) === today
      ),
      upcoming: items.filter((b) => b.status === "confirmed" && localDateOf(b.startsAt, tz) > today),
    });
  },
});

export default define.page<typeof handler>(function PsyBookings({ data, state, url }) {
  const { t, lang } = state;
  const row = (b: (typeof data.toConfirm)[number]) => (
    <BookingRow
      b={b}
      t={t}
      lang={lang}
      timeZone={data.tz}
      href={`/psychologist/bookings/${b.id}`}
      side="psychologist"
    />
  );
  return (
    <div class="booking-page psy-bookings">
      <PageHeader title={t("booking.psy.title")} subtitle={t("booking.psy.zone", { zone: data.tz })}>
        <a class="btn btn-secondary" href="/psychologist/availability">{t("booking.psy.availability")}</a>
      </PageHeader>
      <nav class="tabs" aria-label={t("booking.psy.title")}>
        <a href="/psychologist/bookings" aria-current={data.history ? undefined : "page"}>{t("booking.psy.current")}</a>
        <a href="/psychologist/bookings?view=history" aria-current={data.history ? "page" : undefined}>
          {t("booking.psy.history")}
        </a>
      </nav>
      {data.history
        ? (
          <Card>
            {data.history.length ? <ul class="booking-list" role="list">{data.history.map(row)}</ul> : <Empty t={t} />}
            <Pagination url={url} cursor={data.cursor} t={t} />
          </Card>
        )
        : (
          <div class="psy-columns">
            <Card title={t("booking.psy.to_confirm", { count: data.toConfirm.length })} class="to-confirm">
              <p class="hint">{t("booking.psy.to_confirm_hint")}</p>
              {data.toConfirm.length
                ? <ul class="booking-list" role="list">{data.toConfirm.map(row)}</ul>
                : <Empty t={t} />}
            </Card>
            <Card title={t("booking.psy.today")}>
              {data.today.length
                ? <ul class="booking-list" role="list">{data.today.map(row)}</ul>
                : <Empty t={t} message={t("booking.psy.no_today")} />}
            </Card>
            <Card title={t("booking.psy.upcoming")}>
              {data.upcoming.length
                ? <ul class="booking-list" role="list">{data.upcoming.map(row)}</ul>
                : <Empty t={t} />}
            </Card>
          </div>
        )}
    </div>
  );
});
