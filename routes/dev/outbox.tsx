import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { config } from "@/lib/config.ts";
import { codeFromText, listOutbox, outboxAccess } from "@/lib/mail/mod.ts";
import { formatInstant } from "@/lib/auth/views.tsx";
import { Card, Empty, PageHeader } from "@/components/ui.tsx";

/**
 * `/dev/outbox`: the mails kept in KV when no `SMTP_URL` is set, newest first
 * (`?to=` filters by recipient). Development and test modes only; 404 in
 * production. Readable by signed-in admins and through the console link
 * `?key=…` (rule and errors: `outboxAccess` in lib/mail/mod.ts).
 * `?format=json` (or `Accept: application/json`) →
 * `{ items: [{ id, to, subject, text, html, at, code }] }`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const key = ctx.url.searchParams.get("key");
    outboxAccess(ctx.state.user, key);
    ctx.state.title = ctx.state.t("outbox.title");
    const to = (ctx.url.searchParams.get("to") ?? "").trim().slice(0, 254) ||
      undefined;
    const { items } = await listOutbox({ to, limit: 50 });
    const mails = items.map((m) => ({ ...m, code: codeFromText(m.text) }));
    const accept = ctx.req.headers.get("accept") ?? "";
    if (
      ctx.url.searchParams.get("format") === "json" ||
      (accept.includes("application/json") && !accept.includes("text/html"))
    ) {
      return Response.json({ items: mails }, {
        headers: { "cache-control": "no-store" },
      });
    }
    return page({ mails, to: to ?? "", key }, {
      headers: { "cache-control": "no-store" },
    });
  },
});

export default define.page<typeof handler>(function Outbox({ data, state }) {
  const t = state.t;
  return (
    <>
      <PageHeader title={t("outbox.title")} subtitle={t("outbox.intro")} />
      <form method="get" action="/dev/outbox" class="form-row" role="search">
        {data.key ? <input type="hidden" name="key" value={data.key} /> : null}
        <div class="field">
          <label for="f-to">{t("outbox.to")}</label>
          <input id="f-to" name="to" type="search" value={data.to} />
        </div>
        <div>
          <button class="btn" type="submit">{t("common.search")}</button>
        </div>
      </form>
      {data.mails.length === 0 ? <Empty t={t} /> : data.mails.map((m) => (
        <Card class="mail">
          <article class="outbox-mail" data-to={m.to} data-id={m.id}>
            <h2 class="card-title mail-subject">{m.subject}</h2>
            <p class="muted">
              {t("outbox.to")}: <span class="mail-to">{m.to}</span> · {formatInstant(m.at, state.lang, config.timeZone)}
            </p>
            {m.code ? <p class="mail-code" data-code={m.code}>{m.code}</p> : null}
            <div class="mail-text">
              {m.text.split("\n\n").map((para) => (
                <p>{para.split("\n").flatMap((line, k) => k === 0 ? [line] : [<br key={k} />, line])}</p>
              ))}
            </div>
          </article>
        </Card>
      ))}
    </>
  );
});
