/**
 * Notification handling: N real bookings (of 10 psychologists) are paid in the builtin sandbox,
 * then their signed settlement notifications are POSTed over real HTTP to
 * the running app (`/api/payments/midtrans/notification`) with `concurrency`
 * in flight. Each request verifies the signature, asks the status API (the
 * builtin sandbox, in process) and applies the state with the booking's
 * effect in one commit (e-mails after it). A second pass replays the same
 * notifications (verified, confirmed, `unchanged`). KV file in a temp
 * directory (the embedded default's storage engine).
 */
import { useKv } from "@/lib/db/kv.ts";
import { createUser } from "@/lib/auth/users.ts";
import { buildApp } from "@/main.ts";
import { createBooking, MAX_UNPAID_PER_CLIENT } from "@/lib/booking/create.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import { sandboxPay, transactionBody } from "@/lib/payments/sandbox.ts";
import { getPayment } from "@/lib/payments/store.ts";
import { bookablePsychologist, jakartaAt } from "../tests/booking_fixtures.ts";
import { percentile, round } from "./lib.ts";

/** Runs the benchmark; returns requests/s and latency of first deliveries and of replays. */
export async function benchPayments(opts: { bookings?: number; concurrency?: number } = {}) {
  const n = opts.bookings ?? 100;
  const concurrency = opts.concurrency ?? 8;
  const dir = await Deno.makeTempDir({ prefix: "rp-bench-pay-" });
  const kv = await Deno.openKv(`${dir}/kv.sqlite3`);
  useKv(kv);
  Deno.env.delete("MIDTRANS_ENV");
  Deno.env.delete("MIDTRANS_SERVER_KEY");
  const ac = new AbortController();
  const app = await buildApp();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} }, app.handler());
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    // Ten psychologists: payments of one psychologist's bookings touch the same availability key.
    const psys = [];
    for (let i = 0; i < 10; i++) psys.push(await bookablePsychologist({ horizonDays: 60 }));
    const orders: string[] = [];
    const perClient = MAX_UNPAID_PER_CLIENT;
    let client = null;
    for (let i = 0; i < n; i++) {
      if (i % perClient === 0) {
        client = await createUser({
          role: "client",
          name: `Klien Bench ${i}`,
          email: `klien${i}@bench.test`,
          gender: "female",
          birthDate: "1995-06-15",
        });
      }
      const psy = psys[i % psys.length];
      const k = Math.floor(i / psys.length);
      const day = 1 + Math.floor(k / 8);
      const hour = 8 + (k % 8);
      const { payment } = await createBooking(client!, {
        psychologistId: psy.id,
        serviceId: psy.profile.services[0].id,
        startsAt: jakartaAt(day, `${String(hour).padStart(2, "0")}:00`),
      });
      orders.push(payment.orderId);
    }
    // Pay in the sandbox with deliveries going nowhere, so the benchmark sends them itself.
    Deno.env.set("BASE_URL", "http://127.0.0.1:9");
    const bodies: string[] = [];
    for (const o of orders) {
      const { tx } = await sandboxPay(o, "bca_va", "settlement");
      bodies.push(JSON.stringify(await transactionBody(tx, "midtrans payment notification")));
    }
    Deno.env.set("BASE_URL", base);
    const url = `${base}/api/payments/midtrans/notification`;
    const pass = async () => {
      const lat: number[] = [];
      let next = 0;
      let errors = 0;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++];
          const s = performance.now();
          const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
          await res.body?.cancel();
          if (res.status !== 200) errors++;
          lat.push(performance.now() - s);
        }
      }));
      const seconds = (performance.now() - t0) / 1000;
      return {
        rps: round(bodies.length / seconds, 0),
        p50: round(percentile(lat, 50), 2),
        p99: round(percentile(lat, 99), 2),
        errors,
      };
    };
    const first = await pass();
    await bookingMailIdle();
    let paid = 0;
    for (const o of orders) if ((await getPayment(o))?.status === "paid") paid++;
    const replay = await pass();
    return { notifications: n, concurrency, paid, first, replay };
  } finally {
    ac.abort();
    await server.finished;
    await bookingMailIdle();
    kv.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
