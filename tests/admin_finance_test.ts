/**
 * Admin transactions, finance and statistics at the library level: filters
 * (status, method, local days, psychologist, refund due), totals and their
 * identity, month bucketing in Asia/Jakarta time, refunds done through the
 * builtin sandbox end to end (payment refunded, booking refund done in the
 * same commit, audited, idempotent), the manual refund, the due-refund and
 * ledger indexes, active users and the CSV exports.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { freshKv, makeUser } from "./helpers.ts";
import { fuzz } from "./fuzz.ts";
import { paymentInput } from "./payments_fixtures.ts";
import { bookablePsychologist, jakartaAt } from "./booking_fixtures.ts";
import { applyTransaction, getPayment, startPayment } from "@/lib/payments/store.ts";
import { type PaymentEffect, type PaymentPurpose, purposeSchema } from "@/lib/payments/model.ts";
import { sandboxPay } from "@/lib/payments/sandbox.ts";
import { syncPayment } from "@/lib/payments/store.ts";
import { createBooking } from "@/lib/booking/create.ts";
import { cancelBooking, rejectBooking } from "@/lib/booking/lifecycle.ts";
import { getBooking } from "@/lib/booking/store.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import { listAudit } from "@/lib/audit.ts";
import { getKv } from "@/lib/db/kv.ts";
import {
  addToTotals,
  exportTransactions,
  listTransactions,
  parseTransactionsQuery,
  refundsDueByOrder,
  transactionTotals,
} from "@/lib/admin/transactions.ts";
import { financeReport, parseFinanceYear } from "@/lib/admin/finance.ts";
import { completeRefund } from "@/lib/admin/refunds.ts";
import { countActiveUsers, recordActivity } from "@/lib/admin/activity.ts";
import { backfillFinanceIndexes } from "@/lib/admin/backfill.ts";
import { platformStats } from "@/lib/admin/stats.ts";
import { financeCsv, transactionsCsv } from "@/lib/admin/exports.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import type { Payment } from "@/lib/payments/model.ts";

Deno.env.set("APP_ENV", "test");
Deno.env.delete("MIDTRANS_SERVER_KEY");
Deno.env.delete("MIDTRANS_ENV");
// Nothing listens here: the sandbox's own deliveries fail fast and are queued.
Deno.env.set("BASE_URL", "http://127.0.0.1:9");

const noop: PaymentEffect = () => Promise.resolve();
/** No purchase effect for any kind (these payments have no booking behind them). */
const NOOP = Object.fromEntries(purposeSchema.shape.kind.options.map((k) => [k, noop])) as Record<
  PaymentPurpose["kind"],
  PaymentEffect
>;
const q = (s: string) => parseTransactionsQuery(new URLSearchParams(s));

/** A payment created at `createdIso`, then moved by Midtrans statuses at the given instants (no booking effect). */
async function payment(
  orderId: string,
  createdIso: string,
  opts: {
    gross?: number;
    payeeId?: string;
    method?: string;
    paidIso?: string;
    refundedIso?: string;
    fail?: boolean;
  } = {},
): Promise<Payment> {
  const gross = opts.gross ?? 150_000;
  const created = Date.parse(createdIso);
  await startPayment(
    paymentInput(orderId, {
      grossAmountIdr: gross,
      payeeId: opts.payeeId ?? "psy-1",
      itemDetails: [{ id: "svc", name: "Konseling", priceIdr: gross, quantity: 1 }],
      expiresAt: new Date(created + 15 * 60_000).toISOString(),
    }),
    created,
  );
  const amount = `${gross}.00`;
  if (opts.fail) {
    await applyTransaction(orderId, { status_code: "202", transaction_status: "deny", gross_amount: amount }, {
      nowMs: created + 60_000,
      effects: NOOP,
    });
  }
  if (opts.paidIso) {
    await applyTransaction(orderId, {
      status_code: "200",
      transaction_status: "settlement",
      fraud_status: "accept",
      gross_amount: amount,
      payment_type: opts.method ?? "gopay",
    }, { nowMs: Date.parse(opts.paidIso), effects: NOOP });
  }
  if (opts.refundedIso) {
    await applyTransaction(orderId, { status_code: "200", transaction_status: "refund", gross_amount: amount }, {
      nowMs: Date.parse(opts.refundedIso),
      effects: NOOP,
    });
  }
  return (await getPayment(orderId))!;
}

