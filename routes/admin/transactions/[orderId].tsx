import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { AppError, NotFound } from "@/lib/errors.ts";
import { config } from "@/lib/config.ts";
import { addSheets } from "@/lib/state.ts";
import { readBody } from "@/lib/validation.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { formatDateTime, formatIdr } from "@/lib/i18n/format.ts";
import { getTransaction } from "@/lib/admin/transactions.ts";
import { completeRefund } from "@/lib/admin/refunds.ts";
import { Badge, Card, ConfirmStep, Facts, Field, FormAlert, PageHeader } from "@/components/ui.tsx";
import { methodLabel, PaymentBadge } from "@/components/payments.tsx";

const DONE = ["refunded", "already_done", "requested"] as const;

async function load(orderId: string) {
  const row = await getTransaction(orderId);
  if (!row) throw new NotFound("payment_not_found", "pay.error.not_found");
  return row;
}

/**
 * `/admin/transactions/{orderId}` (admin) — one transaction: amounts, split, times, booking, and,
 * when its booking has a refund due, the refund action behind a confirmation step
 * (`?confirm=refund`, no JavaScript needed) plus the manual "already paid back by bank transfer"
 * form with the transfer reference. POST runs `completeRefund` and redirects with `?done=`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    addSheets(ctx.state, "admin");
    const row = await load(ctx.params.orderId);
    ctx.state.title = ctx.state.t("admin.tx.detail_title", { orderId: row.orderId });
    const done = ctx.url.searchParams.get("done");
    return page({
      row,
      done: DONE.find((d) => d === done) ?? null,
      confirm: ctx.url.searchParams.get("confirm") === "refund" && row.refundDue !== null && row.status === "paid",
      error: null as string | null,
      errors: {} as Record<string, string>,
      reference: "",
    });
  },
  async POST(ctx) {
    const admin = requireRole(ctx, "admin");
    addSheets(ctx.state, "admin");
    const body = await readBody(ctx.req);
    try {
      const r = await completeRefund(admin, ctx.params.orderId, body);
      return ctx.redirect(`/admin/transactions/${encodeURIComponent(ctx.params.orderId)}?done=${r.result}`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404) throw err;
      const row = await load(ctx.params.orderId);
      ctx.state.title = ctx.state.t("admin.tx.detail_title", { orderId: row.orderId });
      const fields = "fields" in err ? (err as unknown as { fields: Record<string, string> }).fields : {};
      return page({
        row,
        done: null,
        confirm: false,
        error: translate(ctx.state.lang, err.messageKey, err.params),
        errors: fields,
        reference: typeof body.reference === "string" ? body.reference.slice(0, 200) : "",
      }, { status: err.status });
    }
  },
});

export default define.page<typeof handler>(function Transaction({ data, state: { t, lang } }) {
  const r = data.row;
  const money = (v: number) => formatIdr(v, lang);
  const when = (iso: string | null) => iso ? formatDateTime(iso, lang, config.timeZone) : "—";
  const self = `/admin/transactions/${encodeURIComponent(r.orderId)}`;
  const canRefund = r.refundDue !== null && r.status === "paid";
  return (
    <div class="admin-page">
      <p class="back-link">
        <a href="/admin/transactions">← {t("admin.tx.back")}</a>
      </p>
      <PageHeader title={t("admin.tx.detail_title", { orderId: r.orderId })} subtitle={r.description ?? undefined}>
        <PaymentBadge status={r.status} t={t} />
        {r.refundDue ? <Badge tone="warning">{t("admin.tx.refund_due_badge")}</Badge> : null}
      </PageHeader>
      {data.done ? <FormAlert kind="success" message={t(`admin.refund.${data.done}`)} /> : null}
      <FormAlert message={data.error} />
      {data.confirm
        ? (
          <ConfirmStep
            title={t("admin.refund.confirm_title", { amount: money(r.grossAmountIdr) })}
            body={t("admin.refund.confirm_body")}
            submitLabel={t("admin.refund.confirm_submit")}
            backHref={self}
            backLabel={t("common.cancel")}
            action={self}
            fields={{ mode: "midtrans" }}
          />
        )
        : null}
      <Card>
        <Facts
          items={[
            [t("admin.tx.amount"), money(r.grossAmountIdr)],
            [t("admin.tx.commission"), money(r.commissionIdr)],
            [t("admin.tx.payout"), money(r.payoutIdr)],
            [t("admin.tx.method"), methodLabel(r, t)],
            [t("admin.tx.created"), when(r.createdAt)],
            [t("admin.tx.paid_at"), when(r.paidAt)],
            [t("admin.tx.refunded_at"), when(r.refundedAt)],
            [t("admin.tx.client"), r.clientName ?? "—"],
            [t("admin.tx.psychologist"), r.psychologistName ?? "—"],
            [t("admin.tx.booking"), r.bookingId ?? "—"],
            ...(r.refundDue
              ? [[t("admin.tx.refunds_due"), `${money(r.refundDue.amountIdr)} · ${when(r.refundDue.dueAt)}`] as [
                string,
                string,
              ]]
              : []),
          ]}
        />
      </Card>
      {canRefund && !data.confirm
        ? (
          <Card title={t("admin.tx.refund")}>
            <p>
              <a class="btn btn-danger" href={`${self}?confirm=refund#confirm`} data-testid="refund-start">
                {t("admin.refund.action")}
              </a>
            </p>
            <h3>{t("admin.refund.manual_title")}</h3>
            <p class="muted">{t("admin.refund.manual_body")}</p>
            <form method="post" action={self} class="admin-manual-refund">
              <input type="hidden" name="mode" value="manual" />
              <input type="hidden" name="confirm" value="1" />
              <Field
                name="reference"
                label={t("admin.refund.reference")}
                t={t}
                errors={data.errors}
                value={data.reference}
                maxLength={200}
                required
              />
              <button type="submit" class="btn btn-secondary">{t("admin.refund.manual_submit")}</button>
            </form>
          </Card>
        )
        : null}
      <p class="muted">{t("pay.zone", { zone: config.timeZone })}</p>
    </div>
  );
});
