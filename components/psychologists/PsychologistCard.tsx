/**
 * A directory card (phone first): photo, name and title, categories, rating,
 * price from, next free slot in the display zone (named). Styles in
 * `static/psychologists.css`.
 */
import type { T } from "@/lib/i18n/mod.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
import { formatDateTime, formatIdr, formatRating } from "@/lib/i18n/format.ts";
import type { DirectoryItem } from "@/lib/psychologists/directory.ts";

/** Initials shown when a psychologist has no photo. */
function initials(name: string): string {
  const w = name.split(",")[0].trim().split(/\s+/).filter(Boolean);
  return ((w[0]?.[0] ?? "") + (w.length > 1 ? w[w.length - 1][0] : "")).toUpperCase();
}

/** The round photo (or initials) of a psychologist. */
export function Avatar({ name, photoUrl, size = 72 }: { name: string; photoUrl: string | null; size?: number }) {
  return photoUrl
    ? <img class="psy-avatar" src={photoUrl} alt="" width={size} height={size} loading="lazy" />
    : <span class="psy-avatar psy-avatar-empty" aria-hidden="true" style={`--size:${size}px`}>{initials(name)}</span>;
}

/** Rating "★ 4,7 (23)" or "No reviews yet". */
export function RatingLine({ rating, count, t, lang }: { rating: number | null; count: number; t: T; lang: Lang }) {
  return rating === null ? <span class="muted">{t("psy.rating.none")}</span> : (
    <span class="psy-rating">
      <span aria-hidden="true">★</span> {t("psy.rating.value", { rating: formatRating(rating, lang), count })}
    </span>
  );
}

/** One card of the directory, linking to the profile. */
export function PsychologistCard(
  { item, t, lang, timeZone }: { item: DirectoryItem; t: T; lang: Lang; timeZone: string },
) {
  return (
    <li class="psy-card" data-psychologist-id={item.id}>
      <Avatar name={item.name} photoUrl={item.photoUrl} />
      <div class="psy-card-body">
        <h2 class="psy-card-name">
          <a href={`/psychologists/${item.id}`}>{item.name}</a>
        </h2>
        {item.title ? <p class="psy-card-title muted">{item.title}</p> : null}
        <ul class="psy-tags" aria-label={t("psy.field.specialisations")}>
          {item.specialisations.map((c) => <li key={c}>{t(`psy.category.${c}`)}</li>)}
        </ul>
        <p class="psy-card-meta">
          <RatingLine rating={item.rating} count={item.ratingCount} t={t} lang={lang} />
          {item.priceFromIdr !== null
            ? <span>{t("psy.price_from", { price: formatIdr(item.priceFromIdr, lang) })}</span>
            : null}
        </p>
        <p class="psy-card-next">
          {item.nextFreeAt
            ? t("psy.next_free", { when: formatDateTime(item.nextFreeAt, lang, timeZone), zone: timeZone })
            : <span class="muted">{t("psy.next_free_none")}</span>}
        </p>
      </div>
    </li>
  );
}
