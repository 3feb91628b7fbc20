import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { readBody } from "@/lib/validation.ts";
import { formFailure, type Msg, seeOther } from "@/lib/auth/web.ts";
import type { T } from "@/lib/i18n/mod.ts";
import { timeZoneChoices, WEEKDAYS } from "@/lib/availability/model.ts";
import type { AvailabilityFields } from "@/lib/availability/form.ts";
import type { Preview } from "@/lib/availability/preview.ts";
import {
  availabilityPageData,
  overrideRowsToShow,
  previewOf,
  submitAvailabilityForm,
  weeklyRowsToShow,
} from "@/lib/availability/page.ts";
import { getPsychologist } from "@/lib/psychologists/store.ts";
import { errorText, Field, type FieldErrors, FormAlert, PageHeader, SelectField } from "@/components/ui.tsx";
import { MsgAlert } from "@/components/auth/views.tsx";
import AvailabilityPreview, { PREVIEW_KEYS } from "@/islands/AvailabilityPreview.tsx";

const FORM_ID = "availability-form";

/**
 * `/psychologist/availability` (psychologist, laptop first): weekly hours,
 * special dates, buffers, notice, horizon, interval and time zone in one form
 * that works without JavaScript (buttons add and remove rows; errors next to
 * their fields), with a live preview of the next free slots (island).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "availability");
    ctx.state.title = ctx.state.t("avail.title");
    const { fields, preview } = await availabilityPageData(user.id, ctx.state.lang);
    const saved = ctx.url.searchParams.get("done") === "saved";
    return page({
      fields,
      preview,
      services: await servicesOf(user.id, ctx.state.t),
      errors: {} as FieldErrors,
      message: saved ? { key: "avail.saved", kind: "success" } as Msg : null,
    });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "availability");
    ctx.state.title = ctx.state.t("avail.title");
    const r = await submitAvailabilityForm(user.id, await readBody(ctx.req));
    if (r.saved) return seeOther("/psychologist/availability?done=saved");
    const services = await servicesOf(user.id, ctx.state.t);
    if (r.error) {
      const f = formFailure(r.error);
      return page({ fields: r.fields, preview: null, services, errors: f.errors, message: f.message }, {
        status: f.status,
      });
    }
    return page({
      fields: r.fields,
      preview: await previewOf(user.id, r.fields, ctx.state.lang),
      services,
      errors: {} as FieldErrors,
      message: { key: "avail.unsaved", kind: "info" } as Msg,
    });
  },
});

async function servicesOf(userId: string, t: T): Promise<[string, string][]> {
  const p = await getPsychologist(userId);
  return (p?.services ?? []).map((
    s,
  ) => [s.id, `${t(`psy.service.${s.type}`)} · ${t("psy.minutes", { n: s.durationMinutes })}`]);
}

/** One `{start, end}` row with its remove button; `key` is the row's field prefix (`w1.0`, `o.2`). */
function RangeRow(
  { prefix, fields, errors, t, date }: {
    prefix: string;
    fields: AvailabilityFields;
    errors: FieldErrors;
    t: T;
    date?: boolean;
  },
) {
  const err = (n: string) => errors[`${prefix}.${n}`];
  const blank = !(["date", "start", "end"] as const).some((n) => fields[`${prefix}.${n}`]);
  const input = (n: "date" | "start" | "end", label: string) => (
    <label class={`avail-cell${err(n) ? " has-error" : ""}`}>
      <span class="sr-only">{label}</span>
      <input
        class="input"
        type={n === "date" ? "date" : "time"}
        step={n === "date" ? undefined : 300}
        name={`${prefix}.${n}`}
        value={fields[`${prefix}.${n}`] ?? ""}
        aria-invalid={err(n) ? "true" : undefined}
        aria-describedby={err(n) ? `err-${prefix}.${n}` : undefined}
      />
    </label>
  );
  const errs = (["date", "start", "end"] as const).filter((n) => err(n));
  return (
    <div class="avail-row">
      {date ? input("date", t("avail.date")) : null}
      {input("start", t("avail.start"))}
      <span aria-hidden="true">–</span>
      {input("end", t("avail.end"))}
      {blank ? null : (
        <button type="submit" name="intent" value={`remove:${prefix}`} class="btn btn-sm btn-danger-text">
          {t("avail.remove")}
        </button>
      )}
      {errs.map((n) => (
        <p class="field-error avail-row-error" id={`err-${prefix}.${n}`} key={n}>{errorText(t, err(n)!)}</p>
      ))}
    </div>
  );
}

