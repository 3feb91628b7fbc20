/**
 * The booking API over real HTTP with the built-in Midtrans sandbox (a real
 * server on a loopback port, so Snap calls and signed notifications travel
 * over HTTP as with Midtrans): 200 concurrent clients racing for overlapping
 * slots of both services get exactly one 201; the whole flow book → pay →
 * confirm; roles and ownership on every endpoint; hostile bodies never give a
 * 5xx nor a half-written booking (fast-check, seeds printed by tests/fuzz.ts).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import { startServer } from "./browser/harness.ts";
import { makeUser } from "./helpers.ts";
import { bookablePsychologist, jakartaAt } from "./booking_fixtures.ts";
import { createUser, type User } from "@/lib/auth/users.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { bookingCells } from "@/lib/booking/cells.ts";

const OPTS = { sanitizeResources: false, sanitizeOps: false };

async function tokenOf(u: User): Promise<string> {
  return (await createSession(u.id, "bearer")).token;
}

async function call(base: string, method: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      origin: base,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  return { status: res.status, json };
}

/** Every booking's indexes and cells agree with it: nothing half-written. */
async function consistent(kv: Deno.Kv): Promise<void> {
  const bookings: Booking[] = [];
  for await (const e of kv.list<Booking>({ prefix: ["bookings"] })) bookings.push(e.value);
  const ids = new Set(bookings.map((b) => b.id));
  for (const p of ["bookings_by_client", "bookings_by_psychologist"]) {
    let n = 0;
    for await (const e of kv.list<string>({ prefix: [p] })) {
      n++;
      const b = bookings.find((x) => x.id === e.value);
      assert.ok(b, `${p} points at a missing booking`);
      assert.equal(e.key[2], b.startsAt, `${p} of ${b.id} has the current start`);
    }
    assert.equal(n, bookings.length, `one ${p} key per booking`);
  }
  for await (const e of kv.list<{ bookingId: string }>({ prefix: ["slot_cells"] })) {
    assert.ok(ids.has(e.value.bookingId), "a cell belongs to a stored booking");
    const b = bookings.find((x) => x.id === e.value.bookingId)!;
    assert.ok(bookingCells(b).includes(e.key[2] as number), "a cell lies inside its booking");
  }
  for (const b of bookings) {
    if (!["awaiting_payment", "paid", "confirmed", "in_session"].includes(b.status)) continue;
    for (const c of bookingCells(b)) {
      const v = (await kv.get<{ bookingId: string }>(["slot_cells", b.psychologistId, c])).value;
      assert.equal(v?.bookingId, b.id, `active booking ${b.id} holds all its cells`);
    }
  }
}

Deno.test({
  name: "booking API: 200 concurrent bookings over overlapping slots of both services — exactly one 201",
  ...OPTS,
  async fn() {
    const srv = await startServer();
    try {
      const psy = await bookablePsychologist();
      const [chat, video] = psy.profile.services;
      const clients = await Promise.all(
        Array.from(
          { length: 200 },
          (_, i) => createUser({ role: "client", name: `Racer ${i}`, email: `r${i}@test.local` }),
        ),
      );
      const tokens = await Promise.all(clients.map(tokenOf));
      // Every start lies inside the 50-minute video at 10:00 (+10 min buffer): all pairs overlap.
      const picks = [[video, "10:00"], [chat, "10:00"], [chat, "10:30"], [video, "10:00"]] as const;
      const results = await Promise.all(tokens.map((tk, i) => {
        const [s, at] = picks[i % picks.length];
        return call(srv.url, "POST", "/api/bookings", tk, {
          psychologistId: psy.id,
          serviceId: s.id,
          startsAt: jakartaAt(4, at),
        });
      }));
      const created = results.filter((r) => r.status === 201);
      assert.equal(created.length, 1, JSON.stringify(results.filter((r) => r.status !== 409).slice(0, 3)));
      assert.ok(results.every((r) => r.status === 201 || (r.status === 409 && r.json.error.code === "slot_taken")));
      const won = created[0].json;
      assert.equal(won.booking.status, "awaiting_payment");
      assert.equal(won.payment.orderId, won.booking.orderId);
      assert.ok(won.payment.redirectUrl.startsWith(`${srv.url}/sandbox/midtrans/`), won.payment.redirectUrl);
      assert.equal(won.payment.grossAmount, won.booking.priceIdr);
      await consistent(srv.kv);
      await bookingMailIdle();
    } finally {
      await srv.stop();
    }
  },
});

