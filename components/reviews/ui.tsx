/**
 * Server-rendered pieces of session reviews (docs/domain-rules.md "Reviews"):
 * one review in a list, and the review form of a completed booking (no
 * JavaScript needed: radio stars, a textarea, a plain POST). Styles in
 * `static/reviews.css`.
 */
import type { Lang, T } from "@/lib/i18n/mod.ts";
import { formatDate } from "@/lib/i18n/format.ts";
import { MAX_COMMENT_CHARS, type PublicReview } from "@/lib/reviews/model.ts";
import { type FieldErrors, FormAlert, TextAreaField } from "@/components/ui.tsx";
import { StarInput, Stars } from "@/components/frontdesk/StarInput.tsx";
import type { ComponentChildren } from "preact";

/** One review: stars, the reviewer's first name, the date, the service, the comment. */
export function ReviewItem(
  { r, t, lang, timeZone, hidden, children }: {
    r: PublicReview;
    t: T;
    lang: Lang;
    timeZone: string;
    /** Shown greyed with a "hidden" note (the admin list). */
    hidden?: boolean;
    children?: ComponentChildren;
  },
) {
  return (
    <li class={`review-item${hidden ? " is-hidden" : ""}`} data-review-id={r.id}>
      <div class="review-head">
        <Stars value={r.rating} t={t} lang={lang} />
        <strong>{r.firstName}</strong>
        <span class="muted">
          {formatDate(r.createdAt, lang, timeZone)} ·{" "}
          {t("review.list.service", { service: t(`psy.service.${r.serviceType}`) })}
        </span>
      </div>
      {r.comment ? <p class="review-text">{r.comment}</p> : null}
      {children}
    </li>
  );
}

/** The review form of a completed booking (posts `action=review`, `rating`, `comment` to `action`). */
export function ReviewForm(
  { t, action, errors, values }: {
    t: T;
    action: string;
    errors?: FieldErrors | null;
    values?: { rating?: number | null; comment?: string | null };
  },
) {
  return (
    <form method="post" action={`${action}#review`} class="review-form" noValidate>
      <FormAlert message={errors && Object.keys(errors).length ? t("review.form.error") : null} />
      <input type="hidden" name="action" value="review" />
      <StarInput t={t} value={values?.rating ?? null} error={errors?.rating ?? null} />
      <TextAreaField
        name="comment"
        label={t("review.form.comment")}
        t={t}
        errors={errors ?? undefined}
        value={values?.comment ?? ""}
        rows={4}
        maxLength={MAX_COMMENT_CHARS}
        hint={t("review.form.comment_hint", { max: MAX_COMMENT_CHARS })}
      />
      <button type="submit" class="btn">{t("review.form.submit")}</button>
    </form>
  );
}
