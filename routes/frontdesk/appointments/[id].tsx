import type { ComponentChildren } from "preact";
import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { config } from "@/lib/config.ts";
import { AppError, BadRequest, ValidationError } from "@/lib/errors.ts";
import { readBody } from "@/lib/validation.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { type Appointment, punctualityOf } from "@/lib/guestbook/model.ts";
import { getAppointmentFor } from "@/lib/guestbook/store.ts";
import { checkInManually } from "@/lib/guestbook/check_in.ts";
import { markNoShow } from "@/lib/guestbook/status.ts";
import { punctualityKey } from "@/lib/guestbook/visits.ts";
import { todayLocal } from "@/lib/guestbook/time.ts";
import { Card, ConfirmStep, Field, type FieldErrors, FormAlert, PageHeader } from "@/components/ui.tsx";
import { fmtDate, fmtTime } from "@/components/frontdesk/format.ts";
import { Facts, StatusBadge } from "@/components/frontdesk/ui.tsx";
import { formText } from "@/components/frontdesk/GuestFields.tsx";

const ACTIONS = ["check_in", "no_show"] as const;
type Action = typeof ACTIONS[number];

interface Data {
  a: Appointment;
  today: string;
  values: { guestName: string; guestPhone: string };
  errors: FieldErrors;
  error: string | null;
  done: Action | null;
  /** `?confirm=no_show`: show the confirmation step instead of the no-show button. */
  confirmNoShow: boolean;
}

const EMPTY = { guestName: "", guestPhone: "" };

