/**
 * CSV exports of the admin's transactions and financial report, in the
 * request language (headers and status labels translated; amounts whole
 * rupiah as plain integers; instants as local `YYYY-MM-DD HH:mm` in
 * `config.timeZone`). Written with lib/csv.ts (RFC 4180, formula guard, BOM).
 */
import { config } from "@/lib/config.ts";
import { csvDocument, type CsvValue } from "@/lib/csv.ts";
import { type Lang, translate } from "@/lib/i18n/mod.ts";
import type { TransactionRow, TransactionsQuery } from "./transactions.ts";
import type { FinanceReport } from "./finance.ts";

/** An ISO instant as local `YYYY-MM-DD HH:mm` in `timeZone`; "" for null. */
export function localStamp(iso: string | null, timeZone: string = config.timeZone): string {
  if (!iso) return "";
  const z = Temporal.Instant.from(iso).toZonedDateTimeISO(timeZone);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${z.toPlainDate().toString()} ${p(z.hour)}:${p(z.minute)}`;
}

/** The transactions as CSV (one header row, one row per transaction). */
export function transactionsCsv(rows: readonly TransactionRow[], lang: Lang): string {
  const t = (k: string) => translate(lang, `admin.tx.col.${k}`);
  const out: CsvValue[][] = [[
    t("order_id"),
    t("created_at"),
    t("paid_at"),
    t("refunded_at"),
    t("status"),
    t("method"),
    t("bank"),
    t("gross"),
    t("commission"),
    t("payout"),
    t("refund_due"),
    t("client"),
    t("psychologist"),
    t("item"),
    t("booking_id"),
  ]];
  for (const r of rows) {
    out.push([
      r.orderId,
      localStamp(r.createdAt),
      localStamp(r.paidAt),
      localStamp(r.refundedAt),
      translate(lang, `pay.status.${r.status}`),
      r.method ?? "",
      r.bank ?? "",
      r.grossAmountIdr,
      r.commissionIdr,
      r.payoutIdr,
      r.refundDue?.amountIdr ?? "",
      r.clientName ?? "",
      r.psychologistName ?? "",
      r.description ?? "",
      r.bookingId ?? "",
    ]);
  }
  return csvDocument(out);
}

/** File name of a transactions export, e.g. `transaksi-2026-11-01_2026-11-30.csv`. */
export function transactionsCsvName(q: Pick<TransactionsQuery, "from" | "to">, lang: Lang): string {
  const base = translate(lang, "admin.tx.csv_file");
  return `${base}${q.from ? `-${q.from}` : ""}${q.to ? `_${q.to}` : ""}.csv`;
}

/** The financial report as CSV: one row per month, then the year's total. */
export function financeCsv(r: FinanceReport, lang: Lang): string {
  const t = (k: string) => translate(lang, `admin.fin.${k}`);
  const out: CsvValue[][] = [[
    t("month"),
    t("gross"),
    t("commission"),
    t("payout"),
    t("refund"),
    t("net"),
    t("payments"),
    t("refunds"),
  ]];
  for (const m of r.months) {
    out.push([m.month, m.grossIdr, m.commissionIdr, m.payoutIdr, m.refundIdr, m.netIdr, m.payments, m.refunds]);
  }
  const s = r.totals;
  out.push([t("total"), s.grossIdr, s.commissionIdr, s.payoutIdr, s.refundIdr, s.netIdr, s.payments, s.refunds]);
  return csvDocument(out);
}

/** File name of a finance export, e.g. `laporan-keuangan-2026.csv`. */
export function financeCsvName(year: number, lang: Lang): string {
  return `${translate(lang, "admin.fin.csv_file")}-${year}.csv`;
}
