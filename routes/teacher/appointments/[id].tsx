import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { config } from "@/lib/config.ts";
import { AppError, BadRequest, TooManyRequests } from "@/lib/errors.ts";
import { readBody } from "@/lib/validation.ts";
import { type Appointment, punctualityOf } from "@/lib/guestbook/model.ts";
import { punctualityKey } from "@/lib/guestbook/visits.ts";
import { getAppointmentFor } from "@/lib/guestbook/store.ts";
import { setAppointmentStatus } from "@/lib/guestbook/status.ts";
import { appointmentToken, qrText } from "@/lib/guestbook/qr_token.ts";
import { getGuest, maskEmail } from "@/lib/guestbook/guests.ts";
import { qrSvg } from "@/lib/guestbook/qr_image.ts";
import { resendAppointmentEmail, whatsappLink } from "@/lib/guestbook/delivery.ts";
import { todayLocal } from "@/lib/guestbook/time.ts";
import { takeGuestPassword } from "@/lib/guestbook/ui_queries.ts";
import { translate } from "@/lib/i18n/mod.ts";
import type { User } from "@/lib/auth/users.ts";
import { Card, ConfirmStep, FormAlert, PageHeader } from "@/components/ui.tsx";
import { fmtLongDate, fmtPhone, fmtTime } from "@/components/frontdesk/format.ts";
import { Facts, QrFigure, StatusBadge } from "@/components/frontdesk/ui.tsx";

const ACTIONS = ["email", "cancel", "in_meeting", "finished"] as const;
type Action = typeof ACTIONS[number];

async function load(user: User, id: string, lang: "id" | "en") {
  const a = await getAppointmentFor(user, id);
  const guest = await getGuest(a.guestId);
  const token = await appointmentToken(a);
  const url = qrText(token);
  return {
    a,
    token,
    url,
    svg: qrSvg(url, { title: translate(lang, "fd.qr.alt", { name: a.guestName }) }),
    guestPhone: guest?.phone ?? null,
    // A teacher may send to the guest's address but not read it (another teacher or the desk may have typed it).
    guestEmail: guest?.email ? (user.role === "teacher" ? maskEmail(guest.email) : guest.email) : null,
    whatsapp: guest?.phone ? await whatsappLink(a, guest.phone, lang) : null,
  };
}

