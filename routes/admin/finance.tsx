import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { ValidationError } from "@/lib/errors.ts";
import { config } from "@/lib/config.ts";
import { addSheets } from "@/lib/state.ts";
import { formatIdr } from "@/lib/i18n/format.ts";
import { financeReport, parseFinanceYear } from "@/lib/admin/finance.ts";
import { localYearOf } from "@/lib/admin/time.ts";
import type { FieldErrors } from "@/components/ui.tsx";
import { Card, Field, FormAlert, PageHeader } from "@/components/ui.tsx";
import { BarChart } from "@/components/charts.tsx";

/**
 * `/admin/finance?year=` (admin) — the financial report of a year by local month: a stacked
 * chart of commission and payouts, a refunds chart, the table with totals, and the CSV link.
 * A bad year re-renders the picker with its error (400) and shows this year.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    addSheets(ctx.state, "reports", "admin");
    ctx.state.title = ctx.state.t("admin.fin.title");
    let year = localYearOf(Date.now());
    let errors: FieldErrors | null = null;
    try {
      year = parseFinanceYear(ctx.url.searchParams);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors = err.messages() as FieldErrors;
    }
    const report = await financeReport(year);
    return page({ report, errors, value: ctx.url.searchParams.get("year") ?? String(year) }, {
      status: errors ? 400 : 200,
    });
  },
});

export default define.page<typeof handler>(function Finance({ data, state: { t, lang } }) {
  const r = data.report;
  const money = (v: number) => formatIdr(v, lang);
  // Charts in millions of rupiah: full amounts do not fit an axis label on a phone.
  const mio = new Intl.NumberFormat(lang === "id" ? "id-ID" : "en-GB", { maximumFractionDigits: 2 });
  const inMio = (v: number) => Math.round(v / 10_000) / 100;
  const months = r.months.map((m) =>
    new Intl.DateTimeFormat(lang === "id" ? "id-ID" : "en-GB", { month: "short", timeZone: "UTC" })
      .format(new Date(`${m.month}-15T00:00:00Z`))
  );
  return (
    <div class="admin-page">
      <PageHeader title={t("admin.fin.title")} subtitle={t("admin.fin.intro")}>
        <a class="btn btn-secondary" href={`/api/admin/finance?year=${r.year}&format=csv`} download>
          {t("admin.fin.csv")}
        </a>
      </PageHeader>
      <Card>
        {data.errors ? <FormAlert message={t("error.validation")} /> : null}
        <form method="get" action="/admin/finance" class="admin-year">
          <Field
            name="year"
            type="number"
            label={t("admin.fin.year")}
            t={t}
            errors={data.errors ?? undefined}
            value={data.value}
            min="2000"
            max="2100"
          />
          <div class="admin-filter-actions">
            <button type="submit" class="btn">{t("admin.fin.show")}</button>{" "}
            <a class="btn btn-ghost" href={`/admin/finance?year=${r.year - 1}`}>← {r.year - 1}</a>{" "}
            <a class="btn btn-ghost" href={`/admin/finance?year=${r.year + 1}`}>{r.year + 1} →</a>
          </div>
        </form>
      </Card>
      <Card title={String(r.year)}>
        <div class="admin-totals" data-testid="fin-totals">
          <div class="stat">
            <span class="stat-value">{money(r.totals.grossIdr)}</span>
            <span class="stat-label">{t("admin.fin.gross")}</span>
          </div>
          <div class="stat">
            <span class="stat-value">{money(r.totals.commissionIdr)}</span>
            <span class="stat-label">{t("admin.fin.commission")}</span>
          </div>
          <div class="stat">
            <span class="stat-value">{money(r.totals.payoutIdr)}</span>
            <span class="stat-label">{t("admin.fin.payout")}</span>
          </div>
          <div class="stat">
            <span class="stat-value">{money(r.totals.refundIdr)}</span>
            <span class="stat-label">{t("admin.fin.refund")}</span>
          </div>
          <div class="stat">
            <span class="stat-value">{money(r.totals.netIdr)}</span>
            <span class="stat-label">{t("admin.fin.net")}</span>
          </div>
        </div>
      </Card>
      <div class="report-grid">
        <Card class="chart-card chart-card-wide">
          <BarChart
            id="chart-finance"
            title={t("admin.fin.chart_title", { year: r.year })}
            desc={t("admin.fin.chart_desc")}
            tableLabel={t("admin.fin.table")}
            categoryLabel={t("admin.fin.month")}
            categories={months}
            series={[
              { label: t("admin.fin.commission"), values: r.months.map((m) => inMio(Math.max(0, m.commissionIdr))) },
              { label: t("admin.fin.payout"), values: r.months.map((m) => inMio(Math.max(0, m.payoutIdr))) },
            ]}
            stacked
            integer={false}
            format={(v) => mio.format(v)}
          />
        </Card>
        <Card class="chart-card chart-card-wide">
          <BarChart
            id="chart-refunds"
            title={t("admin.fin.refund_chart_title", { year: r.year })}
            desc={t("admin.fin.refund_chart_desc")}
            tableLabel={t("admin.fin.table")}
            categoryLabel={t("admin.fin.month")}
            categories={months}
            series={[{ label: t("admin.fin.refund"), values: r.months.map((m) => inMio(m.refundIdr)) }]}
            integer={false}
            format={(v) => mio.format(v)}
          />
        </Card>
      </div>
      <Card>
        <div class="table-wrap">
          <table class="admin-table" data-testid="fin-table">
            <thead>
              <tr>
                <th scope="col">{t("admin.fin.month")}</th>
                <th scope="col" class="num">{t("admin.fin.gross")}</th>
                <th scope="col" class="num">{t("admin.fin.commission")}</th>
                <th scope="col" class="num">{t("admin.fin.payout")}</th>
                <th scope="col" class="num">{t("admin.fin.refund")}</th>
                <th scope="col" class="num">{t("admin.fin.net")}</th>
                <th scope="col" class="num">{t("admin.fin.payments")}</th>
                <th scope="col" class="num">{t("admin.fin.refunds")}</th>
              </tr>
            </thead>
            <tbody>
              {r.months.map((m, i) => (
                <tr key={m.month}>
                  <th scope="row">{months[i]} {r.year}</th>
                  <td class="num">{money(m.grossIdr)}</td>
                  <td class="num">{money(m.commissionIdr)}</td>
                  <td class="num">{money(m.payoutIdr)}</td>
                  <td class="num">{money(m.refundIdr)}</td>
                  <td class="num">{money(m.netIdr)}</td>
                  <td class="num">{m.payments}</td>
                  <td class="num">{m.refunds}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t("admin.fin.total")}</th>
                <td class="num">{money(r.totals.grossIdr)}</td>
                <td class="num">{money(r.totals.commissionIdr)}</td>
                <td class="num">{money(r.totals.payoutIdr)}</td>
                <td class="num">{money(r.totals.refundIdr)}</td>
                <td class="num">{money(r.totals.netIdr)}</td>
                <td class="num">{r.totals.payments}</td>
                <td class="num">{r.totals.refunds}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </Card>
      <p class="muted">{t("admin.fin.note", { zone: config.timeZone })}</p>
    </div>
  );
});
