import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { config } from "@/lib/config.ts";
import { AppError, BadRequest, Conflict } from "@/lib/errors.ts";
import { readBody } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
import { formatDateTime, formatIdr } from "@/lib/i18n/format.ts";
import { addSheets } from "@/lib/state.ts";
import { getPayment } from "@/lib/payments/store.ts";
import { deleteScreening, getScreeningEntry, getScreeningFor } from "@/lib/screening/store.ts";
import { captionsOf, startPdfPayment } from "@/lib/screening/pdf.ts";
import { getStimulusSet } from "@/lib/screening/stimuli.ts";
import { Badge, Card, ConfirmStep, Facts, FormAlert, PageHeader } from "@/components/ui.tsx";
import { HBarChart } from "@/components/charts.tsx";

type Viewer = Parameters<typeof getScreeningFor>[0];

async function load(user: Viewer, id: string, lang: Lang) {
  const s = await getScreeningFor(user, id);
  const set = await getStimulusSet(s.stimulusSetVersion);
  const orderId = user.role === "client" ? (await getScreeningEntry(id))?.value.pdf.orderId ?? null : null;
  const payment = orderId ? await getPayment(orderId) : null;
  return {
    s,
    captions: Object.fromEntries(captionsOf(set, lang)),
    pending: payment?.status === "pending" && Date.parse(payment.expiresAt) > Date.now() ? payment.redirectUrl : null,
    own: user.role === "client",
  };
}

