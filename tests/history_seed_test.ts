/**
 * The history seed: a year of past sessions for psikolog1 (and fewer for
 * others) with payments, refunds and reviews; every booking has its payment
 * in the matching state, the psychologists' rating sums equal their visible
 * reviews, nothing overlaps, and a second run changes nothing.
 */
import assert from "node:assert/strict";
import { freshKv } from "./helpers.ts";
import { seedAccounts } from "@/lib/seed/accounts.ts";
import { seedPsychologists } from "@/lib/seed/psychologists.ts";
import { seedAvailability } from "@/lib/seed/availability.ts";
import { seedBookings } from "@/lib/seed/bookings.ts";
import { seedHistory } from "@/lib/seed/history.ts";
import { getUserByEmail } from "@/lib/auth/users.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { bookingCells } from "@/lib/booking/cells.ts";
import type { Payment } from "@/lib/payments/model.ts";
import type { Psychologist } from "@/lib/psychologists/model.ts";
import type { Review } from "@/lib/reviews/model.ts";
import { listPsychologistReviews, reviewsToLeave } from "@/lib/reviews/store.ts";
import { commissionSplit } from "@/lib/payments/state.ts";
import { config } from "@/lib/config.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import { readNotes } from "@/lib/notes/store.ts";
import { completeRefund } from "@/lib/admin/refunds.ts";

async function all<T>(kv: Deno.Kv, prefix: Deno.KvKey): Promise<T[]> {
  return (await Array.fromAsync(kv.list<T>({ prefix }))).map((e) => e.value);
}

