/**
 * The client's payment pages through the app: the history with its status
 * and date filters (a GET form; bad dates re-render with translated field
 * errors, 400), the detail page (own payments only), and the roles allowed.
 * `GET /api/payments` scopes: payer, payee, admin.
 */
import assert from "node:assert/strict";
import { apiLogin, appHandler, freshKv, get, makeUser, signIn } from "./helpers.ts";
import { applyTransaction, startPayment } from "@/lib/payments/store.ts";
import { paymentInput } from "./payments_fixtures.ts";
import type { PaymentEffect } from "@/lib/payments/model.ts";

Deno.env.set("APP_ENV", "test");
Deno.env.delete("MIDTRANS_SERVER_KEY");
Deno.env.delete("MIDTRANS_ENV");

const noEffect: PaymentEffect = () => Promise.resolve();

Deno.test("client payment history: list, status and date filters, detail of own payments only", async () => {
  await freshKv();
  const handler = await appHandler();
  const client = await makeUser("client");
  const other = await makeUser("client");
  const psy = await makeUser("psychologist");
  await startPayment(paymentInput("bk-pg-1", { payerId: client.id, payeeId: psy.id }));
  await startPayment(paymentInput("bk-pg-2", { payerId: client.id, payeeId: psy.id }));
  await startPayment(paymentInput("bk-pg-3", { payerId: other.id, payeeId: psy.id }));
  await applyTransaction("bk-pg-2", {
    status_code: "200",
    transaction_status: "settlement",
    fraud_status: "accept",
    gross_amount: "150000.00",
    payment_type: "bank_transfer",
    va_numbers: [{ bank: "bni", va_number: "9881000" }],
  }, { effects: { booking: noEffect } });
  const { cookie } = await signIn(handler, client.email!, client.password);

  const all = await (await get(handler, "/client/payments", { cookie })).text();
  assert.match(all, /bk-pg-1/);
  assert.match(all, /bk-pg-2/);
  assert.ok(!all.includes("bk-pg-3"), "another client's payment is not listed");
  assert.match(all, /Lunas/);
  assert.match(all, /Transfer virtual account BNI/);
  assert.match(all, /Rp\s?150\.000/);

  const paid = await (await get(handler, "/client/payments?status=paid", { cookie })).text();
  assert.match(paid, /bk-pg-2/);
  assert.ok(!paid.includes("/client/payments/bk-pg-1"));
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date());
  const inRange = await (await get(handler, `/client/payments?from=${today}&to=${today}`, { cookie })).text();
  assert.match(inRange, /bk-pg-1/);
  const past = await (await get(handler, "/client/payments?from=2020-01-01&to=2020-01-31", { cookie })).text();
  assert.match(past, /Tidak ada pembayaran yang cocok/);

  const bad = await get(handler, "/client/payments?from=2026-02-30&to=2020-01-01", { cookie });
  assert.equal(bad.status, 400);
  const badHtml = await bad.text();
  assert.match(badHtml, /aria-invalid="true"/);
  const reversed = await get(handler, "/client/payments?from=2026-03-02&to=2026-03-01", { cookie });
  assert.equal(reversed.status, 400);
  assert.match(await reversed.text(), /Tanggal akhir tidak boleh sebelum tanggal awal/);

  const detail = await get(handler, "/client/payments/bk-pg-2", { cookie });
  assert.equal(detail.status, 200);
  const d = await detail.text();
  assert.match(d, /Lihat pemesanan/);
  assert.ok(!d.includes("Bayar sekarang"), "no pay link once paid");
  assert.match(await (await get(handler, "/client/payments/bk-pg-1", { cookie })).text(), /Bayar sekarang/);
  assert.equal((await get(handler, "/client/payments/bk-pg-3", { cookie })).status, 404, "not another's");
  assert.equal((await get(handler, "/client/payments/bad%20id", { cookie })).status, 404);

  const psyCookie = (await signIn(handler, psy.email!, psy.password)).cookie;
  assert.equal((await get(handler, "/client/payments", { cookie: psyCookie })).status, 403);
  const anon = await get(handler, "/client/payments");
  assert.ok(anon.status === 303 || anon.status === 302 || anon.status === 401, String(anon.status));
});

