/**
 * The availability form (`/psychologist/availability`, and the editor's live
 * preview, which posts the same fields): flat field names ↔ the
 * {@link availabilityInputSchema} input, and the schema's error paths mapped
 * back to the form's fields so each error shows next to its field.
 *
 * Fields: `timeZone`, `bufferBeforeMinutes`, `bufferAfterMinutes`,
 * `minimumNoticeMinutes`, `horizonDays`, `slotIntervalMinutes` (blank = the
 * service duration); weekly rows `w<weekday>.<i>.start|end` (weekday 1–7);
 * override rows `o.<i>.date|start|end` — a row with a date and no hours is a
 * day off, several rows with one date give that date several ranges. Rows left
 * blank are ignored (the page always offers a few), so "add" and "delete" work
 * without JavaScript.
 */
import { ValidationError } from "@/lib/errors.ts";
import { type Availability, AVAILABILITY_DEFAULTS, type LocalRange, WEEKDAYS } from "./model.ts";

/** Form field values as the page renders them. */
export type AvailabilityFields = Record<string, string>;

/** Rows the form accepts at most (weekly rows per day, override rows). */
export const FORM_LIMITS = {
  weeklyRows: AVAILABILITY_DEFAULTS.maxRangesPerDay + 2,
  overrideRows: AVAILABILITY_DEFAULTS.maxOverrides + 10,
} as const;

const NUMBER_FIELDS = ["bufferBeforeMinutes", "bufferAfterMinutes", "minimumNoticeMinutes", "horizonDays"] as const;

/** The stored settings as form fields. */
export function fieldsOf(a: Availability): AvailabilityFields {
  const f: AvailabilityFields = {
    timeZone: a.timeZone,
    bufferBeforeMinutes: String(a.bufferBeforeMinutes),
    bufferAfterMinutes: String(a.bufferAfterMinutes),
    minimumNoticeMinutes: String(a.minimumNoticeMinutes),
    horizonDays: String(a.horizonDays),
    slotIntervalMinutes: a.slotIntervalMinutes === null ? "" : String(a.slotIntervalMinutes),
  };
  for (const d of WEEKDAYS) {
    (a.weekly[d] ?? []).forEach((r, i) => {
      f[`w${d}.${i}.start`] = r.start;
      f[`w${d}.${i}.end`] = r.end;
    });
  }
  let i = 0;
  for (const [date, ranges] of Object.entries(a.overrides)) {
    if (ranges.length === 0) f[`o.${i++}.date`] = date;
    for (const r of ranges) {
      f[`o.${i}.date`] = date;
      f[`o.${i}.start`] = r.start;
      f[`o.${i++}.end`] = r.end;
    }
  }
  return f;
}

/** Indices of the rows present in `fields` under `prefix` (`w1.` / `o.`), sorted, bounded. */
export function rowIndices(fields: AvailabilityFields, prefix: string, max: number): number[] {
  const out = new Set<number>();
  for (const k of Object.keys(fields)) {
    if (!k.startsWith(prefix)) continue;
    const m = /^(\d{1,3})\.(start|end|date)$/.exec(k.slice(prefix.length));
    if (m && Number(m[1]) < max) out.add(Number(m[1]));
  }
  return [...out].sort((a, b) => a - b);
}

/** A decoded form: the schema input, errors found while decoding, and path → field mapping. */
export interface DecodedForm {
  input: Record<string, unknown>;
  errors: Record<string, string>;
  /** The form field for a schema error path (`weekly.1.0.end` → `w1.2.end`). */
  fieldOf(path: string): string;
}

/**
 * Reads the form's string fields (anything else is ignored) into the schema's
 * input shape. Blank rows are skipped; a half-filled row is an error on its
 * blank field (`field.required`); numbers must be whole decimal numbers.
 */
