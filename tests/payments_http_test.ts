/**
 * Payments of real bookings over real HTTP (a server on a loopback port, the
 * builtin sandbox sending signed notifications to it as Midtrans would):
 * pay → the booking is paid; a replayed notification changes nothing; deny
 * and expire free the slot for the next client; the reconcile job expires a
 * booking whose payment never started; the sandbox retries a notification
 * our endpoint refused, bounded.
 */
import assert from "node:assert/strict";
import { startServer } from "./browser/harness.ts";
import { makeUser } from "./helpers.ts";
import { bookablePsychologist, jakartaAt } from "./booking_fixtures.ts";
import { createBooking } from "@/lib/booking/create.ts";
import { getBooking } from "@/lib/booking/store.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import { getPayment, refundPayment } from "@/lib/payments/store.ts";
import { deliverNotification, NOTIFY_DELAYS_MS, sandboxTransaction, transactionBody } from "@/lib/payments/sandbox.ts";
import { notificationsOf } from "@/lib/payments/notification.ts";
import { reconcilePayments } from "@/lib/payments/jobs.ts";

const OPTS = { sanitizeResources: false, sanitizeOps: false };

Deno.env.delete("MIDTRANS_ENV");
Deno.env.delete("MIDTRANS_SERVER_KEY");

async function pay(base: string, orderId: string, method: string, outcome: string) {
  const res = await fetch(`${base}/sandbox/midtrans/pay/${orderId}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ method, outcome }),
  });
  return { status: res.status, json: await res.json() };
}

Deno.test({
  name: "payments over HTTP: paid booking, replay harmless, deny and expire free the slot",
  ...OPTS,
  async fn() {
    const srv = await startServer();
    try {
      const psy = await bookablePsychologist();
      const [a, b, c] = [await makeUser("client"), await makeUser("client"), await makeUser("client")];
      const startsAt = jakartaAt(2, "10:00");
      const input = { psychologistId: psy.id, serviceId: psy.profile.services[0].id, startsAt };

      const first = await createBooking(a, input);
      const paid = await pay(srv.url, first.payment.orderId, "bca_va", "settlement");
      assert.equal(paid.status, 200);
      assert.equal(paid.json.notification_status, 200, "our endpoint accepted the signed notification");
      assert.equal((await getPayment(first.payment.orderId))?.status, "paid");
      assert.equal((await getBooking(first.booking.id))?.status, "paid");
      // Midtrans may send the same notification again: nothing changes.
      const tx = (await sandboxTransaction(first.payment.orderId))!;
      const replay = await fetch(`${srv.url}/api/payments/midtrans/notification`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(await transactionBody(tx, "midtrans payment notification")),
      });
      assert.equal(replay.status, 200);
      assert.equal((await replay.json()).result, "unchanged");
      assert.deepEqual((await notificationsOf(first.payment.orderId)).map((n) => n.result), ["applied", "unchanged"]);

      // Another slot: the bank denies; the slot is free again for the next client.
      const other = { ...input, startsAt: jakartaAt(2, "14:00") };
      const denied = await createBooking(b, other);
      assert.equal((await pay(srv.url, denied.payment.orderId, "credit_card", "deny")).json.notification_status, 200);
      assert.equal((await getPayment(denied.payment.orderId))?.status, "failed");
      assert.equal((await getBooking(denied.booking.id))?.status, "expired");
      const next = await createBooking(c, other);
      assert.equal(next.booking.status, "awaiting_payment", "the denied slot was freed");
      // And one expiring: freed as well.
      assert.equal((await pay(srv.url, next.payment.orderId, "qris", "expire")).json.notification_status, 200);
      assert.equal((await getPayment(next.payment.orderId))?.status, "expired");
      assert.equal((await getBooking(next.booking.id))?.status, "expired");
      assert.equal((await createBooking(a, other)).booking.status, "awaiting_payment");
      // A finished transaction cannot be paid again.
      assert.equal((await pay(srv.url, first.payment.orderId, "bca_va", "settlement")).status, 409);
      await bookingMailIdle();
    } finally {
      await srv.stop();
    }
  },
});

Deno.test({
  name: "payments over HTTP: the reconcile job expires a booking whose payment never started",
  ...OPTS,
  async fn() {
    const srv = await startServer();
    try {
      const psy = await bookablePsychologist();
      const client = await makeUser("client");
      const { booking, payment } = await createBooking(client, {
        psychologistId: psy.id,
        serviceId: psy.profile.services[0].id,
        startsAt: jakartaAt(3, "09:00"),
      });
      const after = Date.parse(payment.expiresAt) + 60_000;
      const r = await reconcilePayments(after);
      assert.deepEqual(r, { checked: 1, applied: 1, failed: 0 });
      assert.equal((await getPayment(payment.orderId))?.status, "expired");
      assert.equal((await getBooking(booking.id))?.status, "expired");
      assert.deepEqual(await reconcilePayments(after), { checked: 0, applied: 0, failed: 0 });
      await bookingMailIdle();
    } finally {
      await srv.stop();
    }
  },
});

Deno.test({
  name: "sandbox notifications: a non-2xx answer is retried with backoff, a bounded number of times",
  ...OPTS,
  async fn() {
    const srv = await startServer();
    // A notification URL that refuses twice, then accepts.
    let calls = 0;
    const ac = new AbortController();
    const flaky = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} }, async (req) => {
      calls++;
      await req.body?.cancel();
      return new Response(null, { status: calls <= 2 ? 500 : 200 });
    });
    try {
      const psy = await bookablePsychologist();
      const client = await makeUser("client");
      const { payment } = await createBooking(client, {
        psychologistId: psy.id,
        serviceId: psy.profile.services[0].id,
        startsAt: jakartaAt(4, "11:00"),
      });
      const paid = await pay(srv.url, payment.orderId, "gopay", "settlement");
      assert.equal(paid.json.notification_status, 200);
      Deno.env.set("BASE_URL", `http://127.0.0.1:${flaky.addr.port}`);
      assert.equal(await deliverNotification(payment.orderId, 1), 500);
      assert.equal(await deliverNotification(payment.orderId, 2), 500);
      assert.equal(await deliverNotification(payment.orderId, 3), 200);
      const tx = (await sandboxTransaction(payment.orderId))!;
      assert.deepEqual(tx.deliveries.map((d) => d.status), [200, 500, 500, 200]);
      assert.equal(NOTIFY_DELAYS_MS.length, 5, "five attempts in all");
      assert.ok(NOTIFY_DELAYS_MS.every((d, i) => i === 0 || d > NOTIFY_DELAYS_MS[i - 1]), "growing delays");
      await bookingMailIdle();
    } finally {
      Deno.env.set("BASE_URL", srv.url);
      ac.abort();
      await flaky.finished;
      await srv.stop();
    }
  },
});