/**
 * `/screening/:id` — one screening result (docs/domain-rules.md "Emotion screening"): the attachment style with its plain meaning,
 * the vote counts, a per-picture chart of the dominant emotions (server-rendered SVG), the "screening
 * aid, not a diagnosis" notice, crisis resources, "talk to a psychologist", the PDF summary (download
 * or pay), and delete with a confirmation step — all without JavaScript. For its client, and for a
 * psychologist the client booked (read-only; each view audited). The run island lands here after
 * submitting; Midtrans returns here after a PDF payment.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client", "psychologist", "admin");
    addSheets(ctx.state, "reports");
    const d = await load(user, ctx.params.id, ctx.state.lang);
    ctx.state.title = ctx.state.t("screening.res.title");
    return page({
      ...d,
      confirmDelete: d.own && ctx.url.searchParams.get("confirm") === "delete",
      error: null as string | null,
    });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "client");
    addSheets(ctx.state, "reports");
    const body = await readBody(ctx.req);
    const id = ctx.params.id;
    try {
      if (body.action === "delete" && body.confirm === "1") {
        await deleteScreening(user, id);
        return ctx.redirect("/screening/history?done=deleted", 303);
      }
      if (body.action === "pay") {
        const payment = await startPdfPayment(user, id);
        return ctx.redirect(payment.redirectUrl, 303);
      }
      throw new BadRequest("invalid_action", "field.invalid_choice");
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 404 || err.status === 403) throw err;
      const d = await load(user, id, ctx.state.lang);
      ctx.state.title = ctx.state.t("screening.res.title");
      return page({ ...d, confirmDelete: false, error: ctx.state.t(err.messageKey, err.params) }, {
        status: err instanceof Conflict ? 409 : 400,
      });
    }
  },
});

export default define.page<typeof handler>(function ScreeningResult({ data, state: { t, lang } }) {
  const { s, captions, own } = data;
  const total = s.perStimulus.length;
  const pct = (v: number) => `${Math.round(v)} %`;
  return (
    <div class="screening-result stack">
      <PageHeader
        title={t("screening.res.title")}
        subtitle={t("screening.res.subtitle", { date: formatDateTime(s.createdAt, lang, config.timeZone) })}
      >
        {own
          ? (
            <>
              <a class="btn btn-secondary" href="/screening/history">{t("screening.res.history")}</a>{" "}
              <a class="btn btn-ghost" href="/screening">{t("screening.res.again")}</a>
            </>
          )
          : null}
      </PageHeader>
      <FormAlert message={data.error} />
      <FormAlert kind="info" message={t("screening.res.notice")} />
      <Card title={t("screening.res.style_label")}>
        <p class="section-title" data-testid="screening-style">
          <strong>{t(`screening.style.${s.result}`)}</strong>
        </p>
        <p>{t(`screening.meaning.${s.result}`)}</p>
        <h3>{t("screening.res.counts")}</h3>
        <Facts
          items={[
            ...(["secure", "anxious", "avoidant"] as const).map((st) =>
              [t(`screening.style.${st}`), t("screening.res.count_of", { count: s.counts[st], total })] as [
                string,
                string,
              ]
            ),
            [t("screening.res.not_enough_face"), String(s.notEnoughFace)],
          ]}
        />
      </Card>
      <Card>
        <HBarChart
          id="screening-dominant"
          title={t("screening.res.chart_title")}
          desc={t("screening.res.chart_desc")}
          tableLabel={t("screening.res.table")}
          categoryLabel={t("screening.res.picture")}
          max={100}
          format={pct}
          items={s.perStimulus.map((p, i) => ({
            label: `${i + 1}. ${p.dominant ? t(`screening.emotion.${p.dominant}`) : "–"}`,
            value: Math.round(p.share * 100),
          }))}
        />
        <h3>{t("screening.res.pictures")}</h3>
        <ol class="list" data-testid="screening-pictures">
          {s.perStimulus.map((p, i) => (
            <li key={p.stimulusId}>
              <strong>{i + 1}. {captions[p.stimulusId] ?? p.theme}</strong>
              <br />
              <span class="muted">
                {t("screening.res.col_dominant")}: {p.dominant ? t(`screening.emotion.${p.dominant}`) : "–"}
                {p.dominant ? ` (${pct(p.share * 100)})` : ""} · {t("screening.res.col_vote")}:{" "}
                {p.vote ? t(`screening.style.${p.vote}`) : t("screening.res.no_vote")} ·{" "}
                {t("screening.res.col_frames")}: {p.faceFrames} / {p.frames}
              </span>
              {p.enoughFace ? null : (
                <>
                  {" "}
                  <Badge tone="warning">{t("screening.res.no_face")}</Badge>
                </>
              )}
            </li>
          ))}
        </ol>
        <p class="muted">
          {t("screening.res.backend")} {t(`screening.backend.${s.backend}`)} · {t("screening.res.model")}{" "}
          {s.modelVersion} · {t("screening.res.versions")} {s.stimulusSetVersion} / {s.mappingVersion}
        </p>
      </Card>
      <Card title={t("screening.res.crisis_title")}>
        <p>{t("screening.res.crisis")}</p>
        <p>
          <a class="btn" href="/psychologists">{t("screening.res.talk")}</a>{" "}
          <a class="btn btn-secondary" href="tel:119">119</a>{" "}
          <a class="btn btn-ghost" href="https://healing119.id" rel="noopener noreferrer">healing119.id</a>
        </p>
      </Card>
      {own
        ? (
          <Card title={t("screening.pdf.title")}>
            {!s.pdf.required || s.pdf.paid
              ? (
                <>
                  <p>{s.pdf.paid ? `${t("screening.pdf.paid")} ` : ""}{t("screening.pdf.free")}</p>
                  <a class="btn" href={`/api/screenings/${s.id}/pdf`} download data-testid="pdf-download">
                    {t("screening.pdf.download")}
                  </a>
                </>
              )
              : (
                <>
                  <p>{t("screening.pdf.price", { price: formatIdr(s.pdf.priceIdr, lang) })}</p>
                  {data.pending ? <p class="muted">{t("screening.pdf.pending")}</p> : null}
                  <form method="post">
                    <input type="hidden" name="action" value="pay" />
                    <button type="submit" class="btn" data-testid="pdf-pay">
                      {t("screening.pdf.pay", { price: formatIdr(s.pdf.priceIdr, lang) })}
                    </button>
                  </form>
                </>
              )}
          </Card>
        )
        : null}
      {own
        ? data.confirmDelete
          ? (
            <ConfirmStep
              title={t("screening.del.title")}
              body={t("screening.del.confirm")}
              submitLabel={t("screening.del.yes")}
              backHref={`/screening/${s.id}`}
              backLabel={t("screening.del.no")}
              fields={{ action: "delete" }}
            />
          )
          : (
            <p>
              <a class="btn btn-danger-outline" href={`/screening/${s.id}?confirm=delete#confirm`}>
                {t("screening.del.button")}
              </a>
            </p>
          )
        : null}
    </div>
  );
});
