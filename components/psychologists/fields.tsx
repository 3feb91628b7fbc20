/**
 * Form pieces of the psychologists pages (application, profile editor, admin
 * "new psychologist"), server-rendered, working without JavaScript. Field names
 * are those `lib/psychologists/form.ts` reads. Styles in `static/psychologists.css`.
 */
import type { T } from "@/lib/i18n/mod.ts";
import { CATEGORIES, PROFILE_LIMITS, SERVICE_LIMITS, SERVICE_TYPES } from "@/lib/psychologists/model.ts";
import { serviceField } from "@/lib/psychologists/form.ts";
import { errorText, Field, type FieldErrors, TextAreaField } from "@/components/ui.tsx";

/** Submitted or stored values of a profile form, as strings (`specialisations` comma-joined). */
export type ProfileValues = Record<string, string>;

/** Checkboxes of the categories (`specialisations`), with the group's error. */
export function CategoryChecks({ t, errors, value }: { t: T; errors: FieldErrors; value: string }) {
  const chosen = new Set(value.split(",").filter(Boolean));
  const err = errors.specialisations;
  return (
    <fieldset
      class={`field check-group${err ? " has-error" : ""}`}
      aria-describedby={err ? "err-specialisations" : undefined}
    >
      <legend>
        {t("psy.field.specialisations")}
        <span class="req" aria-hidden="true">*</span>
      </legend>
      <div class="check-grid">
        {CATEGORIES.map((c) => (
          <label class="check" key={c}>
            <input type="checkbox" name="specialisations" value={c} checked={chosen.has(c)} />
            <span>{t(`psy.category.${c}`)}</span>
          </label>
        ))}
      </div>
      {err ? <p class="field-error" id="err-specialisations">{errorText(t, err)}</p> : null}
    </fieldset>
  );
}

/** The profile's own fields (everything but the account and the services). */
export function ProfileFields({ t, errors, values }: { t: T; errors: FieldErrors; values: ProfileValues }) {
  return (
    <>
      <Field
        name="title"
        label={t("psy.field.title")}
        hint={t("psy.field.title_hint")}
        t={t}
        errors={errors}
        value={values.title}
        maxLength={PROFILE_LIMITS.titleMax}
      />
      <Field
        name="licenceNumber"
        label={t("psy.field.licence")}
        hint={t("psy.field.licence_hint")}
        t={t}
        errors={errors}
        value={values.licenceNumber}
        maxLength={PROFILE_LIMITS.licenceMax}
        required
      />
      <CategoryChecks t={t} errors={errors} value={values.specialisations ?? ""} />
      <TextAreaField
        name="education"
        label={t("psy.field.education")}
        hint={t("psy.field.education_hint")}
        t={t}
        errors={errors}
        value={values.education}
        rows={3}
      />
      <Field
        name="practicePlace"
        label={t("psy.field.practice_place")}
        t={t}
        errors={errors}
        value={values.practicePlace}
        maxLength={PROFILE_LIMITS.practicePlaceMax}
      />
      <Field
        name="yearsOfExperience"
        label={t("psy.field.years")}
        t={t}
        errors={errors}
        value={values.yearsOfExperience}
        inputmode="numeric"
        maxLength={2}
        required
      />
      <Field
        name="languages"
        label={t("psy.field.languages")}
        hint={t("psy.field.languages_hint")}
        t={t}
        errors={errors}
        value={values.languages}
        maxLength={60}
        required
      />
      <TextAreaField
        name="bio"
        label={t("psy.field.bio")}
        t={t}
        errors={errors}
        value={values.bio}
        rows={6}
        maxLength={PROFILE_LIMITS.bioMax}
      />
    </>
  );
}

/** Up to six numbered service rows (type, duration in minutes, price in rupiah); blank rows are ignored. */
export function ServiceRows({ t, errors, values }: { t: T; errors: FieldErrors; values: ProfileValues }) {
  const rows = Array.from({ length: SERVICE_LIMITS.maxServices }, (_, n) => n);
  return (
    <fieldset class="service-rows">
      <legend>{t("psy.field.services")}</legend>
      <p class="hint">{t("psy.field.services_hint")}</p>
      {rows.map((n) => {
        const errs = [serviceField.type(n), serviceField.duration(n), serviceField.price(n)]
          .map((f) => errors[f] ? errorText(t, errors[f]) : null).filter(Boolean);
        return (
          <div class={`service-row${errs.length ? " has-error" : ""}`} key={n} data-row={n}>
            <input type="hidden" name={serviceField.id(n)} value={values[serviceField.id(n)] ?? ""} />
            <div class="field">
              <label for={`f-${serviceField.type(n)}`}>{t("psy.field.service_type", { n: n + 1 })}</label>
              <select id={`f-${serviceField.type(n)}`} name={serviceField.type(n)}>
                <option value="">{t("psy.field.service_none")}</option>
                {SERVICE_TYPES.map((s) => (
                  <option value={s} selected={values[serviceField.type(n)] === s} key={s}>
                    {t(`psy.service.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for={`f-${serviceField.duration(n)}`}>{t("psy.field.duration")}</label>
              <input
                id={`f-${serviceField.duration(n)}`}
                name={serviceField.duration(n)}
                inputMode="numeric"
                maxLength={3}
                value={values[serviceField.duration(n)] ?? ""}
              />
            </div>
            <div class="field">
              <label for={`f-${serviceField.price(n)}`}>{t("psy.field.price")}</label>
              <input
                id={`f-${serviceField.price(n)}`}
                name={serviceField.price(n)}
                inputMode="numeric"
                maxLength={14}
                value={values[serviceField.price(n)] ?? ""}
              />
            </div>
            {errs.length ? <p class="field-error service-error">{errs.join(" ")}</p> : null}
          </div>
        );
      })}
    </fieldset>
  );
}
