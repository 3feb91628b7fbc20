/**
 * The admin finance API and pages over the app's handler: every endpoint and
 * page denies anonymous callers and every non-admin role; answers match their
 * documented schemas; CSV downloads; query validation (400 with fields); the
 * refund through the API (JSON) and through the page's confirmation form
 * (no JavaScript), idempotent and audited; the console home's cards.
 */
import assert from "node:assert/strict";
import { appHandler, freshKv, get, makeUser, postForm, sendJson, signIn, type TestUser } from "./helpers.ts";
import { bookablePsychologist, jakartaAt } from "./booking_fixtures.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { createBooking } from "@/lib/booking/create.ts";
import { rejectBooking } from "@/lib/booking/lifecycle.ts";
import { getBooking } from "@/lib/booking/store.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import { sandboxPay } from "@/lib/payments/sandbox.ts";
import { getPayment, syncPayment } from "@/lib/payments/store.ts";
import { listAudit } from "@/lib/audit.ts";
import { transactionsPageSchema } from "@/lib/admin/transactions.ts";
import { financeReportSchema } from "@/lib/admin/finance.ts";
import { platformStatsSchema } from "@/lib/admin/stats.ts";
import { refundResultSchema } from "@/lib/admin/refunds.ts";

Deno.env.set("APP_ENV", "test");
Deno.env.delete("MIDTRANS_SERVER_KEY");
Deno.env.delete("MIDTRANS_ENV");
Deno.env.set("BASE_URL", "http://127.0.0.1:9");

const OPTS = { sanitizeResources: false, sanitizeOps: false };

async function token(u: TestUser): Promise<string> {
  return (await createSession(u.id, "bearer")).token;
}

/** A booking paid through the sandbox, then rejected: its full price is due back. */
async function refundDueBooking() {
  const psy = await bookablePsychologist();
  const client = await makeUser("client");
  const { booking, payment } = await createBooking(client, {
    psychologistId: psy.id,
    serviceId: psy.profile.services[0].id,
    startsAt: jakartaAt(3, "11:00"),
  });
  await sandboxPay(payment.orderId, "qris", "settlement");
  await syncPayment(payment.orderId);
  await rejectBooking(booking.id, psy, "Sedang cuti");
  return { psy, client, booking, orderId: payment.orderId };
}

const API = ["/api/admin/transactions", "/api/admin/finance", "/api/admin/stats"];
const PAGES = ["/admin", "/admin/transactions", "/admin/finance", "/admin/stats"];

Deno.test({
  name: "admin finance: anonymous and every non-admin role are refused everywhere",
  ...OPTS,
  async fn() {
    await freshKv();
    const h = await appHandler();
    const { orderId } = await refundDueBooking();
    for (const path of API) {
      const res = await get(h, path);
      assert.equal(res.status, 401, path);
      await res.body?.cancel();
    }
    const refundPath = `/api/admin/transactions/${orderId}/refund`;
    const anon = await sendJson(h, refundPath, { confirm: true });
    assert.equal(anon.status, 401);
    await anon.body?.cancel();
    for (const role of ["client", "psychologist", "teacher", "receptionist", "guest"] as const) {
      const u = await makeUser(role);
      const tok = await token(u);
      for (const path of API) {
        const res = await get(h, path, { token: tok });
        assert.equal(res.status, 403, `${role} ${path}`);
        await res.body?.cancel();
      }
      const r = await sendJson(h, refundPath, { confirm: true }, { token: tok });
      assert.equal(r.status, 403, `${role} refund`);
      await r.body?.cancel();
      const cookie = `__Host-session=${(await createSession(u.id, "cookie")).token}`;
      for (const path of [...PAGES, `/admin/transactions/${orderId}`]) {
        const res = await get(h, path, { cookie, headers: { accept: "text/html" } });
        assert.equal(res.status, 403, `${role} ${path}`);
        await res.body?.cancel();
      }
      const form = await postForm(h, `/admin/transactions/${orderId}`, { confirm: "1" }, { cookie });
      assert.equal(form.status, 403, `${role} refund form`);
      await form.body?.cancel();
    }
    assert.equal((await getPayment(orderId))?.status, "paid", "nothing was refunded");
    assert.equal((await getBooking((await getPayment(orderId))!.purpose.id))?.refund?.status, "due");
    await bookingMailIdle();
  },
});

