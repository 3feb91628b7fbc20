/**
 * Midtrans notifications against the builtin sandbox's status API: signature
 * (good, bad, altered amount), replay (applied once), out of order
 * (settlement before pending), wrong amount, unknown order, the status API
 * disagreeing with the notification, the effect in the same commit, and the
 * reconcile job expiring what was never paid. The purchase's effect is an
 * observable one passed in (`effects`), so each test sees exactly which moves
 * reached what was bought.
 */
import assert from "node:assert/strict";
import { appHandler, freshKv } from "./helpers.ts";
import { applyTransaction, getPayment, startPayment } from "@/lib/payments/store.ts";
import {
  droppedUnverified,
  MAX_NOTIFICATION_BYTES,
  notificationsOf,
  receiveNotification,
  recentNotifications,
  UNVERIFIED_GLOBAL_LIMIT,
  UNVERIFIED_TTL_MS,
} from "@/lib/payments/notification.ts";
import { sandboxPay, sandboxTransaction, transactionBody } from "@/lib/payments/sandbox.ts";
import { notificationSignature } from "@/lib/payments/midtrans.ts";
import { builtinServerKey } from "@/lib/payments/secret.ts";
import { reconcilePayments } from "@/lib/payments/jobs.ts";
import { commissionSplit, isForward, mapTransactionStatus } from "@/lib/payments/state.ts";
import type { PaymentEffect, PaymentStatus } from "@/lib/payments/model.ts";
import { paymentInput } from "./payments_fixtures.ts";

Deno.env.set("APP_ENV", "test");
Deno.env.delete("MIDTRANS_SERVER_KEY");
Deno.env.delete("MIDTRANS_ENV");
// Nothing listens here: the sandbox's own deliveries fail fast and are queued (never reach another server).
Deno.env.set("BASE_URL", "http://127.0.0.1:9");

/** An effect that records every move it is given. */
function recorder() {
  const moves: [string, PaymentStatus, PaymentStatus][] = [];
  const effect: PaymentEffect = (_op, p, from, to) => {
    moves.push([p.orderId, from, to]);
    return Promise.resolve();
  };
  return { moves, effects: { booking: effect } };
}

const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

/** A notification body signed with the sandbox key (what only Midtrans could send). */
async function signed(fields: Record<string, string>) {
  const key = await builtinServerKey();
  return {
    ...fields,
    signature_key: await notificationSignature(fields.order_id, fields.status_code, fields.gross_amount, key),
  };
}

Deno.test("notification: verified, confirmed with the status API, applied once; replay changes nothing", async () => {
  await freshKv();
  const { moves, effects } = recorder();
  await startPayment(paymentInput("bk-n1"));
  const { tx } = await sandboxPay("bk-n1", "bca_va", "settlement");
  const body = await transactionBody(tx, "midtrans payment notification");
  assert.equal(body.gross_amount, "150000.00");
  assert.equal(body.status_code, "200");
  const first = await receiveNotification(enc(body), { effects });
  assert.equal(first.status, 200);
  assert.equal(first.body.result, "applied");
  const p = await getPayment("bk-n1");
  assert.equal(p?.status, "paid");
  assert.equal(p?.method, "bank_transfer");
  assert.equal(p?.bank, "bca");
  assert.ok(p?.paidAt);
  const replay = await receiveNotification(enc(body), { effects });
  assert.equal(replay.status, 200);
  assert.equal(replay.body.result, "unchanged");
  assert.deepEqual(moves, [["bk-n1", "pending", "paid"]], "the effect ran once");
  const stored = await notificationsOf("bk-n1");
  assert.equal(stored.length, 2, "every notification is stored");
  assert.ok(stored.every((n) => n.signatureValid && n.raw === JSON.stringify(body)));
  assert.deepEqual(stored.map((n) => n.result), ["applied", "unchanged"]);
});

