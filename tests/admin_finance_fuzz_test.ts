/**
 * Property tests (fast-check via tests/fuzz.ts) of the admin finance
 * endpoints: `GET /api/admin/transactions`, `GET /api/admin/finance`, the
 * transactions and finance pages, and the refund action (API and form).
 * Whatever arrives: no 5xx, and nothing half-written — a payment is refunded
 * exactly when its booking's refund is done, the due-refund index holds
 * exactly the bookings whose refund is due, and the ledger holds one `paid`
 * entry per paid or refunded payment and one `refunded` entry per refunded one.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { appHandler, freshKv, get, makeUser, postForm, sendJson, signIn } from "./helpers.ts";
import { fuzz } from "./fuzz.ts";
import { bookablePsychologist, jakartaAt } from "./booking_fixtures.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { createBooking } from "@/lib/booking/create.ts";
import { rejectBooking } from "@/lib/booking/lifecycle.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import type { Booking } from "@/lib/booking/model.ts";
import type { Payment } from "@/lib/payments/model.ts";
import { sandboxPay } from "@/lib/payments/sandbox.ts";
import { syncPayment } from "@/lib/payments/store.ts";

Deno.env.set("APP_ENV", "test");
Deno.env.delete("MIDTRANS_SERVER_KEY");
Deno.env.delete("MIDTRANS_ENV");
Deno.env.set("BASE_URL", "http://127.0.0.1:9");

const OPTS = { sanitizeResources: false, sanitizeOps: false };

const nasty = fc.constantFrom(
  "",
  " ",
  "0",
  "-1",
  "1e308",
  "NaN",
  "2026",
  "1999",
  "2101",
  "99999999999999999999",
  "2026-02-30",
  "2026-03-01",
  "9999-12-31",
  "0000-01-01",
  "paid",
  "refunded",
  "due",
  "csv",
  "json",
  "manual",
  "midtrans",
  "true",
  "1",
  "gopay",
  "bank_transfer",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "\u0000",
  "\ud800",
  "a".repeat(1200),
  "%%%",
);
const value = fc.oneof(nasty, fc.string({ maxLength: 40 }));
const QUERY_KEYS = ["status", "method", "from", "to", "psychologistId", "refund", "cursor", "limit", "format", "year"];
const query = fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS, "x"), value), { maxLength: 6 })
  .map((pairs) => new URLSearchParams(pairs).toString());
const bodyValue = fc.oneof(
  value,
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);
const refundBody = fc.record({
  mode: bodyValue,
  reference: bodyValue,
  confirm: fc.oneof(bodyValue, fc.constant(true), fc.constant("1")),
}, { requiredKeys: [] });

/** The invariants that make "nothing half-written" checkable. */
async function consistent(kv: Deno.Kv): Promise<void> {
  const payments = new Map<string, Payment>();
  for await (const e of kv.list<Payment>({ prefix: ["payments"] })) payments.set(e.value.orderId, e.value);
  const due = new Set<string>();
  for await (const e of kv.list({ prefix: ["booking_refunds_due"] })) due.add(String(e.key[1]));
  for await (const e of kv.list<Booking>({ prefix: ["bookings"] })) {
    const b = e.value;
    const p = payments.get(b.orderId)!;
    assert.equal(due.has(b.orderId), b.refund?.status === "due", `refund index of ${b.id}`);
    if (p.status === "refunded") assert.equal(b.refund?.status, "done", `refunded payment ⇒ refund done (${b.id})`);
    if (b.refund?.status === "done") assert.equal(p.status, "refunded", `refund done ⇒ payment refunded (${b.id})`);
  }
  const ledger = { paid: 0, refunded: 0 };
  for await (const e of kv.list({ prefix: ["payments_ledger"] })) ledger[e.key[3] as "paid" | "refunded"]++;
  const all = [...payments.values()];
  assert.equal(ledger.paid, all.filter((p) => p.paidAt).length, "one paid ledger entry per paid payment");
  assert.equal(ledger.refunded, all.filter((p) => p.status === "refunded").length, "one refund entry per refund");
}

Deno.test({
  name: "admin finance fuzz: hostile queries and refund bodies never give a 5xx nor a half-written record",
  ...OPTS,
  async fn(t) {
    const kv = await freshKv();
    const h = await appHandler();
    const admin = await makeUser("admin");
    const tok = (await createSession(admin.id, "bearer")).token;
    const { cookie } = await signIn(h, admin.email!, admin.password);
    const psy = await bookablePsychologist();
    const orders: string[] = [];
    for (const [i, hhmm] of ["09:00", "11:00", "13:00", "15:00"].entries()) {
      const client = await makeUser("client");
      const { booking, payment } = await createBooking(client, {
        psychologistId: psy.id,
        serviceId: psy.profile.services[0].id,
        startsAt: jakartaAt(4, hhmm),
      });
      orders.push(payment.orderId);
      if (i === 3) continue; // one stays unpaid
      await sandboxPay(payment.orderId, i === 2 ? "bca_va" : "gopay", "settlement");
      await syncPayment(payment.orderId);
      if (i < 2) await rejectBooking(booking.id, psy, "Sedang cuti"); // two refunds due
    }
    await consistent(kv);

    await fuzz(
      t,
      fc.asyncProperty(query, fc.constantFrom("/api/admin/transactions", "/api/admin/finance"), async (qs, path) => {
        const res = await get(h, `${path}?${qs}`, { token: tok });
        assert.ok(res.status === 200 || res.status === 400, `${path}?${qs} → ${res.status}`);
        await res.body?.cancel();
      }),
      { numRuns: 150, label: "api queries" },
    );
    await fuzz(
      t,
      fc.asyncProperty(query, fc.constantFrom("/admin/transactions", "/admin/finance"), async (qs, path) => {
        const res = await get(h, `${path}?${qs}`, { cookie });
        assert.ok(res.status === 200 || res.status === 400, `${path}?${qs} → ${res.status}`);
        await res.body?.cancel();
      }),
      { numRuns: 80, label: "page queries" },
    );
    await fuzz(
      t,
      fc.asyncProperty(
        refundBody,
        fc.oneof(fc.constantFrom(...orders), value),
        fc.boolean(),
        async (body, orderId, asForm) => {
          const path = `/transactions/${encodeURIComponent(orderId.toWellFormed())}`;
          const res = asForm
            ? await postForm(
              h,
              `/admin${path}`,
              Object.fromEntries(
                Object.entries(body).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v) ?? ""]),
              ),
              { cookie },
            )
            : await sendJson(h, `/api/admin${path}/refund`, body, { token: tok });
          assert.ok(res.status < 500, `${asForm ? "form" : "api"} ${orderId} ${JSON.stringify(body)} → ${res.status}`);
          await res.body?.cancel();
          await consistent(kv);
        },
      ),
      { numRuns: 120, label: "refund bodies" },
    );
    await bookingMailIdle();
  },
});
