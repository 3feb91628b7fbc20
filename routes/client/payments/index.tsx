import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { ValidationError } from "@/lib/errors.ts";
import { config } from "@/lib/config.ts";
import { formatDateTime, formatIdr } from "@/lib/i18n/format.ts";
import { listPayments } from "@/lib/payments/store.ts";
import { parsePaymentQuery } from "@/lib/payments/http.ts";
import { PAYMENT_STATUSES } from "@/lib/payments/model.ts";
import { type PaymentView, paymentView } from "@/lib/payments/view.ts";
import type { FieldErrors } from "@/components/ui.tsx";
import { Card, Empty, Field, FormAlert, PageHeader, Pagination, SelectField } from "@/components/ui.tsx";
import { methodLabel, PaymentBadge } from "@/components/payments.tsx";

/**
 * `/client/payments?status=&from=&to=&cursor=` — the client's payment
 * history, newest first, filtered by status and a local date range (a GET
 * form: works without JavaScript). Bad filters re-render the form with the
 * field errors (400).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client");
    ctx.state.title = ctx.state.t("pay.title");
    const values = {
      status: ctx.url.searchParams.get("status") ?? "",
      from: ctx.url.searchParams.get("from") ?? "",
      to: ctx.url.searchParams.get("to") ?? "",
    };
    try {
      const { filter } = parsePaymentQuery(ctx.url);
      const list = await listPayments({ ...filter, payerId: user.id, limit: 20 });
      return page({
        values,
        items: list.items.map((p) => paymentView(p, user)),
        cursor: list.cursor,
        errors: null as FieldErrors | null,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page({ values, items: [] as PaymentView[], cursor: null, errors: err.messages() as FieldErrors }, {
        status: 400,
      });
    }
  },
});

export default define.page<typeof handler>(function PaymentsPage({ data, state: { t, lang }, url }) {
  const filtered = Boolean(data.values.status || data.values.from || data.values.to);
  return (
    <div class="payments">
      <PageHeader title={t("pay.title")} subtitle={t("pay.intro")} />
      <Card>
        {data.errors ? <FormAlert message={t("error.validation")} /> : null}
        <form method="get" action="/client/payments" class="payment-filters">
          <SelectField
            name="status"
            label={t("pay.filter.status")}
            t={t}
            errors={data.errors ?? undefined}
            value={data.values.status}
            options={[
              ["", t("pay.filter.all")],
              ...PAYMENT_STATUSES.map((s) => [s, t(`pay.status.${s}`)] as [string, string]),
            ]}
          />
          <Field
            name="from"
            type="date"
            label={t("pay.filter.from")}
            t={t}
            errors={data.errors ?? undefined}
            value={data.values.from}
          />
          <Field
            name="to"
            type="date"
            label={t("pay.filter.to")}
            t={t}
            errors={data.errors ?? undefined}
            value={data.values.to}
          />
          <div>
            <button type="submit" class="btn">{t("pay.filter.apply")}</button>{" "}
            {filtered ? <a class="btn btn-ghost" href="/client/payments">{t("pay.filter.reset")}</a> : null}
          </div>
        </form>
      </Card>
      {data.items.length === 0 ? <Empty t={t} message={filtered ? t("pay.none_filtered") : t("pay.none")} /> : (
        <Card>
          <ul class="list payment-list">
            {data.items.map((p) => (
              <li key={p.orderId} class="payment-item">
                <div>
                  <a href={`/client/payments/${p.orderId}`}>
                    <strong>{p.description || t(`pay.purpose.${p.purpose.kind}`)}</strong>
                  </a>
                  <p class="muted">
                    {formatDateTime(p.createdAt, lang, config.timeZone)} · {methodLabel(p, t)}
                  </p>
                  <PaymentBadge status={p.status} t={t} />
                </div>
                <span class="payment-amount">{formatIdr(p.grossAmountIdr, lang)}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <p class="muted">{t("pay.zone", { zone: config.timeZone })}</p>
      <Pagination url={url} cursor={data.cursor} t={t} />
    </div>
  );
});
