/**
 * The HTML forms of the psychologists capability (profile editor, admin
 * "new psychologist", application): how their flat fields become a
 * {@link ProfileInput}, and how field errors of the parsed input map back to
 * form field names. Works without JavaScript: lists are checkboxes, lines of a
 * textarea or comma-separated words; services are numbered rows.
 */
import { ValidationError } from "@/lib/errors.ts";
import { SERVICE_LIMITS } from "./model.ts";

/** A form as a multimap (what `FormData` or `URLSearchParams` give). */
export interface FormLike {
  get(name: string): FormDataEntryValue | string | null;
  getAll(name: string): (FormDataEntryValue | string)[];
}

/** Form names of the service row `n` (0-based). */
export const serviceField = {
  id: (n: number) => `service_id_${n}`,
  type: (n: number) => `service_type_${n}`,
  duration: (n: number) => `service_duration_${n}`,
  price: (n: number) => `service_price_${n}`,
};

/** Profile field names as they appear in the forms (and in echoed values). */
export const PROFILE_TEXT_FIELDS = [
  "name",
  "title",
  "licenceNumber",
  "practicePlace",
  "yearsOfExperience",
  "languages",
  "education",
  "bio",
] as const;

function str(form: FormLike, name: string, max = 5000): string {
  const v = form.get(name);
  return typeof v === "string" ? v.slice(0, max) : "";
}

/** A whole number typed with optional thousands separators ("150.000", "150,000", "150000"), or NaN. */
export function wholeNumber(s: string): number {
  const t = s.trim();
  if (!/^\d{1,3}([.,\s]?\d{3})*$|^\d{1,12}$/.test(t)) return NaN;
  return Number(t.replace(/[.,\s]/g, ""));
}

/**
 * The profile input of a form: strings trimmed by the schema, education one per
 * line (blank lines dropped), languages split on commas/spaces, service rows
 * whose three fields are all empty skipped. Numbers that do not parse become
 * NaN, which the schema reports on the field.
 */
export function profileFromForm(form: FormLike): Record<string, unknown> {
  const services: Record<string, unknown>[] = [];
  for (let n = 0; n < SERVICE_LIMITS.maxServices + 2; n++) {
    const type = str(form, serviceField.type(n), 20);
    const duration = str(form, serviceField.duration(n), 20);
    const price = str(form, serviceField.price(n), 30);
    if (!type && !duration.trim() && !price.trim()) continue;
    const id = str(form, serviceField.id(n), 60);
    services.push({
      ...(id ? { id } : {}),
      type,
      durationMinutes: wholeNumber(duration),
      priceIdr: wholeNumber(price),
    });
  }
  const years = str(form, "yearsOfExperience", 10).trim();
  return {
    name: str(form, "name", 500),
    title: str(form, "title", 500),
    licenceNumber: str(form, "licenceNumber", 500),
    practicePlace: str(form, "practicePlace", 500),
    yearsOfExperience: years === "" ? undefined : /^\d{1,3}$/.test(years) ? Number(years) : NaN,
    specialisations: form.getAll("specialisations").filter((v) => typeof v === "string").slice(0, 20),
    education: str(form, "education", 3000).split(/\r?\n/).map((s) => s.trim()).filter(Boolean),
    languages: str(form, "languages", 200).split(/[\s,;]+/).filter(Boolean),
    bio: str(form, "bio", 10_000),
    services,
  };
}

/**
 * Renames the field paths of a profile `ValidationError` to form names:
 * `services.2.priceIdr` → `service_price_<row>` (rows of the form, in order),
 * `education.1` → `education`, `specialisations.0` → `specialisations`.
 * `rows` maps the n-th parsed service to its form row (skipped blank rows).
 */
export function formErrors(err: ValidationError, rows: number[] = []): ValidationError {
  const fields: Record<string, string> = {};
  const params: Record<string, Record<string, string | number>> = {};
  for (const [path, key] of Object.entries(err.fields)) {
    const parts = path.split(".");
    let name = parts[0];
    if (parts[0] === "services" && parts.length >= 3) {
      const row = rows[Number(parts[1])] ?? Number(parts[1]);
      const f = parts[2];
      name = f === "type"
        ? serviceField.type(row)
        : f === "durationMinutes"
        ? serviceField.duration(row)
        : f === "priceIdr"
        ? serviceField.price(row)
        : serviceField.type(row);
    }
    if (name in fields) continue;
    fields[name] = key;
    if (err.fieldParams[path]) params[name] = err.fieldParams[path];
  }
  return new ValidationError(fields, err.messageKey, err.code, params);
}

/** The form rows (0-based) that hold a service, in order (blank rows skipped), for {@link formErrors}. */
export function serviceRows(form: FormLike): number[] {
  const rows: number[] = [];
  for (let n = 0; n < SERVICE_LIMITS.maxServices + 2; n++) {
    if (
      str(form, serviceField.type(n)) || str(form, serviceField.duration(n)).trim() ||
      str(form, serviceField.price(n)).trim()
    ) {
      rows.push(n);
    }
  }
  return rows;
}

/** Echo of the text fields and service rows of a submitted form (to show it again). */
export function echoProfileForm(form: FormLike): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of PROFILE_TEXT_FIELDS) out[n] = str(form, n, 3000);
  out.specialisations = form.getAll("specialisations").filter((v) => typeof v === "string").join(",");
  for (let n = 0; n < SERVICE_LIMITS.maxServices; n++) {
    for (const f of [serviceField.id(n), serviceField.type(n), serviceField.duration(n), serviceField.price(n)]) {
      out[f] = str(form, f, 60);
    }
  }
  return out;
}

/** The form values of a stored profile (editor prefill). */
export function profileValues(p: {
  name: string;
  title: string;
  licenceNumber: string;
  practicePlace: string;
  yearsOfExperience: number;
  languages: string[];
  education: string[];
  bio: string;
  specialisations: string[];
  services: { id: string; type: string; durationMinutes: number; priceIdr: number }[];
}): Record<string, string> {
  const out: Record<string, string> = {
    name: p.name,
    title: p.title,
    licenceNumber: p.licenceNumber,
    practicePlace: p.practicePlace,
    yearsOfExperience: String(p.yearsOfExperience),
    languages: p.languages.join(", "),
    education: p.education.join("\n"),
    bio: p.bio,
    specialisations: p.specialisations.join(","),
  };
  p.services.forEach((s, n) => {
    out[serviceField.id(n)] = s.id;
    out[serviceField.type(n)] = s.type;
    out[serviceField.duration(n)] = String(s.durationMinutes);
    out[serviceField.price(n)] = String(s.priceIdr);
  });
  return out;
}
