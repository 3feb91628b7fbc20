/**
 * Request-level helpers of the article routes (pages and API): the listing
 * query, the admin form's fields, and `datetime-local` ↔ UTC conversion.
 */
import { config } from "@/lib/config.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { ValidationError } from "@/lib/errors.ts";
import { articleLangSchema, foldTag } from "./model.ts";

/** Query of `GET /api/articles` and `/articles`: `tag` (folded like stored tags), `lang`, `cursor`, `limit`. */
export const articleListQuery = z.object({
  tag: z.string().max(100, "field.too_long").optional(),
  lang: articleLangSchema.optional(),
  cursor: z.string().max(1000, "field.too_long").optional(),
  limit: z.coerce.number().int("field.invalid_number").min(1, "field.invalid_number").max(50, "field.invalid_number")
    .optional(),
});

/** Parses the listing query of `url`; the tag comes back in its stored form (or undefined). */
export function parseListQuery(url: URL): z.infer<typeof articleListQuery> {
  const q = parseInput(articleListQuery, Object.fromEntries(url.searchParams));
  return { ...q, tag: q.tag ? foldTag(q.tag) || undefined : undefined };
}

/**
 * A `datetime-local` value ("2026-12-01T09:30") read in the centre's time zone
 * (`TIME_ZONE`) as a UTC ISO instant; "" stays "" (= publish now).
 * @throws ValidationError field `publishAt` for a value that is not a date and time
 */
export function localToInstant(value: string, timeZone: string = config.timeZone): string {
  const v = value.trim();
  if (!v) return "";
  try {
    return Temporal.PlainDateTime.from(v).toZonedDateTime(timeZone).toInstant().toString();
  } catch {
    throw new ValidationError({ publishAt: "field.invalid" });
  }
}

/** A UTC ISO instant as a `datetime-local` value in `timeZone` (minutes precision). */
export function instantToLocal(iso: string, timeZone: string = config.timeZone): string {
  return Temporal.Instant.from(iso).toZonedDateTimeISO(timeZone).toPlainDateTime().toString({
    smallestUnit: "minute",
  });
}
