/**
 * The workspace API's edge: query schemas (the same zod schemas validate the
 * requests and describe them in the OpenAPI document), answer schemas, and the
 * functions the routes call (role checks stay in the routes: psychologist only).
 */
import { parseInput, ulid, z } from "@/lib/validation.ts";
import { setStatusFromInput } from "@/lib/booking/http.ts";
import { type FieldMessage, ValidationError } from "@/lib/errors.ts";
import type { User } from "@/lib/auth/users.ts";
import { bookingStatusSchema } from "@/lib/booking/model.ts";
import { serviceTypeSchema } from "@/lib/psychologists/model.ts";
import { pageQuery } from "@/lib/guestbook/http.ts";
import { addDays, daysBetween, localDateParam, todayLocal, yearMonthParam } from "@/lib/guestbook/time.ts";
import { defaultStatRange, MAX_STAT_MONTHS, monthlyStats, monthsBetween } from "./stats.ts";
import { type ReportKind, workspaceReport } from "./reports.ts";
import { historyOf } from "./history.ts";

/** `GET /api/psychologist/stats?from=&to=` query (months `YYYY-MM`, default the last 12 months). */
export const statsQuery = z.object({
  from: yearMonthParam.optional().describe("First month YYYY-MM (default: 11 months before `to`)"),
  to: yearMonthParam.optional().describe("Last month YYYY-MM (default: this month in TIME_ZONE)"),
});

/** `GET /api/psychologist/stats` answer. */
export const statsAnswerSchema = z.object({
  months: z.array(z.object({
    month: z.string().describe("YYYY-MM (TIME_ZONE)"),
    sessions: z.int().describe("Sessions held (completed or in session) that started in the month"),
    incomeIdr: z.int().describe("Whole rupiah net of the platform commission"),
  })),
});

/** `GET /api/psychologist/reports/{daily|weekly}?date=&format=` query. */
export const reportQuery = z.object({
  date: localDateParam.optional().describe("Local date YYYY-MM-DD (TIME_ZONE); weekly: its ISO week. Default today"),
  format: z.enum(["json", "csv"], "field.invalid_choice").optional().describe(
    "`csv` = text/csv download (UTF-8 with BOM, RFC 4180) in the request language; default json",
  ),
});

const reportItemSchema = z.object({
  id: z.string(),
  date: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  clientName: z.string(),
  serviceType: serviceTypeSchema,
  status: bookingStatusSchema,
  priceIdr: z.int(),
  incomeIdr: z.int().describe("Net of commission; 0 when the booking earns nothing"),
});

/** A daily or weekly report (JSON). */
export const reportAnswerSchema = z.object({
  kind: z.enum(["daily", "weekly"]),
  period: z.object({ from: z.string(), to: z.string() }),
  timeZone: z.string(),
  summary: z.object({
    bookings: z.int(),
    sessions: z.int(),
    noShows: z.int(),
    cancelled: z.int(),
    incomeIdr: z.int(),
  }),
  byDay: z.array(z.object({ date: z.string(), sessions: z.int(), incomeIdr: z.int() })),
  items: z.array(reportItemSchema),
}).describe("WorkspaceReport");

/** History filters of `/psychologist/history` (local dates, at most 366 days). */
export const historyQuery = pageQuery.extend({
  from: localDateParam.optional(),
  to: localDateParam.optional(),
  serviceType: serviceTypeSchema.optional(),
  status: bookingStatusSchema.optional(),
});

/** Longest history range in days. */
export const HISTORY_MAX_DAYS = 366;

/**
 * Validated stats range: `from ≤ to`, at most {@link MAX_STAT_MONTHS} months; the
 * missing end defaults from the other (12 months).
 * @throws ValidationError (`field.invalid_month`, `field.date_out_of_range`, `workspace.error.range`)
 */
export function parseStatsQuery(query: Record<string, string>, nowMs = Date.now()): { from: string; to: string } {
  const q = parseInput(statsQuery, query);
  const def = defaultStatRange(nowMs);
  const to = q.to ?? (q.from ? minMonth(addMonthsSafe(q.from, 11), def.to, q.from) : def.to);
  const from = q.from ?? addMonthsSafe(to, -11);
  const n = monthsBetween(from, to);
  if (n < 1) throw new ValidationError({ from: "workspace.error.range_order" });
  if (n > MAX_STAT_MONTHS) {
    throw new ValidationError({ from: "workspace.error.range_months" }, "error.validation", "validation_failed", {
      from: { max: MAX_STAT_MONTHS },
    });
  }
  return { from, to };
}

function addMonthsSafe(month: string, n: number): string {
  const r = Temporal.PlainYearMonth.from(month).add({ months: n });
  // Stay inside the calendar window (2000-01 .. 2100-12), where the schemas keep every input.
  if (r.year < 2000) return "2000-01";
  if (r.year > 2100) return "2100-12";
  return r.toString();
}

/** The later of `a` capped at `cap`, never before `floor`. */
function minMonth(a: string, cap: string, floor: string): string {
  const m = a < cap ? a : cap;
  return m < floor ? floor : m;
}

/** `GET /api/psychologist/stats` for psychologist `user`. */
export async function statsFor(user: User, query: Record<string, string>, nowMs = Date.now()) {
  const { from, to } = parseStatsQuery(query, nowMs);
  return { from, to, months: await monthlyStats(user.id, from, to) };
}

