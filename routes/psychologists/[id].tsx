import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { BadRequest, NotFound } from "@/lib/errors.ts";
import { config } from "@/lib/config.ts";
import { formatDate, formatIdr, formatTime } from "@/lib/i18n/format.ts";
import { getBookablePsychologist } from "@/lib/psychologists/store.ts";
import { averageRating } from "@/lib/psychologists/model.ts";
import { nextFreeSlots } from "@/lib/availability/store.ts";
import type { Slot } from "@/lib/availability/slots.ts";
import { Card } from "@/components/ui.tsx";
import { addSheets } from "@/lib/state.ts";
import { listPsychologistReviews } from "@/lib/reviews/store.ts";
import { publicReview } from "@/lib/reviews/model.ts";
import { ReviewItem } from "@/components/reviews/ui.tsx";
import { Avatar, RatingLine } from "@/components/psychologists/PsychologistCard.tsx";

/** How many next free slots the profile shows per service. */
const SLOTS_SHOWN = 6;
/** Reviews per page of the profile's list ("more" follows the cursor in `?reviews=`). */
const REVIEWS_SHOWN = 5;

/**
 * A psychologist's public profile (phone first): every profile field, the services and
 * the next free slots of each (in the display zone `TIME_ZONE`, named), each a link to
 * the booking page, and the visible reviews (first names only), newest first, five at a
 * time with a "more" link (`?reviews=<cursor>`, no JavaScript). 404 unless the
 * psychologist is verified and active.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const p = await getBookablePsychologist(ctx.params.id);
    if (!p) throw new NotFound("psychologist_not_found", "psy.error.not_found");
    ctx.state.title = p.name;
    addSheets(ctx.state, "reviews", "stars");
    const cursor = ctx.url.searchParams.get("reviews");
    if (cursor !== null && cursor.length > 1000) throw new BadRequest("invalid_cursor", "error.invalid_cursor");
    const now = Date.now();
    const slots: Record<string, Slot[]> = {};
    await Promise.all(p.services.map(async (s) => {
      slots[s.id] = await nextFreeSlots(p, s, now, { limit: SLOTS_SHOWN });
    }));
    const reviews = await listPsychologistReviews(p.id, { cursor, limit: REVIEWS_SHOWN });
    return page({
      p,
      slots,
      reviews: { items: reviews.items.map(publicReview), cursor: reviews.cursor },
      paged: !!cursor,
    });
  },
});

export default define.page<typeof handler>(function Profile({ data, state }) {
  const t = state.t;
  const { p, slots, reviews } = data;
  const tz = config.timeZone;
  const photo = p.photoFileId ? `/files/${p.photoFileId}` : null;
  return (
    <article class="psy-profile">
      <p class="back-link">
        <a href="/psychologists">← {t("psy.dir.title")}</a>
      </p>
      <header class="psy-profile-head">
        <Avatar name={p.name} photoUrl={photo} size={112} />
        <div>
          <h1>{p.name}</h1>
          {p.title ? <p class="muted">{p.title}</p> : null}
          <p>
            <RatingLine rating={averageRating(p)} count={p.ratingCount} t={t} lang={state.lang} />
          </p>
          <ul class="psy-tags">
            {p.specialisations.map((c) => <li key={c}>{t(`psy.category.${c}`)}</li>)}
          </ul>
        </div>
      </header>
      <Card title={t("psy.profile.services")}>
        <p class="hint">{t("psy.profile.zone", { zone: tz })}</p>
        <ul class="psy-services">
          {p.services.map((s) => (
            <li key={s.id} class="psy-service" data-service-id={s.id}>
              <h3>
                {t(`psy.service.${s.type}`)} · {t("psy.minutes", { n: s.durationMinutes })} ·{" "}
                {formatIdr(s.priceIdr, state.lang)}
              </h3>
              {slots[s.id]?.length
                ? (
                  <ul class="psy-slots" aria-label={t("psy.profile.next_slots")}>
                    {slots[s.id].map((slot) => {
                      const iso = new Date(slot.startsAt).toISOString();
                      const href = `/psychologists/${p.id}/book?${new URLSearchParams({
                        serviceId: s.id,
                        startsAt: iso,
                      })}`;
                      return (
                        <li key={slot.startsAt}>
                          <a class="btn btn-sm btn-secondary" href={href}>
                            <span>{formatDate(iso, state.lang, tz, { year: false })}</span>{" "}
                            <span class="psy-slot-time">{formatTime(iso, state.lang, tz)}</span>
                          </a>
                        </li>
                      );
                    })}
                  </ul>
                )
                : <p class="muted">{t("psy.next_free_none")}</p>}
            </li>
          ))}
        </ul>
      </Card>
      <Card title={t("psy.profile.about")}>
        {p.bio ? <p class="prewrap">{p.bio}</p> : null}
        <dl class="dl">
          <div class="dl-row">
            <dt>{t("psy.field.licence")}</dt>
            <dd>{p.licenceNumber}</dd>
          </div>
          {p.practicePlace
            ? (
              <div class="dl-row">
                <dt>{t("psy.field.practice_place")}</dt>
                <dd>{p.practicePlace}</dd>
              </div>
            )
            : null}
          <div class="dl-row">
            <dt>{t("psy.field.years")}</dt>
            <dd>{t("psy.years", { n: p.yearsOfExperience })}</dd>
          </div>
          <div class="dl-row">
            <dt>{t("psy.field.languages")}</dt>
            <dd>
              {p.languages.map((l) => t(`psy.lang.${l}`) === `psy.lang.${l}` ? l : t(`psy.lang.${l}`)).join(", ")}
            </dd>
          </div>
        </dl>
        {p.education.length
          ? (
            <>
              <h3 class="section-title">{t("psy.field.education")}</h3>
              <ul class="list">{p.education.map((e) => <li key={e}>{e}</li>)}</ul>
            </>
          )
          : null}
      </Card>
      <section id="reviews">
        <Card title={t("review.list.title")}>
          {reviews.items.length
            ? (
              <ul class="review-list" role="list">
                {reviews.items.map((r) => <ReviewItem key={r.id} r={r} t={t} lang={state.lang} timeZone={tz} />)}
              </ul>
            )
            : <p class="muted">{t("review.list.empty")}</p>}
          {reviews.cursor || data.paged
            ? (
              <nav class="pagination" aria-label={t("review.list.title")}>
                {data.paged
                  ? <a class="btn btn-ghost" href={`/psychologists/${p.id}#reviews`}>← {t("common.back")}</a>
                  : null}
                {reviews.cursor
                  ? (
                    <a
                      class="btn btn-secondary"
                      href={`/psychologists/${p.id}?${new URLSearchParams({ reviews: reviews.cursor })}#reviews`}
                    >
                      {t("review.list.more")} →
                    </a>
                  )
                  : null}
              </nav>
            )
            : null}
        </Card>
      </section>
    </article>
  );
});
