/**
 * A psychologist's availability settings: time zone, weekly working ranges,
 * date overrides, buffers, minimum notice, booking horizon, slot interval.
 * The one pure slot function lives in `./slots.ts`; rules in
 * docs/domain-rules.md "Availability".
 */
import { z } from "@/lib/validation.ts";

/** A local wall-clock time `HH:MM` (24 h) on a 5-minute grid, "24:00" allowed as a range end. */
export const localTimeSchema = z.string().regex(/^(([01]\d|2[0-3]):[0-5][05]|24:00)$/, "avail.error.time");

/** A local working range `{start, end}` with `start < end` (end exclusive). */
export const rangeSchema = z.object({ start: localTimeSchema, end: localTimeSchema })
  .refine((r) => r.start < r.end, { message: "avail.error.range_order", path: ["end"] });
export type LocalRange = z.infer<typeof rangeSchema>;

/** ISO weekdays as Temporal numbers them: "1" = Monday … "7" = Sunday. */
export const WEEKDAYS = ["1", "2", "3", "4", "5", "6", "7"] as const;

/** Defaults and bounds (minutes / days) of the settings. */
export const AVAILABILITY_DEFAULTS = {
  minimumNoticeMinutes: 120,
  horizonDays: 30,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  maxRangesPerDay: 8,
  maxOverrides: 120,
  maxBufferMinutes: 120,
  maxNoticeMinutes: 14 * 24 * 60,
  maxHorizonDays: 365,
} as const;

/** Stored availability of one psychologist (`["availability", psychologistId]`). */
export const availabilitySchema = z.object({
  schemaVersion: z.literal(1),
  psychologistId: z.string(),
  /** IANA time zone the ranges are in (default `config.timeZone`). */
  timeZone: z.string(),
  /** Weekday ("1"–"7") → its local ranges; a missing or empty weekday is a day off. */
  weekly: z.record(z.enum(WEEKDAYS), z.array(rangeSchema)),
  /** Local date `YYYY-MM-DD` → ranges that replace that day's weekly ranges (empty = day off). */
  overrides: z.record(z.string(), z.array(rangeSchema)),
  bufferBeforeMinutes: z.number().int(),
  bufferAfterMinutes: z.number().int(),
  minimumNoticeMinutes: z.number().int(),
  horizonDays: z.number().int(),
  /** Step between slot starts in minutes; null = the service duration. */
  slotIntervalMinutes: z.number().int().nullable(),
  updatedAt: z.string(),
});
export type Availability = z.infer<typeof availabilitySchema>;

/** True when `tz` is an IANA time zone this runtime knows (Temporal/Intl accept it). */
export function isTimeZone(tz: string): boolean {
  if (tz.length === 0 || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    Temporal.Now.zonedDateTimeISO(tz);
    return true;
  } catch {
    return false;
  }
}

/** Local days `[start, end)` of `ranges` never overlap: issue `avail.error.overlap` on the later one. */
function noOverlap(ranges: LocalRange[], ctx: z.RefinementCtx): void {
  const order = ranges.map((r, i) => ({ r, i })).sort((a, b) => (a.r.start < b.r.start ? -1 : 1));
  for (let k = 1; k < order.length; k++) {
    if (order[k].r.start < order[k - 1].r.end) {
      ctx.addIssue({ code: "custom", message: "avail.error.overlap", path: [order[k].i, "start"] });
    }
  }
}

const rangesOfOneDay = z.array(rangeSchema).max(AVAILABILITY_DEFAULTS.maxRangesPerDay, "avail.error.too_many_ranges")
  .superRefine(noOverlap);

const minutesField = (max: number, key: string) =>
  z.number("field.invalid_number").int(key).min(0, key).max(max, key)
    .refine((n) => n % 5 === 0, key);

/**
 * What a psychologist sends to save their settings (`PUT /api/psychologist/availability`,
 * the availability form). Bounds: ≤ 8 ranges a day, none overlapping; ≤ 120 overrides, each on
 * a date from yesterday to 365 days ahead in the chosen zone (checked in `putAvailability`,
 * which knows "today"); buffers 0–120 min, notice 0–14 days, horizon 1–365 days, interval
 * 5–240 min or null — minutes on the 5-minute cell grid (lib/booking/cells.ts).
 */
export const availabilityInputSchema = z.object({
  timeZone: z.string("field.required").max(64, "avail.error.time_zone")
    .refine(isTimeZone, "avail.error.time_zone")
    .describe("IANA time zone, e.g. Asia/Jakarta"),
  weekly: z.partialRecord(z.enum(WEEKDAYS), rangesOfOneDay)
    .describe("ISO weekday 1 (Monday) … 7 (Sunday) → local ranges {start, end} HH:MM; missing = day off"),
  overrides: z.record(z.iso.date("field.invalid_date"), rangesOfOneDay)
    .refine((o) => Object.keys(o).length <= AVAILABILITY_DEFAULTS.maxOverrides, "avail.error.too_many_overrides")
    .describe("Local date YYYY-MM-DD → ranges replacing that day's weekly ranges ([] = day off)"),
  bufferBeforeMinutes: minutesField(AVAILABILITY_DEFAULTS.maxBufferMinutes, "avail.error.buffer"),
  bufferAfterMinutes: minutesField(AVAILABILITY_DEFAULTS.maxBufferMinutes, "avail.error.buffer"),
  minimumNoticeMinutes: minutesField(AVAILABILITY_DEFAULTS.maxNoticeMinutes, "avail.error.notice"),
  horizonDays: z.number("field.invalid_number").int("avail.error.horizon")
    .min(1, "avail.error.horizon").max(AVAILABILITY_DEFAULTS.maxHorizonDays, "avail.error.horizon"),
  slotIntervalMinutes: z.union([
    z.null(),
    z.number("field.invalid_number").int("avail.error.interval").min(5, "avail.error.interval")
      .max(240, "avail.error.interval").refine((n) => n % 5 === 0, "avail.error.interval"),
  ]).describe("Minutes between slot starts; null = the service duration"),
});
export type AvailabilityInput = z.infer<typeof availabilityInputSchema>;

/** The answer of the slot endpoints: `{startsAt, endsAt}` as ISO 8601 with the viewer zone's offset. */
export const slotViewSchema = z.object({
  startsAt: z.string().describe("ISO 8601 with offset, in the viewer's zone"),
  endsAt: z.string().describe("ISO 8601 with offset, in the viewer's zone"),
});
export type SlotView = z.infer<typeof slotViewSchema>;

/** ICU still lists some zones under their old IANA names; the names people know (IANA `backward` file). */
const MODERN_ZONE_NAMES: Record<string, string> = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Europe/Kiev": "Europe/Kyiv",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "America/Godthab": "America/Nuuk",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Enderbury": "Pacific/Kanton",
};

/**
 * The zones a psychologist can pick, sorted: the runtime's IANA zones under their
 * current names, plus `UTC`, plus `current` when it is some other valid alias.
 */
export function timeZoneChoices(current: string): string[] {
  zoneList ??= [...new Set([...Intl.supportedValuesOf("timeZone").map((z) => MODERN_ZONE_NAMES[z] ?? z), "UTC"])]
    .filter(isTimeZone).sort();
  return !current || zoneList.includes(current) || !isTimeZone(current) ? zoneList : [...zoneList, current].sort();
}
let zoneList: string[] | null = null;