Deno.test("transactions: filters by status, method, local day range and psychologist; totals over all pages", async () => {
  await freshKv();
  // 2026-03-01 00:30 in Jakarta is 2026-02-28 17:30 UTC: it belongs to March locally.
  await payment("o-1", "2026-02-28T17:30:00.000Z", { paidIso: "2026-02-28T17:35:00.000Z", method: "gopay" });
  await payment("o-2", "2026-03-10T03:00:00.000Z", {
    gross: 300_000,
    payeeId: "psy-2",
    paidIso: "2026-03-10T03:05:00.000Z",
    method: "bank_transfer",
  });
  await payment("o-3", "2026-03-11T03:00:00.000Z", {
    paidIso: "2026-03-11T03:05:00.000Z",
    refundedIso: "2026-04-02T03:00:00.000Z",
  });
  await payment("o-4", "2026-03-12T03:00:00.000Z", { fail: true });
  await payment("o-5", "2026-03-31T17:00:00.000Z"); // 1 April 00:00 Jakarta: pending, in April
  const all = await listTransactions(q(""));
  assert.deepEqual(all.items.map((r) => r.orderId), ["o-5", "o-4", "o-3", "o-2", "o-1"], "newest first");
  assert.deepEqual(all.totals, {
    count: 5,
    paidCount: 2,
    refundedCount: 1,
    grossIdr: 600_000,
    commissionIdr: 45_000,
    payoutIdr: 405_000,
    refundedIdr: 150_000,
    refundsDueIdr: 0,
    refundsDueCount: 0,
  });
  const march = await listTransactions(q("from=2026-03-01&to=2026-03-31"));
  assert.deepEqual(march.items.map((r) => r.orderId), ["o-4", "o-3", "o-2", "o-1"], "local days, not UTC days");
  assert.deepEqual((await listTransactions(q("from=2026-04-01"))).items.map((r) => r.orderId), ["o-5"]);
  assert.deepEqual((await listTransactions(q("to=2026-02-28"))).items.map((r) => r.orderId), []);
  assert.deepEqual((await listTransactions(q("status=paid"))).items.map((r) => r.orderId), ["o-2", "o-1"]);
  assert.deepEqual((await listTransactions(q("method=bank_transfer"))).items.map((r) => r.orderId), ["o-2"]);
  const psy2 = await listTransactions(q("psychologistId=psy-2"));
  assert.deepEqual(psy2.items.map((r) => r.orderId), ["o-2"]);
  assert.equal(psy2.totals.grossIdr, 300_000);
  assert.equal(psy2.totals.commissionIdr, 30_000);
  // Pages: two by two, nothing repeated or skipped; totals the same on every page.
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listTransactions>> = await listTransactions(
      q(`limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    );
    assert.equal(page.totals.count, 5);
    seen.push(...page.items.map((r) => r.orderId));
    cursor = page.cursor;
  } while (cursor);
  assert.deepEqual(seen, ["o-5", "o-4", "o-3", "o-2", "o-1"]);
});

Deno.test("transactions: query validation (dates in the calendar window, from ≤ to, bounded values)", () => {
  const bad = (s: string) =>
    assert.throws(() => q(s), (e: Error) => e.name === "ValidationError" || /validation/.test(e.message), s);
  bad("from=2026-02-30");
  bad("from=1999-12-31");
  bad("to=2101-01-01");
  bad("from=2026-03-02&to=2026-03-01");
  bad("status=nope");
  bad("method=GOPAY");
  bad("limit=0");
  bad("limit=101");
  bad(`cursor=${"x".repeat(1001)}`);
  bad("psychologistId=a/b");
  bad("refund=done");
  assert.deepEqual(q("status=&method=&from="), {}, "empty form fields are absent");
  assert.equal(q("from=2026-03-01&to=2026-03-01").from, "2026-03-01");
});

Deno.test("totals: gross = commission + payout + refunded, for any mix of payments (property)", (t) => {
  const statuses = ["pending", "paid", "failed", "expired", "refunded"] as const;
  fuzz(
    t,
    fc.property(
      fc.array(
        fc.record({
          gross: fc.integer({ min: 1, max: 10_000_000 }),
          status: fc.constantFrom(...statuses),
          due: fc.boolean(),
        }),
        { maxLength: 60 },
      ),
      (list) => {
        const totals = {
          count: 0,
          paidCount: 0,
          refundedCount: 0,
          grossIdr: 0,
          commissionIdr: 0,
          payoutIdr: 0,
          refundedIdr: 0,
          refundsDueIdr: 0,
          refundsDueCount: 0,
        };
        for (const [i, x] of list.entries()) {
          const commission = Math.floor(x.gross / 10);
          const p = {
            orderId: `o${i}`,
            grossAmountIdr: x.gross,
            commissionIdr: commission,
            payoutIdr: x.gross - commission,
            status: x.status,
          } as Payment;
          addToTotals(
            totals,
            p,
            x.due ? { bookingId: "b", amountIdr: x.gross, dueAt: "", psychologistId: "p" } : undefined,
          );
        }
        assert.equal(totals.count, list.length);
        assert.equal(totals.grossIdr, totals.commissionIdr + totals.payoutIdr + totals.refundedIdr);
        assert.ok(totals.refundsDueIdr <= totals.commissionIdr + totals.payoutIdr);
        assert.equal(
          totals.refundsDueCount,
          list.filter((x) => x.due && x.status === "paid").length,
          "only paid payments can have a refund due",
        );
      },
    ),
  );
});

Deno.test("finance: months in Jakarta time, refunds take back commission and payout in their month", async () => {
  await freshKv();
  // Paid 2026-01-31 17:30 UTC = 1 February 00:30 in Jakarta → February.
  await payment("f-1", "2026-01-31T17:20:00.000Z", { paidIso: "2026-01-31T17:30:00.000Z" });
  // Paid 2026-01-31 16:59 UTC = 31 January 23:59 in Jakarta → January.
  await payment("f-2", "2026-01-31T16:50:00.000Z", { paidIso: "2026-01-31T16:59:00.000Z", gross: 300_000 });
  // Paid in March, refunded in May.
  await payment("f-3", "2026-03-05T02:00:00.000Z", {
    paidIso: "2026-03-05T02:01:00.000Z",
    refundedIso: "2026-05-20T02:00:00.000Z",
  });
  // Paid on 31 December 2025 23:30 Jakarta (16:30 UTC): 2025, not 2026. Refunded in January 2026.
  await payment("f-4", "2025-12-31T16:20:00.000Z", {
    paidIso: "2025-12-31T16:30:00.000Z",
    refundedIso: "2026-01-10T02:00:00.000Z",
  });
  // 2026-12-31 17:00 UTC is 1 January 2027 in Jakarta: not in 2026.
  await payment("f-5", "2026-12-31T16:55:00.000Z", { paidIso: "2026-12-31T17:00:00.000Z" });
  await payment("f-6", "2026-06-01T02:00:00.000Z", { fail: true });
  const r = await financeReport(2026);
  const by = Object.fromEntries(r.months.map((m) => [m.month, m]));
  assert.equal(r.months.length, 12);
  assert.equal(by["2026-01"].grossIdr, 300_000);
  assert.equal(by["2026-01"].refundIdr, 150_000, "f-4's refund, paid the year before");
  assert.equal(by["2026-01"].commissionIdr, 30_000 - 15_000);
  assert.equal(by["2026-02"].grossIdr, 150_000);
  assert.equal(by["2026-03"].grossIdr, 150_000);
  assert.equal(by["2026-05"].refundIdr, 150_000);
  assert.equal(by["2026-05"].commissionIdr, -15_000);
  assert.equal(by["2026-05"].payoutIdr, -135_000);
  assert.equal(by["2026-06"].grossIdr, 0, "failed payments are not revenue");
  assert.equal(by["2026-12"].grossIdr, 0);
  for (const m of r.months) assert.equal(m.commissionIdr + m.payoutIdr, m.grossIdr - m.refundIdr, m.month);
  assert.equal(r.totals.grossIdr, 600_000);
  assert.equal(r.totals.refundIdr, 300_000);
  assert.equal(r.totals.payments, 3);
  assert.equal(r.totals.refunds, 2);
  assert.equal((await financeReport(2025)).months[11].grossIdr, 150_000);
  assert.equal((await financeReport(2027)).months[0].grossIdr, 150_000);
  await assert.rejects(financeReport(1999), RangeError);
  assert.throws(() => parseFinanceYear(new URLSearchParams("year=2101")));
  assert.throws(() => parseFinanceYear(new URLSearchParams("year=20x6")));
  assert.equal(parseFinanceYear(new URLSearchParams("year=2030")), 2030);
  assert.equal(parseFinanceYear(new URLSearchParams(""), Date.parse("2026-12-31T17:30:00Z")), 2027, "Jakarta's year");
  const csv = financeCsv(r, "en");
  const lines = csv.slice(1).trimEnd().split("\r\n");
  assert.equal(lines.length, 14);
  assert.equal(
    lines[0],
    "Month,Gross revenue,Platform commission,Psychologists' payouts,Refunds,Net revenue,Payments,Refunds",
  );
  assert.equal(lines[5], "2026-05,0,-15000,-135000,150000,-150000,0,1", "negative numbers stay numbers");
  assert.equal(lines[13], "Total,600000,30000,270000,300000,300000,3,2");
});

/** A paid booking (sandbox settlement applied through the status API) and its psychologist and client. */
async function paidBooking(method: "gopay" | "bca_va" = "gopay") {
  const psy = await bookablePsychologist();
  const client = await makeUser("client");
  const { booking, payment } = await createBooking(client, {
    psychologistId: psy.id,
    serviceId: psy.profile.services[0].id,
    startsAt: jakartaAt(3, "10:00"),
  });
  await sandboxPay(payment.orderId, method, "settlement");
  await syncPayment(payment.orderId);
  assert.equal((await getBooking(booking.id))?.status, "paid");
  return { psy, client, booking, orderId: payment.orderId };
}

Deno.test("refund through the sandbox: payment refunded, booking refund done in the same commit, audited, idempotent", async () => {
  await freshKv();
  const admin = await makeUser("admin");
  const { psy, booking, orderId } = await paidBooking();
  // Nothing is due yet: refusing to refund a payment nobody owes back.
  await assert.rejects(completeRefund(admin, orderId, { confirm: true }), /refund_not_due/);
  await rejectBooking(booking.id, psy, "Sedang cuti");
  assert.equal((await getBooking(booking.id))?.refund?.status, "due");
  const due = await refundsDueByOrder();
  assert.equal(due.get(orderId)?.bookingId, booking.id, "the due-refund index follows the booking");
  const listed = await listTransactions(q("refund=due"));
  assert.deepEqual(listed.items.map((r) => r.orderId), [orderId]);
  assert.equal(listed.items[0].refundDue?.amountIdr, booking.priceIdr);
  assert.equal(listed.totals.refundsDueIdr, booking.priceIdr);
  assert.equal(listed.items[0].clientName, booking.clientName);

  await assert.rejects(completeRefund(admin, orderId, {}), /validation/, "the confirmation is required");
  await assert.rejects(completeRefund(psy, orderId, { confirm: true }), /forbidden/);
  const nowMs = Date.now();
  const r = await completeRefund(admin, orderId, { confirm: true }, nowMs);
  assert.equal(r.result, "refunded");
  const p = await getPayment(orderId);
  const b = await getBooking(booking.id);
  assert.equal(p?.status, "refunded");
  assert.equal(b?.refund?.status, "done");
  assert.equal(b?.refund?.doneAt, p?.refundedAt, "both in the payment's one commit");
  assert.equal((await refundsDueByOrder()).has(orderId), false, "no longer due");
  const audits = (await listAudit({ target: `payment:${orderId}` })).items;
  assert.equal(audits.length, 1);
  assert.equal(audits[0].action, "payment.refund");
  assert.equal(audits[0].actorId, admin.id);
  assert.equal(audits[0].meta.mode, "midtrans");
  // Twice = once.
  const again = await completeRefund(admin, orderId, { confirm: true });
  assert.equal(again.result, "already_done");
  assert.equal((await listAudit({ target: `payment:${orderId}` })).items.length, 1);
  // The ledger has the refund in its month; totals moved from paid to refunded.
  const year = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO("Asia/Jakarta").year;
  const fin = await financeReport(year);
  assert.equal(fin.totals.refundIdr, booking.priceIdr);
  const tot = await transactionTotals(q(""));
  assert.equal(tot.refundedIdr, booking.priceIdr);
  assert.equal(tot.refundsDueCount, 0);
  await bookingMailIdle();
});

Deno.test("manual refund (bank transfer paid back outside Midtrans): reference required, same commit, audited", async () => {
  await freshKv();
  const admin = await makeUser("admin");
  const { client, booking, orderId } = await paidBooking("bca_va");
  await cancelBooking(booking.id, client, "berhalangan");
  assert.equal((await getBooking(booking.id))?.refund?.status, "due");
  await assert.rejects(completeRefund(admin, orderId, { confirm: true, mode: "manual" }), /validation/);
  const r = await completeRefund(admin, orderId, { confirm: "1", mode: "manual", reference: "TRF-2026-001" });
  assert.equal(r.result, "refunded");
  assert.equal((await getPayment(orderId))?.status, "refunded");
  assert.equal((await getBooking(booking.id))?.refund?.status, "done");
  const a = (await listAudit({ target: `payment:${orderId}` })).items;
  assert.equal(a.length, 1);
  assert.equal(a[0].meta.reference, "TRF-2026-001");
  // The status API still says settlement: reconciling does not undo the refund.
  await syncPayment(orderId);
  assert.equal((await getPayment(orderId))?.status, "refunded");
  await assert.rejects(completeRefund(admin, "no-such-order", { confirm: true }), /payment_not_found/);
  await bookingMailIdle();
});

Deno.test("a Midtrans refusal is a clear 503 and changes nothing", async () => {
  await freshKv();
  const admin = await makeUser("admin");
  const { psy, booking, orderId } = await paidBooking();
  await rejectBooking(booking.id, psy, "Sedang cuti");
  // Break the sandbox's copy so it refuses (412: cannot modify a transaction that is not settled).
  const kv = await getKv();
  const key = ["midtrans_sandbox_tx", orderId];
  const tx = await kv.get<Record<string, unknown>>(key);
  await kv.set(key, { ...tx.value, status: "pending" });
  const err = await completeRefund(admin, orderId, { confirm: true }).catch((e) => e);
  assert.equal(err.code, "refund_provider_failed");
  assert.equal(err.status, 503);
  assert.equal((await getPayment(orderId))?.status, "paid");
  assert.equal((await getBooking(booking.id))?.refund?.status, "due");
  assert.equal((await listAudit({ target: `payment:${orderId}` })).items.length, 0);
  await bookingMailIdle();
});

Deno.test("active users: one entry per user, the last 30 UTC days; sign-in records it", async () => {
  await freshKv();
  const day = 86_400_000;
  const now = Date.parse("2020-06-30T10:00:00Z");
  await recordActivity("u1", now - 40 * day);
  await recordActivity("u2", now - 29 * day);
  await recordActivity("u3", now - 30 * day);
  await recordActivity("u1", now - 2 * day); // moves u1 into the window
  await recordActivity("u1", now - 5 * day); // older than what is recorded: ignored
  assert.equal(await countActiveUsers(now), 2);
  const kv = await getKv();
  let entries = 0;
  for await (const _ of kv.list({ prefix: ["users_by_last_active"] })) entries++;
  assert.equal(entries, 3, "one index entry per user");
  const u = await makeUser("client");
  await createSession(u.id, "cookie");
  assert.equal(await countActiveUsers(), 1, "a sign-in today counts");
});

Deno.test("stats: accounts, bookings by status, refunds due, guest visits", async () => {
  await freshKv();
  await makeUser("admin");
  const { psy, booking } = await paidBooking();
  await rejectBooking(booking.id, psy, "Sedang cuti");
  const s = await platformStats();
  assert.equal(s.users.byRole.admin, 1);
  assert.equal(s.users.byRole.client, 1);
  assert.equal(s.users.byRole.psychologist, 1);
  assert.equal(s.bookings.byStatus.rejected, 1);
  assert.equal(s.bookings.total, 1);
  assert.equal(s.bookings.refundsDue, 1);
  assert.equal(s.guestVisits30d.appointments, 0);
  assert.equal(s.screenings, 0);
  await bookingMailIdle();
});

Deno.test("transactions CSV: header, local times, formula guard on text", async () => {
  await freshKv();
  await payment("c-1", "2026-03-10T03:00:00.000Z", { paidIso: "2026-03-10T03:05:00.000Z" });
  const rows = await exportTransactions(q(""));
  rows[0].description = '=HYPERLINK("http://evil")';
  const csv = transactionsCsv(rows, "id");
  assert.ok(csv.startsWith("\uFEFFID order,Dibuat,Dibayar"));
  const line = csv.trimEnd().split("\r\n")[1];
  assert.ok(line.startsWith("c-1,2026-03-10 10:00,2026-03-10 10:05,,Lunas,gopay,,150000,15000,135000,"), line);
  assert.ok(line.includes(`"'=HYPERLINK(""http://evil"")"`), line);
});

Deno.test("finance backfill: payments and due refunds stored before the indexes get their ledger and refunds-due entries once", async () => {
  const kv = await freshKv();
  const { client, booking, orderId } = await paidBooking();
  await cancelBooking(booking.id, client, "berhalangan");
  const p = (await getPayment(orderId))!;
  const year = Number(p.paidAt!.slice(0, 4));
  const before = await financeReport(year);
  const gross = before.months.reduce((s, m) => s + m.grossIdr, 0);
  assert.equal(gross, p.grossAmountIdr);
  // Data as an older version stored it: no ledger entries, no refunds-due entry.
  const ledger = await Array.fromAsync(kv.list({ prefix: ["payments_ledger"] }));
  assert.ok(ledger.length >= 1);
  for (const e of ledger) await kv.delete(e.key);
  await kv.delete(["booking_refunds_due", orderId]);
  assert.equal(
    (await financeReport(year)).months.reduce((s, m) => s + m.grossIdr, 0),
    0,
    "invisible without the ledger",
  );
  assert.equal((await transactionTotals({})).refundsDueCount, 0);

  assert.deepEqual(await backfillFinanceIndexes(), { payments: 1, bookings: 1 });
  assert.deepEqual(await financeReport(year), before, "the report is whole again");
  assert.equal((await transactionTotals({})).refundsDueCount, 1);
  assert.equal((await getPayment(orderId))?.status, p.status, "the payment itself is unchanged");
  // Once: the marker stops a second run, even if entries went missing again.
  await kv.delete(["booking_refunds_due", orderId]);
  assert.deepEqual(await backfillFinanceIndexes(), { payments: 0, bookings: 0 });
  await bookingMailIdle();
});