Deno.test({
  name: "booking API: book → pay on the sandbox (signed notification over HTTP) → psychologist confirms; both see it",
  ...OPTS,
  async fn() {
    const srv = await startServer();
    try {
      const psy = await bookablePsychologist();
      const client = await makeUser("client");
      const stranger = await makeUser("client");
      const otherPsy = await bookablePsychologist();
      const [tc, ts, tp, to] = await Promise.all([client, stranger, psy, otherPsy].map(tokenOf));
      const booked = await call(srv.url, "POST", "/api/bookings", tc, {
        psychologistId: psy.id,
        serviceId: psy.profile.services[0].id,
        startsAt: jakartaAt(2, "11:00"),
      });
      assert.equal(booked.status, 201, JSON.stringify(booked.json));
      const id = booked.json.booking.id;
      // Others do not see it; the psychologist cannot confirm before payment; a client cannot confirm.
      assert.equal((await call(srv.url, "GET", `/api/bookings/${id}`, ts)).status, 404);
      assert.equal((await call(srv.url, "GET", `/api/bookings/${id}`, to)).status, 404);
      assert.equal((await call(srv.url, "GET", `/api/bookings/${id}`, null)).status, 401);
      assert.equal(
        (await call(srv.url, "PUT", `/api/bookings/${id}/status`, tp, { status: "confirmed" })).json.error.code,
        "invalid_transition",
      );
      assert.equal((await call(srv.url, "PUT", `/api/bookings/${id}/status`, tc, { status: "confirmed" })).status, 404);
      assert.equal((await call(srv.url, "PUT", `/api/bookings/${id}/status`, to, { status: "confirmed" })).status, 404);
      assert.equal(
        (await call(srv.url, "POST", "/api/bookings", tp, { psychologistId: psy.id })).status,
        403,
        "only clients book",
      );

      const paid = await call(srv.url, "POST", `/sandbox/midtrans/pay/${booked.json.payment.orderId}`, null, {
        method: "qris",
        outcome: "settlement",
      });
      assert.equal(paid.status, 200, JSON.stringify(paid.json));
      assert.equal(paid.json.notification_status, 200, "our endpoint accepted the signed notification");
      const afterPay = await call(srv.url, "GET", `/api/bookings/${id}`, tc);
      assert.equal(afterPay.json.booking.status, "paid");
      const confirmed = await call(srv.url, "PUT", `/api/bookings/${id}/status`, tp, { status: "confirmed" });
      assert.equal(confirmed.status, 200);
      for (const tk of [tc, tp]) {
        const seen = await call(srv.url, "GET", `/api/bookings?scope=active`, tk);
        assert.deepEqual(seen.json.items.map((b: Booking) => [b.id, b.status]), [[id, "confirmed"]]);
      }
      const payments = await call(srv.url, "GET", "/api/payments", tc);
      assert.equal(payments.status, 200);
      assert.ok(
        payments.json.items.some((p: { orderId: string; status: string }) =>
          p.orderId === booked.json.payment.orderId && p.status === "paid"
        ),
      );
      await consistent(srv.kv);
      await bookingMailIdle();
    } finally {
      await srv.stop();
    }
  },
});

Deno.test({
  name: "booking API fuzz: POST /api/bookings, PUT status, POST reschedule — no 5xx, nothing half-written",
  ...OPTS,
  async fn(t) {
    const srv = await startServer();
    try {
      const psy = await bookablePsychologist();
      const client = await makeUser("client");
      const [tc, tp] = await Promise.all([client, psy].map(tokenOf));
      const ok = await call(srv.url, "POST", "/api/bookings", tc, {
        psychologistId: psy.id,
        serviceId: psy.profile.services[1].id,
        startsAt: jakartaAt(5, "09:00"),
      });
      assert.equal(ok.status, 201);
      const id = ok.json.booking.id;
      const nasty = fc.oneof(
        fc.constantFrom(
          "",
          " ",
          "\u0000",
          "\ud800",
          "9999-12-31T23:59:59Z",
          "0000-01-01T00:00:00Z",
          "2026-02-30T10:00:00+07:00",
          jakartaAt(5, "09:00"),
          jakartaAt(5, "09:30"),
          jakartaAt(6, "10:00"),
          jakartaAt(6, "10:05"),
          psy.id,
          psy.profile.services[0].id,
          id,
          "__proto__",
          "a".repeat(5000),
          "confirmed",
          "cancelled",
          "rejected",
          "no_show",
        ),
        fc.string({ maxLength: 40 }),
        fc.integer(),
        fc.constant(null),
        fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
        fc.object({ maxDepth: 1 }),
      );
      const body = fc.dictionary(
        fc.constantFrom("psychologistId", "serviceId", "startsAt", "status", "reason", "absent", "__proto__"),
        nasty,
        { maxKeys: 5 },
      );
      const target = fc.constantFrom(
        ["POST", "/api/bookings", tc],
        ["PUT", `/api/bookings/${id}/status`, tc],
        ["PUT", `/api/bookings/${id}/status`, tp],
        ["POST", `/api/bookings/${id}/reschedule`, tc],
        ["PUT", "/api/bookings/01JAAAAAAAAAAAAAAAAAAAAAAA/status", tp],
        ["GET", `/api/bookings?status=x&limit=1000&cursor=%ff`, tc],
      );
      await fuzz(
        t,
        fc.asyncProperty(
          target,
          fc.oneof(body, fc.constantFrom("{", "[]", "null", '"x"')),
          async ([m, path, tk], b) => {
            const r = await call(srv.url, m, path, tk, m === "GET" ? undefined : b);
            assert.ok(r.status < 500, `${m} ${path} → ${r.status} ${JSON.stringify(r.json)}`);
            if (r.status >= 400) assert.equal(typeof r.json?.error?.code, "string");
            await consistent(srv.kv);
          },
        ),
        { numRuns: 150 },
      );
      await bookingMailIdle();
    } finally {
      await srv.stop();
    }
  },
});
