/**
 * The builtin Midtrans sandbox and the Snap side of payments: starting a
 * payment creates a real sandbox transaction (Snap protocol, Basic auth),
 * the Snap endpoint validates like Snap, the payment page renders every
 * method (a real QR for QRIS), and the sandbox routes are 404 unless
 * `MIDTRANS_ENV=builtin`.
 */
import assert from "node:assert/strict";
import { appHandler, freshKv, get } from "./helpers.ts";
import { getPayment, startPayment } from "@/lib/payments/store.ts";
import { paymentInput } from "./payments_fixtures.ts";
import { qrisPayload, sandboxTransaction } from "@/lib/payments/sandbox.ts";
import { qrPng } from "@/lib/guestbook/qr_image.ts";
import { decodeJsqr } from "@/lib/qr/jsqr.ts";
import { Buffer } from "node:buffer";
import { PNG } from "pngjs";
import { builtinServerKey } from "@/lib/payments/secret.ts";
import { basicAuth } from "@/lib/payments/midtrans.ts";

Deno.env.set("APP_ENV", "test");
Deno.env.delete("MIDTRANS_SERVER_KEY");
Deno.env.delete("MIDTRANS_ENV");

Deno.test("startPayment: Snap transaction in the builtin sandbox, payment pending with the commission split", async () => {
  await freshKv();
  const p = await startPayment(paymentInput("bk-01JTEST1"));
  assert.equal(p.status, "pending");
  assert.equal(p.grossAmountIdr, 150_000);
  assert.equal(p.commissionIdr + p.payoutIdr, 150_000);
  assert.equal(p.commissionIdr, 15_000);
  assert.match(p.redirectUrl, /\/sandbox\/midtrans\/snap\/v4\/redirection\/[0-9a-f-]{36}$/);
  assert.deepEqual(await getPayment("bk-01JTEST1"), p);
  const tx = await sandboxTransaction("bk-01JTEST1");
  assert.equal(tx?.token, p.snapToken);
  assert.equal(tx?.grossAmount, 150_000);
  // Snap expiry = the payment window (15 minutes, rounded up to whole minutes).
  assert.ok(Math.abs(tx!.expiresAtMs - Date.parse(p.expiresAt)) <= 61_000);
  await assert.rejects(startPayment(paymentInput("bk-01JTEST1")), /payment_exists/);
});

Deno.test("startPayment: bad input is a ValidationError and stores nothing", async () => {
  const kv = await freshKv();
  await assert.rejects(startPayment(paymentInput("bad order id!")), /validation_failed/);
  await assert.rejects(startPayment(paymentInput("bk-sum", { grossAmountIdr: 140_000 })), /validation_failed/);
  await assert.rejects(startPayment(paymentInput("bk-frac", { grossAmountIdr: 1.5 })), /validation_failed/);
  const left = [];
  for await (const e of kv.list({ prefix: ["payments"] })) left.push(e);
  assert.equal(left.length, 0);
});

Deno.test("sandbox Snap endpoint over the app: Basic auth, Snap's validation, 201 {token, redirect_url}", async () => {
  await freshKv();
  const handler = await appHandler();
  const key = await builtinServerKey();
  const body = {
    transaction_details: { order_id: "snap-1", gross_amount: 200_000 },
    item_details: [{ id: "a", price: 100_000, quantity: 2, name: "Sesi" }],
    customer_details: { first_name: "A" },
    expiry: { unit: "minute", duration: 15 },
    callbacks: { finish: "http://localhost/done" },
  };
  const send = (b: unknown, auth: string | null) =>
    handler(
      new Request("http://localhost/sandbox/midtrans/snap/v1/transactions", {
        method: "POST",
        headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify(b),
      }),
    );
  const noAuth = await send(body, null);
  assert.equal(noAuth.status, 401);
  assert.ok(Array.isArray((await noAuth.json()).error_messages));
  assert.equal((await send(body, basicAuth("SB-Mid-server-wrong"))).status, 401);
  const badSum = await send({ ...body, transaction_details: { order_id: "snap-1", gross_amount: 1 } }, basicAuth(key));
  assert.equal(badSum.status, 400);
  assert.match((await badSum.json()).error_messages[0], /sum of item_details/);
  const ok = await send(body, basicAuth(key));
  assert.equal(ok.status, 201);
  const { token, redirect_url } = await ok.json();
  assert.match(token, /^[0-9a-f-]{36}$/);
  assert.ok(redirect_url.endsWith(`/sandbox/midtrans/snap/v4/redirection/${token}`));
  const again = await send(body, basicAuth(key));
  assert.equal(again.status, 400, "an order id is used once");
});

