/**
 * Front-desk dashboard and reports (docs/domain-rules.md "Reports").
 *
 * All numbers come from the day index `["appointments_by_day", date, id]`, which
 * also holds archived appointments, so retention never changes a report.
 * Definitions:
 * - visit = an appointment whose guest checked in (waiting, in_meeting or finished);
 * - on time = a visit with `late === false` (walk-ins count as on time); early
 *   arrivals (more than `EARLY_MINUTES` before the start, see `punctualityAt` in
 *   model.ts) are on time too, so `early` is the part of `onTime` that came early;
 * - punctualityPercent = on time / visits × 100, one decimal (null without
 *   visits): an early guest counts as punctual;
 * - averageWaitMinutes = mean of (pickedUpAt − checkedInAt) over visits that were
 *   picked up, one decimal (null when none);
 * - averageRating = mean stars of the period's reviewed appointments, two decimals;
 * - topTeachers = up to 5 teachers with most appointments (cancelled excluded),
 *   ties by name.
 */
import { getUsers } from "@/lib/auth/users.ts";
import { type Lang, translate } from "@/lib/i18n/mod.ts";
import { calendarDate, ulid, z } from "@/lib/validation.ts";
import {
  type Appointment,
  APPOINTMENT_STATUSES,
  appointmentSchema,
  type AppointmentStatus,
  appointmentStatusSchema,
  punctualityOf,
  VISIT_STATUSES,
} from "./model.ts";
import { appointmentsOfDay } from "./store.ts";
import {
  compareLocalDates,
  dateRange,
  daysBetween,
  isLocalDate,
  isoWeekOf,
  MAX_RANGE_DAYS,
  monthRange,
  todayLocal,
} from "./time.ts";
import { ValidationError } from "@/lib/errors.ts";

/** One teacher's appointment count. */
export const teacherCountSchema = z.object({ id: ulid, name: z.string(), appointments: z.int().min(0) });
/** One teacher's appointment count (see {@link teacherCountSchema}). */
export type TeacherCount = z.infer<typeof teacherCountSchema>;

/** One day's row of a report. */
export const reportDaySchema = z.object({
  date: calendarDate,
  appointments: z.int().min(0).describe("Appointments that day (any status)"),
  visits: z.int().min(0),
  onTime: z.int().min(0),
  late: z.int().min(0),
});
/** One day's row of a report (see {@link reportDaySchema}). */
export type ReportDay = z.infer<typeof reportDaySchema>;

const perStatus = z.record(appointmentStatusSchema, z.int().min(0)).describe("Appointments per status");

/** A report over `period` (local dates, both included; definitions in the module doc). */
export const reportSchema = z.object({
  kind: z.enum(["daily", "weekly", "monthly"]),
  period: z.object({ from: calendarDate, to: calendarDate }),
  teacherId: ulid.nullable().describe("Set when the report is restricted to one teacher"),
  appointments: z.int().min(0).describe("Appointments in the period (any status)"),
  visits: z.int().min(0).describe("Checked-in appointments (archived included)"),
  onTime: z.int().min(0).describe("Visits not late (early ones included)"),
  late: z.int().min(0),
  early: z.int().min(0).describe("Visits more than EARLY_MINUTES before the start (a subset of onTime)"),
  walkIns: z.int().min(0),
  punctualityPercent: z.number().nullable(),
  averageWaitMinutes: z.number().nullable().describe("Check-in → picked up"),
  averageRating: z.number().nullable(),
  ratingCount: z.int().min(0),
  byStatus: perStatus,
  topTeachers: z.array(teacherCountSchema),
  byDay: z.array(reportDaySchema),
});
/** A report (see {@link reportSchema}). */
export type Report = z.infer<typeof reportSchema>;

/** Today's dashboard for the desk. */
export const todayDashboardSchema = z.object({
  date: calendarDate,
  total: z.int().min(0).describe("Appointments today (every status)"),
  guests: z.int().min(0).describe("Guests who arrived today (visits)"),
  counts: perStatus,
  late: z.int().min(0),
  early: z.int().min(0).describe("Guests who arrived early today"),
  topTeacher: teacherCountSchema.nullable(),
  appointments: z.array(appointmentSchema).describe("Today's appointments sorted by start time"),
});
/** Today's dashboard (see {@link todayDashboardSchema}). */
export type TodayDashboard = z.infer<typeof todayDashboardSchema>;

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function emptyCounts(): Record<AppointmentStatus, number> {
  return Object.fromEntries(APPOINTMENT_STATUSES.map((s) => [s, 0])) as Record<
    AppointmentStatus,
    number
  >;
}

