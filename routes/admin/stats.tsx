import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { ROLES } from "@/lib/auth/users.ts";
import { BOOKING_STATUSES } from "@/lib/booking/model.ts";
import { formatDate } from "@/lib/i18n/format.ts";
import { platformStats } from "@/lib/admin/stats.ts";
import { Card, PageHeader } from "@/components/ui.tsx";
import { HBarChart } from "@/components/charts.tsx";

/**
 * `/admin/stats` (admin) — platform statistics: accounts per role, users active in the last 30
 * days, bookings by status and refunds due, stored emotion screenings, guest visits of the last 30 local days.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    addSheets(ctx.state, "reports", "admin");
    ctx.state.title = ctx.state.t("admin.stats.title");
    return page({ s: await platformStats() });
  },
});

export default define.page<typeof handler>(function Stats({ data: { s }, state: { t, lang } }) {
  const nf = new Intl.NumberFormat(lang === "id" ? "id-ID" : "en-GB");
  const day = (d: string) => formatDate(d, lang, "UTC") || d;
  return (
    <div class="admin-page">
      <PageHeader title={t("admin.stats.title")} subtitle={t("admin.stats.intro")} />
      <Card>
        <div class="admin-totals" data-testid="stats-tiles">
          <div class="stat">
            <span class="stat-value">{nf.format(s.users.total)}</span>
            <span class="stat-label">{t("admin.stats.users_total")}</span>
          </div>
          <div class="stat">
            <span class="stat-value" data-testid="active-users">{nf.format(s.activeUsers30d)}</span>
            <span class="stat-label">{t("admin.stats.active")}</span>
          </div>
          <div class="stat">
            <span class="stat-value">{nf.format(s.bookings.total)}</span>
            <span class="stat-label">{t("admin.stats.bookings_total")}</span>
          </div>
          <a class="stat" href="/admin/transactions?refund=due">
            <span class="stat-value">{nf.format(s.bookings.refundsDue)}</span>
            <span class="stat-label">{t("admin.stats.refunds_due")}</span>
          </a>
          <div class="stat">
            <span class="stat-value" data-testid="screenings">{nf.format(s.screenings)}</span>
            <span class="stat-label">{t("admin.stats.screenings")}</span>
          </div>
          <div class="stat">
            <span class="stat-value">{nf.format(s.guestVisits30d.visits)}</span>
            <span class="stat-label">{t("admin.stats.visits")}</span>
          </div>
        </div>
        <p class="hint">{t("admin.stats.active_note")}</p>
      </Card>
      <div class="report-grid">
        <Card class="chart-card">
          <HBarChart
            id="chart-roles"
            title={t("admin.stats.role_chart")}
            desc={t("admin.stats.role_chart_desc")}
            tableLabel={t("admin.stats.table")}
            categoryLabel={t("admin.stats.category")}
            items={ROLES.map((r) => ({ label: t(`role.${r}`), value: s.users.byRole[r] ?? 0 }))}
            format={(v) => nf.format(v)}
          />
        </Card>
        <Card class="chart-card">
          <HBarChart
            id="chart-bookings"
            title={t("admin.stats.status_chart")}
            desc={t("admin.stats.status_chart_desc")}
            tableLabel={t("admin.stats.table")}
            categoryLabel={t("admin.stats.category")}
            items={BOOKING_STATUSES.map((b) => ({
              label: t(`booking.status.${b}`),
              value: s.bookings.byStatus[b] ?? 0,
            }))}
            format={(v) => nf.format(v)}
          />
        </Card>
        <Card class="chart-card" title={t("admin.stats.visits")}>
          <p class="muted">
            {t("admin.stats.visits_range", { from: day(s.guestVisits30d.from), to: day(s.guestVisits30d.to) })}
          </p>
          <div class="admin-totals">
            <div class="stat">
              <span class="stat-value">{nf.format(s.guestVisits30d.appointments)}</span>
              <span class="stat-label">{t("admin.stats.appointments")}</span>
            </div>
            <div class="stat">
              <span class="stat-value">{nf.format(s.guestVisits30d.visits)}</span>
              <span class="stat-label">{t("admin.stats.checked_in")}</span>
            </div>
          </div>
        </Card>
      </div>
    </div>
  );
});