/** `GET /api/psychologist/reports/{kind}` for psychologist `user` (the date defaults to today in `TIME_ZONE`). */
export async function reportFor(user: User, kind: ReportKind, query: Record<string, string>, nowMs = Date.now()) {
  const q = parseInput(reportQuery, query);
  const report = await workspaceReport(user.id, kind, q.date ?? todayLocal(new Date(nowMs)));
  return { report, format: q.format ?? "json" };
}

/**
 * Validated history filters: dates default to the last 90 days up to today; `from ≤ to`,
 * at most {@link HISTORY_MAX_DAYS} days.
 * @throws ValidationError
 */
export function parseHistoryQuery(query: Record<string, string>, nowMs = Date.now()) {
  const q = parseInput(historyQuery, query);
  const today = todayLocal(new Date(nowMs));
  const to = q.to ?? (q.from && daysBetween(q.from, today) < 0 ? q.from : today);
  const back = addDays(to, -89);
  const from = q.from ?? (back < "2000-01-01" ? "2000-01-01" : back);
  const days = daysBetween(from, to);
  if (days < 0) throw new ValidationError({ from: "workspace.error.range_order" });
  if (days + 1 > HISTORY_MAX_DAYS) {
    throw new ValidationError({ from: "workspace.error.range_days" }, "error.validation", "validation_failed", {
      from: { max: HISTORY_MAX_DAYS },
    });
  }
  return { ...q, from, to };
}

/** The history page's listing for psychologist `user`. */
export async function historyFor(user: User, query: Record<string, string>, nowMs = Date.now()) {
  const f = parseHistoryQuery(query, nowMs);
  const page = await historyOf(user.id, {
    from: f.from,
    to: f.to,
    serviceType: f.serviceType ?? null,
    status: f.status ?? null,
    cursor: f.cursor ?? null,
    limit: f.limit ?? 30,
  });
  return { filter: f, ...page };
}

const queueItemSchema = z.object({
  id: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: bookingStatusSchema,
  serviceType: serviceTypeSchema,
  durationMinutes: z.int(),
  priceIdr: z.int(),
  clientId: z.string(),
  clientName: z.string(),
  clientAge: z.int().nullable().describe("Whole years from the client's birth date; null when unknown"),
  chat: z.enum(["open", "history"]).nullable().describe("`open` while the chat takes messages (/chat/{id})"),
  chatOpensAt: z.string().describe("CHAT_OPENS_MINUTES_BEFORE before the start"),
  whatsappUrl: z.string().nullable().describe("wa.me click-to-chat reminder in the client's language"),
  actions: z.object({ confirm: z.boolean(), startSession: z.boolean(), complete: z.boolean(), noShow: z.boolean() }),
});

/** `GET /api/psychologist/queue` answer. */
export const queueAnswerSchema = z.object({
  timeZone: z.string().describe("The psychologist's availability zone; days below are local to it"),
  date: z.string().describe("Today, YYYY-MM-DD"),
  today: z.array(queueItemSchema),
  tomorrow: z.array(queueItemSchema),
  later: z.array(queueItemSchema),
}).describe("Queue");

/** The queue's move form: `bookingId` and one of the moves the queue offers (no-show asks first on the booking page). */
export const queueMoveSchema = z.object({
  bookingId: ulid,
  action: z.enum(["confirm", "start", "complete"], "field.invalid_choice"),
});

const MOVE_STATUS = { confirm: "confirmed", start: "in_session", complete: "completed" } as const;

/**
 * Validates and runs a move posted from the queue page, through the booking
 * API's own rules (`setStatusFromInput`: ownership, the lifecycle's timing).
 * @throws ValidationError; NotFound `booking_not_found` (not the caller's); the move's Conflict
 */
export async function queueMove(user: User, body: Record<string, unknown>, nowMs = Date.now()) {
  const input = parseInput(queueMoveSchema, body);
  await setStatusFromInput(user, input.bookingId, { status: MOVE_STATUS[input.action] }, nowMs);
  return input;
}

/** A validation error's field messages for a form, with their `{max}`/`{min}` values where the rule has them. */
export function fieldMessages(err: ValidationError): Record<string, FieldMessage> {
  return Object.fromEntries(
    Object.entries(err.fields).map(([k, key]) => [k, err.fieldParams[k] ? { key, params: err.fieldParams[k] } : key]),
  );
}

/** `/psychologist/stats` query: the month range of the charts plus the report's kind and date. */
export const statsPageQuery = statsQuery.extend({
  kind: z.enum(["daily", "weekly"], "field.invalid_choice").optional(),
  date: localDateParam.optional(),
});

/**
 * Everything the statistics page shows for psychologist `user`: the months of
 * the charts and one daily or weekly report. Invalid filters come back as
 * `errors` (the page renders the form with them) with the defaults in their place.
 */
export async function statsPage(user: User, query: Record<string, string>, nowMs = Date.now()) {
  let errors: Record<string, FieldMessage> = {};
  let range = defaultStatRange(nowMs);
  let kind: ReportKind = "daily";
  let date = todayLocal(new Date(nowMs));
  try {
    const q = parseInput(statsPageQuery, query);
    range = parseStatsQuery({ ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) }, nowMs);
    kind = q.kind ?? kind;
    date = q.date ?? date;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    errors = fieldMessages(err);
  }
  const [months, report] = await Promise.all([
    monthlyStats(user.id, range.from, range.to),
    workspaceReport(user.id, kind, date),
  ]);
  return { range, months, kind, date, report, errors };
}
