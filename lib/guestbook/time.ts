/**
 * Calendar helpers for the front desk, on Temporal (built into Deno 2.9).
 * Instants are UTC ISO strings / `Date`s; local dates are `YYYY-MM-DD` in
 * `config.timeZone` (default Asia/Jakarta).
 */
import { config } from "@/lib/config.ts";
import { z } from "@/lib/validation.ts";

/** Local calendar date (`YYYY-MM-DD`) of an instant in `timeZone`. */
export function localDateOf(
  instant: Date | string,
  timeZone: string = config.timeZone,
): string {
  const ms = typeof instant === "string" ? Date.parse(instant) : instant.getTime();
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone)
    .toPlainDate().toString();
}

/** Today's local date in `config.timeZone`. */
export function todayLocal(now: Date = new Date()): string {
  return localDateOf(now);
}

/** True when `s` is a real calendar date in `YYYY-MM-DD` form (any year 0000–9999). */
export function isLocalDate(s: unknown): s is string {
  if (typeof s !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  try {
    return Temporal.PlainDate.from(s, { overflow: "reject" }).toString() === s;
  } catch {
    return false;
  }
}

/** True when `s` is a month in `YYYY-MM` form (any year 0000–9999). */
export function isYearMonth(s: unknown): s is string {
  if (typeof s !== "string" || !/^\d{4}-(0[1-9]|1[0-2])$/.test(s)) return false;
  return true;
}

// ---------------------------------------------------------------- the calendar window

/**
 * Earliest year any date, week, month or date-time input may name. Every calendar
 * parameter (query, form, JSON body) is checked against {@link CALENDAR_MIN} ..
 * {@link CALENDAR_MAX} at the edge (docs/architecture.md "Security baseline": every date,
 * week or month parameter is range-checked before any loop uses it). The window holds
 * every real record (the guest book started in 2026, archives keep a year) and keeps the
 * ISO form of every derived date at four digits: past `9999-12-31` Temporal writes
 * `+010000-01-01`, which sorts before it as text.
 */
export const CALENDAR_MIN_YEAR = 2000;
/** Latest year a calendar input may name (see {@link CALENDAR_MIN_YEAR}). */
export const CALENDAR_MAX_YEAR = 2100;
/** First local date of the window: 2000-01-01. */
export const CALENDAR_MIN: Temporal.PlainDate = Temporal.PlainDate.from({ year: CALENDAR_MIN_YEAR, month: 1, day: 1 });
/** Last local date of the window: 2100-12-31. */
export const CALENDAR_MAX: Temporal.PlainDate = Temporal.PlainDate.from({
  year: CALENDAR_MAX_YEAR,
  month: 12,
  day: 31,
});

/** True when `d` lies in the calendar window (both ends included). */
export function inCalendarWindow(d: Temporal.PlainDate): boolean {
  return Temporal.PlainDate.compare(d, CALENDAR_MIN) >= 0 && Temporal.PlainDate.compare(d, CALENDAR_MAX) <= 0;
}

/**
 * Orders two local dates `YYYY-MM-DD` by the calendar (−1, 0, 1), never by text:
 * `"+010000-01-01" < "9999-12-31"` as strings. Throws `RangeError` on a non-date.
 */
export function compareLocalDates(a: string, b: string): number {
  return Temporal.PlainDate.compare(Temporal.PlainDate.from(a), Temporal.PlainDate.from(b));
}

/** ISO 8601 week `YYYY-Www` (what `<input type="week">` sends). */
const WEEK_RE = /^(\d{4})-W(\d{2})$/;

/** True when `s` is an ISO week `YYYY-Www` that exists (week 53 only in long years). */
export function isIsoWeek(s: unknown): s is string {
  if (typeof s !== "string") return false;
  const m = WEEK_RE.exec(s);
  if (!m) return false;
  const week = Number(m[2]);
  if (week < 1) return false;
  // Dec 28 is always in the last ISO week of its year (ISO 8601-1:2019 §3.2.2).
  return week <= Temporal.PlainDate.from({ year: Number(m[1]), month: 12, day: 28 }).weekOfYear!;
}

/**
 * The Monday (local date) of ISO week `week` (`YYYY-Www`, checked with `isIsoWeek`).
 * Week 1 is the week with the year's first Thursday, i.e. the one holding January 4
 * (ISO 8601-1:2019 §3.2.2). Throws `RangeError` when `week` is not an ISO week.
 */
export function isoWeekStart(week: string): string {
  if (!isIsoWeek(week)) throw new RangeError(`not an ISO week: ${week}`);
  const m = WEEK_RE.exec(week)!;
  const jan4 = Temporal.PlainDate.from({ year: Number(m[1]), month: 1, day: 4 });
  return jan4.subtract({ days: jan4.dayOfWeek - 1 }).add({ weeks: Number(m[2]) - 1 }).toString();
}

/** The ISO week `YYYY-Www` that contains local date `date`. */
export function isoWeekName(date: string): string {
  const d = Temporal.PlainDate.from(date);
  return `${String(d.yearOfWeek).padStart(4, "0")}-W${String(d.weekOfYear).padStart(2, "0")}`;
}

const inWindowDate = (s: string) => inCalendarWindow(Temporal.PlainDate.from(s));

/**
 * Zod schema of a local date parameter `YYYY-MM-DD` (queries, forms, JSON): a real date
 * inside the calendar window. Errors: `field.invalid_date` (shape / no such day),
 * `field.date_out_of_range` (outside 2000-01-01 .. 2100-12-31). Output: the same string.
 */
export const localDateParam = z.string("field.invalid_date")
  .max(10, "field.invalid_date")
  .regex(/^\d{4}-\d{2}-\d{2}$/, "field.invalid_date")
  .refine((s) => isLocalDate(s), { message: "field.invalid_date", abort: true })
  .refine(inWindowDate, "field.date_out_of_range")
  .describe("Local date YYYY-MM-DD (TIME_ZONE) from 2000-01-01 to 2100-12-31");

/**
 * Zod schema of a month parameter `YYYY-MM` inside the calendar window. Errors:
 * `field.invalid_month`, `field.date_out_of_range`. Output: the same string.
 */
export const yearMonthParam = z.string("field.invalid_month")
  .max(7, "field.invalid_month")
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "field.invalid_month")
  .refine((s) => isYearMonth(s), { message: "field.invalid_month", abort: true })
  .refine((s) => inWindowDate(`${s}-01`), "field.date_out_of_range")
  .describe("Month YYYY-MM from 2000-01 to 2100-12");

