/**
 * The admin's financial report: per local month of a year (`config.timeZone`),
 * revenue, the platform's commission against the psychologists' payouts, and
 * refunds, from the payments ledger (`["payments_ledger", at, orderId, kind]`,
 * lib/payments/keys.ts): one key range over the year, compact values.
 *
 * A payment counts in the month it was paid (`paidAt`); a refund in the month
 * it was made (`refundedAt`), where it also takes back its commission and
 * payout, so every month keeps `commissionIdr + payoutIdr = grossIdr − refundIdr`.
 * Rules in docs/domain-rules.md "Admin: transactions and finance".
 */
import { getKv } from "@/lib/db/kv.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { CALENDAR_MAX_YEAR, CALENDAR_MIN_YEAR } from "@/lib/guestbook/time.ts";
import * as PK from "@/lib/payments/keys.ts";
import type { LedgerEntry } from "@/lib/payments/model.ts";
import { localYearOf, monthBounds } from "./time.ts";

/** `?year=` (2000–2100, default this local year). */
export const financeQuerySchema = z.object({
  year: z.coerce.number("field.invalid_number").int("field.invalid_number")
    .min(CALENDAR_MIN_YEAR, "field.date_out_of_range").max(CALENDAR_MAX_YEAR, "field.date_out_of_range")
    .optional().describe("Year 2000–2100 (local, TIME_ZONE); default this year"),
});

/** One month of the report (whole rupiah; `month` = `YYYY-MM`). */
export const financeMonthSchema = z.object({
  month: z.string(),
  grossIdr: z.number().int().describe("Paid in this month"),
  commissionIdr: z.number().int().describe("Commission of payments paid this month, less that of refunds made"),
  payoutIdr: z.number().int().describe("Payouts of payments paid this month, less those of refunds made"),
  refundIdr: z.number().int().describe("Refunded in this month"),
  netIdr: z.number().int().describe("grossIdr − refundIdr"),
  payments: z.number().int(),
  refunds: z.number().int(),
});
export type FinanceMonth = z.infer<typeof financeMonthSchema>;

/** The answer of `GET /api/admin/finance`. */
export const financeReportSchema = z.object({
  year: z.number().int(),
  months: z.array(financeMonthSchema),
  totals: financeMonthSchema.omit({ month: true }),
});
export type FinanceReport = z.infer<typeof financeReportSchema>;

/** Validates `?year=` (empty = this year). */
export function parseFinanceYear(params: URLSearchParams, nowMs: number = Date.now()): number {
  const raw = params.get("year");
  const q = parseInput(financeQuerySchema, raw ? { year: raw } : {});
  return q.year ?? localYearOf(nowMs);
}

function emptyMonth(month: string): FinanceMonth {
  return { month, grossIdr: 0, commissionIdr: 0, payoutIdr: 0, refundIdr: 0, netIdr: 0, payments: 0, refunds: 0 };
}

/**
 * The report of `year` (2000–2100, validated by the caller or here): 12
 * months and their totals.
 * @throws RangeError for a year outside 2000–2100
 */
export async function financeReport(year: number): Promise<FinanceReport> {
  if (!Number.isInteger(year) || year < CALENDAR_MIN_YEAR || year > CALENDAR_MAX_YEAR) {
    throw new RangeError(`year out of range: ${year}`);
  }
  const bounds = monthBounds(year);
  const months = Array.from({ length: 12 }, (_, i) => emptyMonth(`${year}-${String(i + 1).padStart(2, "0")}`));
  const kv = await getKv();
  let m = 0;
  for await (
    const e of kv.list<LedgerEntry>({
      start: [...PK.ledgerPrefix, bounds[0]],
      end: [...PK.ledgerPrefix, bounds[12]],
    }, { batchSize: 1000 })
  ) {
    const at = String(e.key[1]);
    while (m < 11 && at >= bounds[m + 1]) m++;
    const row = months[m];
    const v = e.value;
    if (e.key[3] === "paid") {
      row.payments++;
      row.grossIdr += v.grossAmountIdr;
      row.commissionIdr += v.commissionIdr;
      row.payoutIdr += v.payoutIdr;
    } else {
      row.refunds++;
      row.refundIdr += v.grossAmountIdr;
      row.commissionIdr -= v.commissionIdr;
      row.payoutIdr -= v.payoutIdr;
    }
  }
  const totals = emptyMonth("");
  for (const row of months) {
    row.netIdr = row.grossIdr - row.refundIdr;
    totals.grossIdr += row.grossIdr;
    totals.commissionIdr += row.commissionIdr;
    totals.payoutIdr += row.payoutIdr;
    totals.refundIdr += row.refundIdr;
    totals.netIdr += row.netIdr;
    totals.payments += row.payments;
    totals.refunds += row.refunds;
  }
  const { month: _, ...t } = totals;
  return { year, months, totals: t };
}