Deno.test({
  name: "seed: a year of history with payments, refunds and reviews; sums match; idempotent",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const kv = await freshKv();
    await seedAccounts();
    const psy = await seedPsychologists();
    await seedAvailability(psy.ids);
    await seedBookings();
    const t0 = performance.now();
    const lines = await seedHistory();
    const took = performance.now() - t0;
    console.log(`seedHistory: ${took.toFixed(0)} ms\n  ${lines.join("\n  ")}`);
    const p1 = (await getUserByEmail("psikolog1@demo.test"))!;
    const k1 = (await getUserByEmail("klien1@demo.test"))!;
    const bookings = await all<Booking>(kv, ["bookings"]);
    const mine = bookings.filter((b) => b.psychologistId === p1.id);
    const now = Date.now();
    const months = new Set(mine.filter((b) => b.status === "completed").map((b) => b.startsAt.slice(0, 7)));
    assert.ok(months.size >= 12, `completed sessions in ${months.size} months`);
    assert.ok(mine.length >= 100 && mine.length <= 300, `psikolog1 has ${mine.length} bookings`);
    for (const s of ["completed", "no_show", "cancelled", "rejected", "expired"]) {
      assert.ok(mine.some((b) => b.status === s && Date.parse(b.startsAt) < now - 21 * 86_400_000), `history has ${s}`);
    }
    const clients = new Set(mine.map((b) => b.clientId));
    assert.ok(clients.size >= 5, "several clients");
    assert.ok(new Set(bookings.map((b) => b.psychologistId)).size >= 4, "others have history too");

    // Every booking's payment matches it; refunds due and done both exist.
    const payments = new Map((await all<Payment>(kv, ["payments"])).map((p) => [p.orderId, p]));
    for (const b of bookings) {
      const p = payments.get(b.orderId);
      assert.ok(p, `payment of ${b.id}`);
      if (b.refund?.status === "done") assert.equal(p.status, "refunded");
      if (b.status === "completed" || b.status === "no_show") assert.equal(p.status, "paid");
      assert.equal(p.grossAmountIdr, b.priceIdr);
      if (p.status === "paid") {
        assert.deepEqual(
          [p.commissionIdr, p.payoutIdr],
          Object.values(commissionSplit(p.grossAmountIdr, config.platformCommissionPercent)),
        );
      }
    }
    const refunds = mine.filter((b) => b.refund).map((b) => b.refund!.status);
    assert.ok(refunds.includes("due") && refunds.includes("done"), "refunds due and done");

    // Nothing overlaps: every cell key holds one booking, each completed session's cells point at it.
    const cells = new Map<string, string>();
    for await (const e of kv.list<{ bookingId: string }>({ prefix: ["slot_cells"] })) {
      cells.set(`${String(e.key[1])}:${String(e.key[2])}`, e.value.bookingId);
    }
    for (const b of mine.filter((x) => x.status === "completed")) {
      for (const c of bookingCells(b)) assert.equal(cells.get(`${p1.id}:${c}`), b.id, "cell of a completed session");
    }
    // Expired, cancelled and rejected bookings gave their time back (lib/booking/lifecycle.ts releaseCells),
    // so a later booking may legitimately take the same slot.
    const released = new Set(["expired", "cancelled", "rejected"]);
    const sorted = [...mine].filter((b) => !released.has(b.status)).sort((a, b) =>
      a.startsAt.localeCompare(b.startsAt)
    );
    for (let i = 1; i < sorted.length; i++) {
      assert.ok(sorted[i - 1].endsAt <= sorted[i].startsAt, `no overlap at ${sorted[i].startsAt}`);
    }

    // Rating sums equal the visible reviews, per psychologist.
    const reviews = await all<Review>(kv, ["session_reviews"]);
    assert.ok(reviews.length > 80, `${reviews.length} reviews`);
    for (const p of await all<Psychologist>(kv, ["psychologists"])) {
      const rs = reviews.filter((r) => r.psychologistId === p.id && !r.hidden);
      assert.equal(p.ratingCount, rs.length, `${p.name} count`);
      assert.equal(p.ratingSum, rs.reduce((s, r) => s + r.rating, 0), `${p.name} sum`);
      for (const r of rs) {
        const b = bookings.find((x) => x.id === r.bookingId)!;
        assert.equal(b.status, "completed");
        assert.equal(b.clientId, r.clientId);
      }
    }
    assert.equal((await listPsychologistReviews(p1.id, { limit: 5 })).items.length, 5);
    assert.ok((await reviewsToLeave(k1.id)).length >= 1, "klien1 has sessions to review");

    // psikolog1's latest completed sessions have session notes, most of them signed, readable by their author.
    const notes = await all<{ bookingId: string; status: string; authorId: string }>(kv, ["notes"]);
    assert.equal(notes.length, 12);
    assert.equal(notes.filter((n) => n.status === "signed").length, 9);
    assert.ok(notes.every((n) => n.authorId === p1.id));
    const view = await readNotes({ id: p1.id, role: "psychologist" }, notes[0].bookingId);
    assert.ok(view.current && view.current.subjective.length > 10, "decrypts");

    // The built-in sandbox knows the seeded payments: an admin's refund of a due QRIS/GoPay refund goes through
    // Midtrans' protocol (refunded), a bank transfer's is refused as Midtrans refuses it (manual refund instead).
    const admin = (await getUserByEmail("admin@demo.test"))!;
    const due = bookings.filter((b) => b.refund?.status === "due").map((b) => payments.get(b.orderId)!);
    const wallet = due.find((p) => p.method === "qris" || p.method === "gopay");
    const transfer = due.find((p) => p.method === "bank_transfer");
    assert.ok(wallet && transfer, "refunds due by wallet and by bank transfer");
    const done = await completeRefund(admin, wallet.orderId, { mode: "midtrans", confirm: true });
    assert.deepEqual([done.paymentStatus, done.refundStatus], ["refunded", "done"]);
    await assert.rejects(
      completeRefund(admin, transfer.orderId, { mode: "midtrans", confirm: true }),
      /refund_provider_failed/,
    );
    assert.equal((await kv.get<Payment>(["payments", transfer.orderId])).value?.status, "paid", "unchanged");

    // Idempotent.
    const count = async () => (await Array.fromAsync(kv.list({ prefix: [] }))).length;
    const before = await count();
    const again = await seedHistory();
    assert.ok(again.every((l) => /exists/.test(l)), again.join("\n"));
    assert.equal(await count(), before);
    await bookingMailIdle();
  },
});
