import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { addSheets } from "@/lib/state.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { config } from "@/lib/config.ts";
import { APPOINTMENT_STATUSES } from "@/lib/guestbook/model.ts";
import { dailyReport, monthlyReport, type Report, weeklyReport } from "@/lib/guestbook/reports.ts";
import { teacherRatings } from "@/lib/guestbook/reviews.ts";
import {
  addDays,
  inCalendarWindow,
  isoWeekOf,
  isoWeekParam,
  isoWeekStart,
  localDateParam,
  monthRange,
  todayLocal,
  yearMonthParam,
} from "@/lib/guestbook/time.ts";
import { Card, Empty, FormAlert, PageHeader } from "@/components/ui.tsx";
import { BarChart, HBarChart } from "@/components/charts.tsx";
import { fmtDate, formatRating, statusKey } from "@/components/frontdesk/format.ts";
import { formatNumber } from "@/lib/i18n/format.ts";
import { StatTile } from "@/components/frontdesk/ui.tsx";
import { Stars } from "@/components/frontdesk/StarInput.tsx";

type Period = "day" | "week" | "month";
const PERIODS: Period[] = ["day", "week", "month"];

/** Range-checked schemas of the page's query parameters (one rule for the whole app). */
const PARAMS = { date: localDateParam, week: isoWeekParam, month: yearMonthParam } as const;

/**
 * The period asked for in the query (default this week). Each date, week and month
 * goes through the shared range-checked schema (years 2000–2100); a page is for people,
 * so a refused value falls back to today / this month and its translated field error is
 * returned in `problems` (shown above the report) instead of failing the page. Empty
 * fields mean "not given".
 */
function parsePeriod(
  url: URL,
  today: string,
): { period: Period; date: string; month: string; problems: string[] } {
  const p = url.searchParams.get("period");
  const period: Period = PERIODS.includes(p as Period) ? p as Period : "week";
  const problems: string[] = [];
  const value = (name: keyof typeof PARAMS): string | undefined => {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === "") return undefined;
    const r = PARAMS[name].safeParse(raw);
    if (r.success) return r.data;
    problems.push(r.error.issues[0]?.message ?? "field.invalid_date");
    return undefined;
  };
  const d = value("date");
  const w = value("week");
  const m = value("month");
  const date = w && period === "week" ? isoWeekStart(w) : d ?? today;
  return { period, date, month: m ?? date.slice(0, 7), problems };
}

function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number);
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
}