/**
 * `/teacher/appointments/:id` — one appointment for its teacher (or an admin):
 * status, the QR (inline SVG, PNG download), WhatsApp click-to-chat, e-mail to
 * the guest, and the status buttons (cancel, "Dijemput", "Selesai") as plain
 * forms (no JavaScript needed). After creation it shows the new guest's
 * password once. Another teacher's appointment is a 404.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "teacher", "admin");
    const d = await load(user, ctx.params.id, ctx.state.lang);
    ctx.state.title = d.a.guestName;
    const password = ctx.url.searchParams.has("created") ? await takeGuestPassword(d.a.id, user.id) : null;
    const done = ctx.url.searchParams.get("done");
    return page({
      ...d,
      password,
      created: ctx.url.searchParams.has("created"),
      done: ACTIONS.includes(done as Action) ? done : null,
      error: null as string | null,
      // Cancelling asks first: the cancel button links here with ?confirm=cancel.
      confirmCancel: ctx.url.searchParams.get("confirm") === "cancel" && d.a.status === "scheduled",
    });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "teacher", "admin");
    const body = await readBody(ctx.req);
    const action = body.action as Action;
    const a = await getAppointmentFor(user, ctx.params.id);
    try {
      if (!ACTIONS.includes(action)) throw new BadRequest("invalid_action", "field.invalid_choice");
      if (action === "email") {
        await resendAppointmentEmail(a, user);
      } else {
        await setAppointmentStatus(a.id, action === "cancel" ? "cancelled" : action, user);
      }
      return ctx.redirect(`/teacher/appointments/${a.id}?done=${action}`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) {
        if (action !== "email") throw err;
      }
      const d = await load(user, a.id, ctx.state.lang);
      ctx.state.title = d.a.guestName;
      const message = err instanceof AppError
        ? translate(ctx.state.lang, err.messageKey, err.params)
        : ctx.state.t("fd.detail.email_failed");
      return page({ ...d, password: null, created: false, done: null, error: message, confirmCancel: false }, {
        status: err instanceof AppError ? err.status : 502,
        headers: err instanceof TooManyRequests ? { "retry-after": String(err.retryAfter) } : undefined,
      });
    }
  },
});

function ActionButton({ action, label, kind = "btn" }: { action: Action; label: string; kind?: string }) {
  return (
    <form method="post" class="inline-form">
      <input type="hidden" name="action" value={action} />
      <button type="submit" class={kind}>{label}</button>
    </form>
  );
}

export default define.page<typeof handler>(function AppointmentPage({ data, state }) {
  const t = state.t;
  const tz = config.timeZone;
  const a: Appointment = data.a;
  const canSend = a.status === "scheduled" && a.localDate >= todayLocal();
  return (
    <div class="frontdesk-page detail-page">
      <p class="back-link">
        <a href="/teacher">← {t("fd.teacher.title")}</a>
      </p>
      <PageHeader
        title={a.guestName}
        subtitle={`${fmtLongDate(a.startsAt, state.lang, tz)} · ${fmtTime(a.startsAt, state.lang, tz)}`}
      >
        <StatusBadge status={a.status} late={a.late} t={t} />
      </PageHeader>
      {data.created ? <FormAlert kind="success" message={t("fd.detail.created")} /> : null}
      {data.done ? <FormAlert kind="success" message={t(`fd.detail.done.${data.done}`)} /> : null}
      <FormAlert message={data.error} />
      {data.password
        ? (
          <div class="alert alert-info password-flash" role="status">
            <p>{t("fd.detail.password_intro")}</p>
            <p class="password-value">
              <span class="muted">{t("fd.detail.password_phone")}</span> {fmtPhone(data.guestPhone)}
              <br />
              <span class="muted">{t("fd.detail.password_label")}</span> <strong>{data.password}</strong>
            </p>
            <p class="hint">{t("fd.detail.password_once")}</p>
          </div>
        )
        : null}
      {data.confirmCancel
        ? (
          <ConfirmStep
            title={t("fd.confirm.cancel.title")}
            body={t("fd.confirm.cancel.body", {
              name: a.guestName,
              when: `${fmtLongDate(a.startsAt, state.lang, tz)} ${fmtTime(a.startsAt, state.lang, tz)}`,
            })}
            submitLabel={t("fd.confirm.cancel.submit")}
            backHref={`/teacher/appointments/${a.id}`}
            backLabel={t("fd.confirm.keep")}
            fields={{ action: "cancel" }}
          />
        )
        : null}
      <div class="detail-grid" hidden={data.confirmCancel}>
        <Card title={t("fd.detail.qr_title")} class="qr-card">
          {canSend
            ? (
              <>
                <QrFigure svg={data.svg} caption={t("fd.detail.qr_caption")} />
                <div class="share-actions">
                  <a class="btn btn-secondary" href={`/api/appointments/${a.id}/qr?format=png&download=1`} download>
                    {t("fd.detail.download_png")}
                  </a>
                  {data.whatsapp
                    ? (
                      <a class="btn btn-whatsapp" href={data.whatsapp} target="_blank" rel="noopener noreferrer">
                        {t("fd.detail.whatsapp")}
                      </a>
                    )
                    : null}
                  {data.guestEmail
                    ? (
                      <ActionButton
                        action="email"
                        label={t("fd.detail.email", { email: data.guestEmail })}
                        kind="btn btn-secondary"
                      />
                    )
                    : <p class="hint">{t("fd.detail.no_email")}</p>}
                </div>
                <p class="hint guest-link">
                  {t("fd.detail.guest_link")} <a href={data.url}>{data.url}</a>
                </p>
              </>
            )
            : <p class="muted">{t(a.status === "scheduled" ? "fd.detail.qr_expired" : "fd.detail.qr_used")}</p>}
        </Card>
        <Card title={t("fd.detail.facts")}>
          <Facts
            items={[
              [t("fd.form.guest_name"), a.guestName],
              [
                t("fd.form.guest_phone"),
                data.guestPhone ? <a key="phone" href={`tel:+${data.guestPhone}`}>{fmtPhone(data.guestPhone)}</a> : "—",
              ],
              [t("fd.form.guest_email"), data.guestEmail ?? "—"],
              [t("fd.form.purpose"), a.purpose],
              [t("fd.detail.teacher"), a.teacherName],
              [
                t("fd.detail.arrived"),
                a.checkedInAt
                  ? `${fmtTime(a.checkedInAt, state.lang, tz)} · ${t(punctualityKey(punctualityOf(a) ?? "on_time"))}`
                  : "—",
              ],
              [t("fd.detail.picked_up"), a.pickedUpAt ? fmtTime(a.pickedUpAt, state.lang, tz) : "—"],
              [t("fd.detail.finished"), a.finishedAt ? fmtTime(a.finishedAt, state.lang, tz) : "—"],
              ...(a.rating !== null
                ? [
                  [t("fd.detail.rating"), `${"★".repeat(a.rating)}${"☆".repeat(5 - a.rating)} (${a.rating}/5)`] as [
                    string,
                    string,
                  ],
                ]
                : []),
            ]}
          />
          <div class="status-actions">
            {a.status === "waiting"
              ? <ActionButton action="in_meeting" label={t("fd.today.pick_up")} kind="btn btn-lg" />
              : null}
            {a.status === "in_meeting"
              ? <ActionButton action="finished" label={t("fd.today.finish")} kind="btn btn-lg" />
              : null}
            {a.status === "scheduled"
              ? (
                <a class="btn btn-danger-outline" href={`/teacher/appointments/${a.id}?confirm=cancel#confirm`}>
                  {t("fd.detail.cancel")}
                </a>
              )
              : null}
          </div>
        </Card>
      </div>
    </div>
  );
});