Deno.test("notification: a bad signature or an altered amount is 403 and nothing changes", async () => {
  await freshKv();
  const { moves, effects } = recorder();
  await startPayment(paymentInput("bk-n2"));
  const { tx } = await sandboxPay("bk-n2", "qris", "settlement");
  const body = await transactionBody(tx, "midtrans payment notification");
  const badSig = await receiveNotification(enc({ ...body, signature_key: "0".repeat(128) }), { effects });
  assert.equal(badSig.status, 403);
  assert.equal(badSig.record.result, "invalid_signature");
  const altered = await receiveNotification(enc({ ...body, gross_amount: "1500.00" }), { effects });
  assert.equal(altered.status, 403, "the signature covers the amount");
  const upper = await receiveNotification(
    enc({ ...body, signature_key: String(body.signature_key).toUpperCase() }),
    { effects },
  );
  assert.equal(upper.status, 403, "compared over the exact received string");
  assert.equal((await getPayment("bk-n2"))?.status, "pending");
  assert.deepEqual(moves, []);
  assert.equal((await notificationsOf("bk-n2")).length, 0, "unverified records are not filed under the order");
});

Deno.test("notification: malformed bodies are 400, stored, nothing applied", async () => {
  await freshKv();
  for (const raw of ["not json", "[]", "{}", JSON.stringify({ order_id: "x", status_code: 200 })]) {
    const r = await receiveNotification(new TextEncoder().encode(raw));
    assert.equal(r.status, 400, raw);
    assert.equal(r.record.result, "malformed");
    assert.equal(r.record.raw, raw);
  }
});

Deno.test("notification: wrong amount (correctly signed) is flagged, not applied", async () => {
  await freshKv();
  const { moves, effects } = recorder();
  await startPayment(paymentInput("bk-n3"));
  await sandboxPay("bk-n3", "gopay", "settlement");
  const r = await receiveNotification(
    enc(
      await signed({
        order_id: "bk-n3",
        status_code: "200",
        gross_amount: "1000.00",
        transaction_status: "settlement",
        fraud_status: "accept",
      }),
    ),
    { effects },
  );
  assert.equal(r.status, 200);
  assert.equal(r.body.result, "amount_mismatch");
  assert.equal((await getPayment("bk-n3"))?.status, "pending");
  assert.deepEqual(moves, []);
});

Deno.test("notification: an unknown order is stored and answered 200 (a retry cannot help); nothing else", async () => {
  const kv = await freshKv();
  const r = await receiveNotification(
    enc(
      await signed({
        order_id: "nobody-1",
        status_code: "200",
        gross_amount: "5000.00",
        transaction_status: "settlement",
      }),
    ),
  );
  assert.equal(r.status, 200);
  assert.equal(r.body.result, "unknown_order");
  const keys = [];
  for await (const e of kv.list({ prefix: [] })) keys.push(e.key[0]);
  assert.ok(!keys.includes("payments"), "no payment was created");
});

Deno.test("notification: out of order — settlement before pending stays paid; a stale pending is not a move", async () => {
  await freshKv();
  const { moves, effects } = recorder();
  await startPayment(paymentInput("bk-n4"));
  const { tx } = await sandboxPay("bk-n4", "bni_va", "settlement");
  const settlement = await transactionBody(tx, "midtrans payment notification");
  assert.equal((await receiveNotification(enc(settlement), { effects })).body.result, "applied");
  // The pending notification arrives late; the status API says settlement.
  const pending = await signed({
    order_id: "bk-n4",
    status_code: "201",
    gross_amount: "150000.00",
    transaction_status: "pending",
  });
  const late = await receiveNotification(enc(pending), { effects });
  assert.equal(late.body.result, "unchanged");
  assert.equal(late.record.statusDiffers, true);
  // Applying a pending state directly after paid is refused as not forward.
  const r = await applyTransaction("bk-n4", {
    status_code: "201",
    transaction_status: "pending",
    gross_amount: "150000.00",
  }, {
    effects,
  });
  assert.equal(r.result, "not_forward");
  assert.equal((await getPayment("bk-n4"))?.status, "paid");
  assert.deepEqual(moves, [["bk-n4", "pending", "paid"]]);
});

