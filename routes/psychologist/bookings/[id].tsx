import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { AppError, BadRequest } from "@/lib/errors.ts";
import { readBody } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { addSheets } from "@/lib/state.ts";
import type { User } from "@/lib/auth/users.ts";
import { bookingFor, setStatusFromInput } from "@/lib/booking/http.ts";
import { allowedActions } from "@/lib/booking/views.ts";
import { chatLink } from "@/lib/chat/views.ts";
import { NOTE_STATUSES } from "@/lib/notes/store.ts";
import { Card, ConfirmStep, FormAlert, PageHeader, TextAreaField } from "@/components/ui.tsx";
import { BookingFacts, BookingStatus, whenText } from "@/components/booking/ui.tsx";

const ACTIONS = {
  confirm: "confirmed",
  reject: "rejected",
  start: "in_session",
  complete: "completed",
  no_show: "no_show",
} as const;
type Action = keyof typeof ACTIONS;

async function load(user: User, id: string) {
  const b = await bookingFor(user, id);
  return { b, can: allowedActions(b, user), chat: user.id === b.psychologistId ? await chatLink(b) : null };
}

/**
 * `/psychologist/bookings/:id` — one booking for its psychologist: confirm,
 * reject with a reason (asks first; the client gets a full refund), and on the
 * day mark the session begun, completed or a no-show. Plain forms, no
 * JavaScript needed; times in the booking's zone.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "booking");
    const d = await load(user, ctx.params.id);
    ctx.state.title = d.b.clientName;
    return page({
      ...d,
      done: ctx.url.searchParams.get("done"),
      confirmNoShow: ctx.url.searchParams.get("confirm") === "no_show" && d.can.noShow,
      error: null as string | null,
      errors: {} as Record<string, string>,
    });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "booking");
    const body = await readBody(ctx.req);
    const action = String(body.action ?? "") as Action;
    try {
      if (!(action in ACTIONS)) throw new BadRequest("invalid_action", "field.invalid_choice");
      await setStatusFromInput(user, ctx.params.id, {
        status: ACTIONS[action],
        reason: typeof body.reason === "string" ? body.reason : undefined,
        absent: body.absent === "psychologist" ? "psychologist" : "client",
      });
      return ctx.redirect(`/psychologist/bookings/${ctx.params.id}?done=${action}`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
      const d = await load(user, ctx.params.id);
      ctx.state.title = d.b.clientName;
      const fields = "fields" in err ? (err as unknown as { fields: Record<string, string> }).fields : {};
      return page({
        ...d,
        done: null,
        confirmNoShow: false,
        error: translate(ctx.state.lang, err.messageKey, err.params),
        errors: fields,
      }, { status: err.status });
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

export default define.page<typeof handler>(function PsyBooking({ data, state }) {
  const { t, lang } = state;
  const { b, can } = data;
  const tz = b.timeZone;
  return (
    <div class="booking-page">
      <p class="back-link">
        <a href="/psychologist/bookings">← {t("booking.psy.title")}</a>
      </p>
      <PageHeader title={b.clientName} subtitle={whenText(b, lang, tz)}>
        <BookingStatus b={b} t={t} />
      </PageHeader>
      {data.done && data.done in ACTIONS
        ? <FormAlert kind="success" message={t(`booking.psy.done.${data.done}`)} />
        : null}
      <FormAlert message={data.error} />
      {data.confirmNoShow
        ? (
          <ConfirmStep
            title={t("booking.psy.no_show_title")}
            body={t("booking.psy.no_show_body")}
            submitLabel={t("booking.psy.no_show")}
            backHref={`/psychologist/bookings/${b.id}`}
            backLabel={t("booking.client.keep")}
            fields={{ action: "no_show", absent: "client" }}
          />
        )
        : null}
      <div class="psy-detail">
        <Card>
          <BookingFacts b={b} t={t} lang={lang} timeZone={tz} side="psychologist" />
          <div class="status-actions">
            {data.chat
              ? (
                <a class="btn" href={`/chat/${b.id}`}>
                  {t(data.chat === "open" ? "chat.open" : "chat.open_history")}
                </a>
              )
              : null}
            {NOTE_STATUSES.includes(b.status)
              ? <a class="btn btn-secondary" href={`/psychologist/bookings/${b.id}/notes`}>{t("notes.link")}</a>
              : null}
            {can.confirm ? <ActionButton action="confirm" label={t("booking.psy.confirm")} /> : null}
            {can.startSession ? <ActionButton action="start" label={t("booking.psy.start")} /> : null}
            {can.complete
              ? <ActionButton action="complete" label={t("booking.psy.complete")} kind="btn btn-secondary" />
              : null}
            {can.noShow && !data.confirmNoShow
              ? (
                <a class="btn btn-danger-outline" href={`/psychologist/bookings/${b.id}?confirm=no_show#confirm`}>
                  {t("booking.psy.no_show")}
                </a>
              )
              : null}
          </div>
        </Card>
        {can.reject
          ? (
            <Card title={t("booking.psy.reject_title")}>
              <p class="hint">{t("booking.psy.reject_hint")}</p>
              <form method="post">
                <input type="hidden" name="action" value="reject" />
                <TextAreaField
                  name="reason"
                  label={t("booking.psy.reason")}
                  t={t}
                  errors={data.errors}
                  required
                  rows={3}
                  maxLength={500}
                />
                <button type="submit" class="btn btn-danger">{t("booking.psy.reject")}</button>
              </form>
            </Card>
          )
          : null}
      </div>
    </div>
  );
});
