/**
 * What the `/psychologist/availability` page does with a form post: save, or
 * (without JavaScript) add or remove a row and show the form again unsaved.
 */
import type { Lang } from "@/lib/i18n/mod.ts";
import { ValidationError } from "@/lib/errors.ts";
import { type AvailabilityFields, checkForm, decodeForm, fieldsOf, FORM_LIMITS, rowIndices } from "./form.ts";
import { getAvailability, normaliseAvailability, putAvailability } from "./store.ts";
import { type Preview, previewSlots } from "./preview.ts";
import { WEEKDAYS } from "./model.ts";

/** Outcome of a post: saved, or the form to show again (with errors or an unsaved change). */
export type FormOutcome =
  | { saved: true }
  | { saved: false; fields: AvailabilityFields; error: ValidationError | null };

/**
 * Handles one post of the availability form. `intent` (the pressed button):
 * `save` (default) validates and saves; `add:w<d>` / `add:o` adds an empty row
 * to weekday d / the special dates; `remove:w<d>.<i>` / `remove:o.<i>` drops
 * that row — both without saving.
 */
export async function submitAvailabilityForm(
  userId: string,
  body: Record<string, unknown>,
  nowMs: number = Date.now(),
): Promise<FormOutcome> {
  const fields: AvailabilityFields = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string" && k.length <= 40) fields[k] = v;
  const intent = fields.intent ?? "save";
  delete fields.intent;
  dropBlankRows(fields);
  const add = /^add:(w[1-7]|o)$/.exec(intent);
  if (add) {
    const prefix = add[1] === "o" ? "o." : `${add[1]}.`;
    const max = add[1] === "o" ? FORM_LIMITS.overrideRows : FORM_LIMITS.weeklyRows;
    const rows = rowIndices(fields, prefix, max);
    const next = rows.length ? rows[rows.length - 1] + 1 : 0;
    if (next < max) {
      if (add[1] === "o") fields[`o.${next}.date`] = "";
      fields[`${prefix}${next}.start`] = "";
      fields[`${prefix}${next}.end`] = "";
    }
    return { saved: false, fields, error: null };
  }
  const remove = /^remove:((?:w[1-7]|o)\.\d{1,3})$/.exec(intent);
  if (remove) {
    for (const k of Object.keys(fields)) if (k.startsWith(remove[1] + ".")) delete fields[k];
    return { saved: false, fields, error: null };
  }
  const decoded = decodeForm(fields);
  try {
    checkForm(decoded, (input) => normaliseAvailability(userId, input, nowMs));
  } catch (err) {
    if (err instanceof ValidationError) return { saved: false, fields, error: err };
    throw err;
  }
  await putAvailability(userId, decoded.input, nowMs);
  return { saved: true };
}

/** Removes rows whose fields are all empty (the page renders its own empty row again). */
function dropBlankRows(fields: AvailabilityFields): void {
  const rows = new Map<string, boolean>();
  for (const [k, v] of Object.entries(fields)) {
    const m = /^((?:w[1-7]|o)\.\d{1,3})\.(?:start|end|date)$/.exec(k);
    if (m) rows.set(m[1], (rows.get(m[1]) ?? false) || v.trim() !== "");
  }
  for (const [row, filled] of rows) {
    if (filled) continue;
    for (const f of ["start", "end", "date"]) delete fields[`${row}.${f}`];
  }
}

/** The page's data for the saved settings: their form fields and the preview they give. */
export async function availabilityPageData(
  userId: string,
  lang: Lang,
  nowMs: number = Date.now(),
): Promise<{ fields: AvailabilityFields; preview: Preview | null }> {
  const fields = fieldsOf(await getAvailability(userId, nowMs));
  return { fields, preview: await previewOf(userId, fields, lang, nowMs) };
}

/** The preview of form fields, or null when they do not validate. */
export async function previewOf(
  userId: string,
  fields: AvailabilityFields,
  lang: Lang,
  nowMs: number = Date.now(),
): Promise<Preview | null> {
  try {
    return await previewSlots(userId, fields, true, lang, nowMs);
  } catch (err) {
    if (err instanceof ValidationError) return null;
    throw err;
  }
}

/** Weekday row indices to render: the rows present plus one empty row (while under the limit). */
export function weeklyRowsToShow(fields: AvailabilityFields, day: (typeof WEEKDAYS)[number]): number[] {
  const rows = rowIndices(fields, `w${day}.`, FORM_LIMITS.weeklyRows);
  const next = rows.length ? rows[rows.length - 1] + 1 : 0;
  return rows.length < FORM_LIMITS.weeklyRows - 2 ? [...rows, next] : rows;
}

/** Override row indices to render: the rows present plus one empty row. */
export function overrideRowsToShow(fields: AvailabilityFields): number[] {
  const rows = rowIndices(fields, "o.", FORM_LIMITS.overrideRows);
  const next = rows.length ? rows[rows.length - 1] + 1 : 0;
  return rows.length < FORM_LIMITS.overrideRows - 10 ? [...rows, next] : rows;
}