Deno.test("GET /api/payments: payer sees own, payee incoming, admin all; filters and cursor", async () => {
  await freshKv();
  const handler = await appHandler();
  const client = await makeUser("client");
  const psy = await makeUser("psychologist");
  const admin = await makeUser("admin");
  for (let i = 0; i < 5; i++) await startPayment(paymentInput(`bk-api-${i}`, { payerId: client.id, payeeId: psy.id }));
  await startPayment(paymentInput("bk-api-x", { payerId: "someone-else", payeeId: null }));
  const tok = async (u: { email: string | null; password: string }) =>
    (await apiLogin(handler, u.email!, u.password)).token;
  const c = await tok(client);
  const first = await (await get(handler, "/api/payments?limit=3", { token: c })).json();
  assert.equal(first.items.length, 3);
  assert.ok(first.cursor);
  assert.equal(first.items[0].orderId, "bk-api-4", "newest first");
  const second = await (await get(handler, `/api/payments?limit=3&cursor=${encodeURIComponent(first.cursor)}`, {
    token: c,
  })).json();
  assert.equal(second.items.length, 2);
  assert.equal(second.cursor, null);
  assert.equal((await (await get(handler, "/api/payments", { token: await tok(psy) })).json()).items.length, 5);
  assert.equal((await (await get(handler, "/api/payments", { token: await tok(admin) })).json()).items.length, 6);
  assert.equal((await (await get(handler, "/api/payments?status=paid", { token: c })).json()).items.length, 0);
  // Instants as bounds (exclusive `to`), dates as whole local days.
  const hourAgo = encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString());
  const inAnHour = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
  const within = await (await get(handler, `/api/payments?from=${hourAgo}&to=${inAnHour}`, { token: c })).json();
  assert.equal(within.items.length, 5);
  const before = await (await get(handler, `/api/payments?to=${hourAgo}`, { token: c })).json();
  assert.equal(before.items.length, 0);
  const reversed = await get(handler, `/api/payments?from=${inAnHour}&to=${hourAgo}`, { token: c });
  assert.equal(reversed.status, 400);
  assert.equal((await reversed.json()).error.fields.to, "Tanggal akhir tidak boleh sebelum tanggal awal.");
  for (
    const q of [
      "status=done",
      "from=1999-12-31",
      "to=2026-1-1",
      "limit=0",
      "limit=51",
      "cursor=%%%",
      "from=2026-01-01T00:00:00",
      "to=1999-01-01T00:00:00Z",
    ]
  ) {
    const r = await get(handler, `/api/payments?${q}`, { token: c });
    assert.equal(r.status, 400, q);
  }
  assert.equal((await get(handler, "/api/payments")).status, 401);
});

Deno.test("GET /api/payments: only the payer gets the Snap link (snapToken, redirectUrl)", async () => {
  await freshKv();
  const handler = await appHandler();
  const client = await makeUser("client");
  const psy = await makeUser("psychologist");
  const admin = await makeUser("admin");
  await startPayment(paymentInput("bk-view-1", { payerId: client.id, payeeId: psy.id }));
  const items = async (u: { email: string | null; password: string }) =>
    (await (await get(handler, "/api/payments", { token: (await apiLogin(handler, u.email!, u.password)).token }))
      .json()).items as Record<string, unknown>[];
  const own = await items(client);
  assert.equal(own.length, 1);
  assert.equal(typeof own[0].snapToken, "string");
  assert.match(String(own[0].redirectUrl), /^https?:\/\//);
  for (const [who, u] of [["payee", psy], ["admin", admin]] as const) {
    const seen = await items(u);
    assert.equal(seen.length, 1, who);
    assert.equal(seen[0].orderId, "bk-view-1", who);
    assert.ok(!("snapToken" in seen[0]) && !("redirectUrl" in seen[0]), `${who} gets no payment link`);
    const text = JSON.stringify(seen);
    assert.ok(!text.includes(String(own[0].snapToken)), `${who}: the token appears nowhere`);
  }
});
