import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { config } from "@/lib/config.ts";
import { ValidationError } from "@/lib/errors.ts";
import { readBody } from "@/lib/validation.ts";
import { createAppointment } from "@/lib/guestbook/create.ts";
import { addDays, todayLocal } from "@/lib/guestbook/time.ts";
import { stashGuestPassword } from "@/lib/guestbook/ui_queries.ts";
import { Card, Field, type FieldErrors, FormAlert, PageHeader } from "@/components/ui.tsx";
import {
  formText,
  GUEST_FORM_LABELS,
  GuestFields,
  type VisitValues,
  visitValues,
} from "@/components/frontdesk/GuestFields.tsx";

/** Form values as typed (re-shown after an error). */
type Values = VisitValues & { startsAt: string };

/** Local wall-clock `YYYY-MM-DDTHH:MM` of `now` in the configured zone (a `datetime-local` value). */
function localInputValue(now: Date): string {
  const z = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(config.timeZone);
  return z.toPlainDateTime().toString({ smallestUnit: "minute" });
}

/**
 * `/teacher/appointments/new` — the teacher registers a guest (docs/domain-rules.md "Appointment"):
 * name, phone, optional e-mail, purpose, date and time. Rules and validation in
 * `createAppointment`; errors come back next to the fields. Success → 303 to
 * the appointment page, which shows the QR and (once) the new guest's password.
 */
export const handler = define.handlers({
  GET(ctx) {
    requireRole(ctx, "teacher");
    ctx.state.title = ctx.state.t("fd.new.title");
    return page({
      values: { guestName: "", guestPhone: "", guestEmail: "", purpose: "", startsAt: "" } as Values,
      errors: {} as FieldErrors,
      now: new Date(),
    });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "teacher");
    ctx.state.title = ctx.state.t("fd.new.title");
    const body = await readBody(ctx.req);
    const values: Values = { ...visitValues(body), startsAt: formText(body.startsAt) };
    try {
      const created = await createAppointment(
        { ...values, guestEmail: values.guestEmail || undefined },
        user,
        new Date(),
        { lang: ctx.state.lang },
      );
      if (created.guestPassword) await stashGuestPassword(created.appointment.id, user.id, created.guestPassword);
      return ctx.redirect(`/teacher/appointments/${created.appointment.id}?created=1`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page({ values, errors: err.messages(), now: new Date() }, { status: 422 });
    }
  },
});

export default define.page<typeof handler>(function NewAppointment({ data, state }) {
  const t = state.t;
  const { values, errors } = data;
  const hasErrors = Object.keys(errors).length > 0;
  const min = localInputValue(data.now);
  const max = `${addDays(todayLocal(data.now), config.appointmentMaxDaysAhead)}T23:59`;
  return (
    <div class="frontdesk-page narrow-page">
      <PageHeader title={t("fd.new.title")} subtitle={t("fd.new.subtitle")} />
      <Card>
        <FormAlert message={hasErrors ? t("error.validation") : null} />
        <form method="post" class="stack" novalidate>
          <GuestFields variant="visit" t={t} errors={errors} values={values} labels={GUEST_FORM_LABELS} />
          <Field
            name="startsAt"
            label={t("fd.form.starts_at")}
            type="datetime-local"
            t={t}
            errors={errors}
            value={values.startsAt}
            required
            min={min}
            max={max}
            hint={t("fd.form.starts_at_hint", { days: config.appointmentMaxDaysAhead, zone: config.timeZone })}
          />
          <div class="form-actions">
            <button type="submit" class="btn btn-lg">{t("fd.new.submit")}</button>
            <a class="btn btn-ghost" href="/teacher">{t("common.cancel")}</a>
          </div>
        </form>
      </Card>
    </div>
  );
});