Deno.test("notification: the status API is the truth when it disagrees with the notification", async () => {
  await freshKv();
  const { moves, effects } = recorder();
  await startPayment(paymentInput("bk-n5"));
  const claim = await signed({
    order_id: "bk-n5",
    status_code: "200",
    gross_amount: "150000.00",
    transaction_status: "settlement",
    fraud_status: "accept",
  });
  // Nothing was charged yet: the status API does not know the transaction.
  const r1 = await receiveNotification(enc(claim), { effects });
  assert.equal(r1.body.result, "unknown_at_provider");
  assert.equal((await getPayment("bk-n5"))?.status, "pending");
  // The bank denied it; a (signed) settlement notification does not make it paid.
  await sandboxPay("bk-n5", "credit_card", "deny");
  const r2 = await receiveNotification(enc(claim), { effects });
  assert.equal(r2.body.result, "applied");
  assert.equal(r2.record.providerStatus, "deny");
  assert.equal(r2.record.statusDiffers, true);
  assert.equal((await getPayment("bk-n5"))?.status, "failed");
  assert.deepEqual(moves, [["bk-n5", "pending", "failed"]]);
});

Deno.test("applying: the effect's checks are in the payment's commit (a failing check writes nothing)", async () => {
  const kv = await freshKv();
  await startPayment(paymentInput("bk-n6"));
  await kv.set(["effect_guard"], 1);
  let calls = 0;
  const failing: PaymentEffect = (op) => {
    calls++;
    op.check({ key: ["effect_guard"], versionstamp: null }); // never true: the key exists
    return Promise.resolve();
  };
  const { tx } = await sandboxPay("bk-n6", "echannel", "settlement");
  const r = await receiveNotification(enc(await transactionBody(tx, "n")), { effects: { booking: failing } });
  assert.equal(r.status, 503, "not applied: Midtrans retries");
  assert.equal(r.record.result, "apply_failed");
  assert.equal(calls, 5, "a lost commit is retried a bounded number of times");
  assert.equal((await getPayment("bk-n6"))?.status, "pending");
});

Deno.test("reconcile: a payment never paid expires after its window; a denied one fails; both once", async () => {
  await freshKv();
  const { moves, effects } = recorder();
  const t0 = Date.now();
  await startPayment(paymentInput("bk-r1", { expiresAt: new Date(t0 + 15 * 60_000).toISOString() }), t0);
  await startPayment(paymentInput("bk-r2", { expiresAt: new Date(t0 + 15 * 60_000).toISOString() }), t0);
  await startPayment(paymentInput("bk-r3", { expiresAt: new Date(t0 + 60 * 60_000).toISOString() }), t0);
  const early = await reconcilePayments(t0 + 60_000, effects);
  assert.equal(early.checked, 0, "nothing is due inside the window");
  await sandboxPay("bk-r2", "bri_va", "deny");
  const due = await reconcilePayments(t0 + 16 * 60_000, effects);
  assert.deepEqual(due, { checked: 2, applied: 2, failed: 0 });
  assert.equal((await getPayment("bk-r1"))?.status, "expired");
  assert.equal((await getPayment("bk-r2"))?.status, "failed");
  assert.equal((await getPayment("bk-r3"))?.status, "pending");
  assert.deepEqual(
    await reconcilePayments(t0 + 16 * 60_000, effects),
    { checked: 0, applied: 0, failed: 0 },
    "idempotent",
  );
  assert.equal((await sandboxTransaction("bk-r1"))?.status, "created");
  assert.deepEqual(moves.sort(), [["bk-r1", "pending", "expired"], ["bk-r2", "pending", "failed"]]);
});

