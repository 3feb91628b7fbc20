import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { ValidationError } from "@/lib/errors.ts";
import { readBody } from "@/lib/validation.ts";
import { getAppointment } from "@/lib/guestbook/store.ts";
import { listActiveTeachers, registerWalkIn } from "@/lib/guestbook/create.ts";
import { getGuest } from "@/lib/guestbook/guests.ts";
import { stashGuestPassword, takeGuestPassword } from "@/lib/guestbook/ui_queries.ts";
import { Card, type FieldErrors, FormAlert, PageHeader, SelectField } from "@/components/ui.tsx";
import {
  formText,
  GuestFields,
  type VisitValues,
  visitValues,
  WALK_IN_LABELS,
} from "@/components/frontdesk/GuestFields.tsx";
import { fmtPhone } from "@/components/frontdesk/format.ts";

type Values = VisitValues & { teacherId: string };
const EMPTY: Values = { guestName: "", guestPhone: "", guestEmail: "", purpose: "", teacherId: "" };

/**
 * `/frontdesk/walk-in` — register a guest without an appointment
 * (docs/domain-rules.md "Walk-in") as a plain form (the scan screen has the same form inline): time = now,
 * checked in at once, the teacher is notified. Receptionist and admin.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "receptionist", "admin");
    ctx.state.title = ctx.state.t("fd.walkin.title");
    const doneId = ctx.url.searchParams.get("done");
    let done: { guestName: string; teacherName: string; phone: string; password: string | null } | null = null;
    if (doneId) {
      const a = await getAppointment(doneId);
      if (a && a.walkIn) {
        const guest = await getGuest(a.guestId);
        done = {
          guestName: a.guestName,
          teacherName: a.teacherName,
          phone: guest?.phone ?? "",
          password: await takeGuestPassword(a.id, user.id),
        };
      }
    }
    return page({ values: EMPTY, errors: {} as FieldErrors, teachers: await listActiveTeachers(), done });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "receptionist", "admin");
    ctx.state.title = ctx.state.t("fd.walkin.title");
    const body = await readBody(ctx.req);
    const values: Values = { ...visitValues(body), teacherId: formText(body.teacherId) };
    try {
      const created = await registerWalkIn({ ...values, guestEmail: values.guestEmail || undefined }, user);
      if (created.guestPassword) await stashGuestPassword(created.appointment.id, user.id, created.guestPassword);
      return ctx.redirect(`/frontdesk/walk-in?done=${created.appointment.id}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page({ values, errors: err.messages(), teachers: await listActiveTeachers(), done: null }, {
        status: 422,
      });
    }
  },
});

export default define.page<typeof handler>(function WalkInPage({ data, state }) {
  const t = state.t;
  const { values, errors } = data;
  return (
    <div class="frontdesk-page narrow-page">
      <PageHeader title={t("fd.walkin.title")} subtitle={t("fd.walkin.intro")}>
        <a class="btn btn-ghost" href="/frontdesk/scan">{t("fd.desk.open_scanner")}</a>
      </PageHeader>
      {data.done
        ? (
          <div class="alert alert-success" role="status">
            <p>{t("fd.walkin.done", { name: data.done.guestName, teacher: data.done.teacherName })}</p>
            {data.done.password
              ? (
                <p>
                  {t("fd.walkin.password")} <strong>{data.done.password}</strong> ({fmtPhone(data.done.phone)})
                </p>
              )
              : null}
          </div>
        )
        : null}
      <Card>
        <FormAlert message={Object.keys(errors).length ? t("error.validation") : null} />
        <form method="post" class="stack" novalidate data-testid="walkin-form">
          <GuestFields variant="visit" t={t} errors={errors} values={values} labels={WALK_IN_LABELS} />
          <SelectField
            name="teacherId"
            label={t("fd.walkin.teacher")}
            t={t}
            errors={errors}
            value={values.teacherId}
            required
            options={[
              ["", t("fd.walkin.teacher_choose")],
              ...data.teachers.map((x) => [x.id, x.name] as [string, string]),
            ]}
          />
          <div class="form-actions">
            <button type="submit" class="btn btn-lg">{t("fd.walkin.submit")}</button>
          </div>
        </form>
      </Card>
    </div>
  );
});
