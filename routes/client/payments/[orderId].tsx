import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { NotFound } from "@/lib/errors.ts";
import { config } from "@/lib/config.ts";
import { formatDateTime, formatIdr } from "@/lib/i18n/format.ts";
import { getPayment } from "@/lib/payments/store.ts";
import { paymentView } from "@/lib/payments/view.ts";
import { Card, PageHeader } from "@/components/ui.tsx";
import { methodLabel, PaymentBadge } from "@/components/payments.tsx";

/**
 * `/client/payments/{orderId}` — one of the client's own payments (404 for
 * anyone else's): amount, status, method, times, what it paid for, and the
 * "pay now" link while it is pending and inside its window.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client");
    const payment = await getPayment(ctx.params.orderId);
    if (!payment || payment.payerId !== user.id) throw new NotFound("payment_not_found", "pay.error.not_found");
    ctx.state.title = ctx.state.t("pay.detail.title");
    return page({
      payment: paymentView(payment, user),
      open: payment.status === "pending" && Date.now() < Date.parse(payment.expiresAt),
    });
  },
});

export default define.page<typeof handler>(function PaymentDetail({ data: { payment: p, open }, state: { t, lang } }) {
  const when = (v: string | null) => (v ? formatDateTime(v, lang, config.timeZone) : "—");
  return (
    <div class="payments">
      <p>
        <a href="/client/payments">← {t("pay.back")}</a>
      </p>
      <PageHeader title={t("pay.detail.title")} subtitle={p.description || t(`pay.purpose.${p.purpose.kind}`)} />
      <Card>
        <p class="snap-amount">{formatIdr(p.grossAmountIdr, lang)}</p>
        <PaymentBadge status={p.status} t={t} />
        <dl class="payment-facts">
          <dt>{t("pay.field.order_id")}</dt>
          <dd>
            <code>{p.orderId}</code>
          </dd>
          <dt>{t("pay.field.method")}</dt>
          <dd>{methodLabel(p, t)}</dd>
          <dt>{t("pay.field.created")}</dt>
          <dd>{when(p.createdAt)}</dd>
          {p.status === "pending"
            ? (
              <>
                <dt>{t("pay.field.expires")}</dt>
                <dd>{when(p.expiresAt)}</dd>
              </>
            )
            : null}
          {p.paidAt
            ? (
              <>
                <dt>{t("pay.field.paid")}</dt>
                <dd>{when(p.paidAt)}</dd>
              </>
            )
            : null}
          {p.refundedAt
            ? (
              <>
                <dt>{t("pay.field.refunded")}</dt>
                <dd>{when(p.refundedAt)}</dd>
              </>
            )
            : null}
          {p.transactionId
            ? (
              <>
                <dt>{t("pay.field.transaction")}</dt>
                <dd>
                  <code>{p.transactionId}</code>
                </dd>
              </>
            )
            : null}
          <dt>{t("pay.field.for")}</dt>
          <dd>
            {p.purpose.kind === "booking"
              ? <a href={`/client/bookings/${p.purpose.id}`}>{t("pay.open_booking")}</a>
              : p.purpose.kind === "screening_pdf"
              ? <a href={`/screening/${p.purpose.id}`}>{t("pay.purpose.screening_pdf")}</a>
              : t(`pay.purpose.${p.purpose.kind}`)}
          </dd>
        </dl>
        {open && p.redirectUrl ? <a class="btn" href={p.redirectUrl}>{t("pay.pay_now")}</a> : null}
        <p class="muted">{t("pay.zone", { zone: config.timeZone })}</p>
      </Card>
    </div>
  );
});