Deno.test({
  name: "payments over HTTP: a paid payment is refunded once through the refund API",
  ...OPTS,
  async fn() {
    const srv = await startServer();
    try {
      const psy = await bookablePsychologist();
      const client = await makeUser("client");
      const { payment } = await createBooking(client, {
        psychologistId: psy.id,
        serviceId: psy.profile.services[0].id,
        startsAt: jakartaAt(5, "13:00"),
      });
      await assert.rejects(refundPayment(payment.orderId, "test"), /payment_not_paid/);
      assert.equal((await pay(srv.url, payment.orderId, "gopay", "settlement")).json.notification_status, 200);
      const refunded = await refundPayment(payment.orderId, "rejected by the psychologist");
      assert.equal(refunded.status, "refunded");
      assert.ok(refunded.refundedAt);
      const tx = (await sandboxTransaction(payment.orderId))!;
      assert.equal(tx.status, "refund");
      assert.equal(tx.refundAmount, 150_000);
      assert.equal(tx.deliveries.at(-1)?.status, 200, "the refund notification was accepted");
      assert.equal((await refundPayment(payment.orderId, "again")).status, "refunded", "a second call is a no-op");
      assert.equal((await sandboxTransaction(payment.orderId))!.deliveries.length, tx.deliveries.length);
      await bookingMailIdle();
    } finally {
      await srv.stop();
    }
  },
});
