/**
 * Property tests (fast-check via tests/fuzz.ts) of every payments endpoint
 * and form: the notification endpoint, `GET /api/payments`, the client's
 * history form, and the builtin sandbox's Snap, pay, status and refund
 * endpoints. Whatever arrives: no 5xx, and nothing half-written — payments
 * change only through a verified, status-API-confirmed state, and every
 * payment keeps all its index copies.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { apiLogin, appHandler, freshKv, get, makeUser, signIn } from "./helpers.ts";
import { asText, fuzz } from "./fuzz.ts";
import { startPayment } from "@/lib/payments/store.ts";
import { builtinServerKey } from "@/lib/payments/secret.ts";
import { basicAuth, notificationSignature } from "@/lib/payments/midtrans.ts";
import type { Payment } from "@/lib/payments/model.ts";
import { paymentInput } from "./payments_fixtures.ts";

Deno.env.set("APP_ENV", "test");
Deno.env.delete("MIDTRANS_SERVER_KEY");
Deno.env.delete("MIDTRANS_ENV");
// The sandbox's deliveries go nowhere (nothing listens on the discard port).
Deno.env.set("BASE_URL", "http://127.0.0.1:9");

const nasty = fc.constantFrom(
  "",
  " ",
  "0",
  "-1",
  "1e308",
  "NaN",
  "150000.00",
  "150000",
  "150000.001",
  "200",
  "201",
  "407",
  "settlement",
  "capture",
  "accept",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "\u0000",
  "\ud800",
  "a".repeat(300),
  "bk-fz-1",
  "%%%",
  "2026-02-30",
  "9999-12-31",
);
const value = fc.oneof(
  nasty,
  fc.string({ maxLength: 60 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);

/** Every payment with exactly its copies (payer, payee, time; pending index while pending). */
async function consistent(kv: Deno.Kv): Promise<Payment[]> {
  const payments: Payment[] = [];
  for await (const e of kv.list<Payment>({ prefix: ["payments"] })) payments.push(e.value);
  let copies = 0;
  for (const p of ["payments_by_payer", "payments_by_payee", "payments_by_time"]) {
    for await (const e of kv.list<Payment>({ prefix: [p] })) {
      copies++;
      const own = payments.find((x) => x.orderId === e.key.at(-1));
      assert.deepEqual(e.value, own, `stale copy ${JSON.stringify(e.key)}`);
    }
  }
  assert.equal(copies, payments.reduce((n, p) => n + (p.payeeId ? 3 : 2), 0), "index copies");
  let pending = 0;
  for await (const _ of kv.list({ prefix: ["payments_pending"] })) pending++;
  assert.equal(pending, payments.filter((p) => p.status === "pending").length, "pending index");
  return payments;
}

Deno.test("fuzz: the notification endpoint never 5xx; only a verified, confirmed state changes a payment", async (t) => {
  const kv = await freshKv();
  const handler = await appHandler();
  await startPayment(paymentInput("bk-fz-1"));
  const key = await builtinServerKey();
  const before = JSON.stringify(await consistent(kv));
  const body = fc.record({
    fields: fc.dictionary(
      fc.constantFrom("order_id", "status_code", "gross_amount", "transaction_status", "fraud_status", "extra"),
      value,
      { maxKeys: 6 },
    ),
    sign: fc.boolean(),
    raw: fc.option(fc.string({ maxLength: 200 }), { freq: 4 }),
  });
  await fuzz(
    t,
    fc.asyncProperty(body, async ({ fields, sign, raw }) => {
      const f: Record<string, unknown> = { ...fields };
      if (
        sign && typeof f.order_id === "string" && typeof f.status_code === "string" &&
        typeof f.gross_amount === "string"
      ) {
        f.signature_key = await notificationSignature(f.order_id, f.status_code, f.gross_amount, key);
      } else if (sign) f.signature_key = "0".repeat(128);
      let text: string;
      try {
        text = raw ?? JSON.stringify(f);
      } catch {
        text = "{}";
      }
      const res = await handler(
        new Request("http://localhost/api/payments/midtrans/notification", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: text,
        }),
      );
      assert.ok([200, 400, 403, 429].includes(res.status), `status ${res.status} for ${text.slice(0, 200)}`);
      await res.body?.cancel();
      // Nothing was charged in the sandbox, so no notification can move the payment.
      assert.equal(JSON.stringify(await consistent(kv)), before);
    }),
    { numRuns: 150 },
  );
});