Deno.test("notification endpoint over the app: 413 past 16 KiB, 400 translated, 403 for a bad signature", async () => {
  await freshKv();
  const handler = await appHandler();
  const post = (body: string) =>
    handler(
      new Request("http://localhost/api/payments/midtrans/notification", {
        method: "POST",
        headers: { "content-type": "application/json", "accept-language": "en" },
        body,
      }),
    );
  assert.equal((await post("x".repeat(17 * 1024))).status, 413);
  const bad = await post("{}");
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, "bad_notification");
  const forged = await post(
    JSON.stringify({ order_id: "a", status_code: "200", gross_amount: "1.00", signature_key: "ab" }),
  );
  assert.equal(forged.status, 403);
  assert.equal((await forged.json()).error.code, "invalid_signature");
});

Deno.test("rules: status mapping, forward moves, commission rounding", () => {
  assert.equal(
    mapTransactionStatus({ status_code: "200", transaction_status: "settlement", fraud_status: "accept" }),
    "paid",
  );
  assert.equal(
    mapTransactionStatus({ status_code: "200", transaction_status: "capture", fraud_status: "challenge" }),
    null,
  );
  assert.equal(
    mapTransactionStatus({ status_code: "201", transaction_status: "settlement", fraud_status: "accept" }),
    null,
  );
  assert.equal(mapTransactionStatus({ status_code: "407", transaction_status: "expire" }), "expired");
  assert.equal(mapTransactionStatus({ status_code: "202", transaction_status: "deny" }), "failed");
  assert.equal(mapTransactionStatus({ status_code: "200", transaction_status: "cancel" }), "failed");
  assert.equal(mapTransactionStatus({ status_code: "200", transaction_status: "refund" }), "refunded");
  assert.ok(isForward("pending", "paid") && isForward("failed", "paid") && isForward("paid", "refunded"));
  assert.ok(!isForward("paid", "pending") && !isForward("expired", "paid") && !isForward("refunded", "paid"));
  assert.deepEqual(commissionSplit(150_000, 10), { commissionIdr: 15_000, payoutIdr: 135_000 });
  assert.deepEqual(commissionSplit(99_999, 10), { commissionIdr: 10_000, payoutIdr: 89_999 }, "9,999.9 → 10,000");
  assert.deepEqual(commissionSplit(99_994, 10), { commissionIdr: 9_999, payoutIdr: 89_995 }, "9,999.4 → 9,999");
  assert.deepEqual(commissionSplit(100_005, 12.5), { commissionIdr: 12_501, payoutIdr: 87_504 }, "half up");
  for (const g of [1, 7, 333_333, 1_000_000_000]) {
    const s = commissionSplit(g, 7.25);
    assert.equal(s.commissionIdr + s.payoutIdr, g);
  }
});

Deno.test("notification endpoint: unverified notifications from one address are limited (not stored past 60 a minute)", async () => {
  const kv = await freshKv();
  const handler = await appHandler();
  const forged = JSON.stringify({ order_id: "a", status_code: "200", gross_amount: "1.00", signature_key: "ab" });
  const statuses: number[] = [];
  for (let i = 0; i < 62; i++) {
    const res = await handler(
      new Request("http://localhost/api/payments/midtrans/notification", { method: "POST", body: forged }),
    );
    statuses.push(res.status);
    await res.body?.cancel();
  }
  assert.deepEqual(statuses.slice(0, 60), Array(60).fill(403));
  assert.deepEqual(statuses.slice(60), [429, 429]);
  let stored = 0;
  for await (const _ of kv.list({ prefix: ["payment_notifications"] })) stored++;
  assert.equal(stored, 60, "refused ones are not stored");
  // A verified notification still gets through.
  const key = await builtinServerKey();
  const ok = await handler(
    new Request("http://localhost/api/payments/midtrans/notification", {
      method: "POST",
      body: JSON.stringify({
        order_id: "nobody-9",
        status_code: "200",
        gross_amount: "1.00",
        signature_key: await notificationSignature("nobody-9", "200", "1.00", key),
      }),
    }),
  );
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});