Deno.test({
  name: "admin finance API: documented shapes, CSV, validation, refund idempotent and audited",
  ...OPTS,
  async fn() {
    await freshKv();
    const h = await appHandler();
    const admin = await makeUser("admin");
    const tok = await token(admin);
    const { booking, orderId } = await refundDueBooking();

    let res = await get(h, "/api/admin/transactions?refund=due", { token: tok });
    assert.equal(res.status, 200);
    const page = transactionsPageSchema.parse(await res.json());
    assert.deepEqual(page.items.map((r) => r.orderId), [orderId]);
    assert.equal(page.totals.refundsDueIdr, booking.priceIdr);

    res = await get(h, "/api/admin/transactions?format=csv&status=paid", { token: tok });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
    assert.match(res.headers.get("content-disposition") ?? "", /attachment; filename="transaksi\.csv"/);
    const csv = await res.text();
    assert.equal(csv.trimEnd().split("\r\n").length, 2, "header + one row");
    assert.ok(csv.includes(orderId));

    for (
      const bad of [
        "from=2026-13-01",
        "from=2026-03-02&to=2026-03-01",
        "to=2101-01-01",
        "status=x",
        "limit=1000",
        "psychologistId=%00",
      ]
    ) {
      res = await get(h, `/api/admin/transactions?${bad}`, { token: tok });
      assert.equal(res.status, 400, bad);
      const body = await res.json();
      assert.equal(body.error.code, "validation_failed", bad);
      assert.ok(Object.keys(body.error.fields ?? {}).length > 0, bad);
    }
    res = await get(h, "/api/admin/transactions?cursor=%21%21%21", { token: tok });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.code, "invalid_cursor");

    const year = Temporal.Now.zonedDateTimeISO("Asia/Jakarta").year;
    res = await get(h, `/api/admin/finance?year=${year}`, { token: tok });
    assert.equal(res.status, 200);
    const fin = financeReportSchema.parse(await res.json());
    assert.equal(fin.totals.grossIdr, booking.priceIdr);
    for (const bad of ["1999", "2101", "x", "2026.5"]) {
      res = await get(h, `/api/admin/finance?year=${bad}`, { token: tok });
      assert.equal(res.status, 400, bad);
      await res.body?.cancel();
    }
    res = await get(h, `/api/admin/finance?year=${year}&format=csv`, {
      token: tok,
      headers: { "accept-language": "en" },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-disposition") ?? "", new RegExp(`-${year}\\.csv`));
    assert.equal((await res.text()).trimEnd().split("\r\n").length, 14);

    res = await get(h, "/api/admin/stats", { token: tok });
    assert.equal(res.status, 200);
    const stats = platformStatsSchema.parse(await res.json());
    assert.equal(stats.bookings.byStatus.rejected, 1);
    assert.equal(stats.bookings.refundsDue, 1);
    assert.ok(stats.activeUsers30d >= 1, "the admin's own session counts");

    const path = `/api/admin/transactions/${orderId}/refund`;
    res = await sendJson(h, path, {}, { token: tok });
    assert.equal(res.status, 400, "confirmation required");
    await res.body?.cancel();
    res = await sendJson(h, path, { confirm: true, mode: "manual" }, { token: tok });
    assert.equal(res.status, 400, "manual needs a reference");
    assert.ok((await res.json()).error.fields.reference);
    res = await sendJson(h, "/api/admin/transactions/nope/refund", { confirm: true }, { token: tok });
    assert.equal(res.status, 404);
    await res.body?.cancel();
    res = await sendJson(h, path, { confirm: true }, { token: tok });
    assert.equal(res.status, 200);
    const done = refundResultSchema.parse(await res.json());
    assert.deepEqual(done, {
      result: "refunded",
      orderId,
      paymentStatus: "refunded",
      bookingId: booking.id,
      refundStatus: "done",
    });
    res = await sendJson(h, path, { confirm: true }, { token: tok });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).result, "already_done");
    assert.equal((await listAudit({ target: `payment:${orderId}` })).items.length, 1, "audited once");
    await bookingMailIdle();
  },
});

Deno.test({
  name: "admin pages: transactions with filters and totals, refund through the confirmation form, finance, stats, home",
  ...OPTS,
  async fn() {
    await freshKv();
    const h = await appHandler();
    const admin = await makeUser("admin");
    const { cookie } = await signIn(h, admin.email!, admin.password);
    const { booking, orderId } = await refundDueBooking();

    let res = await get(h, "/admin/transactions", { cookie });
    assert.equal(res.status, 200);
    let html = await res.text();
    assert.ok(html.includes(orderId));
    assert.ok(html.includes(booking.clientName));
    assert.match(html, /data-testid="tx-totals"/);
    assert.ok(html.includes(`/admin/transactions/${orderId}?confirm=refund`), "refund button on the due row");
    assert.ok(html.includes("/api/admin/transactions?format=csv"), "CSV link");

    res = await get(h, "/admin/transactions?from=2026-02-30", { cookie });
    assert.equal(res.status, 400);
    html = await res.text();
    assert.match(html, /class="field-error"/);

    res = await get(h, `/admin/transactions/${orderId}?confirm=refund`, { cookie });
    assert.equal(res.status, 200);
    html = await res.text();
    assert.match(html, /data-testid="confirm-step"/);
    res = await postForm(h, `/admin/transactions/${orderId}`, { mode: "midtrans", confirm: "1" }, { cookie });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `/admin/transactions/${orderId}?done=refunded`);
    assert.equal((await getPayment(orderId))?.status, "refunded");
    assert.equal((await getBooking(booking.id))?.refund?.status, "done");
    html = await (await get(h, res.headers.get("location")!, { cookie })).text();
    assert.match(html, /alert-success/);
    assert.doesNotMatch(html, /data-testid="refund-start"/, "no refund button once refunded");
    res = await get(h, "/admin/transactions/unknown-order", { cookie, headers: { accept: "text/html" } });
    assert.equal(res.status, 404);
    await res.body?.cancel();

    res = await get(h, "/admin/finance", { cookie });
    assert.equal(res.status, 200);
    html = await res.text();
    assert.match(html, /data-testid="fin-table"/);
    assert.match(html, /<svg/);
    res = await get(h, "/admin/finance?year=3000", { cookie });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /class="field-error"/);

    res = await get(h, "/admin/stats", { cookie });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /data-testid="active-users"/);

    res = await get(h, "/admin", { cookie });
    assert.equal(res.status, 200);
    html = await res.text();
    for (
      const id of [
        "users",
        "applications",
        "psychologists",
        "articles",
        "reviews",
        "screening",
        "audit",
        "transactions",
        "finance",
        "stats",
      ]
    ) {
      assert.match(html, new RegExp(`data-testid="admin-card-${id}"`), id);
    }
    // The audit log links the refund entry to its transaction.
    html = await (await get(h, "/admin/audit", { cookie })).text();
    assert.ok(html.includes(`href="/admin/transactions/${orderId}"`), "audit entry links the transaction");
    await bookingMailIdle();
  },
});
