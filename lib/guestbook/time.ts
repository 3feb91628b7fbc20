/**
 * Calendar helpers for the front desk, on Temporal (built into Deno 2.9).
 * Instants are UTC ISO strings / `Date`s; local dates are `YYYY-MM-DD` in
 * `config.timeZone` (default Asia/Jakarta).
 */
import { config } from "@/lib/config.ts";

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

/** True when `s` is a real calendar date in `YYYY-MM-DD` form. */
export function isLocalDate(s: unknown): s is string {
  if (typeof s !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  try {
    return Temporal.PlainDate.from(s, { overflow: "reject" }).toString() === s;
  } catch {
    return false;
  }
}

/** True when `s` is a month in `YYYY-MM` form. */
export function isYearMonth(s: unknown): s is string {
  if (typeof s !== "string" || !/^\d{4}-(0[1-9]|1[0-2])$/.test(s)) return false;
  return true;
}

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

/** Every local date from `from` to `to`, both included. */
export function dateRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
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
 * Parses a user-supplied start time into a UTC `Date`.
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