function timeZones(current: string): [string, string][] {
  return timeZoneChoices(current).map((z) => [z, z.replaceAll("_", " ")]);
}

export default define.page<typeof handler>(function AvailabilityPage({ data, state }) {
  const t = state.t;
  const { fields, errors } = data;
  const num = (name: string, label: string, hint?: string) => (
    <Field name={name} label={label} hint={hint} t={t} errors={errors} value={fields[name]} type="number" min="0" />
  );
  const preview: Preview | null = data.preview;
  return (
    <>
      <PageHeader title={t("avail.title")} subtitle={t("avail.subtitle")} />
      <MsgAlert msg={data.message} t={t} />
      <div class="avail-layout">
        <form method="post" action="/psychologist/availability" id={FORM_ID} class="stack avail-form" novalidate>
          {/* Enter in a field submits with the first submit button: make that "save", not a row's "remove". */}
          <button type="submit" name="intent" value="save" class="sr-only" tabIndex={-1} aria-hidden="true">
            {t("avail.save")}
          </button>
          <section class="card">
            <h2 class="card-title">{t("avail.rules")}</h2>
            <SelectField
              name="timeZone"
              label={t("avail.time_zone")}
              t={t}
              errors={errors}
              value={fields.timeZone}
              options={timeZones(fields.timeZone ?? "")}
              required
            />
            <div class="grid-2">
              {num("bufferBeforeMinutes", t("avail.buffer_before"))}
              {num("bufferAfterMinutes", t("avail.buffer_after"))}
              {num("minimumNoticeMinutes", t("avail.notice"), t("avail.notice_hint"))}
              {num("horizonDays", t("avail.horizon"))}
              {num("slotIntervalMinutes", t("avail.interval"), t("avail.interval_hint"))}
            </div>
          </section>
          <section class="card">
            <h2 class="card-title">{t("avail.weekly")}</h2>
            <p class="hint">{t("avail.weekly_hint")}</p>
            {WEEKDAYS.map((d) => {
              const rows = weeklyRowsToShow(fields, d);
              const hasHours = rows.some((i) => fields[`w${d}.${i}.start`] || fields[`w${d}.${i}.end`]);
              return (
                <fieldset class="avail-day" key={d}>
                  <legend>
                    {t(`avail.weekday.${d}`)} {hasHours ? null : <span class="badge">{t("avail.day_off")}</span>}
                  </legend>
                  {rows.map((i) => <RangeRow key={i} prefix={`w${d}.${i}`} fields={fields} errors={errors} t={t} />)}
                  <button type="submit" name="intent" value={`add:w${d}`} class="btn btn-sm btn-ghost">
                    {t("avail.add_hours")}
                  </button>
                </fieldset>
              );
            })}
          </section>
          <section class="card">
            <h2 class="card-title">{t("avail.overrides")}</h2>
            <p class="hint">{t("avail.overrides_hint")}</p>
            <FormAlert message={errors.overrides ? errorText(t, errors.overrides) : null} />
            {overrideRowsToShow(fields).map((i) => (
              <RangeRow key={i} prefix={`o.${i}`} fields={fields} errors={errors} t={t} date />
            ))}
            <button type="submit" name="intent" value="add:o" class="btn btn-sm btn-ghost">
              {t("avail.add_date")}
            </button>
          </section>
          <div class="form-actions">
            <button type="submit" name="intent" value="save" class="btn">{t("avail.save")}</button>
          </div>
        </form>
        <AvailabilityPreview
          formId={FORM_ID}
          initial={preview ? preview.slots : null}
          timeZone={preview?.timeZone ?? fields.timeZone ?? ""}
          services={data.services}
          strings={Object.fromEntries(Object.entries(PREVIEW_KEYS).map(([k, key]) => [k, t(key)]))}
        />
      </div>
    </>
  );
});
