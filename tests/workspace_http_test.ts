/**
 * The psychologist workspace over HTTP (`app.handler()`): the queue, stats and
 * report endpoints and pages answer only the psychologist about their own
 * practice (a client, another psychologist's data, an admin, anonymous →
 * refused); patient details only with a care relationship, each read audited;
 * CSV downloads; moves posted from the queue; hostile query parameters never
 * give a 5xx (fast-check, seeds printed by tests/fuzz.ts).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import { appHandler, freshKv, get, makeUser, postForm, signIn } from "./helpers.ts";
import { bookablePsychologist, jakartaAt } from "./booking_fixtures.ts";
import { storeBookings } from "./workspace_fixtures.ts";
import { listAudit } from "@/lib/audit.ts";
import { getBooking } from "@/lib/booking/store.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import type { User } from "@/lib/auth/users.ts";

const OPTS = { sanitizeResources: false, sanitizeOps: false };

async function bearer(u: User): Promise<string> {
  return (await createSession(u.id, "bearer")).token;
}

async function setup() {
  await freshKv();
  const handler = await appHandler();
  const psy = await bookablePsychologist();
  const other = await bookablePsychologist();
  const client = await makeUser("client", { phone: "6281211112222", birthDate: "1990-05-05" });
  const stranger = await makeUser("client");
  const admin = await makeUser("admin");
  const now = Date.now();
  const [confirmed, paid, done] = await storeBookings([
    { psychologistId: psy.id, clientId: client.id, startsAt: jakartaAt(1, "10:00", now), status: "confirmed" },
    { psychologistId: psy.id, clientId: client.id, startsAt: jakartaAt(2, "10:00", now), status: "paid" },
    { psychologistId: psy.id, clientId: client.id, startsAt: "2026-06-10T03:00:00Z", status: "completed" },
    { psychologistId: other.id, clientId: stranger.id, startsAt: jakartaAt(1, "11:00", now), status: "confirmed" },
  ]);
  return { handler, psy, other, client, stranger, admin, confirmed, paid, done };
}

Deno.test({
  name: "workspace API: roles — only psychologists, each about their own practice",
  ...OPTS,
  async fn() {
    const s = await setup();
    const psyT = await bearer(s.psy);
    const paths = [
      "/api/psychologist/queue",
      "/api/psychologist/stats",
      "/api/psychologist/reports/daily",
      "/api/psychologist/reports/weekly",
    ];
    for (const p of paths) {
      const anon = await get(s.handler, p);
      assert.equal(anon.status, 401, p);
      await anon.body?.cancel();
      for (const u of [s.client, s.admin]) {
        const r = await get(s.handler, p, { token: await bearer(u) });
        assert.equal(r.status, 403, `${u.role} ${p}`);
        await r.body?.cancel();
      }
    }
    const q = await (await get(s.handler, "/api/psychologist/queue", { token: psyT })).json();
    const ids = [...q.today, ...q.tomorrow, ...q.later].map((i: { id: string }) => i.id);
    assert.deepEqual(ids, [s.confirmed.id, s.paid.id]);
    const item = q.tomorrow.find((i: { id: string }) => i.id === s.confirmed.id) ??
      q.later.find((i: { id: string }) => i.id === s.confirmed.id);
    assert.equal(item.clientName, "Klien Uji");
    assert.ok(item.whatsappUrl.startsWith("https://wa.me/6281211112222?text="));
    // The other psychologist sees only their own.
    const oq = await (await get(s.handler, "/api/psychologist/queue", { token: await bearer(s.other) })).json();
    assert.equal([...oq.today, ...oq.tomorrow, ...oq.later].length, 1);

    const st = await get(s.handler, "/api/psychologist/stats?from=2026-05&to=2026-07", { token: psyT });
    assert.equal(st.status, 200);
    assert.deepEqual((await st.json()).months, [
      { month: "2026-05", sessions: 0, incomeIdr: 0 },
      { month: "2026-06", sessions: 1, incomeIdr: 135_000 },
      { month: "2026-07", sessions: 0, incomeIdr: 0 },
    ]);
    const os = await (await get(s.handler, "/api/psychologist/stats?from=2026-06&to=2026-06", {
      token: await bearer(s.other),
    })).json();
    assert.deepEqual(os.months, [{ month: "2026-06", sessions: 0, incomeIdr: 0 }]);
    for (
      const [qs, field] of [["from=2026-07&to=2026-06", "from"], ["from=2020-01&to=2026-06", "from"], [
        "to=2026-13",
        "to",
      ], ["from=1999-12", "from"]]
    ) {
      const r = await get(s.handler, `/api/psychologist/stats?${qs}`, { token: psyT });
      assert.equal(r.status, 400, qs);
      const body = await r.json();
      assert.equal(body.error.code, "validation_failed");
      assert.ok(body.error.fields[field], `${qs}: ${JSON.stringify(body.error)}`);
    }
  },
});

Deno.test({
  name: "workspace API: daily and weekly reports in JSON and as a CSV download (own bookings only)",
  ...OPTS,
  async fn() {
    const s = await setup();
    const psyT = await bearer(s.psy);
    const day = await get(s.handler, "/api/psychologist/reports/daily?date=2026-06-10", { token: psyT });
    assert.equal(day.status, 200);
    const j = await day.json();
    assert.deepEqual(j.summary, { bookings: 1, sessions: 1, noShows: 0, cancelled: 0, incomeIdr: 135_000 });
    assert.equal(j.items[0].id, s.done.id);
    const week = await (await get(s.handler, "/api/psychologist/reports/weekly?date=2026-06-10", { token: psyT }))
      .json();
    assert.deepEqual(week.period, { from: "2026-06-08", to: "2026-06-14" });
    const csv = await get(s.handler, "/api/psychologist/reports/weekly?date=2026-06-10&format=csv", {
      token: psyT,
      headers: { "accept-language": "en" },
    });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get("content-type")!, /^text\/csv/);
    assert.match(csv.headers.get("content-disposition")!, /attachment; filename="[a-z-]+-2026-06-08_2026-06-14\.csv"/);
    const text = await csv.text();
    assert.ok(text.includes(s.done.id) && text.includes("\r\n"));
    const other = await (await get(s.handler, "/api/psychologist/reports/daily?date=2026-06-10", {
      token: await bearer(s.other),
    })).json();
    assert.equal(other.items.length, 0, "another psychologist's report holds none of these");
    const bad = await get(s.handler, "/api/psychologist/reports/daily?date=2101-01-01", { token: psyT });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.fields.date, /2000.*2100/);
  },
});

Deno.test({
  name:
    "workspace pages: queue, history, stats for the psychologist; patient details only with a relationship, audited",
  ...OPTS,
  async fn() {
    const s = await setup();
    const { cookie } = await signIn(s.handler, s.psy.email!, s.psy.password);
    for (const p of ["/psychologist/queue", "/psychologist/history", "/psychologist/stats", "/psychologist"]) {
      const r = await get(s.handler, p, { cookie });
      assert.equal(r.status, 200, p);
      const html = await r.text();
      if (p === "/psychologist/queue") {
        assert.ok(html.includes(`id="b-${s.confirmed.id}"`));
        assert.ok(html.includes("https://wa.me/6281211112222?text="));
        assert.ok(html.includes(`/psychologist/patients/${s.client.id}`));
      }
      if (p === "/psychologist/stats") assert.ok(html.includes('id="chart-sessions') && html.includes("<svg"));
    }
    const hist = await get(s.handler, "/psychologist/history?from=2026-06-01&to=2026-06-30&status=completed", {
      cookie,
    });
    assert.ok((await hist.text()).includes(`/psychologist/bookings/${s.done.id}`));
    const badHist = await get(s.handler, "/psychologist/history?from=2026-07-01&to=2026-06-30", { cookie });
    assert.equal(badHist.status, 400);
    await badHist.body?.cancel();

    const patient = await get(s.handler, `/psychologist/patients/${s.client.id}`, { cookie });
    assert.equal(patient.status, 200);
    const ph = await patient.text();
    assert.ok(ph.includes(s.client.name) && ph.includes(`/psychologist/bookings/${s.done.id}`));
    // No relationship (the other psychologist's client), unknown id, malformed id → 404.
    for (const id of [s.stranger.id, "01JAAAAAAAAAAAAAAAAAAAAAAA", "x"]) {
      const r = await get(s.handler, `/psychologist/patients/${id}`, { cookie });
      assert.equal(r.status, 404, id);
      await r.body?.cancel();
    }
    // Other roles: a client (even the patient), an admin.
    for (const u of [s.client, s.admin]) {
      const c = (await signIn(s.handler, u.email!, u.password)).cookie;
      const r = await get(s.handler, `/psychologist/patients/${s.client.id}`, { cookie: c });
      assert.equal(r.status, 403, u.role);
      await r.body?.cancel();
    }
    const otherCookie = (await signIn(s.handler, s.other.email!, s.other.password)).cookie;
    const r = await get(s.handler, `/psychologist/patients/${s.client.id}`, { cookie: otherCookie });
    assert.equal(r.status, 404, "another psychologist without a relationship");
    await r.body?.cancel();
    const log = await listAudit({ target: `user:${s.client.id}` });
    assert.deepEqual(log.items.map((e) => [e.action, e.actorId]).sort(), [
      ["patient.read", s.psy.id],
      ["screening.list", s.psy.id],
    ]);
  },
});

Deno.test({
  name: "workspace pages: the queue posts a move for the psychologist's own booking only",
  ...OPTS,
  async fn() {
    const s = await setup();
    const { cookie } = await signIn(s.handler, s.psy.email!, s.psy.password);
    const ok = await postForm(s.handler, "/psychologist/queue", { bookingId: s.paid.id, action: "confirm" }, {
      cookie,
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), `/psychologist/queue?done=confirm#b-${s.paid.id}`);
    assert.equal((await getBooking(s.paid.id))?.status, "confirmed");
    const otherCookie = (await signIn(s.handler, s.other.email!, s.other.password)).cookie;
    const denied = await postForm(s.handler, "/psychologist/queue", { bookingId: s.confirmed.id, action: "start" }, {
      cookie: otherCookie,
    });
    assert.equal(denied.status, 404);
    await denied.body?.cancel();
    assert.equal((await getBooking(s.confirmed.id))?.status, "confirmed");
    // Too early to start (tomorrow's session): the lifecycle refuses, the page says why.
    const early = await postForm(s.handler, "/psychologist/queue", { bookingId: s.confirmed.id, action: "start" }, {
      cookie,
    });
    assert.equal(early.status, 409);
    await early.body?.cancel();
    const bad = await postForm(s.handler, "/psychologist/queue", { bookingId: s.confirmed.id, action: "no_show" }, {
      cookie,
    });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  },
});

Deno.test({
  name: "workspace fuzz: hostile query parameters of every workspace endpoint and page never give a 5xx",
  ...OPTS,
  async fn(t) {
    const s = await setup();
    const token = await bearer(s.psy);
    const { cookie } = await signIn(s.handler, s.psy.email!, s.psy.password);
    const month = fc.oneof(
      fc.constantFrom("2026-01", "2000-01", "2100-12", "1999-12", "2101-01", "2026-00", "2026-13", "+10000-01", ""),
      fc.tuple(fc.integer({ min: -5, max: 12000 }), fc.integer({ min: -1, max: 14 })).map(([y, m]) =>
        `${y}-${String(m).padStart(2, "0")}`
      ),
      fc.string({ maxLength: 12 }),
    );
    const date = fc.oneof(
      fc.constantFrom("2026-02-29", "2024-02-29", "2000-01-01", "2100-12-31", "9999-12-31", "2026-12-02", ""),
      fc.date({ min: new Date("1900-01-01"), max: new Date("2300-01-01"), noInvalidDate: true }).map((d) =>
        d.toISOString().slice(0, 10)
      ),
      fc.string({ maxLength: 14 }),
    );
    const query = fc.record({
      from: fc.oneof(month, date),
      to: fc.oneof(month, date),
      date,
      format: fc.constantFrom("json", "csv", "xml", ""),
      kind: fc.constantFrom("daily", "weekly", "monthly", ""),
      status: fc.constantFrom("completed", "paid", "nope", ""),
      serviceType: fc.constantFrom("chat", "video", "in_person", "x", ""),
      cursor: fc.oneof(fc.constant(""), fc.string({ maxLength: 40 }), fc.base64String({ maxLength: 60 })),
      limit: fc.constantFrom("1", "100", "101", "0", "-1", "abc", ""),
    }, { requiredKeys: [] });
    const targets = [
      ["/api/psychologist/stats", "token"],
      ["/api/psychologist/reports/daily", "token"],
      ["/api/psychologist/reports/weekly", "token"],
      ["/api/psychologist/queue", "token"],
      ["/psychologist/stats", "cookie"],
      ["/psychologist/history", "cookie"],
    ] as const;
    await fuzz(
      t,
      fc.asyncProperty(fc.constantFrom(...targets), query, async ([path, auth], q) => {
        const qs = new URLSearchParams();
        for (const [k, v] of Object.entries(q)) {
          try {
            qs.set(k, v as string);
          } catch { /* lone surrogate */ }
        }
        const res = await get(s.handler, `${path}?${qs}`, auth === "token" ? { token } : { cookie });
        assert.ok(res.status === 200 || res.status === 400, `${res.status} ${path}?${qs}`);
        await res.body?.cancel();
      }),
      { numRuns: 200 },
    );
  },
});