/**
 * `/frontdesk/appointments/:id` — one appointment for the desk (receptionist,
 * admin): its facts (guest, teacher, purpose, schedule, status, arrival and
 * punctuality), the manual check-in of a guest who lost their QR (the guest's
 * name and phone, checked against the appointment's guest) and "mark no-show",
 * both plain forms (POST → 303 → GET). Unknown ids are a 404.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "receptionist", "admin");
    const a = await getAppointmentFor(user, ctx.params.id);
    ctx.state.title = `${ctx.state.t("fd.appt.title")} · ${a.guestName}`;
    const done = ctx.url.searchParams.get("done");
    return page<Data>({
      a,
      today: todayLocal(),
      values: EMPTY,
      errors: {},
      error: null,
      done: ACTIONS.includes(done as Action) ? done as Action : null,
      confirmNoShow: ctx.url.searchParams.get("confirm") === "no_show",
    });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "receptionist", "admin");
    const a = await getAppointmentFor(user, ctx.params.id);
    ctx.state.title = `${ctx.state.t("fd.appt.title")} · ${a.guestName}`;
    const body = await readBody(ctx.req);
    const action = body.action as Action;
    const values = { guestName: formText(body.guestName), guestPhone: formText(body.guestPhone) };
    try {
      if (!ACTIONS.includes(action)) throw new BadRequest("invalid_action", "field.invalid_choice");
      if (action === "check_in") await checkInManually(a.id, values, user);
      else await markNoShow(a.id, user);
      return ctx.redirect(`/frontdesk/appointments/${a.id}?done=${action}`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const fresh = await getAppointmentFor(user, a.id);
      const errors = err instanceof ValidationError ? err.fields : {};
      return page<Data>({
        a: fresh,
        today: todayLocal(),
        values: action === "check_in" ? values : EMPTY,
        errors,
        error: err instanceof ValidationError
          ? ctx.state.t("error.validation")
          : translate(ctx.state.lang, err.messageKey, err.params),
        done: null,
        confirmNoShow: false,
      }, { status: err instanceof ValidationError ? 422 : err.status });
    }
  },
});

export default define.page<typeof handler>(function DeskAppointmentPage({ data, state }) {
  const t = state.t;
  const tz = config.timeZone;
  const { a } = data;
  const p = punctualityOf(a);
  const canCheckIn = a.status === "scheduled" && a.localDate === data.today;
  const canNoShow = a.status === "scheduled" && Date.parse(a.startsAt) <= Date.now();
  const facts: [string, ComponentChildren][] = [
    [t("fd.appt.guest"), a.guestName],
    [t("fd.appt.teacher"), a.teacherName],
    [t("fd.appt.purpose"), a.purpose],
    [t("fd.appt.scheduled"), `${fmtDate(a.startsAt, state.lang, tz)} · ${fmtTime(a.startsAt, state.lang, tz)}`],
    [t("fd.appt.status"), <StatusBadge key="status" status={a.status} late={a.late} t={t} />],
  ];
  if (a.walkIn) facts.push([t("fd.appt.walk_in"), "✓"]);
  if (a.checkedInAt) facts.push([t("fd.appt.arrived"), fmtTime(a.checkedInAt, state.lang, tz)]);
  if (p) {
    facts.push([
      t("fd.appt.punctuality"),
      <span key="punctuality" data-testid="punctuality">{t(punctualityKey(p))}</span>,
    ]);
  }
  if (a.pickedUpAt) facts.push([t("fd.appt.picked_up"), fmtTime(a.pickedUpAt, state.lang, tz)]);
  if (a.finishedAt) facts.push([t("fd.appt.finished"), fmtTime(a.finishedAt, state.lang, tz)]);
  if (a.rating !== null) facts.push([t("fd.appt.rating"), `${a.rating}/5`]);
  return (
    <div class="frontdesk-page narrow-page" data-testid="desk-appointment" data-status={a.status}>
      <PageHeader title={a.guestName} subtitle={t("fd.appt.title")}>
        <a class="btn btn-ghost" href="/frontdesk">{t("fd.appt.back")}</a>
      </PageHeader>
      {data.done === "check_in" && a.checkedInAt
        ? (
          <p class="alert alert-success" role="status">
            {t("fd.appt.manual.done", {
              name: a.guestName,
              time: fmtTime(a.checkedInAt, state.lang, tz),
              punctuality: p ? t(punctualityKey(p)) : "",
            })}
          </p>
        )
        : null}
      <FormAlert message={data.error} />
      {data.done === "no_show" ? <p class="alert alert-success" role="status">{t("fd.appt.no_show.done")}</p> : null}
      <Card>
        <Facts items={facts} />
      </Card>
      {canCheckIn
        ? (
          <Card title={t("fd.appt.manual.title")}>
            <div id="manual-check-in">
              <p class="muted">{t("fd.appt.manual.intro")}</p>
              <form method="post" class="stack" novalidate data-testid="manual-check-in">
                <input type="hidden" name="action" value="check_in" />
                <Field
                  name="guestName"
                  label={t("fd.appt.manual.name")}
                  t={t}
                  errors={data.errors}
                  value={data.values.guestName}
                  autocomplete="off"
                  maxLength={100}
                  required
                />
                <Field
                  name="guestPhone"
                  type="tel"
                  label={t("fd.appt.manual.phone")}
                  t={t}
                  errors={data.errors}
                  value={data.values.guestPhone}
                  autocomplete="off"
                  inputmode="tel"
                  maxLength={40}
                  required
                />
                <div class="form-actions">
                  <button type="submit" class="btn btn-lg">{t("fd.appt.manual.submit")}</button>
                </div>
              </form>
            </div>
          </Card>
        )
        : null}
      {canNoShow
        ? (
          data.confirmNoShow
            ? (
              <ConfirmStep
                title={t("fd.confirm.no_show.title")}
                body={t("fd.confirm.no_show.body", {
                  name: a.guestName,
                  when: `${fmtDate(a.startsAt, state.lang, tz)} ${fmtTime(a.startsAt, state.lang, tz)}`,
                })}
                submitLabel={t("fd.confirm.no_show.submit")}
                backHref={`/frontdesk/appointments/${a.id}`}
                backLabel={t("fd.confirm.keep")}
                fields={{ action: "no_show" }}
              />
            )
            : (
              <Card title={t("fd.appt.no_show.title")}>
                <p class="muted">{t("fd.appt.no_show.intro")}</p>
                <a
                  class="btn btn-danger-outline"
                  href={`/frontdesk/appointments/${a.id}?confirm=no_show#confirm`}
                  data-testid="no-show"
                >
                  {t("fd.appt.no_show.submit")}
                </a>
              </Card>
            )
        )
        : null}
    </div>
  );
});