/**
 * `/frontdesk/reports?period=day|week|month&date=YYYY-MM-DD&week=YYYY-Www&month=YYYY-MM` —
 * visits, punctuality, average waiting time, average rating, teachers with most
 * appointments (docs/domain-rules.md "Reports") as server-rendered SVG charts with data tables,
 * CSV download links to the JSON API, and each teacher's average rating.
 * Receptionist and admin. A date, week or month that is malformed or outside the years
 * 2000–2100 is refused with 400 and its translated message above the current period.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "receptionist", "admin");
    ctx.state.title = ctx.state.t("fd.reports.title");
    addSheets(ctx.state, "reports");
    const today = todayLocal();
    const { period, date, month, problems } = parsePeriod(ctx.url, today);
    const report: Report = period === "day"
      ? await dailyReport(date)
      : period === "week"
      ? await weeklyReport(date)
      : await monthlyReport(month);
    const csv = period === "day"
      ? `/api/reports/daily?date=${date}&format=csv`
      : period === "week"
      ? `/api/reports/weekly?date=${date}&format=csv`
      : `/api/reports/monthly?month=${month}&format=csv`;
    const range = period === "day" ? { from: date, to: date } : period === "week" ? isoWeekOf(date) : monthRange(month);
    const visitsCsv = `/api/appointments/visits?from=${range.from}&to=${range.to}&format=csv`;
    // Steps stay inside the calendar window (a step past it links to the current period).
    const nav = (n: number) => {
      if (period === "month") {
        const m = shiftMonth(month, n);
        return `?period=month&month=${inCalendarWindow(Temporal.PlainDate.from(`${m}-01`)) ? m : month}`;
      }
      const d = addDays(date, period === "day" ? n : 7 * n);
      return `?period=${period}&date=${inCalendarWindow(Temporal.PlainDate.from(d)) ? d : date}`;
    };
    return page({
      period,
      date,
      month,
      today,
      report,
      csv,
      visitsCsv,
      prev: nav(-1),
      next: nav(1),
      ratings: await teacherRatings(),
      problems,
    }, { status: problems.length > 0 ? 400 : 200 });
  },
});

export default define.page<typeof handler>(function ReportsPage({ data, state }) {
  const t = state.t;
  const lang = state.lang;
  const tz = config.timeZone;
  const r = data.report;
  const nf = { format: (v: number) => formatNumber(v, lang) };
  const num = (v: number | null, suffix = "") => (v === null ? "—" : `${nf.format(v)}${suffix}`);
  const periodLabel = r.period.from === r.period.to
    ? fmtDate(r.period.from, lang, tz)
    : `${fmtDate(r.period.from, lang, tz, { year: false })} – ${fmtDate(r.period.to, lang, tz)}`;
  const weekday = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "id-ID", { weekday: "short", timeZone: "UTC" });
  /** Short axis label of a day: "Sen 16" in a week, "16" in a month. */
  const dayLabel = (d: string) =>
    data.period === "week"
      ? `${weekday.format(new Date(`${d}T12:00:00Z`))} ${Number(d.slice(8))}`
      : String(Number(d.slice(8)));
  return (
    <div class="frontdesk-page reports-page">
      <PageHeader title={t("fd.reports.title")} subtitle={periodLabel}>
        <a class="btn btn-secondary" href={data.csv} download>{t("fd.reports.csv")}</a>
        <a class="btn btn-secondary" href={data.visitsCsv} download data-testid="visits-csv">
          {t("fd.reports.visits_csv")}
        </a>
      </PageHeader>
      {data.problems.map((key, i) => <FormAlert key={i} message={t("fd.reports.fallback", { problem: t(key) })} />)}

      <nav class="period-bar" aria-label={t("fd.reports.period")}>
        <ul class="segmented">
          {PERIODS.map((p) => (
            <li>
              <a href={`?period=${p}&date=${data.date}`} aria-current={p === data.period ? "page" : undefined}>
                {t(`fd.reports.${p}`)}
              </a>
            </li>
          ))}
        </ul>
        <div class="period-step">
          <a class="btn btn-ghost btn-sm" href={data.prev} rel="prev">
            <span aria-hidden="true">←</span> <span class="step-label">{t("fd.reports.prev")}</span>
          </a>
          <form method="get" class="period-pick">
            <input type="hidden" name="period" value={data.period} />
            {data.period === "month"
              ? (
                <input
                  class="input"
                  type="month"
                  name="month"
                  value={data.month}
                  aria-label={t("fd.reports.pick_month")}
                />
              )
              : (
                <input class="input" type="date" name="date" value={data.date} aria-label={t("fd.reports.pick_date")} />
              )}
            <button type="submit" class="btn btn-secondary btn-sm">{t("fd.reports.show")}</button>
          </form>
          <a class="btn btn-ghost btn-sm" href={data.next} rel="next">
            <span class="step-label">{t("fd.reports.next")}</span> <span aria-hidden="true">→</span>
          </a>
        </div>
      </nav>

      <div class="stat-grid" data-testid="report-stats">
        <StatTile label={t("guestbook.report.appointments")} value={num(r.appointments)} tone="total" />
        <StatTile label={t("guestbook.report.visits")} value={num(r.visits)} tone="finished" />
        <StatTile
          label={t("fd.reports.punctuality")}
          value={num(r.punctualityPercent, "%")}
          tone="in_meeting"
          hint={t("fd.reports.on_time_late", { onTime: r.onTime, late: r.late })}
        />
        <StatTile
          label={t("fd.reports.avg_wait")}
          value={r.averageWaitMinutes === null ? "—" : t("fd.reports.minutes", { n: nf.format(r.averageWaitMinutes) })}
          tone="waiting"
        />
        <StatTile
          label={t("guestbook.report.average_rating")}
          value={r.averageRating === null ? "—" : formatRating(r.averageRating, lang)}
          hint={t("fd.reports.rating_count", { count: r.ratingCount })}
          tone="late"
        />
        <StatTile label={t("guestbook.report.walk_ins")} value={num(r.walkIns)} />
      </div>

      <div class="report-grid">
        {r.byDay.length > 1
          ? (
            <Card class="chart-card chart-card-wide">
              <BarChart
                id="chart-visits"
                title={t("fd.reports.visits_per_day")}
                desc={t("fd.reports.visits_desc", {
                  visits: r.visits,
                  onTime: r.onTime,
                  late: r.late,
                  period: periodLabel,
                })}
                tableLabel={t("fd.reports.table")}
                categoryLabel={t("guestbook.report.date")}
                categories={r.byDay.map((d) =>
                  dayLabel(d.date)
                )}
                series={[
                  {
                    label: t("guestbook.report.on_time"),
                    values: r.byDay.map((d) =>
                      d.onTime
                    ),
                  },
                  { label: t("guestbook.report.late"), values: r.byDay.map((d) => d.late) },
                ]}
                stacked
                format={(v) => nf.format(v)}
              />
            </Card>
          )
          : null}
        <Card class="chart-card">
          <HBarChart
            id="chart-status"
            title={t("fd.reports.by_status")}
            desc={t("fd.reports.by_status_desc", { count: r.appointments, period: periodLabel })}
            tableLabel={t("fd.reports.table")}
            categoryLabel={t("fd.reports.status")}
            items={APPOINTMENT_STATUSES.map((s) => ({ label: t(statusKey(s)), value: r.byStatus[s] }))}
            format={(v) => nf.format(v)}
          />
        </Card>
        <Card class="chart-card">
          {r.topTeachers.length === 0
            ? (
              <>
                <h2 class="card-title">{t("fd.reports.top_teachers")}</h2>
                <Empty t={t} />
              </>
            )
            : (
              <HBarChart
                id="chart-teachers"
                title={t("fd.reports.top_teachers")}
                desc={t("fd.reports.top_teachers_desc", {
                  name: r.topTeachers[0].name,
                  count: r.topTeachers[0].appointments,
                })}
                tableLabel={t("fd.reports.table")}
                categoryLabel={t("guestbook.report.teacher")}
                items={r.topTeachers.map((x) => ({ label: x.name, value: x.appointments }))}
                format={(v) => nf.format(v)}
              />
            )}
        </Card>
      </div>

      <Card title={t("fd.reports.ratings")}>
        <p class="muted">{t("fd.reports.ratings_hint")}</p>
        {data.ratings.length === 0 ? <Empty t={t} /> : (
          <div class="table-wrap">
            <table class="ratings-table">
              <thead>
                <tr>
                  <th scope="col">{t("guestbook.report.teacher")}</th>
                  <th scope="col">{t("guestbook.report.average_rating")}</th>
                  <th scope="col">{t("guestbook.report.rating_count")}</th>
                </tr>
              </thead>
              <tbody>
                {data.ratings.map((x) => (
                  <tr>
                    <th scope="row">{x.name}</th>
                    <td>
                      {x.average === null ? "—" : (
                        <>
                          <Stars value={x.average} t={t} lang={lang} />{" "}
                          <span class="rating-num">{formatRating(x.average, lang)}</span>
                        </>
                      )}
                    </td>
                    <td>{x.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
});
