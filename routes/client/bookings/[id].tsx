import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { config } from "@/lib/config.ts";
import { AppError, BadRequest, ValidationError } from "@/lib/errors.ts";
import { readBody } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { formatDateTime } from "@/lib/i18n/format.ts";
import { addSheets } from "@/lib/state.ts";
import { bookingFor } from "@/lib/booking/http.ts";
import { cancelBooking } from "@/lib/booking/lifecycle.ts";
import { allowedActions } from "@/lib/booking/views.ts";
import { chatLink } from "@/lib/chat/views.ts";
import { getPayment } from "@/lib/payments/store.ts";
import { paymentView } from "@/lib/payments/view.ts";
import { Card, ConfirmStep, FormAlert, PageHeader } from "@/components/ui.tsx";
import { BookingFacts, BookingStatus, whenText } from "@/components/booking/ui.tsx";
import { getReview } from "@/lib/reviews/store.ts";
import { reviewFromInput } from "@/lib/reviews/http.ts";
import { publicReview } from "@/lib/reviews/model.ts";
import { ReviewForm, ReviewItem } from "@/components/reviews/ui.tsx";
import type { FieldErrors } from "@/components/ui.tsx";

async function load(ctx: { state: { user: unknown } }, id: string) {
  const user = ctx.state.user as Parameters<typeof bookingFor>[0];
  const b = await bookingFor(user, id);
  const found = await getPayment(b.orderId);
  const payment = found ? paymentView(found, user) : null;
  const review = b.status === "completed" && user.id === b.clientId ? await getReview(b.id) : null;
  return {
    b,
    payment,
    can: allowedActions(b, user),
    chat: user.id === b.clientId ? await chatLink(b) : null,
    review,
    reviewErrors: null as FieldErrors | null,
    reviewValues: null as { rating: number | null; comment: string } | null,
  };
}

