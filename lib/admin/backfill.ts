/**
 * One-time backfill of the indexes the admin console reads, for data stored before they existed
 * (docs/domain-rules.md "Admin: transactions and finance"): the payments ledger (`["payments_ledger", …]`, written
 * by the payments store's `writeOps` when a payment is first paid or refunded) and the refunds-due index
 * (`["booking_refunds_due", orderId]`, written by `putBookingOps`). Every payment and every booking is rewritten
 * through its own store's op-builder with no "before" state, which sets every index derived from it; each write is
 * checked against the record's versionstamp, so a record that moves meanwhile keeps what its own commit wrote.
 * Runs once per database (the `finance_index_backfill` marker), in the background with the other jobs.
 */
import { getKv } from "@/lib/db/kv.ts";
import { log } from "@/lib/log.ts";
import type { Payment } from "@/lib/payments/model.ts";
import { writeOps } from "@/lib/payments/store.ts";
import { ledgerKey } from "@/lib/payments/keys.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { putBookingOps } from "@/lib/booking/store.ts";
import { refundDueKey } from "@/lib/booking/keys.ts";
import { financeBackfillKey } from "./keys.ts";

/** Version of the backfill; a new version runs it again. */
export const FINANCE_BACKFILL_VERSION = 1;

/** What {@link backfillFinanceIndexes} rewrote. */
export interface FinanceBackfillResult {
  payments: number;
  bookings: number;
}

/**
 * Rewrites each payment whose ledger entries are missing and each booking with a due refund whose index entry is
 * missing, then sets the marker; does nothing when the marker says this version ran. Idempotent; safe while
 * payments and bookings change (a lost versionstamp check is skipped: that record's own commit wrote its indexes).
 */
export async function backfillFinanceIndexes(): Promise<FinanceBackfillResult> {
  const kv = await getKv();
  const done: FinanceBackfillResult = { payments: 0, bookings: 0 };
  if ((await kv.get<number>(financeBackfillKey)).value === FINANCE_BACKFILL_VERSION) return done;
  for await (const e of kv.list<Payment>({ prefix: ["payments"] }, { batchSize: 500 })) {
    const p = e.value;
    if (!p?.orderId || (!p.paidAt && !p.refundedAt)) continue;
    const wanted = [
      ...(p.paidAt ? [ledgerKey(p.paidAt, p.orderId, "paid")] : []),
      ...(p.refundedAt ? [ledgerKey(p.refundedAt, p.orderId, "refunded")] : []),
    ];
    if ((await kv.getMany(wanted)).every((x) => x.versionstamp !== null)) continue;
    const op = kv.atomic().check(e);
    writeOps(op, null, p);
    if ((await op.commit()).ok) done.payments++;
  }
  for await (const e of kv.list<Booking>({ prefix: ["bookings"] }, { batchSize: 500 })) {
    const b = e.value;
    if (b?.refund?.status !== "due" || !b.orderId) continue;
    if ((await kv.get(refundDueKey(b.orderId))).versionstamp !== null) continue;
    const op = kv.atomic().check(e);
    putBookingOps(op, null, b);
    if ((await op.commit()).ok) done.bookings++;
  }
  await kv.set(financeBackfillKey, FINANCE_BACKFILL_VERSION);
  return done;
}

/** Starts the backfill in the background (server only); a failure is logged and retried at the next start. */
export function startFinanceBackfill(): void {
  backfillFinanceIndexes().then((n) => {
    if (n.payments || n.bookings) log("info", "admin: finance indexes backfilled", { ...n });
  }).catch((err) => log("error", "admin: finance index backfill failed", { error: String(err) }));
}