export function decodeForm(raw: Record<string, unknown>): DecodedForm {
  const fields: AvailabilityFields = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === "string" && k.length <= 40) fields[k] = v.trim();
  const errors: Record<string, string> = {};
  const map = new Map<string, string>();
  const input: Record<string, unknown> = { timeZone: fields.timeZone ?? "" };
  if (!input.timeZone) errors.timeZone = "field.required";
  for (const n of NUMBER_FIELDS) {
    const v = fields[n] ?? "";
    if (v === "") errors[n] = "field.required";
    else input[n] = /^\d{1,6}$/.test(v) ? Number(v) : v;
  }
  const iv = fields.slotIntervalMinutes ?? "";
  input.slotIntervalMinutes = iv === "" ? null : /^\d{1,6}$/.test(iv) ? Number(iv) : iv;

  const weekly: Record<string, LocalRange[]> = {};
  for (const d of WEEKDAYS) {
    const rows: LocalRange[] = [];
    for (const i of rowIndices(fields, `w${d}.`, FORM_LIMITS.weeklyRows)) {
      const start = fields[`w${d}.${i}.start`] ?? "", end = fields[`w${d}.${i}.end`] ?? "";
      if (!start && !end) continue;
      if (!start) errors[`w${d}.${i}.start`] = "field.required";
      if (!end) errors[`w${d}.${i}.end`] = "field.required";
      if (!start || !end) continue;
      map.set(`weekly.${d}.${rows.length}`, `w${d}.${i}`);
      rows.push({ start, end });
    }
    if (rows.length) weekly[d] = rows;
  }
  input.weekly = weekly;

  const overrides: Record<string, LocalRange[]> = {};
  for (const i of rowIndices(fields, "o.", FORM_LIMITS.overrideRows)) {
    const date = fields[`o.${i}.date`] ?? "", start = fields[`o.${i}.start`] ?? "", end = fields[`o.${i}.end`] ?? "";
    if (!date && !start && !end) continue;
    if (!date) {
      errors[`o.${i}.date`] = "field.required";
      continue;
    }
    if (!map.has(`overrides.${date}`)) map.set(`overrides.${date}`, `o.${i}.date`);
    overrides[date] ??= [];
    if (!start && !end) continue; // a day off
    if (!start) errors[`o.${i}.start`] = "field.required";
    if (!end) errors[`o.${i}.end`] = "field.required";
    if (!start || !end) continue;
    map.set(`overrides.${date}.${overrides[date].length}`, `o.${i}`);
    overrides[date].push({ start, end });
  }
  input.overrides = overrides;

  return {
    input,
    errors,
    fieldOf(path: string): string {
      const parts = path.split(".");
      if (parts[0] === "weekly" && parts.length >= 3) {
        const row = map.get(parts.slice(0, 3).join("."));
        if (row) return parts[3] ? `${row}.${parts[3]}` : `${row}.start`;
      }
      if (parts[0] === "overrides" && parts.length >= 2) {
        // Dates may hold dots only as separators here: YYYY-MM-DD has none.
        if (parts.length >= 3) {
          const row = map.get(parts.slice(0, 3).join("."));
          if (row) return parts[3] ? `${row}.${parts[3]}` : `${row}.start`;
        }
        const row = map.get(parts.slice(0, 2).join("."));
        if (row) return row;
        return "overrides";
      }
      return path;
    },
  };
}

/**
 * Validates the decoded input with `validate` (e.g. `normaliseAvailability`);
 * decoding errors and the schema's errors come back together as one
 * ValidationError keyed by form field names, so the form shows every error at
 * once (docs/ui.md "Form errors"). Nothing is saved here.
 * @throws ValidationError with form field names
 */
export function checkForm<R>(decoded: DecodedForm, validate: (input: unknown) => R): R {
  let result: R | undefined;
  let schemaErr: ValidationError | null = null;
  try {
    result = validate(decoded.input);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    schemaErr = err;
  }
  if (!schemaErr && Object.keys(decoded.errors).length === 0) return result as R;
  const fields: Record<string, string> = { ...decoded.errors };
  const params: Record<string, Record<string, number>> = {};
  for (const [path, key] of Object.entries(schemaErr?.fields ?? {})) {
    const f = decoded.fieldOf(path);
    if (f in fields) continue;
    fields[f] = key;
    const p = schemaErr?.fieldParams[path];
    if (p) params[f] = p as Record<string, number>;
  }
  throw new ValidationError(fields, undefined, undefined, params);
}
