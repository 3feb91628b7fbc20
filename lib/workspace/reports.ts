/**
 * Daily and weekly reports of a psychologist's sessions (JSON and CSV):
 * every booking that starts in the period (local dates in `TIME_ZONE`), a
 * summary and a per-day breakdown; income net of commission by the rule of
 * `./stats.ts` (docs/domain-rules.md "Psychologist workspace").
 */
import { config } from "@/lib/config.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { formatTime } from "@/lib/i18n/format.ts";
import type { Booking, BookingStatus } from "@/lib/booking/model.ts";
import { addDays, dateRange, isoWeekOf, localDateOf, startOfLocalDay } from "@/lib/guestbook/time.ts";
import { csvDocument } from "@/lib/csv.ts";
import { bookingsFrom } from "./queue.ts";
import { statOf } from "./stats_index.ts";
import { incomeOf, isSession } from "./stats.ts";

/** Most bookings one report lists (a week of 5-minute sessions around the clock is 2,016). */
export const REPORT_MAX = 2100;

/** Report kinds: one local day, or the ISO week (Monday–Sunday) holding the date. */
export type ReportKind = "daily" | "weekly";

/** One booking of a report. */
export interface ReportItem {
  id: string;
  /** Local date `YYYY-MM-DD` in `TIME_ZONE`. */
  date: string;
  startsAt: string;
  endsAt: string;
  clientName: string;
  serviceType: Booking["serviceType"];
  status: BookingStatus;
  priceIdr: number;
  /** Net of commission; 0 when the booking earns nothing. */
  incomeIdr: number;
}

/** A report over `period` (local dates, both included). */
export interface WorkspaceReport {
  kind: ReportKind;
  period: { from: string; to: string };
  timeZone: string;
  summary: {
    /** Every booking starting in the period, in any state. */
    bookings: number;
    sessions: number;
    noShows: number;
    cancelled: number;
    incomeIdr: number;
  };
  byDay: { date: string; sessions: number; incomeIdr: number }[];
  items: ReportItem[];
}

/** The period of a `kind` report for local date `date`. */
export function reportPeriod(kind: ReportKind, date: string): { from: string; to: string } {
  return kind === "daily" ? { from: date, to: date } : isoWeekOf(date);
}

/**
 * The `kind` report of psychologist `psychologistId` for local date `date`
 * (`YYYY-MM-DD` in `TIME_ZONE`, validated by the caller): bookings starting in the
 * period, in start order, at most {@link REPORT_MAX}.
 */
export async function workspaceReport(
  psychologistId: string,
  kind: ReportKind,
  date: string,
): Promise<WorkspaceReport> {
  const tz = config.timeZone;
  const period = reportPeriod(kind, date);
  const bookings = await bookingsFrom(
    psychologistId,
    startOfLocalDay(period.from, tz),
    startOfLocalDay(addDays(period.to, 1), tz),
    () => true,
    REPORT_MAX,
    REPORT_MAX,
  );
  const byDay = dateRange(period.from, period.to, 7).map((d) => ({ date: d, sessions: 0, incomeIdr: 0 }));
  const summary = { bookings: 0, sessions: 0, noShows: 0, cancelled: 0, incomeIdr: 0 };
  const items = bookings.map((b): ReportItem => {
    const s = statOf(b);
    const item: ReportItem = {
      id: b.id,
      date: localDateOf(b.startsAt, tz),
      startsAt: b.startsAt,
      endsAt: b.endsAt,
      clientName: b.clientName,
      serviceType: b.serviceType,
      status: b.status,
      priceIdr: b.priceIdr,
      incomeIdr: incomeOf(s),
    };
    const day = byDay.find((d) => d.date === item.date);
    summary.bookings++;
    if (isSession(s)) {
      summary.sessions++;
      if (day) day.sessions++;
    }
    if (b.status === "no_show") summary.noShows++;
    if (b.status === "cancelled") summary.cancelled++;
    summary.incomeIdr += item.incomeIdr;
    if (day) day.incomeIdr += item.incomeIdr;
    return item;
  });
  return { kind, period, timeZone: tz, summary, byDay, items };
}

/**
 * A report as CSV (RFC 4180, CRLF, formula-injection guard: `csvDocument` of
 * lib/csv.ts) in `lang`: a summary block, then one row per
 * booking. UTF-8 with a byte-order mark so spreadsheets detect the encoding;
 * amounts are whole rupiah without separators.
 */
export function reportCsv(r: WorkspaceReport, lang: Lang): string {
  const t = (k: string) => translate(lang, k);
  const rows: (string | number)[][] = [
    [t(`workspace.report.${r.kind}`), r.period.from, r.period.to, r.timeZone],
    [t("workspace.report.bookings"), r.summary.bookings],
    [t("workspace.report.sessions"), r.summary.sessions],
    [t("workspace.report.no_shows"), r.summary.noShows],
    [t("workspace.report.cancelled"), r.summary.cancelled],
    [t("workspace.report.income"), r.summary.incomeIdr],
    [],
    [
      t("workspace.col.date"),
      t("workspace.col.time"),
      t("workspace.col.client"),
      t("workspace.col.service"),
      t("workspace.col.status"),
      t("workspace.col.price"),
      t("workspace.col.income"),
      t("workspace.col.booking"),
    ],
    ...r.items.map((i) => [
      i.date,
      `${formatTime(i.startsAt, "en", r.timeZone)}-${formatTime(i.endsAt, "en", r.timeZone)}`,
      i.clientName,
      t(`booking.service.${i.serviceType}`),
      t(`booking.status.${i.status}`),
      i.priceIdr,
      i.incomeIdr,
      i.id,
    ]),
  ];
  return csvDocument(rows);
}

/** File name of a report's CSV, e.g. `laporan-sesi-2026-11-30.csv` / `sessions-report-2026-11-23_2026-11-29.csv`. */
export function reportCsvName(r: WorkspaceReport, lang: Lang): string {
  const base = lang === "en" ? "sessions-report" : "laporan-sesi";
  return r.period.from === r.period.to ? `${base}-${r.period.from}.csv` : `${base}-${r.period.from}_${r.period.to}.csv`;
}
