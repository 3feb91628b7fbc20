import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { ValidationError } from "@/lib/errors.ts";
import { config } from "@/lib/config.ts";
import { addSheets } from "@/lib/state.ts";
import { formatDateTime, formatIdr } from "@/lib/i18n/format.ts";
import { PAYMENT_STATUSES } from "@/lib/payments/model.ts";
import {
  listTransactions,
  parseTransactionsQuery,
  psychologistOptions,
  type TransactionRow,
  type TransactionTotals,
} from "@/lib/admin/transactions.ts";
import type { FieldErrors } from "@/components/ui.tsx";
import { Badge, Card, Empty, Field, FormAlert, PageHeader, Pagination, SelectField } from "@/components/ui.tsx";
import { methodLabel, PaymentBadge } from "@/components/payments.tsx";

/** Midtrans `payment_type` values offered in the method filter. */
const METHODS = ["bank_transfer", "echannel", "gopay", "qris", "credit_card"] as const;
const FILTERS = ["status", "method", "from", "to", "psychologistId", "refund"] as const;

/**
 * `/admin/transactions?status=&method=&from=&to=&psychologistId=&refund=&cursor=` (admin) — every
 * payment newest first, 50 a page, with a GET filter form (works without JavaScript), the totals
 * over all pages, a CSV link with the same filters, and a link to each transaction (where a due
 * refund is marked done). Bad filters re-render the form with the field errors (400).
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    addSheets(ctx.state, "admin");
    ctx.state.title = ctx.state.t("admin.tx.title");
    const values = Object.fromEntries(FILTERS.map((k) => [k, ctx.url.searchParams.get(k) ?? ""])) as Record<
      (typeof FILTERS)[number],
      string
    >;
    const psychologists = await psychologistOptions();
    const csv = new URLSearchParams(
      Object.entries(values).filter(([, v]) => v !== ""),
    );
    csv.set("format", "csv");
    try {
      const q = parseTransactionsQuery(ctx.url.searchParams);
      const r = await listTransactions({ ...q, format: undefined });
      return page({
        values,
        psychologists,
        items: r.items,
        cursor: r.cursor,
        totals: r.totals as TransactionTotals | null,
        csvHref: `/api/admin/transactions?${csv}`,
        errors: null as FieldErrors | null,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page({
        values,
        psychologists,
        items: [] as TransactionRow[],
        cursor: null,
        totals: null,
        csvHref: null,
        errors: err.messages() as FieldErrors,
      }, { status: 400 });
    }
  },
});

export default define.page<typeof handler>(function Transactions({ data, state: { t, lang }, url }) {
  const errors = data.errors ?? undefined;
  const filtered = Object.values(data.values).some((v) => v !== "");
  const money = (v: number) => formatIdr(v, lang);
  const when = (iso: string | null) => iso ? formatDateTime(iso, lang, config.timeZone) : "—";
  const tot = data.totals;
  return (
    <div class="admin-page">
      <PageHeader title={t("admin.tx.title")} subtitle={t("admin.tx.intro")}>
        {data.csvHref ? <a class="btn btn-secondary" href={data.csvHref} download>{t("admin.tx.csv")}</a> : null}
      </PageHeader>
      <Card title={t("admin.tx.filter")}>
        {data.errors ? <FormAlert message={t("error.validation")} /> : null}
        <form method="get" action="/admin/transactions" class="admin-filters">
          <SelectField
            name="status"
            label={t("admin.tx.status")}
            t={t}
            errors={errors}
            value={data.values.status}
            options={[
              ["", t("admin.tx.all")],
              ...PAYMENT_STATUSES.map((s) => [s, t(`pay.status.${s}`)] as [string, string]),
            ]}
          />
          <SelectField
            name="method"
            label={t("admin.tx.method")}
            t={t}
            errors={errors}
            value={data.values.method}
            options={[["", t("admin.tx.all")], ...METHODS.map((m) => [m, t(`pay.method.${m}`)] as [string, string])]}
          />
          <Field name="from" type="date" label={t("admin.tx.from")} t={t} errors={errors} value={data.values.from} />
          <Field name="to" type="date" label={t("admin.tx.to")} t={t} errors={errors} value={data.values.to} />
          <SelectField
            name="psychologistId"
            label={t("admin.tx.psychologist")}
            t={t}
            errors={errors}
            value={data.values.psychologistId}
            options={[["", t("admin.tx.all")], ...data.psychologists.map((p) => [p.id, p.name] as [string, string])]}
          />
          <SelectField
            name="refund"
            label={t("admin.tx.refund")}
            t={t}
            errors={errors}
            value={data.values.refund}
            options={[["", t("admin.tx.all")], ["due", t("admin.tx.refund_due_only")]]}
          />
          <div class="admin-filter-actions">
            <button type="submit" class="btn">{t("admin.tx.apply")}</button>{" "}
            {filtered ? <a class="btn btn-ghost" href="/admin/transactions">{t("admin.tx.reset")}</a> : null}
          </div>
        </form>
      </Card>
      {tot
        ? (
          <Card title={t("admin.tx.totals")}>
            <div class="admin-totals" data-testid="tx-totals">
              <div class="stat">
                <span class="stat-value">{tot.count}</span>
                <span class="stat-label">{t("admin.tx.count")}</span>
              </div>
              <div class="stat">
                <span class="stat-value">{money(tot.grossIdr)}</span>
                <span class="stat-label">{t("admin.tx.gross")}</span>
              </div>
              <div class="stat">
                <span class="stat-value">{money(tot.commissionIdr)}</span>
                <span class="stat-label">{t("admin.tx.commission")}</span>
              </div>
              <div class="stat">
                <span class="stat-value">{money(tot.payoutIdr)}</span>
                <span class="stat-label">{t("admin.tx.payout")}</span>
              </div>
              <div class="stat">
                <span class="stat-value">{money(tot.refundedIdr)}</span>
                <span class="stat-label">{t("admin.tx.refunded")}</span>
              </div>
              <a class="stat" href="/admin/transactions?refund=due">
                <span class="stat-value">{money(tot.refundsDueIdr)}</span>
                <span class="stat-label">{t("admin.tx.refunds_due_count", { count: tot.refundsDueCount })}</span>
              </a>
            </div>
          </Card>
        )
        : null}
      <Card>
        {data.items.length === 0 ? <Empty t={t} message={t("admin.tx.none")} /> : (
          <div class="table-wrap">
            <table class="admin-table">
              <thead>
                <tr>
                  <th scope="col">{t("admin.tx.created")}</th>
                  <th scope="col">{t("admin.tx.order")}</th>
                  <th scope="col">{t("admin.tx.client")}</th>
                  <th scope="col">{t("admin.tx.psychologist")}</th>
                  <th scope="col">{t("admin.tx.method")}</th>
                  <th scope="col">{t("admin.tx.status")}</th>
                  <th scope="col" class="num">{t("admin.tx.amount")}</th>
                  <th scope="col">{t("admin.tx.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((r) => (
                  <tr key={r.orderId}>
                    <td class="admin-when">{when(r.createdAt)}</td>
                    <td translate={false} class="admin-order">
                      <a href={`/admin/transactions/${encodeURIComponent(r.orderId)}`}>{r.orderId}</a>
                    </td>
                    <td>{r.clientName ?? "—"}</td>
                    <td>{r.psychologistName ?? "—"}</td>
                    <td>{methodLabel(r, t)}</td>
                    <td>
                      <PaymentBadge status={r.status} t={t} />
                      {r.refundDue ? <Badge tone="warning">{t("admin.tx.refund_due_badge")}</Badge> : null}
                    </td>
                    <td class="num">{money(r.grossAmountIdr)}</td>
                    <td>
                      {r.refundDue && r.status === "paid"
                        ? (
                          <a
                            class="btn btn-sm btn-danger-outline"
                            href={`/admin/transactions/${encodeURIComponent(r.orderId)}?confirm=refund`}
                          >
                            {t("admin.refund.action")}
                          </a>
                        )
                        : <a href={`/admin/transactions/${encodeURIComponent(r.orderId)}`}>{t("admin.tx.details")}</a>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination url={url} cursor={data.cursor} t={t} />
      </Card>
      <p class="muted">{t("pay.zone", { zone: config.timeZone })}</p>
    </div>
  );
});