Deno.test("notification: unverified bodies are kept as a digest (≤ 256 bytes of body, SHA-256, length, 24 h), capped globally", async () => {
  const kv = await freshKv();
  const nowMs = Date.UTC(2026, 2, 1, 3, 0, 10);
  const dec = new TextDecoder();
  // Near the 16 KiB limit, each with a different padding; "é" and "🙂" make the 256-byte cut fall inside characters.
  const forged = (i: number) =>
    new TextEncoder().encode(JSON.stringify({
      order_id: `x-${i}`,
      status_code: "200",
      gross_amount: "1.00",
      signature_key: "ab",
      pad: "é🙂".repeat(i % 3) + "A".repeat(MAX_NOTIFICATION_BYTES - 200),
    }));
  const notJson = new TextEncoder().encode("🙂".repeat(MAX_NOTIFICATION_BYTES / 4));
  const first = await receiveNotification(forged(0), { nowMs });
  assert.equal(first.status, 403);
  assert.ok(first.stored);
  const bad = await receiveNotification(notJson, { nowMs });
  assert.equal(bad.status, 400);
  let stored = 0;
  for await (
    const e of kv.list<{ raw: string; rawBytes: number; rawSha256: string; expiresAt: string }>({
      prefix: ["payment_notifications"],
    })
  ) {
    stored++;
    const head = new TextEncoder().encode(e.value.raw);
    assert.ok(head.byteLength <= 256 && head.byteLength >= 250, `kept ${head.byteLength} bytes of body`);
    assert.ok(JSON.stringify(e.value).length < 1024, "the whole record is small");
    assert.ok(e.value.rawBytes > 16_000);
    assert.match(e.value.rawSha256, /^[0-9a-f]{64}$/);
    assert.equal(Date.parse(e.value.expiresAt), nowMs + UNVERIFIED_TTL_MS);
  }
  assert.equal(stored, 2);
  assert.ok(dec.decode(forged(0)).startsWith(first.record.raw), "the start of the body, unchanged");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", forged(0)));
  assert.equal(first.record.rawSha256, Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""));
  assert.equal((await recentNotifications(100, nowMs + UNVERIFIED_TTL_MS)).length, 0, "past expiresAt: not listed");

  // Many addresses (no per-address limit here): at most the global cap is stored, the rest counted.
  const extra = 7;
  const results: boolean[] = [];
  for (let i = 1; i < UNVERIFIED_GLOBAL_LIMIT.limit + extra; i++) {
    const r = await receiveNotification(forged(i), { nowMs: nowMs + i });
    assert.equal(r.status, 403, "the answer does not change past the cap");
    results.push(r.stored);
  }
  stored = 0;
  for await (const _ of kv.list({ prefix: ["payment_notifications"] })) stored++;
  assert.equal(stored, UNVERIFIED_GLOBAL_LIMIT.limit, "the cap holds");
  assert.equal(results.filter((x) => !x).length, extra + 1);
  assert.equal(await droppedUnverified("2026-03-01"), extra + 1, "the rest is counted");
  // A verified notification is stored raw, cap or not.
  const key = await builtinServerKey();
  const good = {
    order_id: "nobody-7",
    status_code: "200",
    gross_amount: "1.00",
    signature_key: await notificationSignature("nobody-7", "200", "1.00", key),
    pad: "B".repeat(4000),
  };
  const ok = await receiveNotification(enc(good), { nowMs: nowMs + 500 });
  assert.equal(ok.status, 200);
  assert.ok(ok.stored);
  assert.equal(ok.record.raw, JSON.stringify(good));
  assert.equal(ok.record.expiresAt, undefined);
});
