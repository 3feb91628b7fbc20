import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { config } from "@/lib/config.ts";
import type { Appointment } from "@/lib/guestbook/model.ts";
import { listAppointmentsByGuest } from "@/lib/guestbook/store.ts";
import { isReviewable } from "@/lib/guestbook/reviews.ts";
import { appointmentToken, qrText } from "@/lib/guestbook/qr_token.ts";
import { qrSvg } from "@/lib/guestbook/qr_image.ts";
import { todayLocal } from "@/lib/guestbook/time.ts";
import { Card, Empty, PageHeader } from "@/components/ui.tsx";
import { fmtDate, fmtLongDate, fmtTime } from "@/components/frontdesk/format.ts";
import { QrFigure, StatusBadge } from "@/components/frontdesk/ui.tsx";
import { Stars } from "@/components/frontdesk/StarInput.tsx";

interface Item {
  a: Appointment;
  token: string;
  svg: string | null;
}

/**
 * `/guest` — the guest portal (docs/domain-rules.md "Guest portal"): the signed-in guest's own
 * appointments with their status; upcoming ones with the QR, finished ones
 * with a link to the review. Guests only; no JavaScript.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "guest");
    ctx.state.title = ctx.state.t("fd.guest.title");
    const today = todayLocal();
    const { items } = await listAppointmentsByGuest(user.id, { limit: 100 });
    const upcoming: Item[] = [];
    const past: Item[] = [];
    for (const a of items) {
      const token = await appointmentToken(a);
      const active = (a.status === "scheduled" && a.localDate >= today) ||
        ((a.status === "waiting" || a.status === "in_meeting") && a.localDate === today);
      if (active) {
        upcoming.push({
          a,
          token,
          svg: a.status === "scheduled"
            ? qrSvg(qrText(token), { title: ctx.state.t("fd.qr.alt", { name: a.guestName }) })
            : null,
        });
      } else past.push({ a, token, svg: null });
    }
    upcoming.sort((x, y) => (x.a.startsAt < y.a.startsAt ? -1 : 1));
    past.sort((x, y) => (x.a.startsAt > y.a.startsAt ? -1 : 1));
    return page({ name: user.name, upcoming, past, today });
  },
});

export default define.page<typeof handler>(function GuestPortal({ data, state }) {
  const t = state.t;
  const tz = config.timeZone;
  return (
    <div class="frontdesk-page guest-portal">
      <PageHeader title={t("fd.guest.title")} subtitle={t("fd.g.hello", { name: data.name })} />
      <h2 class="section-title">{t("fd.guest.upcoming")}</h2>
      {data.upcoming.length === 0
        ? (
          <Card>
            <Empty t={t} message={t("fd.guest.none_upcoming")} />
          </Card>
        )
        : (
          <div class="guest-cards">
            {data.upcoming.map(({ a, token, svg }) => (
              <Card class="guest-appt">
                <div class="guest-appt-head">
                  <div>
                    <p class="guest-appt-date">{fmtLongDate(a.startsAt, state.lang, tz)}</p>
                    <p class="guest-appt-time">{fmtTime(a.startsAt, state.lang, tz)} · {a.teacherName}</p>
                    <p class="muted">{a.purpose}</p>
                  </div>
                  <StatusBadge status={a.status} late={a.late} t={t} />
                </div>
                {svg
                  ? (
                    <QrFigure
                      svg={svg}
                      caption={a.localDate === data.today
                        ? t("fd.guest.qr_today")
                        : t("fd.g.show_qr", { date: fmtDate(a.localDate, state.lang, tz) })}
                    >
                      <a class="btn btn-secondary btn-sm" href={`/g/${token}`}>{t("fd.guest.open")}</a>
                    </QrFigure>
                  )
                  : <p class="alert alert-info">{t("fd.g.waiting_short")}</p>}
              </Card>
            ))}
          </div>
        )}
      <h2 class="section-title">{t("fd.guest.past")}</h2>
      <Card>
        {data.past.length === 0 ? <Empty t={t} /> : (
          <ul class="appt-list">
            {data.past.map(({ a, token }) => (
              <li>
                <a class="appt-link" href={`/g/${token}`}>
                  <span class="appt-when">
                    <span class="appt-date">{fmtDate(a.startsAt, state.lang, tz)}</span>
                    <span class="appt-time">{fmtTime(a.startsAt, state.lang, tz)}</span>
                  </span>
                  <span class="appt-main">
                    <span class="appt-guest">{a.teacherName}</span>
                    <span class="appt-purpose">{a.purpose}</span>
                    {isReviewable(a) ? <span class="appt-cta">{t("fd.guest.review_cta")} →</span> : null}
                    {a.rating !== null ? <Stars value={a.rating} t={t} /> : null}
                  </span>
                  <StatusBadge status={a.status} late={a.late} t={t} />
                </a>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
});
