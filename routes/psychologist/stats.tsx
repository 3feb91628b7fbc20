import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { config } from "@/lib/config.ts";
import { formatDate, formatIdr, formatLongDate, formatNumber, formatTime } from "@/lib/i18n/format.ts";
import { statsPage } from "@/lib/workspace/http.ts";
import { BarChart } from "@/components/charts.tsx";
import { Card, Empty, Field, FormAlert, PageHeader } from "@/components/ui.tsx";
import { BookingStatus } from "@/components/booking/ui.tsx";
import { WorkspaceTabs } from "@/components/workspace.tsx";

/**
 * `/psychologist/stats?from=&to=&kind=&date=` — sessions held and net income
 * per month as server-rendered SVG bar charts (default the last 12 months, at
 * most 36), and a daily or weekly report of one date with its CSV download
 * (`/api/psychologist/reports/{kind}?date=&format=csv`). Plain GET forms;
 * invalid filters show their errors and fall back to the defaults (400).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "booking", "reports", "workspace");
    ctx.state.title = ctx.state.t("workspace.stats.title");
    const d = await statsPage(user, Object.fromEntries(ctx.url.searchParams));
    return page(d, { status: Object.keys(d.errors).length ? 400 : 200 });
  },
});

/** `2026-11` → `Nov 26` (short: chart axes) or `Nov 2026`, in the page's language. */
function monthLabel(month: string, lang: string, short = false): string {
  const [y, m] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "id-ID", {
    month: "short",
    year: short ? "2-digit" : "numeric",
    timeZone: "UTC",
  })
    .format(new Date(Date.UTC(y, m - 1, 15)));
}

