import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { config } from "@/lib/config.ts";
import { AppError, BadRequest, NotFound, ValidationError } from "@/lib/errors.ts";
import { readBody } from "@/lib/validation.ts";
import type { Appointment } from "@/lib/guestbook/model.ts";
import { getAppointment } from "@/lib/guestbook/store.ts";
import { getAppointmentByCode } from "@/lib/guestbook/check_in.ts";
import { qrText } from "@/lib/guestbook/qr_token.ts";
import { limit } from "@/lib/guestbook/http.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { qrPng, qrSvg } from "@/lib/guestbook/qr_image.ts";
import { getReview, isReviewable, submitReviewByCode } from "@/lib/guestbook/reviews.ts";
import { todayLocal } from "@/lib/guestbook/time.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { Card, type FieldErrors, FormAlert, TextAreaField } from "@/components/ui.tsx";
import { fmtLongDate, fmtTime } from "@/components/frontdesk/format.ts";
import { Facts, QrFigure, StatusBadge } from "@/components/frontdesk/ui.tsx";
import { StarInput, Stars } from "@/components/frontdesk/StarInput.tsx";

/** Headers of every answer of this page: the token in the URL is the key, keep it out of caches, referrers and search engines. */
const PRIVATE = { "cache-control": "private, no-store", "referrer-policy": "no-referrer", "x-robots-tag": "noindex" };

/**
 * The appointment a code opens (one place: `getAppointmentByCode`), after one
 * hit on the per-address limit `guest_page_ip` (429 + Retry-After past it). A
 * malformed, foreign or forged code answers like a missing one (404).
 */
async function resolve(
  ctx: { req: Request; info?: unknown },
  code: string,
): Promise<{ a: Appointment; token: string }> {
  await limit("guest_page_ip", clientIp(ctx));
  try {
    const r = await getAppointmentByCode(code);
    return { a: r.appointment, token: r.token };
  } catch (err) {
    if (err instanceof BadRequest) throw new NotFound("qr_not_found", "fd.g.invalid");
    throw err;
  }
}

async function view(
  a: Appointment,
  token: string,
  lang: "id" | "en",
  extra: {
    errors?: FieldErrors;
    error?: string | null;
    values?: { rating?: number | null; comment?: string };
    reviewed?: boolean;
  } = {},
) {
  const url = qrText(token);
  return {
    comment: a.rating !== null ? (await getReview(a.id))?.comment ?? null : null,
    a,
    token,
    url,
    svg: qrSvg(url, { title: translate(lang, "fd.qr.alt", { name: a.guestName }) }),
    today: todayLocal(),
    errors: extra.errors ?? {},
    error: extra.error ?? null,
    values: extra.values ?? {},
    reviewed: extra.reviewed ?? false,
  };
}