async function topTeachers(
  list: Appointment[],
  n: number,
): Promise<TeacherCount[]> {
  const counts = new Map<string, { name: string; appointments: number }>();
  for (const a of list) {
    if (a.status === "cancelled") continue;
    const c = counts.get(a.teacherId) ??
      { name: a.teacherName, appointments: 0 };
    c.appointments++;
    counts.set(a.teacherId, c);
  }
  const ids = [...counts.keys()];
  const users = await getUsers(ids);
  users.forEach((u, i) => {
    if (u) counts.get(ids[i])!.name = u.name;
  });
  return [...counts.entries()]
    .map(([id, c]) => ({ id, name: c.name, appointments: c.appointments }))
    .sort((a, b) =>
      b.appointments - a.appointments || a.name.localeCompare(b.name, "id") ||
      (a.id < b.id ? -1 : 1)
    )
    .slice(0, n);
}

/**
 * Checks a report period before anything loops over it: both bounds real local dates
 * in four-digit `YYYY-MM-DD` form (so never Temporal's `+010000-…` years), `from` ≤ `to`
 * (by the calendar, not as text) and at most `MAX_RANGE_DAYS` days. The calendar window
 * itself is checked at the edge by the parameter schemas of `lib/guestbook/time.ts`
 * (the ISO week of 2100-12-31 ends in 2101, so bounds may lie just outside it).
 * @throws ValidationError `{ from | to: field.invalid_date | field.range_too_long }`
 */
export function checkReportPeriod(from: string, to: string): void {
  if (!isLocalDate(from)) throw new ValidationError({ from: "field.invalid_date" });
  if (!isLocalDate(to)) throw new ValidationError({ to: "field.invalid_date" });
  if (compareLocalDates(from, to) > 0) throw new ValidationError({ to: "field.invalid_date" });
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) throw new ValidationError({ to: "field.range_too_long" });
}

/**
 * Builds a report over the local dates `from`..`to` (both included, ≤ 366 days; the
 * week of a date near the window's end may run a few days past it).
 * @param opts.teacherId restrict to one teacher (a teacher sees only their own)
 * @throws ValidationError from `checkReportPeriod`
 * @example
 * ```ts
 * const week = await buildReport("weekly", "2026-11-30", "2026-12-06");
 * // week.visits, week.punctualityPercent, week.averageWaitMinutes, week.byDay[…]
 * ```
 */
export async function buildReport(
  kind: Report["kind"],
  from: string,
  to: string,
  opts: { teacherId?: string } = {},
): Promise<Report> {
  checkReportPeriod(from, to);
  const days = dateRange(from, to, MAX_RANGE_DAYS);
  const byDay: ReportDay[] = [];
  const all: Appointment[] = [];
  const byStatus = emptyCounts();
  let visits = 0,
    onTime = 0,
    late = 0,
    early = 0,
    walkIns = 0,
    waitSum = 0,
    waitN = 0,
    ratingSum = 0,
    ratingN = 0;
  for (const date of days) {
    const list = await appointmentsOfDay(date, { teacherId: opts.teacherId });
    const row: ReportDay = {
      date,
      appointments: list.length,
      visits: 0,
      onTime: 0,
      late: 0,
    };
    for (const a of list) {
      all.push(a);
      byStatus[a.status]++;
      if (a.rating !== null) {
        ratingSum += a.rating;
        ratingN++;
      }
      if (!VISIT_STATUSES.includes(a.status) || !a.checkedInAt) continue;
      row.visits++;
      if (a.late) row.late++;
      else row.onTime++;
      if (punctualityOf(a) === "early") early++;
      if (a.walkIn) walkIns++;
      if (a.pickedUpAt) {
        waitSum += Math.max(0, Date.parse(a.pickedUpAt) - Date.parse(a.checkedInAt)) /
          60_000;
        waitN++;
      }
    }
    visits += row.visits;
    onTime += row.onTime;
    late += row.late;
    byDay.push(row);
  }
  return {
    kind,
    period: { from, to },
    teacherId: opts.teacherId ?? null,
    appointments: all.length,
    visits,
    onTime,
    late,
    early,
    walkIns,
    punctualityPercent: visits ? round((onTime / visits) * 100, 1) : null,
    averageWaitMinutes: waitN ? round(waitSum / waitN, 1) : null,
    averageRating: ratingN ? round(ratingSum / ratingN, 2) : null,
    ratingCount: ratingN,
    byStatus,
    topTeachers: await topTeachers(all, 5),
    byDay,
  };
}

