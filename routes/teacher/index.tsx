import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { config } from "@/lib/config.ts";
import { listToday } from "@/lib/guestbook/store.ts";
import { upcomingForTeacher } from "@/lib/guestbook/ui_queries.ts";
import { todayLocal } from "@/lib/guestbook/time.ts";
import { Card, Empty, PageHeader } from "@/components/ui.tsx";
import { type ApptRow, fmtDate, fmtLongDate, fmtTime, toRow } from "@/components/frontdesk/format.ts";
import { pickStrings, StatusBadge } from "@/components/frontdesk/ui.tsx";
import TodayGuests, { TODAY_GUESTS_KEYS } from "@/islands/TodayGuests.tsx";

/**
 * `/teacher` — the teacher's home (docs/domain-rules.md "Notification", "Statuses"): today's guests live
 * (TodayGuests island: arrivals appear without reload, "Dijemput"/"Selesai"
 * buttons) and the upcoming appointments. Teachers only.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "teacher");
    ctx.state.title = ctx.state.t("fd.teacher.title");
    const now = new Date();
    const [today, upcoming] = await Promise.all([listToday(user, now), upcomingForTeacher(user.id, now)]);
    return page({
      date: todayLocal(now),
      today: today.map(toRow).filter((r): r is ApptRow => r !== null),
      upcoming,
    });
  },
});

export default define.page<typeof handler>(function TeacherHome({ data, state }) {
  const t = state.t;
  const tz = config.timeZone;
  return (
    <div class="frontdesk-page">
      <PageHeader title={t("fd.teacher.title")} subtitle={fmtLongDate(data.date, state.lang, tz)}>
        <a class="btn" href="/teacher/appointments/new">+ {t("fd.teacher.new")}</a>
      </PageHeader>
      <Card title={t("fd.teacher.today_guests")} class="card-today">
        <p class="muted card-sub">{t("fd.teacher.today_hint")}</p>
        <TodayGuests
          mode="teacher"
          initial={data.today}
          strings={pickStrings(t, TODAY_GUESTS_KEYS)}
          lang={state.lang}
          timeZone={tz}
        />
      </Card>
      <Card title={t("fd.teacher.upcoming")}>
        {data.upcoming.length === 0 ? <Empty t={t} message={t("fd.teacher.upcoming_empty")} /> : (
          <ul class="appt-list">
            {data.upcoming.map((a) => (
              <li>
                <a class="appt-link" href={`/teacher/appointments/${a.id}`}>
                  <span class="appt-when">
                    <span class="appt-date">{fmtDate(a.startsAt, state.lang, tz, { year: false })}</span>
                    <span class="appt-time">{fmtTime(a.startsAt, state.lang, tz)}</span>
                  </span>
                  <span class="appt-main">
                    <span class="appt-guest">{a.guestName}</span>
                    <span class="appt-purpose">{a.purpose}</span>
                  </span>
                  <StatusBadge status={a.status} t={t} />
                </a>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
});
