/**
 * The screening PDF's payment over the builtin Midtrans sandbox, real KV and real HTTP
 * (docs/domain-rules.md "PDF summary and its payment"): one payable order per screening at a time —
 * concurrent requests get one order, the pending order is reused until its window ends (no second
 * payable order in its last minute) and only then replaced — and a refunded or charged-back payment
 * locks the PDF again (402 `payment_required`) unless another payment of it is still paid.
 */
import assert from "node:assert/strict";
import { appHandler, freshKv, get, type Handler, makeUser, sendJson, type TestUser } from "./helpers.ts";
import { bodyVoting, current } from "./screening_fixtures.ts";
import { CONSENT_TEXT_VERSION, recordConsent } from "@/lib/screening/consent.ts";
import { createScreening } from "@/lib/screening/store.ts";
import { startPdfPayment } from "@/lib/screening/pdf.ts";
import { sandboxPay } from "@/lib/payments/sandbox.ts";
import {
  applyTransaction,
  getPayment,
  listPayments,
  refundPayment,
  startPayment,
  syncPayment,
} from "@/lib/payments/store.ts";
import { mapTransactionStatus } from "@/lib/payments/state.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { Conflict } from "@/lib/errors.ts";

Deno.env.set("APP_ENV", "test");
Deno.env.delete("MIDTRANS_SERVER_KEY");
Deno.env.delete("MIDTRANS_ENV");
// The sandbox's notifications go nowhere; the tests apply the status themselves.
Deno.env.set("BASE_URL", "http://127.0.0.1:9");

/** A client with an insecure (paid-PDF) screening and a bearer token. */
async function insecureScreening(): Promise<{ client: TestUser; id: string; token: string }> {
  const client = await makeUser("client");
  await recordConsent(client.id, CONSENT_TEXT_VERSION);
  const token = (await createSession(client.id, "bearer")).token;
  const { set, table } = await current();
  const s = await createScreening(client, bodyVoting(set, table, "anxious").body);
  assert.equal(s.pdf.required, true);
  return { client, id: s.id, token };
}

async function pendingOrders(clientId: string): Promise<string[]> {
  return (await listPayments({ payerId: clientId, status: "pending" })).items.map((p) => p.orderId);
}

async function pdfStatus(h: Handler, id: string, token: string): Promise<number> {
  const res = await get(h, `/api/screenings/${id}/pdf`, { token });
  if (res.status === 402) assert.equal((await res.json()).error.code, "payment_required");
  else await res.body?.cancel();
  return res.status;
}

/** Pays order `orderId` in the sandbox (QRIS) and applies the status API's answer. */
async function pay(orderId: string): Promise<void> {
  await sandboxPay(orderId, "qris", "settlement");
  assert.equal((await syncPayment(orderId)).result, "applied");
}

Deno.test("screening PDF payment: concurrent requests, in the window's last minute and after it, make one payable order at a time", async () => {
  const kv = await freshKv();
  try {
    const { client, id } = await insecureScreening();
    const t0 = Date.now();
    const first = await Promise.all([0, 1, 2].map(() => startPdfPayment(client, id, t0)));
    assert.equal(new Set(first.map((p) => p.orderId)).size, 1, "concurrent first requests: one order");
    const p1 = first[0];
    // 30 s before the window ends the order is still payable: every request gets it, no second order.
    const late = Date.parse(p1.expiresAt) - 30_000;
    const again = await Promise.all([0, 1, 2].map(() => startPdfPayment(client, id, late)));
    assert.deepEqual(again.map((p) => p.orderId), [p1.orderId, p1.orderId, p1.orderId]);
    assert.deepEqual(await pendingOrders(client.id), [p1.orderId], "one payable order in its last minute");
    // Once its window has passed, Midtrans is asked (it never saw a payment: expired) and one new order is made.
    const after = Date.parse(p1.expiresAt) + 1000;
    const next = await Promise.all([0, 1, 2].map(() => startPdfPayment(client, id, after)));
    const orders = new Set(next.map((p) => p.orderId));
    assert.equal(orders.size, 1, "concurrent requests after the window: one new order");
    assert.notEqual(next[0].orderId, p1.orderId);
    assert.equal((await getPayment(p1.orderId))?.status, "expired", "the old order was settled first");
    assert.deepEqual(await pendingOrders(client.id), [next[0].orderId], "still one payable order");
  } finally {
    kv.close();
  }
});