/**
 * `/client/bookings/:id` — one booking for its client: state, time in
 * `TIME_ZONE`, price, payment deadline with "Pay now" (the Snap page), refund
 * state, and the moves the rules allow now: cancel (asks first), reschedule;
 * once completed, the review form (or the review left; docs/domain-rules.md "Reviews").
 * Midtrans sends the client back here after paying (Snap `callbacks.finish`).
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "client");
    addSheets(ctx.state, "booking", "reviews", "stars");
    const d = await load(ctx, ctx.params.id);
    ctx.state.title = d.b.psychologistName;
    return page({
      ...d,
      done: ctx.url.searchParams.get("done"),
      confirmCancel: ctx.url.searchParams.get("confirm") === "cancel" && d.can.cancel,
      error: null as string | null,
    });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "client");
    addSheets(ctx.state, "booking", "reviews", "stars");
    const body = await readBody(ctx.req);
    try {
      if (body.action === "review") {
        await reviewFromInput(user, ctx.params.id, body);
        return ctx.redirect(`/client/bookings/${ctx.params.id}?done=reviewed#review`, 303);
      }
      if (body.action !== "cancel") throw new BadRequest("invalid_action", "field.invalid_choice");
      await bookingFor(user, ctx.params.id);
      await cancelBooking(ctx.params.id, user, null);
      return ctx.redirect(`/client/bookings/${ctx.params.id}?done=cancelled`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
      const d = await load(ctx, ctx.params.id);
      ctx.state.title = d.b.psychologistName;
      if (err instanceof ValidationError && body.action === "review") {
        const rating = Number(body.rating);
        return page({
          ...d,
          done: null,
          confirmCancel: false,
          error: null,
          reviewErrors: err.messages(),
          reviewValues: {
            rating: Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : null,
            comment: typeof body.comment === "string" ? body.comment.slice(0, 2000) : "",
          },
        }, { status: err.status });
      }
      return page({
        ...d,
        done: null,
        confirmCancel: false,
        error: translate(ctx.state.lang, err.messageKey, err.params),
      }, {
        status: err.status,
      });
    }
  },
});

export default define.page<typeof handler>(function ClientBooking({ data, state }) {
  const { t, lang } = state;
  const tz = config.timeZone;
  const { b, can, payment } = data;
  return (
    <div class="booking-page">
      <p class="back-link">
        <a href="/client/bookings">← {t("booking.client.title")}</a>
      </p>
      <PageHeader title={b.psychologistName} subtitle={whenText(b, lang, tz)}>
        <BookingStatus b={b} t={t} />
      </PageHeader>
      {data.done === "cancelled" ? <FormAlert kind="success" message={t("booking.client.cancelled")} /> : null}
      {data.done === "rescheduled" ? <FormAlert kind="success" message={t("booking.client.rescheduled")} /> : null}
      {data.done === "reviewed" ? <FormAlert kind="success" message={t("review.thanks")} /> : null}
      <FormAlert message={data.error} />
      {b.status === "awaiting_payment" && can.pay && payment?.redirectUrl
        ? (
          <div class="alert alert-info pay-now" role="status">
            <p>{t("booking.client.pay_before", { time: formatDateTime(b.holdUntil, lang, tz) })}</p>
            <a class="btn" href={payment.redirectUrl}>{t("booking.client.pay_now")}</a>
          </div>
        )
        : null}
      {b.status === "paid" ? <FormAlert kind="info" message={t("booking.client.paid_wait")} /> : null}
      {data.confirmCancel
        ? (
          <ConfirmStep
            title={t("booking.client.cancel_title")}
            body={t(
              b.status === "awaiting_payment" ? "booking.client.cancel_body_unpaid" : "booking.client.cancel_body_paid",
            )}
            submitLabel={t("booking.client.cancel_submit")}
            backHref={`/client/bookings/${b.id}`}
            backLabel={t("booking.client.keep")}
            fields={{ action: "cancel" }}
          />
        )
        : null}
      <Card>
        <BookingFacts b={b} t={t} lang={lang} timeZone={tz} side="client" />
        <div class="status-actions">
          {data.chat
            ? (
              <a class="btn" href={`/chat/${b.id}`}>
                {t(data.chat === "open" ? "chat.open" : "chat.open_history")}
              </a>
            )
            : null}
          {can.reschedule
            ? (
              <a class="btn btn-secondary" href={`/client/bookings/${b.id}/reschedule`}>
                {t("booking.client.reschedule")}
              </a>
            )
            : null}
          {can.cancel && !data.confirmCancel
            ? (
              <a class="btn btn-danger-outline" href={`/client/bookings/${b.id}?confirm=cancel#confirm`}>
                {t("booking.client.cancel")}
              </a>
            )
            : null}
          {payment
            ? (
              <a class="btn btn-ghost" href={`/client/payments/${encodeURIComponent(payment.orderId)}`}>
                {t("booking.client.payment_detail")}
              </a>
            )
            : null}
        </div>
        {!can.cancel && (b.status === "paid" || b.status === "confirmed")
          ? <p class="hint">{t("booking.error.cutoff_passed", { hours: config.cancelCutoffHours })}</p>
          : null}
      </Card>
      {b.status === "completed"
        ? (
          <section id="review">
            {data.review
              ? (
                <Card title={t("review.yours")}>
                  <ul class="review-list" role="list">
                    <ReviewItem r={publicReview(data.review)} t={t} lang={lang} timeZone={tz} />
                  </ul>
                  {data.review.hidden ? <p class="hint">{t("review.hidden_note")}</p> : null}
                </Card>
              )
              : (
                <Card title={t("review.form.title")}>
                  <p class="muted">{t("review.form.intro")}</p>
                  <ReviewForm
                    t={t}
                    action={`/client/bookings/${b.id}`}
                    errors={data.reviewErrors}
                    values={data.reviewValues ?? undefined}
                  />
                </Card>
              )}
          </section>
        )
        : null}
    </div>
  );
});