/**
 * `/g/:code` — the public page a guest's link or QR opens (docs/domain-rules.md
 * "Delivery", "Review"): the appointment's status and QR for that signed token; after the
 * meeting, the review form (1–5 stars + optional comment, once).
 * `?format=png` returns the QR as PNG (`&download=1` as an attachment,
 * `&scale=1..12` pixels per module). No sign-in: the signed token is the key.
 * Every request counts against `guest_page_ip` (lib/guestbook/http.ts).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const { a, token } = await resolve(ctx, ctx.params.code);
    if (ctx.url.searchParams.get("format") === "png") {
      const scale = Math.min(12, Math.max(1, Number(ctx.url.searchParams.get("scale")) || 8));
      const headers: Record<string, string> = { ...PRIVATE, "content-type": "image/png" };
      if (ctx.url.searchParams.has("download")) {
        headers["content-disposition"] = `attachment; filename="qr-${a.id}.png"`;
      }
      return new Response(qrPng(qrText(token), scale), { headers });
    }
    ctx.state.title = ctx.state.t("fd.g.title");
    return page(await view(a, token, ctx.state.lang, { reviewed: ctx.url.searchParams.has("reviewed") }), {
      headers: PRIVATE,
    });
  },
  async POST(ctx) {
    const { a, token } = await resolve(ctx, ctx.params.code);
    ctx.state.title = ctx.state.t("fd.g.title");
    const body = await readBody(ctx.req);
    const comment = typeof body.comment === "string" ? body.comment.slice(0, 2000) : "";
    const rating = Number(body.rating);
    try {
      await submitReviewByCode({ code: token, rating: body.rating ?? "", comment });
      return ctx.redirect(`/g/${token}?reviewed=1`, 303);
    } catch (err) {
      const values = { rating: Number.isInteger(rating) ? rating : null, comment };
      if (err instanceof ValidationError) {
        return page(await view(a, token, ctx.state.lang, { errors: err.messages(), values }), {
          status: 422,
          headers: PRIVATE,
        });
      }
      if (err instanceof AppError && err.status < 500) {
        const fresh = (await getAppointment(a.id)) ?? a;
        return page(
          await view(fresh, token, ctx.state.lang, {
            error: translate(ctx.state.lang, err.messageKey, err.params),
            values,
          }),
          { status: err.status, headers: PRIVATE },
        );
      }
      throw err;
    }
  },
});

export default define.page<typeof handler>(function GuestAppointmentPage({ data, state }) {
  const t = state.t;
  const tz = config.timeZone;
  const a = data.a;
  const upcoming = a.status === "scheduled" && a.localDate >= data.today;
  return (
    <div class="frontdesk-page guest-page narrow-page">
      <div class="guest-head">
        <p class="muted">{t("fd.g.hello", { name: a.guestName })}</p>
        <h1>{fmtLongDate(a.startsAt, state.lang, tz)}</h1>
        <p class="guest-time">
          {fmtTime(a.startsAt, state.lang, tz)} · <StatusBadge status={a.status} late={a.late} t={t} />
        </p>
      </div>
      {data.reviewed ? <FormAlert kind="success" message={t("fd.review.thanks")} /> : null}
      <FormAlert message={data.error} />

      {upcoming
        ? (
          <Card class="qr-card guest-qr">
            <QrFigure svg={data.svg} caption={t("fd.g.show_qr", { date: fmtLongDate(a.localDate, state.lang, tz) })}>
              <a class="btn btn-secondary" href={`/g/${data.token}?format=png&download=1`} download={`qr-${a.id}.png`}>
                {t("fd.detail.download_png")}
              </a>
            </QrFigure>
          </Card>
        )
        : null}
      {a.status === "scheduled" && !upcoming ? <p class="alert alert-info">{t("fd.g.expired")}</p> : null}
      {a.status === "waiting"
        ? (
          <p class="alert alert-info">
            {t("fd.g.waiting", { time: fmtTime(a.checkedInAt, state.lang, tz), teacher: a.teacherName })}
          </p>
        )
        : null}
      {a.status === "in_meeting" ? <p class="alert alert-info">{t("fd.g.in_meeting")}</p> : null}
      {a.status === "cancelled" ? <p class="alert alert-error">{t("fd.g.cancelled")}</p> : null}
      {a.status === "no_show" ? <p class="alert alert-info">{t("fd.g.no_show")}</p> : null}

      {isReviewable(a)
        ? (
          <Card title={t("fd.review.title")} class="review-card">
            <p class="muted">{t("fd.review.intro", { teacher: a.teacherName })}</p>
            <form method="post" class="stack" novalidate>
              <StarInput value={data.values.rating ?? null} t={t} error={data.errors.rating} />
              <TextAreaField
                name="comment"
                label={t("fd.review.comment")}
                t={t}
                errors={data.errors}
                value={data.values.comment ?? ""}
                rows={3}
                maxLength={1000}
                hint={t("fd.review.comment_hint")}
              />
              <div class="form-actions">
                <button type="submit" class="btn btn-lg">{t("fd.review.submit")}</button>
              </div>
            </form>
          </Card>
        )
        : null}
      {a.status === "finished" && a.rating !== null
        ? (
          <Card class="review-card">
            <p>{t("fd.review.already")}</p>
            <p class="review-stars">
              <Stars value={a.rating} t={t} />
            </p>
            {data.comment ? <blockquote class="review-comment">{data.comment}</blockquote> : null}
          </Card>
        )
        : null}

      <Card title={t("fd.detail.facts")}>
        <Facts
          items={[
            [t("fd.detail.teacher"), a.teacherName],
            [t("fd.form.purpose"), a.purpose],
            [
              t("fd.form.starts_at"),
              `${fmtLongDate(a.startsAt, state.lang, tz)}, ${fmtTime(a.startsAt, state.lang, tz)}`,
            ],
          ]}
        />
      </Card>
      <p class="muted guest-portal-hint">
        {t("fd.g.portal_hint")} {state.user?.role === "guest"
          ? <a href="/guest">{t("fd.g.portal_open")}</a>
          : <a href="/signin">{t("fd.g.portal_link")}</a>}
      </p>
    </div>
  );
});
