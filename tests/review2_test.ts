/**
 * Second outside security review (issues 9 and 11): one test per real finding, written failing
 * first, then fixed in lib/ (docs/domain-rules.md names each rule these tests hold).
 */
import assert from "node:assert/strict";
import { config } from "@/lib/config.ts";
import { appHandler, freshKv, get, makeUser, sendJson } from "./helpers.ts";
import { bodyVoting, current } from "./screening_fixtures.ts";
import { CONSENT_TEXT_VERSION, recordConsent } from "@/lib/screening/consent.ts";
import { createScreening } from "@/lib/screening/store.ts";
import { sandboxPay } from "@/lib/payments/sandbox.ts";
import { getPayment, listPayments, syncPayment } from "@/lib/payments/store.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { financeReport } from "@/lib/admin/finance.ts";
import { NOTES_DENIED_AUDIT_LIMIT, readNotes } from "@/lib/notes/store.ts";
import { listAudit } from "@/lib/audit.ts";

Deno.env.set("APP_ENV", "test");
Deno.env.delete("MIDTRANS_SERVER_KEY");
Deno.env.delete("MIDTRANS_ENV");
// The sandbox's notifications go nowhere; the test applies the status itself (syncPayment).
Deno.env.set("BASE_URL", "http://127.0.0.1:9");

Deno.test("review2: a screening PDF payment is the platform's whole (no payout to a psychologist who does not exist)", async () => {
  const kv = await freshKv();
  try {
    const h = await appHandler();
    const client = await makeUser("client");
    await recordConsent(client.id, CONSENT_TEXT_VERSION);
    const token = (await createSession(client.id, "bearer")).token;
    const { set, table } = await current();
    const s = await createScreening(client, bodyVoting(set, table, "anxious").body);
    const started = await sendJson(h, `/api/screenings/${s.id}/payment`, {}, { token });
    assert.equal(started.status, 201);
    const { payment } = await started.json();
    const stored = (await getPayment(payment.orderId))!;
    assert.equal(stored.payeeId, null);
    // docs/domain-rules.md "Emotion screening": "the whole amount to the platform".
    assert.equal(stored.commissionIdr, stored.grossAmountIdr);
    assert.equal(stored.payoutIdr, 0);

    await sandboxPay(payment.orderId, "qris", "settlement");
    assert.equal((await syncPayment(payment.orderId)).result, "applied");
    const paid = (await getPayment(payment.orderId))!;
    assert.equal(paid.status, "paid");
    assert.equal(paid.payoutIdr, 0);
    // The report's months are the centre's local months (a payment at 00:30 on 1 January Jakarta time is in the new year).
    const year = Temporal.Instant.from(paid.paidAt!).toZonedDateTimeISO(config.timeZone).year;
    const report = await financeReport(year);
    const payouts = report.months.reduce((a, m) => a + m.payoutIdr, 0);
    const commission = report.months.reduce((a, m) => a + m.commissionIdr, 0);
    assert.equal(payouts, 0, "no psychologist payout owed for a PDF summary");
    assert.equal(commission, paid.grossAmountIdr);
    const res = await get(h, `/api/screenings/${s.id}/pdf`, { token });
    assert.equal(res.status, 200);
    await res.body?.cancel();
  } finally {
    kv.close();
  }
});

Deno.test("review2: two PDF payment requests at once (a double click) start one order, not two payable ones", async () => {
  const kv = await freshKv();
  try {
    const h = await appHandler();
    const client = await makeUser("client");
    await recordConsent(client.id, CONSENT_TEXT_VERSION);
    const token = (await createSession(client.id, "bearer")).token;
    const { set, table } = await current();
    const s = await createScreening(client, bodyVoting(set, table, "anxious").body);
    const answers = await Promise.all(
      [0, 1, 2].map(() => sendJson(h, `/api/screenings/${s.id}/payment`, {}, { token })),
    );
    const bodies = await Promise.all(answers.map((r) => r.json()));
    assert.deepEqual(answers.map((r) => r.status), [201, 201, 201], JSON.stringify(bodies));
    const orders = new Set(bodies.map((b) => b.payment.orderId));
    assert.equal(orders.size, 1, "every request resumes the same order");
    const pending = (await listPayments({ payerId: client.id })).items.filter((p) => p.status === "pending");
    assert.equal(pending.length, 1, "only one payable order exists");
  } finally {
    kv.close();
  }
});

Deno.test("review2: refused notes reads are audited, but a loop cannot grow the append-only audit log without bound", async () => {
  const kv = await freshKv();
  try {
    const client = await makeUser("client");
    const forged = "booking:Admin-please-reset-psikolog1-now!!";
    for (let i = 0; i < 60; i++) {
      await assert.rejects(readNotes(client, i % 2 ? forged.slice(8) : "01ARZ3NDEKTSV4RRFFQ69G5FAV"));
    }
    const mine = (await listAudit({ actorId: client.id, limit: 100 })).items;
    assert.ok(mine.length >= 1, "a refusal is still audited");
    assert.ok(mine.length <= NOTES_DENIED_AUDIT_LIMIT.limit, `${mine.length} entries for 60 refused reads`);
    assert.ok(mine.every((e) => e.action === "notes.read_denied"));
    assert.ok(
      mine.every((e) => /^booking:([0-9A-HJKMNP-TV-Z]{26}|invalid)$/.test(e.target)),
      "no caller-chosen text in the audit target",
    );
  } finally {
    kv.close();
  }
});
