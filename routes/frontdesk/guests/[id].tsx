import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { config } from "@/lib/config.ts";
import { NotFound, ValidationError } from "@/lib/errors.ts";
import { parseInput, readBody } from "@/lib/validation.ts";
import { getGuest, guestPatchSchema, updateGuest } from "@/lib/guestbook/guests.ts";
import { listAppointmentsByGuest } from "@/lib/guestbook/store.ts";
import { Card, ConfirmStep, Empty, type FieldErrors, FormAlert, PageHeader } from "@/components/ui.tsx";
import { formText, GUEST_FORM_LABELS, GuestFields } from "@/components/frontdesk/GuestFields.tsx";
import { fmtDate, fmtPhone, fmtTime } from "@/components/frontdesk/format.ts";
import { StatusBadge } from "@/components/frontdesk/ui.tsx";

interface Values {
  name: string;
  phone: string;
  email: string;
}

async function load(id: string) {
  const g = await getGuest(id);
  if (!g) throw new NotFound("guest_not_found", "guestbook.guest_not_found");
  const { items } = await listAppointmentsByGuest(g.id, { limit: 20 });
  return { guest: g, appointments: items };
}

/**
 * `/frontdesk/guests/:id` — edit a guest's name, phone and e-mail
 * (docs/domain-rules.md "Guests"; rules in `updateGuest`), with their recent appointments.
 * Receptionist and admin.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "receptionist", "admin");
    const d = await load(ctx.params.id);
    ctx.state.title = d.guest.name;
    const values: Values = { name: d.guest.name, phone: fmtPhone(d.guest.phone), email: d.guest.email ?? "" };
    return page({
      ...d,
      values,
      errors: {} as FieldErrors,
      saved: ctx.url.searchParams.has("saved"),
      // A password reset asks first: its button links here with ?confirm=reset.
      confirmReset: ctx.url.searchParams.get("confirm") === "reset",
    });
  },
  async POST(ctx) {
    requireRole(ctx, "receptionist", "admin");
    const d = await load(ctx.params.id);
    ctx.state.title = d.guest.name;
    const body = await readBody(ctx.req);
    const values: Values = { name: formText(body.name), phone: formText(body.phone), email: formText(body.email) };
    try {
      await updateGuest(d.guest.id, parseInput(guestPatchSchema, values));
      return ctx.redirect(`/frontdesk/guests/${d.guest.id}?saved=1`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page({ ...d, values, errors: err.messages(), saved: false, confirmReset: false }, { status: 422 });
    }
  },
});

export default define.page<typeof handler>(function GuestEditPage({ data, state }) {
  const t = state.t;
  const tz = config.timeZone;
  const { values, errors } = data;
  return (
    <div class="frontdesk-page">
      <p class="back-link">
        <a href="/frontdesk/guests">← {t("fd.guests.title")}</a>
      </p>
      <PageHeader title={data.guest.name} subtitle={fmtPhone(data.guest.phone)} />
      {data.confirmReset
        ? (
          <ConfirmStep
            title={t("confirm.reset.title")}
            body={t("fd.confirm.reset.body", { name: data.guest.name })}
            submitLabel={t("confirm.reset.submit")}
            backHref={`/frontdesk/guests/${data.guest.id}`}
            backLabel={t("confirm.back")}
            action={`/frontdesk/guests/${data.guest.id}/reset-password`}
            fields={{}}
          />
        )
        : null}
      <div class="detail-grid" hidden={data.confirmReset}>
        <Card title={t("fd.guests.edit")}>
          {data.saved ? <FormAlert kind="success" message={t("fd.guests.saved")} /> : null}
          <FormAlert message={Object.keys(errors).length ? t("error.validation") : null} />
          <form method="post" class="stack" novalidate>
            <GuestFields
              variant="edit"
              t={t}
              errors={errors}
              values={values}
              labels={{ ...GUEST_FORM_LABELS, emailHint: "fd.guests.email_hint" }}
            />
            <div class="form-actions">
              <button type="submit" class="btn">{t("common.save")}</button>
            </div>
          </form>
        </Card>
        <Card title={t("desk.reset.title")}>
          <div class="stack">
            <p class="muted">{t("desk.reset.hint")}</p>
            <a class="btn btn-danger-outline" href={`/frontdesk/guests/${data.guest.id}?confirm=reset#confirm`}>
              {t("desk.reset.submit")}
            </a>
          </div>
        </Card>
        <Card title={t("fd.guests.appointments")}>
          {data.appointments.length === 0 ? <Empty t={t} /> : (
            <ul class="appt-list">
              {data.appointments.map((a) => (
                <li class="appt-row">
                  <span class="appt-when">
                    <span class="appt-date">{fmtDate(a.startsAt, state.lang, tz)}</span>
                    <span class="appt-time">{fmtTime(a.startsAt, state.lang, tz)}</span>
                  </span>
                  <span class="appt-main">
                    <span class="appt-guest">{a.teacherName}</span>
                    <span class="appt-purpose">{a.purpose}</span>
                  </span>
                  <StatusBadge status={a.status} late={a.late} t={t} />
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
});
