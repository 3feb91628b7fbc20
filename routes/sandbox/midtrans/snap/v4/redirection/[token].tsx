import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { NotFound } from "@/lib/errors.ts";
import { config } from "@/lib/config.ts";
import { formatDateTime, formatIdr } from "@/lib/i18n/format.ts";
import { qrSvg } from "@/lib/guestbook/qr_image.ts";
import {
  billKey,
  qrisPayload,
  SANDBOX_METHODS,
  type SandboxMethod,
  sandboxMethodSchema,
  sandboxTransactionByToken,
  vaNumber,
} from "@/lib/payments/sandbox.ts";
import { Badge, Card, FormAlert } from "@/components/ui.tsx";

/**
 * The builtin sandbox's payment page (Snap's hosted page, `redirect_url`):
 * amount, order, methods; the chosen method's details (virtual account
 * number, bill key, a real QR image for GoPay/QRIS, the test card); and the
 * pay / fail / let-expire buttons, all plain links and forms (no JavaScript).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const tx = await sandboxTransactionByToken(ctx.params.token);
    if (!tx) throw new NotFound("sandbox_order_not_found", "pay.sandbox.not_found");
    ctx.state.title = ctx.state.t("pay.sandbox.title");
    const chosen = sandboxMethodSchema.safeParse(ctx.url.searchParams.get("method"));
    const method: SandboxMethod = tx.method ?? (chosen.success ? chosen.data : "bca_va");
    const bank = method.endsWith("_va") ? method.slice(0, 3) as "bca" | "bni" | "bri" : null;
    return page({
      tx,
      method,
      va: bank ? await vaNumber(bank, tx.orderId) : null,
      bill: method === "echannel" ? await billKey(tx.orderId) : null,
      qr: method === "qris" || method === "gopay" ? qrSvg(qrisPayload(tx), { size: 240 }) : null,
      result: ctx.url.searchParams.get("result"),
      expired: Date.now() >= tx.expiresAtMs,
    });
  },
});

export default define.page<typeof handler>(function SandboxPage({ data, state: { t, lang } }) {
  const { tx, method } = data;
  const open = (tx.status === "created" || tx.status === "pending") && !data.expired;
  const base = `/sandbox/midtrans/snap/v4/redirection/${tx.token}`;
  return (
    <div class="snap">
      <p class="snap-notice">{t("pay.sandbox.notice")}</p>
      <Card class="snap-summary">
        <p class="muted">{t("pay.sandbox.amount")}</p>
        <p class="snap-amount" data-testid="snap-amount">{formatIdr(tx.grossAmount, lang)}</p>
        <p>
          {t("pay.sandbox.order")}: <code data-testid="snap-order">{tx.orderId}</code>
        </p>
        <p class="muted">
          {t("pay.sandbox.expires", { time: formatDateTime(new Date(tx.expiresAtMs), lang, config.timeZone) })}{" "}
          ({config.timeZone})
        </p>
        {tx.items.length
          ? (
            <details>
              <summary>{t("pay.sandbox.items")}</summary>
              <ul class="snap-items">
                {tx.items.map((i) => <li key={i.id}>{i.name} × {i.quantity}: {formatIdr(i.price, lang)}</li>)}
              </ul>
            </details>
          )
          : null}
      </Card>
      {data.result === "deny" ? <FormAlert message={t("pay.sandbox.result.deny")} /> : null}
      {!open
        ? (
          <Card>
            <p>
              <Badge tone={tx.status === "settlement" || tx.status === "capture" ? "success" : "danger"}>
                {t("pay.sandbox.result.final", {
                  status: data.expired && tx.status === "created" ? "expire" : tx.status,
                })}
              </Badge>
            </p>
            {tx.finishUrl ? <a class="btn" href={tx.finishUrl}>{t("pay.sandbox.back_to_shop")}</a> : null}
          </Card>
        )
        : (
          <>
            <Card title={t("pay.sandbox.choose")}>
              <ul class="snap-methods">
                {SANDBOX_METHODS.map((m) => (
                  <li key={m}>
                    <a
                      href={`${base}?method=${m}`}
                      class={m === method ? "snap-method snap-method-on" : "snap-method"}
                      aria-current={m === method ? "true" : undefined}
                    >
                      {t(`pay.sandbox.m.${m}`)}
                    </a>
                  </li>
                ))}
              </ul>
            </Card>
            <Card title={t(`pay.sandbox.m.${method}`)} class="snap-detail">
              {data.va
                ? (
                  <p>
                    {t("pay.sandbox.va")}: <strong class="snap-code" data-testid="snap-va">{data.va}</strong>
                  </p>
                )
                : null}
              {data.bill
                ? (
                  <>
                    <p>
                      {t("pay.sandbox.biller_code")}: <strong class="snap-code">70012</strong>
                    </p>
                    <p>
                      {t("pay.sandbox.bill_key")}: <strong class="snap-code">{data.bill}</strong>
                    </p>
                  </>
                )
                : null}
              {data.qr
                ? (
                  <figure class="snap-qr">
                    <div
                      role="img"
                      aria-label={t("pay.sandbox.qr_alt", { method: t(`pay.sandbox.m.${method}`), order: tx.orderId })}
                      // Markup made by qrSvg from our own payload (numbers and fixed text only).
                      dangerouslySetInnerHTML={{ __html: data.qr }}
                    />
                    <figcaption class="muted">{t("pay.sandbox.scan")}</figcaption>
                  </figure>
                )
                : null}
              {method === "credit_card"
                ? (
                  <>
                    <p>
                      {t("pay.sandbox.card_number")}: <strong class="snap-code">4811 1111 1111 1114</strong>
                    </p>
                    <p class="muted">{t("pay.sandbox.card_hint")}</p>
                  </>
                )
                : null}
              <div class="snap-actions">
                {([["settlement", "pay.sandbox.pay", "btn"], ["deny", "pay.sandbox.fail", "btn btn-danger-outline"], [
                  "expire",
                  "pay.sandbox.expire",
                  "btn btn-secondary",
                ]] as const).map(([outcome, label, cls]) => (
                  <form key={outcome} method="post" action={`/sandbox/midtrans/pay/${tx.orderId}`}>
                    <input type="hidden" name="method" value={method} />
                    <input type="hidden" name="outcome" value={outcome} />
                    <button type="submit" class={cls}>{t(label)}</button>
                  </form>
                ))}
              </div>
            </Card>
          </>
        )}
    </div>
  );
});
