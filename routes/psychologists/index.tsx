import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { parseInput } from "@/lib/validation.ts";
import { ValidationError } from "@/lib/errors.ts";
import { config } from "@/lib/config.ts";
import {
  type DirectoryItem,
  directoryQuerySchema,
  directorySortSchema,
  searchPsychologists,
} from "@/lib/psychologists/directory.ts";
import { CATEGORIES, SERVICE_TYPES } from "@/lib/psychologists/model.ts";
import { errorText, type FieldErrors, FormAlert, PageHeader, Pagination } from "@/components/ui.tsx";
import { PsychologistCard } from "@/components/psychologists/PsychologistCard.tsx";

const PARAMS = ["q", "category", "service", "minRating", "minPrice", "maxPrice", "availableOn", "sort"] as const;

/**
 * The directory (phone first, works without JavaScript: a GET form): search by name, filter by
 * category, service type, minimum rating, price range and a date with a free slot; sort by
 * rating, price or soonest free slot; cursor pagination. Bad parameters show field errors (400).
 */
export const handler = define.handlers({
  async GET(ctx) {
    ctx.state.title = ctx.state.t("psy.dir.title");
    const raw = Object.fromEntries(ctx.url.searchParams);
    const values: Record<string, string> = {};
    for (const k of PARAMS) values[k] = typeof raw[k] === "string" ? raw[k].slice(0, 120) : "";
    try {
      const query = parseInput(directoryQuerySchema, raw);
      const result = await searchPsychologists(query, Date.now());
      return page({ items: result.items, cursor: result.cursor, values, errors: {} as FieldErrors });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page({ items: [] as DirectoryItem[], cursor: null, values, errors: err.messages() as FieldErrors }, {
        status: 400,
      });
    }
  },
});

export default define.page<typeof handler>(function Directory({ data, state, url }) {
  const t = state.t;
  const v = data.values;
  const e = data.errors;
  const err = (name: string) => e[name] ? <p class="field-error" id={`err-${name}`}>{errorText(t, e[name])}</p> : null;
  const bad = (name: string) => (e[name] ? { "aria-invalid": "true" as const, "aria-describedby": `err-${name}` } : {});
  return (
    <div class="psy-directory">
      <PageHeader title={t("psy.dir.title")} subtitle={t("psy.dir.intro")} />
      <form method="get" action="/psychologists" class="card psy-filters" role="search">
        <FormAlert message={Object.keys(e).length ? t("error.validation") : null} />
        <div class="field psy-filter-q">
          <label for="f-q">{t("psy.dir.q")}</label>
          <input id="f-q" name="q" type="search" value={v.q} maxLength={100} {...bad("q")} />
          {err("q")}
        </div>
        <details
          class="psy-more"
          open={PARAMS.some((k) => k !== "q" && k !== "sort" && v[k]) || Object.keys(e).length > 0}
        >
          <summary>{t("psy.dir.filters")}</summary>
          <div class="psy-filter-grid">
            <div class="field">
              <label for="f-category">{t("psy.dir.category")}</label>
              <select id="f-category" name="category" {...bad("category")}>
                <option value="">{t("common.all")}</option>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c} selected={v.category === c}>{t(`psy.category.${c}`)}</option>
                ))}
              </select>
              {err("category")}
            </div>
            <div class="field">
              <label for="f-service">{t("psy.dir.service")}</label>
              <select id="f-service" name="service" {...bad("service")}>
                <option value="">{t("common.all")}</option>
                {SERVICE_TYPES.map((s) => (
                  <option key={s} value={s} selected={v.service === s}>{t(`psy.service.${s}`)}</option>
                ))}
              </select>
              {err("service")}
            </div>
            <div class="field">
              <label for="f-minRating">{t("psy.dir.min_rating")}</label>
              <select id="f-minRating" name="minRating" {...bad("minRating")}>
                <option value="">{t("common.all")}</option>
                {["3", "4", "4.5"].map((r) => (
                  <option key={r} value={r} selected={v.minRating === r}>
                    {t("psy.dir.rating_at_least", { rating: r })}
                  </option>
                ))}
              </select>
              {err("minRating")}
            </div>
            <div class="field">
              <label for="f-availableOn">{t("psy.dir.available_on")}</label>
              <input id="f-availableOn" name="availableOn" type="date" value={v.availableOn} {...bad("availableOn")} />
              {err("availableOn")}
            </div>
            <div class="field">
              <label for="f-minPrice">{t("psy.dir.min_price")}</label>
              <input
                id="f-minPrice"
                name="minPrice"
                inputMode="numeric"
                maxLength={9}
                value={v.minPrice}
                {...bad("minPrice")}
              />
              {err("minPrice")}
            </div>
            <div class="field">
              <label for="f-maxPrice">{t("psy.dir.max_price")}</label>
              <input
                id="f-maxPrice"
                name="maxPrice"
                inputMode="numeric"
                maxLength={9}
                value={v.maxPrice}
                {...bad("maxPrice")}
              />
              {err("maxPrice")}
            </div>
          </div>
        </details>
        <div class="psy-filter-actions">
          <div class="field">
            <label for="f-sort">{t("psy.dir.sort")}</label>
            <select id="f-sort" name="sort" {...bad("sort")}>
              {directorySortSchema.options.map((s) => (
                <option key={s} value={s} selected={(v.sort || "rating") === s}>{t(`psy.dir.sort_${s}`)}</option>
              ))}
            </select>
            {err("sort")}
          </div>
          <button type="submit" class="btn">{t("common.search")}</button>
        </div>
      </form>
      {data.items.length === 0
        ? <p class="empty">{Object.keys(e).length ? t("psy.dir.fix_filters") : t("psy.dir.none")}</p>
        : (
          <ul class="psy-list">
            {data.items.map((item) => (
              <PsychologistCard key={item.id} item={item} t={t} lang={state.lang} timeZone={config.timeZone} />
            ))}
          </ul>
        )}
      <Pagination url={url} cursor={data.cursor} t={t} />
      <p class="muted psy-apply-link">
        {t("psy.dir.are_you")} <a href="/psychologists/apply">{t("psy.dir.apply")}</a>
      </p>
    </div>
  );
});