Deno.test("fuzz: GET /api/payments and the history form never 5xx", async (t) => {
  await freshKv();
  const handler = await appHandler();
  const client = await makeUser("client");
  await startPayment(paymentInput("bk-fz-2", { payerId: client.id }));
  const { cookie } = await signIn(handler, client.email!, client.password);
  const { token } = await apiLogin(handler, client.email!, client.password);
  const query = fc.dictionary(
    fc.constantFrom("status", "from", "to", "cursor", "limit", "x"),
    fc.oneof(nasty, fc.string({ maxLength: 30 })),
    { maxKeys: 5 },
  );
  await fuzz(
    t,
    fc.asyncProperty(query, fc.boolean(), async (q, page) => {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) {
        try {
          qs.set(k, v);
        } catch { /* lone surrogate */ }
      }
      const res = page
        ? await get(handler, `/client/payments?${qs}`, { cookie })
        : await get(handler, `/api/payments?${qs}`, { token });
      assert.ok(res.status === 200 || res.status === 400, `${res.status} ${qs}`);
      await res.body?.cancel();
    }),
    { numRuns: 120 },
  );
});

Deno.test("fuzz: the sandbox endpoints never 5xx; a refused Snap request stores nothing", async (t) => {
  const kv = await freshKv();
  const handler = await appHandler();
  const key = await builtinServerKey();
  await startPayment(paymentInput("bk-fz-3"));
  const countTx = async () => {
    let n = 0;
    for await (const _ of kv.list({ prefix: ["midtrans_sandbox_tx"] })) n++;
    return n;
  };
  const snapBody = fc.record({
    transaction_details: fc.option(
      fc.record({ order_id: fc.oneof(nasty, fc.string({ maxLength: 60 })), gross_amount: value }),
      { nil: undefined },
    ),
    item_details: fc.option(
      fc.array(fc.record({ id: value, price: value, quantity: value, name: value }), { maxLength: 3 }),
      { nil: undefined },
    ),
    expiry: fc.option(fc.record({ unit: value, duration: value, start_time: value }), { nil: undefined }),
    callbacks: fc.option(fc.record({ finish: value }), { nil: undefined }),
  });
  const op = fc.oneof(
    fc.record({ kind: fc.constant("snap" as const), body: snapBody, auth: fc.boolean() }),
    fc.record({
      kind: fc.constant("pay" as const),
      id: fc.oneof(nasty, fc.constant("bk-fz-3")),
      body: fc.dictionary(fc.constantFrom("method", "outcome", "x"), value, { maxKeys: 3 }),
      form: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant("status" as const),
      id: fc.oneof(nasty, fc.constant("bk-fz-3")),
      auth: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant("refund" as const),
      id: fc.oneof(nasty, fc.constant("bk-fz-3")),
      body: fc.dictionary(fc.constantFrom("amount", "refund_key", "reason"), value, { maxKeys: 3 }),
    }),
  );
  const seg = (s: string) => {
    try {
      return encodeURIComponent(s) || "x";
    } catch {
      return "%ED%A0%80";
    }
  };
  await fuzz(
    t,
    fc.asyncProperty(op, async (o) => {
      const before = await countTx();
      const auth = { authorization: basicAuth(key) };
      let res: Response;
      if (o.kind === "snap") {
        res = await handler(
          new Request("http://localhost/sandbox/midtrans/snap/v1/transactions", {
            method: "POST",
            headers: { "content-type": "application/json", ...(o.auth ? auth : {}) },
            body: JSON.stringify(o.body),
          }),
        );
        if (res.status !== 201) assert.equal(await countTx(), before, "a refused Snap request stores nothing");
      } else if (o.kind === "pay") {
        const body = o.form
          ? new URLSearchParams(Object.entries(o.body).map(([k, v]) => [k, asText(v)])).toString()
          : JSON.stringify(o.body);
        res = await handler(
          new Request(`http://localhost/sandbox/midtrans/pay/${seg(o.id)}`, {
            method: "POST",
            headers: {
              "content-type": o.form ? "application/x-www-form-urlencoded" : "application/json",
              accept: "application/json",
              origin: "http://localhost",
            },
            body,
          }),
        );
      } else if (o.kind === "status") {
        res = await handler(
          new Request(`http://localhost/sandbox/midtrans/v2/${seg(o.id)}/status`, { headers: o.auth ? auth : {} }),
        );
      } else {
        res = await handler(
          new Request(`http://localhost/sandbox/midtrans/v2/${seg(o.id)}/refund`, {
            method: "POST",
            headers: { "content-type": "application/json", ...auth },
            body: JSON.stringify(o.body),
          }),
        );
      }
      assert.ok(res.status < 500, `${o.kind} → ${res.status}`);
      await res.body?.cancel();
    }),
    { numRuns: 200 },
  );
  await consistent(kv);
});
