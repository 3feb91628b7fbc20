/**
 * Number, time and date formatting for the UI, one function per kind, used by
 * pages, islands, notifications and e-mails alike (browser-safe: no Deno APIs).
 *
 * House style (docs/ui.md, "Formats"):
 * - Time: 24-hour clock in both languages, two-digit hours. Indonesian writes
 *   `09.15` (a dot, as KBBI/PUEBI and `id-ID` do), English `09:15` (`en-GB`).
 *   No "AM/PM" anywhere.
 * - Ratings: exactly one decimal, `4,5` in Indonesian and `4.5` in English.
 * - Other numbers: the language's grouping and decimal marks (`1.234,5` / `1,234.5`).
 *
 * Formatters are cached: constructing an `Intl.DateTimeFormat` costs far more
 * than formatting with one.
 */
import type { Lang } from "./types.ts";

/** BCP 47 locale used for each UI language. */
export const LOCALES: Record<Lang, string> = { id: "id-ID", en: "en-GB" };

function localeOf(lang: string): string {
  return lang === "en" ? LOCALES.en : LOCALES.id;
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let f = cache.get(key) as F | undefined;
  if (!f) {
    if (cache.size > 200) cache.clear();
    f = make();
    cache.set(key, f);
  }
  return f;
}

function toDate(v: string | Date | null | undefined): Date | null {
  if (v === null || v === undefined || v === "") return null;
  const d = v instanceof Date ? v : new Date(v.length === 10 ? `${v}T12:00:00Z` : v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A `YYYY-MM-DD` value is a calendar date: format it in UTC so the zone cannot move the day. */
function zoneFor(v: string | Date, timeZone: string): string {
  return typeof v === "string" && v.length === 10 ? "UTC" : timeZone;
}

/**
 * Wall-clock time of an instant in `timeZone`: `09.15` (id) or `09:15` (en),
 * 24-hour. `""` for an empty or unparsable value.
 */
export function formatTime(v: string | Date | null | undefined, lang: Lang | string, timeZone: string): string {
  const d = toDate(v);
  if (!d) return "";
  const loc = localeOf(lang);
  return cached(
    `t|${loc}|${timeZone}`,
    () => new Intl.DateTimeFormat(loc, { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
  ).format(d);
}

/**
 * Short date, e.g. `Sab, 21 Nov 2026` / `Sat, 21 Nov 2026`; `opts.year: false`
 * and `opts.weekday: false` leave those parts out. A `YYYY-MM-DD` value is a
 * calendar date (no zone shift). `""` for an empty or bad value.
 */
export function formatDate(
  v: string | Date | null | undefined,
  lang: Lang | string,
  timeZone: string,
  opts: { year?: boolean; weekday?: boolean } = {},
): string {
  const d = toDate(v);
  if (!d) return "";
  const loc = localeOf(lang);
  const tz = zoneFor(v!, timeZone);
  const weekday = opts.weekday !== false;
  const year = opts.year !== false;
  return cached(`d|${loc}|${tz}|${weekday}|${year}`, () =>
    new Intl.DateTimeFormat(loc, {
      timeZone: tz,
      weekday: weekday ? "short" : undefined,
      day: "numeric",
      month: "short",
      year: year ? "numeric" : undefined,
    })).format(d);
}

/** Long date, e.g. `Sabtu, 21 November 2026` / `Saturday 21 November 2026`; `""` for a bad value. */
export function formatLongDate(v: string | Date | null | undefined, lang: Lang | string, timeZone: string): string {
  const d = toDate(v);
  if (!d) return "";
  const loc = localeOf(lang);
  const tz = zoneFor(v!, timeZone);
  return cached(
    `l|${loc}|${tz}`,
    () =>
      new Intl.DateTimeFormat(loc, { timeZone: tz, weekday: "long", day: "numeric", month: "long", year: "numeric" }),
  )
    .format(d);
}

/** Date and time of an instant, e.g. `21 Nov 2026 09.30` / `21 Nov 2026 09:30`; `""` for a bad value. */
export function formatDateTime(v: string | Date | null | undefined, lang: Lang | string, timeZone: string): string {
  const d = toDate(v);
  if (!d) return "";
  return `${formatDate(d, lang, timeZone, { weekday: false })} ${formatTime(d, lang, timeZone)}`;
}

/** A number with the language's marks and at most `maxFractionDigits` decimals (default 1). */
export function formatNumber(v: number, lang: Lang | string, maxFractionDigits = 1): string {
  const loc = localeOf(lang);
  return cached(
    `n|${loc}|${maxFractionDigits}`,
    () => new Intl.NumberFormat(loc, { maximumFractionDigits: maxFractionDigits }),
  ).format(v);
}

/** An average rating with exactly one decimal: `4,5` (id), `4.5` (en), `4,0` for 4. */
export function formatRating(v: number, lang: Lang | string): string {
  const loc = localeOf(lang);
  return cached(`r|${loc}`, () => new Intl.NumberFormat(loc, { minimumFractionDigits: 1, maximumFractionDigits: 1 }))
    .format(v);
}

/**
 * An amount in whole rupiah as money: `Rp 150.000` (id), `IDR 150,000` (en).
 * Money is stored as integer IDR (docs/domain-rules.md "Payments"), so no decimals are shown.
 */
export function formatIdr(amountIdr: number, lang: Lang | string): string {
  const loc = localeOf(lang);
  return cached(
    `idr|${loc}`,
    () =>
      new Intl.NumberFormat(loc, {
        style: "currency",
        currency: "IDR",
        maximumFractionDigits: 0,
        minimumFractionDigits: 0,
      }),
  ).format(amountIdr);
}
