/**
 * The per-visit report: one row per appointment of a local date range (every
 * status), for the desk's CSV download next to the aggregate reports. Read
 * from the day index, so archived appointments are included.
 *
 * Columns: date, scheduled time, guest name, teacher, purpose, status, arrival,
 * picked up (local `HH:MM` in `config.timeZone`), waiting minutes (picked up −
 * arrival, whole minutes rounded down; empty until picked up), punctuality
 * (`early` / `on_time` / `late`, see `punctualityAt` in model.ts; empty before
 * check-in) and rating (1–5, empty without a review).
 */
import { type Lang, translate } from "@/lib/i18n/mod.ts";
import { calendarDate, ulid, z } from "@/lib/validation.ts";
import { appointmentStatusSchema, type Punctuality, punctualityOf, punctualitySchema } from "./model.ts";
import { csvRows } from "./reports.ts";
import { appointmentsOfDay } from "./store.ts";
import { dateRange, localTimeOf, MAX_RANGE_DAYS } from "./time.ts";

/** Longest date range of one per-visit report, in days (both ends included): the shared `MAX_RANGE_DAYS`. */
export const VISITS_MAX_DAYS: number = MAX_RANGE_DAYS;

/** One appointment as a row of the per-visit report. */
export const visitRowSchema = z.object({
  appointmentId: ulid,
  date: calendarDate.describe("Local date"),
  scheduledTime: z.string().describe("Local HH:MM of the scheduled start (for a walk-in, the arrival)"),
  guestName: z.string(),
  teacherName: z.string(),
  purpose: z.string(),
  status: appointmentStatusSchema,
  arrivedAt: z.string().nullable().describe("Local HH:MM of the check-in"),
  pickedUpAt: z.string().nullable().describe('Local HH:MM of "picked up"'),
  waitingMinutes: z.int().min(0).nullable().describe("Whole minutes from check-in to picked up"),
  punctuality: punctualitySchema.nullable(),
  rating: z.int().min(1).max(5).nullable(),
  walkIn: z.boolean(),
});
/** One row of the per-visit report (see {@link visitRowSchema}). */
export type VisitRow = z.infer<typeof visitRowSchema>;

/** The JSON answer of `GET /api/appointments/visits`. */
export const visitsResponseSchema = z.object({
  from: calendarDate,
  to: calendarDate,
  items: z.array(visitRowSchema),
});

/**
 * The rows of `from`..`to` (local dates, both included, at most
 * {@link VISITS_MAX_DAYS} days: callers validate the range with
 * `visitsQuery` in http.ts), by day, then start time.
 * @param opts.teacherId only this teacher's appointments
 */
export async function visitRows(
  from: string,
  to: string,
  opts: { teacherId?: string } = {},
): Promise<VisitRow[]> {
  const out: VisitRow[] = [];
  for (const date of dateRange(from, to).slice(0, VISITS_MAX_DAYS)) {
    for (const a of await appointmentsOfDay(date, { teacherId: opts.teacherId })) {
      const wait = a.checkedInAt && a.pickedUpAt
        ? Math.max(0, Math.floor((Date.parse(a.pickedUpAt) - Date.parse(a.checkedInAt)) / 60_000))
        : null;
      out.push({
        appointmentId: a.id,
        date: a.localDate,
        scheduledTime: localTimeOf(a.startsAt),
        guestName: a.guestName,
        teacherName: a.teacherName,
        purpose: a.purpose,
        status: a.status,
        arrivedAt: a.checkedInAt ? localTimeOf(a.checkedInAt) : null,
        pickedUpAt: a.pickedUpAt ? localTimeOf(a.pickedUpAt) : null,
        waitingMinutes: wait,
        punctuality: punctualityOf(a),
        rating: a.rating,
        walkIn: a.walkIn,
      });
    }
  }
  return out;
}

/** i18n key of a punctuality label. */
export function punctualityKey(p: Punctuality): string {
  return p === "on_time" ? "guestbook.on_time" : `guestbook.${p}`;
}

/**
 * The rows as CSV in `lang` (header row translated, statuses and punctuality
 * translated), UTF-8 with a byte-order mark, CRLF line ends. Every text cell
 * goes through `csvField`, which neutralises `= + - @` (and tab/CR) at the
 * start of a cell against CSV injection (OWASP "CSV Injection").
 */
export function visitsCsv(rows: VisitRow[], lang: Lang): string {
  const t = (k: string) => translate(lang, k);
  const h = (k: string) => t(`guestbook.visits.${k}`);
  return "\uFEFF" + csvRows([
    [
      h("date"),
      h("scheduled_time"),
      h("guest"),
      h("teacher"),
      h("purpose"),
      h("status"),
      h("arrived_at"),
      h("picked_up_at"),
      h("waiting_minutes"),
      h("punctuality"),
      h("rating"),
    ],
    ...rows.map((r) => [
      r.date,
      r.scheduledTime,
      r.guestName,
      r.teacherName,
      r.purpose,
      t(`guestbook.status.${r.status}`),
      r.arrivedAt,
      r.pickedUpAt,
      r.waitingMinutes,
      r.punctuality ? t(punctualityKey(r.punctuality)) : null,
      r.rating,
    ]),
  ]);
}

/** File name of a per-visit CSV, e.g. `kunjungan-tamu-2026-11-01_2026-11-30.csv`. */
export function visitsCsvFileName(from: string, to: string, lang: Lang): string {
  const base = lang === "id" ? "kunjungan-tamu" : "guest-visits";
  return from === to ? `${base}-${from}.csv` : `${base}-${from}_${to}.csv`;
}
