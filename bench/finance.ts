/**
 * Admin finance over 10,000 payments and bookings (one year, 50
 * psychologists): the transactions page (first page + totals over every
 * match) unfiltered, for one month, for one psychologist and for paid only;
 * the totals alone; the financial report of the year; the platform
 * statistics. Data is written directly through the payments' `writeOps` and
 * the bookings' `putBookingOps` (the same writes as real flows, in bulk).
 * KV file in a temp directory. Prints ms p50/p99 over `runs` runs each.
 */
import { useKv } from "@/lib/db/kv.ts";
import { writeOps } from "@/lib/payments/store.ts";
import { putBookingOps } from "@/lib/booking/store.ts";
import type { Booking } from "@/lib/booking/model.ts";
import type { Payment } from "@/lib/payments/model.ts";
import { commissionSplit } from "@/lib/payments/state.ts";
import { listTransactions, parseTransactionsQuery, transactionTotals } from "@/lib/admin/transactions.ts";
import { financeReport } from "@/lib/admin/finance.ts";
import { platformStats } from "@/lib/admin/stats.ts";
import { percentile, round } from "./lib.ts";

const METHODS = ["bank_transfer", "echannel", "gopay", "qris", "credit_card"];

/** A deterministic pseudo-random generator (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `n` payments with their bookings over the Jakarta year `year`. */
async function fill(kv: Deno.Kv, n: number, year: number): Promise<void> {
  const rnd = seeded(42);
  const start = Date.parse(`${year - 1}-12-31T17:00:00Z`);
  const span = 365 * 86_400_000;
  let op = kv.atomic();
  let inOp = 0;
  for (let i = 0; i < n; i++) {
    const created = start + Math.floor(rnd() * span);
    const iso = (ms: number) => new Date(ms).toISOString();
    const r = rnd();
    const status: Payment["status"] = r < 0.8 ? "paid" : r < 0.86 ? "refunded" : r < 0.96 ? "expired" : "pending";
    const gross = [150_000, 250_000, 300_000, 450_000][Math.floor(rnd() * 4)];
    const psy = `psy-${i % 50}`;
    const id = `b${String(i).padStart(8, "0")}`;
    const orderId = `bk-${id}`;
    const paidAt = status === "paid" || status === "refunded" ? created + 10 * 60_000 : null;
    const refundedAt = status === "refunded" ? paidAt! + Math.floor(rnd() * 20) * 86_400_000 : null;
    const due = status === "paid" && rnd() < 0.03;
    const payment: Payment = {
      schemaVersion: 1,
      orderId,
      purpose: { kind: "booking", id },
      payerId: `client-${i % 2000}`,
      payeeId: psy,
      grossAmountIdr: gross,
      commissionPercent: 10,
      ...commissionSplit(gross, 10),
      status,
      method: METHODS[i % METHODS.length],
      bank: null,
      providerStatus: null,
      transactionId: null,
      snapToken: "t",
      redirectUrl: "http://localhost/",
      expiresAt: iso(created + 15 * 60_000),
      paidAt: paidAt === null ? null : iso(paidAt),
      refundedAt: refundedAt === null ? null : iso(refundedAt),
      createdAt: iso(created),
      updatedAt: iso(refundedAt ?? paidAt ?? created),
      description: "Konseling video 50 menit",
    };
    const startsAt = created + 3 * 86_400_000;
    const booking: Booking = {
      schemaVersion: 1,
      id,
      clientId: payment.payerId,
      clientName: `Klien ${i % 2000}`,
      psychologistId: psy,
      psychologistName: `Psikolog ${i % 50}`,
      serviceId: "svc",
      serviceType: "video",
      durationMinutes: 50,
      priceIdr: gross,
      startsAt: iso(startsAt),
      endsAt: iso(startsAt + 50 * 60_000),
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      timeZone: "Asia/Jakarta",
      status: status === "refunded" || due ? "rejected" : status === "paid" ? "completed" : "expired",
      holdUntil: null,
      orderId,
      refund: status === "refunded" || due
        ? {
          status: due ? "due" : "done",
          amountIdr: gross,
          reason: "rejected",
          dueAt: iso(paidAt! + 3600_000),
          doneAt: refundedAt === null ? null : iso(refundedAt),
        }
        : null,
      rescheduleCount: 0,
      history: [],
      createdAt: iso(created),
      updatedAt: iso(created),
    };
    writeOps(op, null, payment);
    putBookingOps(op, null, booking);
    if (++inOp === 20) {
      const res = await op.commit();
      if (!res.ok) throw new Error("bench fill commit failed");
      op = kv.atomic();
      inOp = 0;
    }
  }
  if (inOp) await op.commit();
}

async function time(runs: number, f: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  await f(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  return { p50: round(percentile(ms, 50), 1), p99: round(percentile(ms, 99), 1) };
}

/** Runs the benchmark; returns ms p50/p99 per operation. */
export async function benchFinance(opts: { payments?: number; runs?: number } = {}) {
  const n = opts.payments ?? 10_000;
  const runs = opts.runs ?? 12;
  const year = 2026;
  const dir = await Deno.makeTempDir({ prefix: "rp-bench-fin-" });
  const kv = await Deno.openKv(`${dir}/kv.sqlite3`);
  useKv(kv);
  try {
    const t0 = performance.now();
    await fill(kv, n, year);
    const fillMs = round(performance.now() - t0, 0);
    const q = (s: string) => parseTransactionsQuery(new URLSearchParams(s));
    const all = q("");
    const totals = await transactionTotals(all);
    return {
      payments: n,
      fillMs,
      totalsCount: totals.count,
      refundsDue: totals.refundsDueCount,
      pageAll: await time(runs, () => listTransactions(all)),
      pageMonth: await time(runs, () => listTransactions(q(`from=${year}-03-01&to=${year}-03-31`))),
      pagePsychologist: await time(runs, () => listTransactions(q("psychologistId=psy-7"))),
      pagePaid: await time(runs, () => listTransactions(q("status=paid"))),
      totalsAll: await time(runs, () => transactionTotals(all)),
      finance: await time(runs, () => financeReport(year)),
      stats: await time(runs, () => platformStats(Date.parse(`${year}-12-31T00:00:00Z`))),
    };
  } finally {
    kv.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
