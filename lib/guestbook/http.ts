/**
 * Small helpers shared by the guest-book API routes (`routes/api/appointments`,
 * `routes/api/guests`, `routes/api/reports`): query schemas, rate limits on
 * code checks, CSV/image responses. Rules stay in the other `lib/guestbook` files.
 */
import { hit, type Limit } from "@/lib/ratelimit.ts";
import { TooManyRequests } from "@/lib/errors.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import type { Context } from "fresh";
import type { State } from "@/lib/state.ts";
import { csvFileName, dailyReport, monthlyReport, toCsv, weeklyReport } from "./reports.ts";
import {
  daysBetween,
  isLocalDate,
  isoWeekParam,
  isoWeekStart,
  localDateParam,
  todayLocal,
  yearMonthParam,
} from "./time.ts";
import { visitRows, VISITS_MAX_DAYS, visitsCsv, visitsCsvFileName } from "./visits.ts";

/** `?cursor=&limit=` (limit 1..100). */
export const pageQuery = z.object({
  cursor: z.string().max(1000, "field.too_long").optional(),
  limit: z.coerce.number("field.invalid_number").int("field.invalid_number")
    .min(1, "field.invalid_number").max(100, "field.invalid_number")
    .optional(),
});

/** A local date `YYYY-MM-DD` in a query, inside the calendar window (`localDateParam`). */
export const dateParam = localDateParam.meta({
  format: "date",
  description: "Local date YYYY-MM-DD (TIME_ZONE), 2000-01-01..2100-12-31; default today",
});
/** A month `YYYY-MM` in a query, inside the calendar window (`yearMonthParam`). */
export const monthParam = yearMonthParam.meta({ description: "YYYY-MM, 2000-01..2100-12; default this month" });

/**
 * Rate limits of the code-checking endpoints (docs/architecture.md: "Rate limits in KV for
 * sign-in, OTP, QR verification, mail sends"). A desk scans at most about one code a second;
 * the public review-by-code endpoint and the guest page are keyed by client address.
 */
export const GUESTBOOK_LIMITS = {
  /** Verifications + check-ins per staff user. */
  qr_scan_user: { limit: 120, windowSec: 60 },
  /** Reviews by code per client address. */
  qr_review_ip: { limit: 20, windowSec: 10 * 60 },
  /**
   * Opens of the public guest page `/g/<token>` (page, PNG, review form) per client
   * address: a guest opens it a few times, the desk's review overlay loads its PNG
   * once per finished meeting; 60 a minute leaves room for a school behind one NAT.
   */
  guest_page_ip: { limit: 60, windowSec: 60 },
} as const satisfies Record<string, Limit>;

/** Counts one hit and throws `TooManyRequests` (429 + Retry-After) past the limit. */
export async function limit(
  name: keyof typeof GUESTBOOK_LIMITS,
  subject: string,
): Promise<void> {
  const r = await hit(name, subject, GUESTBOOK_LIMITS[name]);
  if (!r.ok) throw new TooManyRequests(r.retryAfter);
}

/** A CSV download (UTF-8, `Content-Disposition: attachment`). */
export function csvResponse(csv: string, fileName: string): Response {
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    },
  });
}

/** `?format=json|csv&teacherId=` of the report endpoints. */
export const reportQuery = z.object({
  format: z.enum(["json", "csv"], "field.invalid_choice").optional().describe(
    "`csv` = text/csv download (UTF-8 with BOM) in the request language",
  ),
  teacherId: z.string().max(40, "field.invalid").optional().describe(
    "Receptionist/admin: only this teacher. Ignored for teachers (always their own).",
  ),
});

/**
 * Which teacher a report is restricted to: a teacher always sees only their
 * own; receptionist/admin all, or one teacher with `?teacherId=`.
 */
export function reportTeacherScope(
  user: { id: string; role: string },
  teacherId: string | undefined,
): string | undefined {
  if (user.role === "teacher") return user.id;
  return teacherId || undefined;
}

/** Query of each report endpoint. */
export const reportQueries = {
  daily: reportQuery.extend({ date: dateParam.optional() }),
  weekly: reportQuery.extend({ date: dateParam.optional(), week: isoWeekParam.optional() }),
  monthly: reportQuery.extend({ month: monthParam.optional() }),
};

/**
 * The whole of `GET /api/reports/{daily|weekly|monthly}`: teacher, receptionist
 * or admin (a teacher only sees their own, see `reportTeacherScope`); the
 * period from `?date=` (day, or the ISO week containing it) or `?month=`
 * (YYYY-MM), default today / this month; JSON, or a `text/csv` download in
 * the request's language with `?format=csv`.
 * @throws Unauthorized / Forbidden, ValidationError for bad parameters.
 */
export async function reportResponse(ctx: Context<State>, kind: keyof typeof reportQueries): Promise<Response> {
  const user = requireRole(ctx, "teacher", "receptionist", "admin");
  const q = parseInput(reportQueries[kind], Object.fromEntries(ctx.url.searchParams)) as {
    format?: "json" | "csv";
    teacherId?: string;
    date?: string;
    week?: string;
    month?: string;
  };
  const scope = { teacherId: reportTeacherScope(user, q.teacherId) };
  const report = kind === "daily"
    ? await dailyReport(q.date ?? todayLocal(), scope)
    : kind === "weekly"
    ? await weeklyReport(q.week ? isoWeekStart(q.week) : q.date ?? todayLocal(), scope)
    : await monthlyReport(q.month ?? todayLocal().slice(0, 7), scope);
  if (q.format === "csv") return csvResponse(toCsv(report, ctx.state.lang), csvFileName(report, ctx.state.lang));
  return Response.json(report);
}

/**
 * `?from=&to=&format=&teacherId=` of the per-visit report: both local dates
 * (`YYYY-MM-DD`), `to` not before `from`, at most `VISITS_MAX_DAYS` days
 * (both included). Errors: `field.invalid_date`, `guestbook.visits.range_reversed`,
 * `guestbook.visits.range_too_long` on `to`.
 */
export const visitsQuery = reportQuery.extend({ from: dateParam, to: dateParam }).superRefine((q, ctx) => {
  if (!isLocalDate(q.from) || !isLocalDate(q.to)) return; // reported by the field rules
  const span = daysBetween(q.from, q.to);
  if (span < 0) ctx.addIssue({ code: "custom", path: ["to"], message: "guestbook.visits.range_reversed" });
  else if (span + 1 > VISITS_MAX_DAYS) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "guestbook.visits.range_too_long" });
  }
});

/**
 * The whole of `GET /api/appointments/visits`: one row per appointment of the
 * range (see `lib/guestbook/visits.ts`), JSON `{ from, to, items }` or, with
 * `?format=csv`, a CSV download in the request's language. Teacher (own
 * only), receptionist, admin.
 * @throws Unauthorized / Forbidden; ValidationError for bad or too long ranges
 */
export async function visitsResponse(ctx: Context<State>): Promise<Response> {
  const user = requireRole(ctx, "teacher", "receptionist", "admin");
  const q = parseInput(visitsQuery, Object.fromEntries(ctx.url.searchParams));
  const rows = await visitRows(q.from, q.to, { teacherId: reportTeacherScope(user, q.teacherId) });
  if (q.format === "csv") {
    return csvResponse(visitsCsv(rows, ctx.state.lang), visitsCsvFileName(q.from, q.to, ctx.state.lang));
  }
  return Response.json({ from: q.from, to: q.to, items: rows });
}
