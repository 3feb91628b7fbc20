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