export default define.page<typeof handler>(function Stats({ data, state }) {
  const { t, lang } = state;
  const { months, report: r, range } = data;
  const tz = config.timeZone;
  const totalSessions = months.reduce((s, m) => s + m.sessions, 0);
  const totalIncome = months.reduce((s, m) => s + m.incomeIdr, 0);
  const cats = months.map((m) => monthLabel(m.month, lang, true));
  const from = monthLabel(range.from, lang);
  const to = monthLabel(range.to, lang);
  const csv = `/api/psychologist/reports/${data.kind}?date=${data.date}&format=csv`;
  const keep = `&from=${range.from}&to=${range.to}`;
  return (
    <div class="workspace-page">
      <PageHeader title={t("workspace.stats.title")} subtitle={t("workspace.stats.subtitle", { zone: tz })} />
      <WorkspaceTabs t={t} current="stats" />
      {Object.keys(data.errors).length ? <FormAlert message={t("error.validation")} /> : null}
      <Card>
        <form method="get" class="filter-bar" action="/psychologist/stats">
          <Field
            name="from"
            type="month"
            label={t("workspace.stats.from")}
            value={range.from}
            t={t}
            errors={data.errors}
          />
          <Field name="to" type="month" label={t("workspace.stats.to")} value={range.to} t={t} errors={data.errors} />
          <input type="hidden" name="kind" value={data.kind} />
          <input type="hidden" name="date" value={data.date} />
          <div class="form-actions">
            <button type="submit" class="btn">{t("workspace.report.show")}</button>
          </div>
        </form>
        <div class="ws-totals">
          <p class="ws-total">
            {t("workspace.stats.total_sessions")}
            <strong>{formatNumber(totalSessions, lang)}</strong>
          </p>
          <p class="ws-total">
            {t("workspace.stats.total_income")}
            <strong>{formatIdr(totalIncome, lang)}</strong>
          </p>
        </div>
        <p class="hint">{t("workspace.stats.rule")}</p>
      </Card>
      <div class="ws-charts">
        <Card class="chart-card">
          <BarChart
            id="chart-sessions"
            title={t("workspace.stats.sessions_title")}
            desc={t("workspace.stats.sessions_desc", { from, to, total: formatNumber(totalSessions, lang) })}
            tableLabel={t("workspace.stats.table")}
            categoryLabel={t("workspace.stats.month")}
            categories={cats}
            series={[{ label: t("workspace.stats.sessions"), values: months.map((m) => m.sessions) }]}
            format={(v) => formatNumber(v, lang)}
          />
        </Card>
        <Card class="chart-card">
          <BarChart
            id="chart-income"
            title={t("workspace.stats.income_title_mio")}
            desc={t("workspace.stats.income_desc", { from, to, total: formatIdr(totalIncome, lang) })}
            tableLabel={t("workspace.stats.table")}
            categoryLabel={t("workspace.stats.month")}
            categories={cats}
            series={[{ label: t("workspace.stats.income_mio"), values: months.map((m) => m.incomeIdr / 1_000_000) }]}
            integer={false}
            format={(v) => formatNumber(v, lang, 2)}
          />
        </Card>
      </div>

      <Card title={t("workspace.stats.reports")}>
        <div class="period-bar">
          <ul class="segmented" role="list">
            {(["daily", "weekly"] as const).map((k) => (
              <li key={k}>
                <a
                  href={`/psychologist/stats?kind=${k}&date=${data.date}${keep}`}
                  aria-current={data.kind === k ? "page" : undefined}
                >
                  {t(`workspace.report.${k}`)}
                </a>
              </li>
            ))}
          </ul>
          <form method="get" class="filter-bar" action="/psychologist/stats">
            <input type="hidden" name="kind" value={data.kind} />
            <input type="hidden" name="from" value={range.from} />
            <input type="hidden" name="to" value={range.to} />
            <Field
              name="date"
              type="date"
              label={t("workspace.report.date")}
              value={data.date}
              t={t}
              errors={data.errors}
            />
            <div class="form-actions">
              <button type="submit" class="btn btn-secondary">{t("workspace.report.show")}</button>
              <a class="btn" href={csv} download>{t("workspace.report.csv")}</a>
            </div>
          </form>
        </div>
        <h3>
          {t(`workspace.report.${r.kind}`)} ·{" "}
          {r.period.from === r.period.to ? formatLongDate(r.period.from, lang, "UTC") : t("workspace.report.period", {
            from: formatDate(r.period.from, lang, "UTC"),
            to: formatDate(r.period.to, lang, "UTC"),
          })}
        </h3>
        <div class="ws-totals">
          <p class="ws-total">
            {t("workspace.report.bookings")}
            <strong>{r.summary.bookings}</strong>
          </p>
          <p class="ws-total">
            {t("workspace.report.sessions")}
            <strong>{r.summary.sessions}</strong>
          </p>
          <p class="ws-total">
            {t("workspace.report.no_shows")}
            <strong>{r.summary.noShows}</strong>
          </p>
          <p class="ws-total">
            {t("workspace.report.income_label")}
            <strong>{formatIdr(r.summary.incomeIdr, lang)}</strong>
          </p>
        </div>
        {r.items.length
          ? (
            <div class="table-wrap">
              <table class="ws-report-table">
                <thead>
                  <tr>
                    <th scope="col">{t("workspace.col.date")}</th>
                    <th scope="col">{t("workspace.col.time")}</th>
                    <th scope="col">{t("workspace.col.client")}</th>
                    <th scope="col">{t("workspace.col.service")}</th>
                    <th scope="col">{t("workspace.col.status")}</th>
                    <th scope="col" class="num">{t("workspace.stats.income")}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.items.map((i) => (
                    <tr key={i.id}>
                      <td>{i.date}</td>
                      <td>{formatTime(i.startsAt, lang, tz)}–{formatTime(i.endsAt, lang, tz)}</td>
                      <td>
                        <a href={`/psychologist/bookings/${i.id}`}>{i.clientName}</a>
                      </td>
                      <td>{t(`booking.service.${i.serviceType}`)}</td>
                      <td>
                        <BookingStatus b={i} t={t} />
                      </td>
                      <td class="num">{formatIdr(i.incomeIdr, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
          : <Empty t={t} message={t("workspace.report.empty")} />}
      </Card>
    </div>
  );
});
