import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { config } from "@/lib/config.ts";
import { formatDate, formatDateTime } from "@/lib/i18n/format.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { formatPhone } from "@/lib/auth/phone.ts";
import { patientDetails } from "@/lib/workspace/patients.ts";
import { Card, Empty, Facts, PageHeader } from "@/components/ui.tsx";
import { BookingRow, BookingStatus } from "@/components/booking/ui.tsx";
import { WorkspaceTabs } from "@/components/workspace.tsx";

/**
 * `/psychologist/patients/:clientId` — a client's details for a psychologist
 * they booked (a paid-or-later booking: `hasCareRelationship`): profile basics,
 * progress over time, and every booking with this psychologist. Anyone else,
 * or a client without that relationship, gets 404. Every opening is written to
 * the audit log (`patient.read`).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "booking", "workspace");
    const d = await patientDetails(user, ctx.params.clientId);
    ctx.state.title = d.client.name;
    return page(d);
  },
});

/** `2026-11` → `November 2026` in the page's language. */
function monthName(month: string, lang: string): string {
  const [y, m] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "id-ID", { month: "long", year: "numeric", timeZone: "UTC" })
    .format(new Date(Date.UTC(y, m - 1, 15)));
}

/** Bookings listed before "show all". */
const FIRST_BOOKINGS = 20;

export default define.page<typeof handler>(function Patient({ data, state, url }) {
  const { t, lang } = state;
  const { client: c, summary, timeline, bookings } = data;
  const tz = config.timeZone;
  const unknown = t("workspace.patient.unknown");
  const all = url.searchParams.get("all") === "1";
  const shown = all ? bookings : bookings.slice(0, FIRST_BOOKINGS);
  return (
    <div class="booking-page workspace-page">
      <p class="back-link">
        <a href="/psychologist/queue">← {t("workspace.queue.title")}</a>
      </p>
      <PageHeader title={c.name} subtitle={t("workspace.patient.subtitle")} />
      <WorkspaceTabs t={t} current="queue" />
      <div class="ws-columns">
        <div class="stack">
          <Card title={t("workspace.patient.profile")}>
            <Facts
              items={[
                [t("workspace.patient.age"), c.age === null ? unknown : t("workspace.queue.age", { age: c.age })],
                [t("workspace.patient.birth"), c.birthDate ? formatDate(c.birthDate, lang, "UTC") : unknown],
                [t("workspace.patient.gender"), c.gender ? t(`gender.${c.gender}`) : unknown],
                [t("workspace.patient.phone"), c.phone ? formatPhone(c.phone) : unknown],
                [t("workspace.patient.email"), c.email ?? unknown],
                [t("workspace.patient.lang"), t(`workspace.lang.${c.lang === "en" ? "en" : "id"}`)],
                [t("workspace.patient.held"), String(summary.held)],
                [t("workspace.patient.first"), summary.first ? formatDateTime(summary.first, lang, tz) : unknown],
                [t("workspace.patient.last"), summary.last ? formatDateTime(summary.last, lang, tz) : unknown],
              ]}
            />
          </Card>
          <Card title={t("workspace.patient.progress")}>
            <p class="hint">{t("workspace.patient.progress_hint")}</p>
            {timeline.length
              ? (
                <ol class="ws-timeline">
                  {timeline.map((m) => (
                    <li key={m.month} class="is-session">
                      <span class="when">{monthName(m.month, lang)}</span>
                      {Object.entries(m.sessions).map(([status, n]) => (
                        <span key={status} class="ws-count">
                          <BookingStatus b={{ status: status as Booking["status"] }} t={t} /> × {n}
                        </span>
                      ))}
                      {m.screenings.map((x) => (
                        <span key={x.id} class="ws-count ws-screening">
                          <a href={`/screening/${x.id}`}>
                            {t("workspace.patient.screening")}: {t(`screening.style_short.${x.result}`)}
                          </a>
                        </span>
                      ))}
                    </li>
                  ))}
                </ol>
              )
              : <Empty t={t} />}
          </Card>
          <Card title={t("workspace.patient.screenings")}>
            {data.screenings.length
              ? (
                <ul class="ws-screenings" role="list">
                  {data.screenings.map((x) => (
                    <li key={x.id}>
                      <a href={`/screening/${x.id}`}>
                        <strong>{t(`screening.style.${x.result}`)}</strong>
                      </a>
                      <span class="when">{formatDateTime(x.createdAt, lang, tz)}</span>
                      <span class="muted">
                        {(["secure", "anxious", "avoidant"] as const).map((st) =>
                          `${t(`screening.style_short.${st}`)} ${x.counts[st]}`
                        ).join(" · ")}
                      </span>
                    </li>
                  ))}
                </ul>
              )
              : <Empty t={t} message={t("workspace.patient.no_screenings")} />}
          </Card>
        </div>
        <Card title={t("workspace.patient.sessions")}>
          {bookings.length
            ? (
              <ul class="booking-list" role="list">
                {shown.map((b) => (
                  <BookingRow
                    key={b.id}
                    b={b}
                    t={t}
                    lang={lang}
                    timeZone={tz}
                    href={`/psychologist/bookings/${b.id}`}
                    side="psychologist"
                  />
                ))}
              </ul>
            )
            : <Empty t={t} />}
          {shown.length < bookings.length
            ? (
              <p>
                <a class="btn btn-secondary" href={`/psychologist/patients/${c.id}?all=1`}>
                  {t("workspace.patient.show_all", { count: bookings.length })}
                </a>
              </p>
            )
            : null}
        </Card>
      </div>
    </div>
  );
});