Deno.test("screening PDF payment: an order paid in its last moment unlocks the PDF instead of a second order being made", async () => {
  const kv = await freshKv();
  try {
    const h = await appHandler();
    const { client, id, token } = await insecureScreening();
    const p1 = await startPdfPayment(client, id);
    await sandboxPay(p1.orderId, "qris", "settlement"); // paid, but no notification reached us
    assert.equal((await getPayment(p1.orderId))?.status, "pending");
    await assert.rejects(
      startPdfPayment(client, id, Date.parse(p1.expiresAt) + 1000),
      (e) => e instanceof Conflict && e.code === "pdf_paid",
    );
    assert.equal((await getPayment(p1.orderId))?.status, "paid");
    assert.deepEqual(await pendingOrders(client.id), [], "no second order");
    assert.equal(await pdfStatus(h, id, token), 200);
  } finally {
    kv.close();
  }
});

Deno.test("screening PDF payment: a refund locks the PDF again (402) and it can be paid anew", async () => {
  const kv = await freshKv();
  try {
    const h = await appHandler();
    const { id, token } = await insecureScreening();
    const started = await sendJson(h, `/api/screenings/${id}/payment`, {}, { token });
    assert.equal(started.status, 201);
    const { orderId } = (await started.json()).payment;
    await pay(orderId);
    assert.equal(await pdfStatus(h, id, token), 200);

    const refunded = await refundPayment(orderId, "client asked");
    assert.equal(refunded.status, "refunded");
    assert.equal(await pdfStatus(h, id, token), 402, "refunded: locked again");
    const view = await get(h, `/api/screenings/${id}`, { token });
    assert.equal((await view.json()).screening.pdf.paid, false);

    const anew = await sendJson(h, `/api/screenings/${id}/payment`, {}, { token });
    assert.equal(anew.status, 201);
    const second = (await anew.json()).payment.orderId;
    assert.notEqual(second, orderId, "a new order, not the refunded one");
    await pay(second);
    assert.equal(await pdfStatus(h, id, token), 200);
  } finally {
    kv.close();
  }
});

Deno.test("screening PDF payment: a chargeback locks the PDF again like a refund", async () => {
  assert.equal(mapTransactionStatus({ status_code: "200", transaction_status: "chargeback" }), "refunded");
  assert.equal(mapTransactionStatus({ status_code: "200", transaction_status: "partial_chargeback" }), null);
  const kv = await freshKv();
  try {
    const h = await appHandler();
    const { client, id, token } = await insecureScreening();
    const p = await startPdfPayment(client, id);
    await pay(p.orderId);
    assert.equal(await pdfStatus(h, id, token), 200);
    const r = await applyTransaction(p.orderId, {
      status_code: "200",
      transaction_status: "chargeback",
      gross_amount: `${p.grossAmountIdr}.00`,
    });
    assert.deepEqual([r.result, "payment" in r ? r.payment.status : null], ["applied", "refunded"]);
    assert.equal(await pdfStatus(h, id, token), 402);
  } finally {
    kv.close();
  }
});

Deno.test("screening PDF payment: refunding one of two paid orders of a PDF keeps it unlocked; refunding both locks it", async () => {
  const kv = await freshKv();
  try {
    const h = await appHandler();
    const { client, id, token } = await insecureScreening();
    const p1 = await startPdfPayment(client, id);
    await pay(p1.orderId);
    // A second payment of the same PDF (as a payment Midtrans took after our window closed would be).
    const p2 = await startPayment({
      orderId: `SP-${id}-second`,
      purpose: { kind: "screening_pdf", id },
      payerId: client.id,
      payeeId: null,
      grossAmountIdr: p1.grossAmountIdr,
      itemDetails: [{ id: "screening-pdf", name: "PDF", priceIdr: p1.grossAmountIdr, quantity: 1 }],
      customer: { firstName: client.name },
      expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
      finishUrl: `/screening/${id}`,
    });
    await pay(p2.orderId);
    await refundPayment(p1.orderId, "paid twice");
    assert.equal(await pdfStatus(h, id, token), 200, "the other payment still pays for it");
    await refundPayment(p2.orderId, "paid twice");
    assert.equal(await pdfStatus(h, id, token), 402, "nothing pays for it any more");
  } finally {
    kv.close();
  }
});
