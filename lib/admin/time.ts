/**
 * Local calendar ↔ UTC instants for the admin reports, in the display zone
 * (`config.timeZone`, Asia/Jakarta by default). Storage keys hold UTC ISO
 * strings from `Date#toISOString` (fixed width), so comparing the strings
 * below compares instants.
 */
import { config } from "@/lib/config.ts";

/** The UTC ISO instant at which the local day `date` (`YYYY-MM-DD`) starts in `timeZone`. */
export function startOfLocalDay(date: string, timeZone: string = config.timeZone): string {
  const z = Temporal.PlainDate.from(date).toZonedDateTime({ timeZone });
  return new Date(z.epochMilliseconds).toISOString();
}

/** The local day after `date`. */
export function nextLocalDay(date: string): string {
  return Temporal.PlainDate.from(date).add({ days: 1 }).toString();
}

/**
 * The 13 UTC ISO instants at which the 12 local months of `year` start, the
 * last being the start of the next year: month `m` (1–12) is
 * `[bounds[m - 1], bounds[m])`.
 */
export function monthBounds(year: number, timeZone: string = config.timeZone): string[] {
  const out: string[] = [];
  for (let m = 0; m < 13; m++) {
    const d = Temporal.PlainDate.from({ year: year + Math.floor(m / 12), month: (m % 12) + 1, day: 1 });
    out.push(startOfLocalDay(d.toString(), timeZone));
  }
  return out;
}

/** The local year (in `timeZone`) of an instant in ms since epoch. */
export function localYearOf(ms: number, timeZone: string = config.timeZone): number {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).year;
}

/** The local date `YYYY-MM-DD` (in `timeZone`) of an instant in ms since epoch. */
export function localDateOfMs(ms: number, timeZone: string = config.timeZone): string {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}
