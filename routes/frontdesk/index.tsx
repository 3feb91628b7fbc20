import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { config } from "@/lib/config.ts";
import { APPOINTMENT_STATUSES } from "@/lib/guestbook/model.ts";
import { todayDashboard } from "@/lib/guestbook/reports.ts";
import { Card, PageHeader } from "@/components/ui.tsx";
import { type ApptRow, fmtLongDate, statusKey, toRow } from "@/components/frontdesk/format.ts";
import { pickStrings, StatTile } from "@/components/frontdesk/ui.tsx";
import TodayGuests, { TODAY_GUESTS_KEYS } from "@/islands/TodayGuests.tsx";

/**
 * `/frontdesk` — today's dashboard for the receptionist and admins
 * (docs/domain-rules.md "Reports"): number of guests, counts per status, the teacher with
 * most appointments, and today's list (live).
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "receptionist", "admin");
    ctx.state.title = ctx.state.t("fd.desk.title");
    const d = await todayDashboard(new Date());
    return page({ ...d, rows: d.appointments.map(toRow).filter((r): r is ApptRow => r !== null) });
  },
});

export default define.page<typeof handler>(function FrontDesk({ data, state }) {
  const t = state.t;
  return (
    <div class="frontdesk-page">
      <PageHeader title={t("fd.desk.title")} subtitle={fmtLongDate(data.date, state.lang, config.timeZone)}>
        <a class="btn" href="/frontdesk/scan">{t("fd.desk.open_scanner")}</a>
        <a class="btn btn-secondary" href="/frontdesk/walk-in">{t("fd.desk.walk_in")}</a>
      </PageHeader>
      <div class="stat-grid" data-testid="desk-stats">
        <StatTile label={t("fd.desk.total")} value={data.total} tone="total" />
        <StatTile label={t("fd.desk.guests")} value={data.guests} tone="finished" />
        <StatTile label={t("guestbook.status.waiting")} value={data.counts.waiting} tone="waiting" />
        <StatTile label={t("fd.desk.late")} value={data.late} tone="late" />
        <StatTile
          text
          label={t("fd.desk.top_teacher")}
          value={data.topTeacher ? data.topTeacher.name : "—"}
          hint={data.topTeacher ? t("fd.desk.top_teacher_count", { count: data.topTeacher.appointments }) : undefined}
        />
      </div>
      <Card title={t("fd.desk.by_status")}>
        <ul class="status-counts">
          {APPOINTMENT_STATUSES.map((s) => (
            <li class={`status-count status-${s}`}>
              <span class="status-count-value">{data.counts[s]}</span>
              <span class="status-count-label">{t(statusKey(s))}</span>
            </li>
          ))}
        </ul>
      </Card>
      <Card title={t("fd.desk.today_list")}>
        <TodayGuests
          mode="desk"
          initial={data.rows}
          strings={pickStrings(t, TODAY_GUESTS_KEYS)}
          lang={state.lang}
          timeZone={config.timeZone}
        />
      </Card>
    </div>
  );
});
