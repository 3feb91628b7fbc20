import type { Lang, T } from "@/lib/i18n/mod.ts";
import { formatRating } from "@/lib/i18n/format.ts";
import type { FieldMessage } from "@/lib/errors.ts";
import { errorText } from "@/components/ui.tsx";

/**
 * 1–5 star rating as a radio group (works without JavaScript; keyboard: arrow
 * keys move between stars in reading order). The star look is CSS only
 * (`static/frontdesk.css`, `.star-input`): every star up to the chosen or
 * hovered one is filled.
 */
export function StarInput(
  { name = "rating", value, t, error }: { name?: string; value?: number | null; t: T; error?: FieldMessage | null },
) {
  return (
    <fieldset class={`star-input${error ? " has-error" : ""}`} aria-describedby={error ? `err-${name}` : undefined}>
      <legend>
        {t("fd.review.rating")}
        <span class="req" aria-hidden="true">*</span>
      </legend>
      <div class="star-row">
        {[1, 2, 3, 4, 5].map((n) => (
          <>
            <input
              type="radio"
              id={`${name}-${n}`}
              name={name}
              value={String(n)}
              checked={value === n}
              required={n === 1}
            />
            <label for={`${name}-${n}`} title={t("fd.review.stars", { n })}>
              <span aria-hidden="true">★</span>
              <span class="sr-only">{t("fd.review.stars", { n })}</span>
            </label>
          </>
        ))}
      </div>
      {error ? <p class="field-error" id={`err-${name}`} role="alert">{errorText(t, error)}</p> : null}
    </fieldset>
  );
}

/**
 * Read-only stars, e.g. "★★★★☆" (an average is drawn rounded; its label says
 * the exact value with one decimal, as `formatRating` writes it in `lang`).
 */
export function Stars({ value, t, lang = "id" }: { value: number; t: T; lang?: Lang }) {
  const v = Math.max(0, Math.min(5, Math.round(value)));
  const n = Number.isInteger(value) ? value : formatRating(value, lang);
  return (
    <span class="stars-static" role="img" aria-label={t("fd.review.stars", { n })}>
      {"★".repeat(v)}
      <span class="stars-off">{"★".repeat(5 - v)}</span>
    </span>
  );
}
