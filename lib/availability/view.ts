/**
 * Slots as the API and pages show them: ISO 8601 instants with the viewer
 * zone's offset, and the `/api/psychologists/{id}/slots` window (`from`/`to`
 * as local dates in the viewer's zone or instants; span ≤ 62 days; years
 * 2000–2100, docs/architecture.md "Security baseline").
 */
import { config } from "@/lib/config.ts";
import { ValidationError } from "@/lib/errors.ts";
import { z } from "@/lib/validation.ts";
import { formatDate, formatTime } from "@/lib/i18n/format.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
import { isTimeZone, type SlotView } from "./model.ts";
import type { Slot } from "./slots.ts";

const DAY = 86_400_000;
/** Longest `from`–`to` span of a slot query, days. */
export const MAX_SLOT_SPAN_DAYS = 62;
/** Most slots one `/api/psychologists/{id}/slots` answer holds, and the default. */
export const MAX_SLOT_LIMIT = 500;
export const DEFAULT_SLOT_LIMIT = 200;
/** Default span when `to` is left out, days. */
export const DEFAULT_SLOT_SPAN_DAYS = 7;

/** Instant `ms` as ISO 8601 with the offset of `timeZone`, seconds precision (`2026-11-30T09:00:00+07:00`). */
export function isoInZone(ms: number, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone)
    .toString({ timeZoneName: "never", fractionalSecondDigits: 0 });
}

/** A slot in the viewer's zone. */
export function slotView(s: Slot, timeZone: string): SlotView {
  return { startsAt: isoInZone(s.startsAt, timeZone), endsAt: isoInZone(s.endsAt, timeZone) };
}

/** A slot's human label in `lang`: `Sen, 30 Nov 2026 09.00–10.00`. */
export function slotLabel(s: Slot, lang: Lang, timeZone: string): string {
  const d = new Date(s.startsAt);
  return `${formatDate(d, lang, timeZone)} ${formatTime(d, lang, timeZone)}–${
    formatTime(new Date(s.endsAt), lang, timeZone)
  }`;
}

const when = z.string("field.invalid_date").max(40, "field.invalid_date")
  .regex(/^\d{4}-\d{2}-\d{2}($|T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$)/i, "field.invalid_date");

/** Query of `GET /api/psychologists/{id}/slots`. */
export const slotsQuery = z.object({
  serviceId: z.string("field.required").min(1, "field.required").max(40, "avail.error.service")
    .describe("Id of one of the psychologist's services"),
  from: when.optional().describe(
    "Local date YYYY-MM-DD (start of that day in `tz`) or ISO 8601 instant with offset; default now",
  ),
  to: when.optional().describe(
    "Local date YYYY-MM-DD (through the end of that day in `tz`) or instant; default from + 7 days; span ≤ 62 days",
  ),
  tz: z.string().max(64, "avail.error.time_zone").refine(isTimeZone, "avail.error.time_zone").optional()
    .describe("IANA zone the answer's offsets and the dates of `from`/`to` are in (default TIME_ZONE)"),
  limit: z.preprocess(
    (v) => (typeof v === "string" && /^\d{1,6}$/.test(v.trim()) ? Number(v.trim()) : v === "" ? undefined : v),
    z.number("field.invalid_number").int("field.invalid_number").min(1, "field.invalid_number")
      .max(MAX_SLOT_LIMIT, "field.invalid_number").default(DEFAULT_SLOT_LIMIT),
  ).describe(`Most slots returned, 1–${MAX_SLOT_LIMIT}, default ${DEFAULT_SLOT_LIMIT}; see \`next\``),
});
export type SlotsQuery = z.infer<typeof slotsQuery>;

function parseWhen(s: string, tz: string, endOfDay: boolean, field: string): number {
  try {
    if (s.length === 10) {
      const d = Temporal.PlainDate.from(s, { overflow: "reject" });
      if (d.year < 2000 || d.year > 2100) throw new ValidationError({ [field]: "field.date_out_of_range" });
      return (endOfDay ? d.add({ days: 1 }) : d).toZonedDateTime(tz).epochMilliseconds;
    }
    const ms = Temporal.Instant.from(s).epochMilliseconds;
    const y = new Date(ms).getUTCFullYear();
    if (y < 2000 || y > 2100) throw new ValidationError({ [field]: "field.date_out_of_range" });
    return ms;
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw new ValidationError({ [field]: "field.invalid_date" });
  }
}

/**
 * The window `[fromMs, toMs)` of a parsed slot query, in epoch ms.
 * @throws ValidationError `field.invalid_date`, `field.date_out_of_range` (outside 2000–2100),
 *   `avail.error.span` on `to` (not after `from`, or longer than 62 days)
 */
export function slotWindow(q: SlotsQuery, nowMs: number): { fromMs: number; toMs: number; timeZone: string } {
  const timeZone = q.tz ?? config.timeZone;
  const fromMs = q.from ? parseWhen(q.from, timeZone, false, "from") : nowMs;
  const toMs = q.to ? parseWhen(q.to, timeZone, true, "to") : fromMs + DEFAULT_SLOT_SPAN_DAYS * DAY;
  if (!(toMs > fromMs) || toMs - fromMs > MAX_SLOT_SPAN_DAYS * DAY) {
    throw new ValidationError({ to: "avail.error.span" });
  }
  return { fromMs, toMs, timeZone };
}