/** Report of one local day `date` (`YYYY-MM-DD`). */
export function dailyReport(
  date: string,
  opts: { teacherId?: string } = {},
): Promise<Report> {
  return buildReport("daily", date, date, opts);
}

/** Report of the ISO week (Monday–Sunday) containing local date `date`. */
export function weeklyReport(
  date: string,
  opts: { teacherId?: string } = {},
): Promise<Report> {
  const w = isoWeekOf(date);
  return buildReport("weekly", w.from, w.to, opts);
}

/** Report of a month `YYYY-MM`. */
export function monthlyReport(
  month: string,
  opts: { teacherId?: string } = {},
): Promise<Report> {
  const m = monthRange(month);
  return buildReport("monthly", m.from, m.to, opts);
}

/**
 * Today's dashboard: appointments, counts per status, guests arrived, late
 * arrivals and the teacher with most appointments.
 * @param opts.teacherId restrict to one teacher
 */
export async function todayDashboard(
  now: Date = new Date(),
  opts: { teacherId?: string } = {},
): Promise<TodayDashboard> {
  const date = todayLocal(now);
  const list = await appointmentsOfDay(date, opts);
  const counts = emptyCounts();
  let late = 0;
  let early = 0;
  for (const a of list) {
    counts[a.status]++;
    if (a.late) late++;
    if (punctualityOf(a) === "early") early++;
  }
  const guests = list.filter((a) => VISIT_STATUSES.includes(a.status)).length;
  return {
    date,
    total: list.length,
    guests,
    counts,
    late,
    early,
    topTeacher: (await topTeachers(list, 1))[0] ?? null,
    appointments: list,
  };
}

// ---------------------------------------------------------------- CSV

/**
 * One CSV field per RFC 4180: quoted when it holds a comma, quote, CR/LF or
 * leading/trailing space; quotes doubled. Text starting with `= + - @` (or tab/CR)
 * gets a leading `'` so spreadsheets do not run it as a formula (OWASP "CSV Injection").
 */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Joins rows into CSV text with CRLF line ends (RFC 4180). */
export function csvRows(
  rows: (string | number | null | undefined)[][],
): string {
  return rows.map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/**
 * A report as CSV in `lang`: a summary block, the per-day table, and the top
 * teachers, separated by empty lines. UTF-8 with a byte-order mark so
 * spreadsheet programs detect the encoding; numbers use `.` as decimal point.
 */
export function toCsv(report: Report, lang: Lang): string {
  const t = (k: string) => translate(lang, `guestbook.report.${k}`);
  const rows: (string | number | null)[][] = [
    [t("period"), report.period.from, report.period.to],
    [t("appointments"), report.appointments],
    [t("visits"), report.visits],
    [t("on_time"), report.onTime],
    [t("late"), report.late],
    [t("early"), report.early],
    [t("walk_ins"), report.walkIns],
    [t("punctuality_percent"), report.punctualityPercent],
    [t("average_wait_minutes"), report.averageWaitMinutes],
    [t("average_rating"), report.averageRating],
    [t("rating_count"), report.ratingCount],
    [],
    [t("date"), t("appointments"), t("visits"), t("on_time"), t("late")],
    ...report.byDay.map((
      d,
    ) => [d.date, d.appointments, d.visits, d.onTime, d.late]),
    [],
    [t("teacher"), t("appointments")],
    ...report.topTeachers.map((x) => [x.name, x.appointments]),
  ];
  return "\uFEFF" + csvRows(rows);
}

/** File name for a report's CSV download, e.g. `laporan-tamu-2026-11-01_2026-11-30.csv`. */
export function csvFileName(report: Report, lang: Lang): string {
  const base = lang === "id" ? "laporan-tamu" : "guest-report";
  return report.period.from === report.period.to
    ? `${base}-${report.period.from}.csv`
    : `${base}-${report.period.from}_${report.period.to}.csv`;
}