Deno.test("sandbox payment page: amount, methods, virtual account, a QRIS code that decodes", async () => {
  await freshKv();
  const handler = await appHandler();
  const p = await startPayment(paymentInput("bk-page-1"));
  const path = new URL(p.redirectUrl).pathname;
  const res = await get(handler, path);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /150\.000/);
  assert.match(html, /bk-page-1/);
  for (
    const m of [
      "BCA Virtual Account",
      "BNI Virtual Account",
      "BRI Virtual Account",
      "Mandiri Bill Payment",
      "GoPay",
      "QRIS",
    ]
  ) {
    assert.ok(html.includes(m), m);
  }
  assert.match(html, /data-testid="snap-va">12345\d{12}</);
  const qris = await (await get(handler, `${path}?method=qris`)).text();
  const svg = qris.match(/<svg[\s\S]*?<\/svg>/)?.[0];
  assert.ok(svg, "QR image on the page");
  assert.match(svg, /<path fill="#000" d="M/);
  assert.equal(
    (await get(handler, "/sandbox/midtrans/snap/v4/redirection/00000000-0000-0000-0000-000000000000")).status,
    404,
  );
});

Deno.test("sandbox routes are 404 unless MIDTRANS_ENV=builtin", async () => {
  await freshKv();
  const handler = await appHandler();
  Deno.env.set("MIDTRANS_ENV", "sandbox");
  try {
    for (const path of ["/sandbox/midtrans/snap/v4/redirection/x", "/sandbox/midtrans/v2/a/status"]) {
      assert.equal((await get(handler, path)).status, 404, path);
    }
    const post = await handler(
      new Request("http://localhost/sandbox/midtrans/snap/v1/transactions", { method: "POST", body: "{}" }),
    );
    assert.equal(post.status, 404);
  } finally {
    Deno.env.delete("MIDTRANS_ENV");
  }
});

Deno.test("APP_ENV=production without Midtrans keys: no sandbox, payments fail closed (503)", async () => {
  await freshKv();
  const handler = await appHandler();
  const mode = Deno.env.get("APP_ENV");
  Deno.env.set("APP_ENV", "production");
  try {
    assert.equal((await get(handler, "/sandbox/midtrans/snap/v4/redirection/x")).status, 404);
    await assert.rejects(
      () => startPayment(paymentInput("bk-prod-1")),
      (e: Error) => /payment_provider_unavailable/.test(e.message),
    );
    Deno.env.set("MIDTRANS_ENV", "builtin");
    assert.equal(
      (await startPayment(paymentInput("bk-prod-2"))).status,
      "pending",
      "an explicit MIDTRANS_ENV=builtin opts in",
    );
  } finally {
    if (mode === undefined) Deno.env.delete("APP_ENV");
    else Deno.env.set("APP_ENV", mode);
    Deno.env.delete("MIDTRANS_ENV");
  }
});

Deno.test("sandbox QRIS: the QR decodes to an EMVCo payload with the amount and a valid CRC-16", async () => {
  await freshKv();
  await startPayment(paymentInput("bk-qris-1"));
  const payload = qrisPayload((await sandboxTransaction("bk-qris-1"))!);
  const png = PNG.sync.read(Buffer.from(qrPng(payload, 6)));
  const text = decodeJsqr({ data: new Uint8Array(png.data), width: png.width, height: png.height });
  assert.equal(text, payload);
  assert.match(payload, /^000201010212/, "payload format 01, dynamic QR");
  assert.ok(payload.includes("5303360"), "currency IDR (360)");
  assert.ok(payload.includes("5406150000"), "amount 150000");
  // CRC-16/CCITT-FALSE over everything up to and including "6304" (EMVCo QRCPS §4.7.3).
  const body = payload.slice(0, -4);
  let crc = 0xffff;
  for (const ch of new TextEncoder().encode(body)) {
    crc ^= ch << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  assert.equal(payload.slice(-4), crc.toString(16).toUpperCase().padStart(4, "0"));
  assert.equal(body.slice(-4), "6304");
  // The check value of the standard: CRC-16/CCITT-FALSE("123456789") = 29B1.
  let check = 0xffff;
  for (const ch of new TextEncoder().encode("123456789")) {
    check ^= ch << 8;
    for (let i = 0; i < 8; i++) check = check & 0x8000 ? ((check << 1) ^ 0x1021) & 0xffff : (check << 1) & 0xffff;
  }
  assert.equal(check, 0x29b1);
});