/**
 * Zod schema of an ISO week parameter `YYYY-Www` whose Monday lies in the calendar window
 * (week numbers above the year's last week are refused, not rolled over). Errors:
 * `field.invalid_week`, `field.date_out_of_range`. Output: the same string
 * (`isoWeekStart` gives its Monday).
 */
export const isoWeekParam = z.string("field.invalid_week")
  .max(8, "field.invalid_week")
  .regex(WEEK_RE, "field.invalid_week")
  .refine((s) => isIsoWeek(s), { message: "field.invalid_week", abort: true })
  .refine((s) => inWindowDate(isoWeekStart(s)), "field.date_out_of_range")
  .describe("ISO 8601 week YYYY-Www whose Monday lies from 2000-01-01 to 2100-12-31");

/** Adds `days` (may be negative) to a local date. */
export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** Whole days from local date `a` to local date `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Temporal.PlainDate.from(a).until(Temporal.PlainDate.from(b), {
    largestUnit: "days",
  }).days;
}

/** Longest span `dateRange` lists by default, in days (a leap year). */
export const MAX_RANGE_DAYS = 366;

/**
 * Every local date from `from` to `to`, both included, in calendar order
 * (compared with `Temporal.PlainDate.compare`, never as text); empty when `to` is
 * before `from`. The loop runs at most `maxDays` times.
 * @throws RangeError when the span is longer than `maxDays` days or a bound is not a date
 *   (callers validate their parameters with the schemas above first)
 */
export function dateRange(from: string, to: string, maxDays: number = MAX_RANGE_DAYS): string[] {
  const a = Temporal.PlainDate.from(from);
  const b = Temporal.PlainDate.from(to);
  if (Temporal.PlainDate.compare(a, b) > 0) return [];
  const n = a.until(b, { largestUnit: "days" }).days + 1;
  if (n > maxDays) throw new RangeError(`date range of ${n} days exceeds ${maxDays}`);
  const out: string[] = [];
  for (let i = 0, d = a; i < n; i++, d = d.add({ days: 1 })) out.push(d.toString());
  return out;
}

/** First instant (UTC ISO) of a local date in `config.timeZone`. */
export function startOfLocalDay(
  date: string,
  timeZone: string = config.timeZone,
): string {
  return new Date(
    Temporal.PlainDate.from(date).toZonedDateTime({ timeZone })
      .epochMilliseconds,
  ).toISOString();
}

/**
 * Monday-to-Sunday ISO week containing `date`.
 * Source: ISO 8601 weeks start on Monday.
 */
export function isoWeekOf(date: string): { from: string; to: string } {
  const d = Temporal.PlainDate.from(date);
  const from = d.subtract({ days: d.dayOfWeek - 1 });
  return { from: from.toString(), to: from.add({ days: 6 }).toString() };
}

/** First and last local date of a month `YYYY-MM`. */
export function monthRange(month: string): { from: string; to: string } {
  const ym = Temporal.PlainYearMonth.from(month);
  return {
    from: ym.toPlainDate({ day: 1 }).toString(),
    to: ym.toPlainDate({ day: ym.daysInMonth }).toString(),
  };
}

/**
 * Parses a user-supplied start time into a UTC `Date` (any year 0000–9999; the schema
 * `startsAtParam` adds the calendar window).
 * Accepts ISO 8601 with an offset or `Z` (`2026-11-20T09:30:00+07:00`, the API form)
 * or a wall-clock time without offset (`2026-11-20T09:30`, what an HTML
 * `datetime-local` field sends), which is read in `config.timeZone`.
 * Returns null when the text is not a valid date-time.
 */
export function parseStartsAt(
  input: string,
  timeZone: string = config.timeZone,
): Date | null {
  const s = input.trim();
  if (s.length > 40 || !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) {
    return null;
  }
  try {
    if (/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(s)) {
      return new Date(
        Temporal.Instant.from(s.replace(" ", "T")).epochMilliseconds,
      );
    }
    const pdt = Temporal.PlainDateTime.from(s.replace(" ", "T"), {
      overflow: "reject",
    });
    return new Date(
      pdt.toZonedDateTime(timeZone, { disambiguation: "compatible" })
        .epochMilliseconds,
    );
  } catch {
    return null;
  }
}

/** Local wall-clock `HH:MM` of an instant in `config.timeZone` (for messages). */
export function localTimeOf(
  instant: Date | string,
  timeZone: string = config.timeZone,
): string {
  const ms = typeof instant === "string" ? Date.parse(instant) : instant.getTime();
  const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(
    timeZone,
  );
  return `${String(z.hour).padStart(2, "0")}:${String(z.minute).padStart(2, "0")}`;
}

/** True when the local date of instant `d` (in `timeZone`) lies in the calendar window. */
export function instantInCalendarWindow(d: Date, timeZone: string = config.timeZone): boolean {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) return false;
  try {
    return inCalendarWindow(Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).toPlainDate());
  } catch {
    return false; // beyond Temporal's range (±10^8 days)
  }
}

/**
 * Zod schema of a start time: a `Date`, or text for `parseStartsAt` (ISO 8601 with an
 * offset, or a `datetime-local` wall-clock time read in `config.timeZone`), whose local
 * date lies in the calendar window. Output: the UTC `Date`. Errors: `field.invalid_date`,
 * `field.date_out_of_range`.
 */
export const startsAtParam = z.union([
  z.date("field.invalid_date"),
  z.string("field.invalid_date").max(40, "field.invalid_date"),
], "field.invalid_date").transform((v, ctx) => {
  const d = v instanceof Date ? (Number.isNaN(v.getTime()) ? null : v) : parseStartsAt(v);
  if (!d) {
    ctx.addIssue({ code: "custom", message: "field.invalid_date" });
    return z.NEVER;
  }
  if (!instantInCalendarWindow(d)) {
    ctx.addIssue({ code: "custom", message: "field.date_out_of_range" });
    return z.NEVER;
  }
  return d;
});
