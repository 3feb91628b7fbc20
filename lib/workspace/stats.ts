/**
 * Statistics of a psychologist's practice: sessions and income per month, read
 * from the compact `booking_stats` index (`./keys.ts`) with one `kv.list` over
 * the month range (docs/domain-rules.md "Psychologist workspace").
 *
 * Rules:
 * - A month is the calendar month of the session's start in `TIME_ZONE` (Asia/Jakarta by default).
 * - `sessions` counts sessions held: `completed` and `in_session`.
 * - `incomeIdr` is what the psychologist earns, net of the platform commission (the payout): the sum of
 *   `payoutIdr` over bookings that were held or that the client missed (`completed`, `in_session`,
 *   `no_show`) and carry no refund (a psychologist no-show refunds the client in full, so earns nothing).
 */
import { getKv } from "@/lib/db/kv.ts";
import type { BookingStatus } from "@/lib/booking/model.ts";
import { type BookingStat, statPrefix } from "./keys.ts";
import { monthOf } from "./stats_index.ts";

/** Booking states counted as a session held. */
export const SESSION_STATUSES: readonly BookingStatus[] = ["completed", "in_session"];
/** Booking states whose payout counts as income (when no refund is recorded). */
export const EARNING_STATUSES: readonly BookingStatus[] = ["completed", "in_session", "no_show"];
/** Longest month range the statistics accept (months, both ends included). */
export const MAX_STAT_MONTHS = 36;

/** One month of statistics. */
export interface MonthStat {
  /** `YYYY-MM` in `TIME_ZONE`. */
  month: string;
  sessions: number;
  /** Whole rupiah, net of commission. */
  incomeIdr: number;
}

/** Whether stat entry `s` is a held session. */
export function isSession(s: Pick<BookingStat, "status">): boolean {
  return SESSION_STATUSES.includes(s.status);
}

/** What stat entry `s` earns (whole rupiah, net of commission): its payout, or 0. */
export function incomeOf(s: BookingStat): number {
  return EARNING_STATUSES.includes(s.status) && !s.refund ? s.payoutIdr : 0;
}

/** `YYYY-MM` plus `n` months (may be negative). */
export function addMonths(month: string, n: number): string {
  return Temporal.PlainYearMonth.from(month).add({ months: n }).toString();
}

/** Months from `from` to `to` (`YYYY-MM`, both included). */
export function monthsBetween(from: string, to: string): number {
  return Temporal.PlainYearMonth.from(from).until(Temporal.PlainYearMonth.from(to), { largestUnit: "months" })
    .months + 1;
}

/** The default range: the 12 months ending with the current month in `TIME_ZONE`. */
export function defaultStatRange(nowMs = Date.now()): { from: string; to: string } {
  const to = monthOf(new Date(nowMs).toISOString());
  return { from: addMonths(to, -11), to };
}

/**
 * Sessions and income per month of psychologist `psychologistId` from `from`
 * to `to` (`YYYY-MM`, both included), one entry per month (zeros included), in
 * month order. Callers validate the range first (`statsQuery` in `./http.ts`).
 * @throws RangeError when `to` is before `from` or the range is longer than {@link MAX_STAT_MONTHS}
 */
export async function monthlyStats(psychologistId: string, from: string, to: string): Promise<MonthStat[]> {
  const n = monthsBetween(from, to);
  if (n < 1 || n > MAX_STAT_MONTHS) throw new RangeError(`month range of ${n} months`);
  const months: MonthStat[] = [];
  const index = new Map<string, MonthStat>();
  for (let i = 0; i < n; i++) {
    const m = { month: addMonths(from, i), sessions: 0, incomeIdr: 0 };
    months.push(m);
    index.set(m.month, m);
  }
  const kv = await getKv();
  const prefix = statPrefix(psychologistId);
  const iter = kv.list<BookingStat>({ start: [...prefix, from], end: [...prefix, addMonths(to, 1)] }, {
    batchSize: 1000,
  });
  for await (const e of iter) {
    const m = index.get(e.key[2] as string);
    if (!m) continue;
    if (isSession(e.value)) m.sessions++;
    m.incomeIdr += incomeOf(e.value);
  }
  return months;
}
