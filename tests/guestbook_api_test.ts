/**
 * The guest-book JSON API through the app (`buildApp().handler()`): the main job
 * end to end, the role/ownership matrix over every endpoint, response shapes,
 * CSV downloads, rate limits, and property-based hostile input on every endpoint
 * (no 5xx, no half-written records).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import { appHandler, freshKv, type Handler, makeUser, ORIGIN, postForm, signIn, type TestUser } from "./helpers.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import type { Appointment } from "@/lib/guestbook/model.ts";
import { createAppointment, registerWalkIn } from "@/lib/guestbook/create.ts";
import { checkIn } from "@/lib/guestbook/check_in.ts";
import { finish, pickUp } from "@/lib/guestbook/status.ts";
import { todayLocal } from "@/lib/guestbook/time.ts";
import { GUESTBOOK_LIMITS } from "@/lib/guestbook/http.ts";
import { PNG } from "pngjs";
import { Buffer } from "node:buffer";

type Who =
  | "anon"
  | "client"
  | "psychologist"
  | "teacher"
  | "teacher2"
  | "guest"
  | "guest2"
  | "receptionist"
  | "admin";
const WHO: Who[] = [
  "anon",
  "client",
  "psychologist",
  "teacher",
  "teacher2",
  "guest",
  "guest2",
  "receptionist",
  "admin",
];

interface World {
  kv: Deno.Kv;
  h: Handler;
  users: Record<Exclude<Who, "anon">, TestUser>;
  tokens: Record<Who, string | null>;
  /** Scheduled later today: teacher + guest. */
  a: Appointment;
  aCode: string;
}

/** Later today in the configured zone (so "not in the past" holds whenever the test runs). */
function laterToday(): string {
  const now = Temporal.Now.zonedDateTimeISO("Asia/Jakarta");
  const left = 24 * 60 - (now.hour * 60 + now.minute); // minutes to local midnight
  const t = now.add({ minutes: Math.max(0, Math.min(60, left - 2)) });
  return new Date(t.epochMilliseconds).toISOString();
}
function inTwoDays(): string {
  return new Date(Date.now() + 2 * 86_400_000).toISOString();
}

async function world(): Promise<World> {
  const kv = await freshKv();
  const h = await appHandler();
  const users = {
    client: await makeUser("client"),
    psychologist: await makeUser("psychologist"),
    teacher: await makeUser("teacher"),
    teacher2: await makeUser("teacher"),
    guest: await makeUser("guest"),
    guest2: await makeUser("guest"),
    receptionist: await makeUser("receptionist"),
    admin: await makeUser("admin"),
  };
  const tokens = { anon: null } as Record<Who, string | null>;
  for (const [k, u] of Object.entries(users)) {
    tokens[k as Who] = (await createSession(u.id, "bearer")).token;
  }
  const r = await createAppointment(
    {
      guestName: "Tamu Satu",
      guestPhone: users.guest.phone!,
      purpose: "Rapat",
      startsAt: inTwoDays(),
    },
    users.teacher,
  );
  return { kv, h, users, tokens, a: r.appointment, aCode: r.qrCode };
}

async function call(
  w: World,
  who: Who,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const h = new Headers(headers);
  if (w.tokens[who]) h.set("authorization", `Bearer ${w.tokens[who]}`);
  if (method !== "GET") h.set("origin", ORIGIN);
  let payload: string | undefined;
  if (body !== undefined) {
    h.set("content-type", "application/json");
    payload = typeof body === "string" ? body : JSON.stringify(body);
  }
  return await w.h(
    new Request(ORIGIN + path, { method, headers: h, body: payload }),
  );
}

async function json(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

Deno.test("API: the main job — create, QR, verify, check-in (409 on reuse), picked up, finished, review", async () => {
  const w = await world();
  const T = w.users.teacher;
  // Teacher creates; the answer carries the exact QR text and the one-time password.
  const res = await call(w, "teacher", "POST", "/api/appointments", {
    guestName: "Ani Baru",
    guestPhone: "0857-4444-5555",
    guestEmail: "ani.baru@example.id",
    purpose: "Konsultasi",
    startsAt: laterToday(),
  });
  assert.equal(res.status, 201);
  const created = await res.json();
  assert.equal(created.appointment.status, "scheduled");
  assert.equal(created.appointment.teacherId, T.id);
  assert.match(created.qrCode, /\/g\/[A-Za-z0-9_-]{48}$/);
  assert.match(created.guestPassword, /^[A-Za-z0-9]{10}$/);
  assert.ok(
    created.whatsappUrl.startsWith("https://wa.me/6285744445555?text="),
  );
  assert.equal(created.guest.phone, "6285744445555");
  const id = created.appointment.id;

  // Same guest again: no password in the answer.
  const again = await json(
    await call(w, "teacher", "POST", "/api/appointments", {
      guestName: "Ani",
      guestPhone: "+6285744445555",
      purpose: "Lagi",
      startsAt: laterToday(),
    }),
  );
  assert.equal(again.guest.id, created.guest.id);
  assert.equal("guestPassword" in again, false);

  // QR image for the teacher.
  const png = await call(
    w,
    "teacher",
    "GET",
    `/api/appointments/${id}/qr?download=1`,
  );
  assert.equal(png.status, 200);
  assert.equal(png.headers.get("content-type"), "image/png");
  assert.match(
    png.headers.get("content-disposition")!,
    /attachment; filename="qr-.*\.png"/,
  );
  const img = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
  assert.ok(img.width > 100);
  const svg = await call(
    w,
    "teacher",
    "GET",
    `/api/appointments/${id}/qr?format=svg`,
  );
  assert.match(await svg.text(), /^<svg /);

  // Desk verifies (token or URL-encoded QR text) and checks in.
  const token = created.qrCode.split("/g/")[1];
  const v = await call(
    w,
    "receptionist",
    "GET",
    `/api/appointments/qr/${token}`,
  );
  assert.equal(v.status, 200);
  const vj = await v.json();
  assert.equal(vj.outcome, "check_in");
  assert.equal(vj.appointment.id, id);
  const v2 = await call(
    w,
    "receptionist",
    "GET",
    `/api/appointments/qr/${encodeURIComponent(created.qrCode)}`,
  );
  assert.equal((await v2.json()).outcome, "check_in");
  const ci = await call(
    w,
    "receptionist",
    "POST",
    "/api/appointments/check-in",
    { code: created.qrCode },
  );
  assert.equal(ci.status, 200);
  const cij = await ci.json();
  assert.equal(cij.appointment.status, "waiting");
  assert.equal(cij.late, false);
  const reuse = await call(
    w,
    "receptionist",
    "POST",
    "/api/appointments/check-in",
    { code: created.qrCode },
  );
  assert.equal(reuse.status, 409);
  const rj = await reuse.json();
  assert.equal(rj.error.code, "qr_already_checked_in");
  assert.match(rj.error.message, /sudah tercatat hadir/);
  const en = await call(
    w,
    "receptionist",
    "POST",
    "/api/appointments/check-in",
    { code: created.qrCode },
    { "accept-language": "en" },
  );
  assert.match((await en.json()).error.message, /already checked in/);

  // The teacher got the notification.
  const notes = await json(
    await call(w, "teacher", "GET", "/api/notifications"),
  );
  assert.equal(notes.items[0].data.appointmentId, id);

  // Teacher: picked up, finished.
  const up = await call(w, "teacher", "PUT", `/api/appointments/${id}/status`, {
    status: "in_meeting",
  });
  assert.equal(up.status, 200);
  assert.equal((await up.json()).appointment.status, "in_meeting");
  const bad = await call(
    w,
    "teacher",
    "PUT",
    `/api/appointments/${id}/status`,
    { status: "cancelled" },
  );
  assert.equal(bad.status, 409);
  assert.equal((await bad.json()).error.code, "invalid_transition");
  assert.equal(
    (await call(w, "teacher", "PUT", `/api/appointments/${id}/status`, {
      status: "finished",
    })).status,
    200,
  );

  // Scanning again offers the review; check-in says so.
  assert.equal(
    (await json(
      await call(w, "receptionist", "GET", `/api/appointments/qr/${token}`),
    )).outcome,
    "review",
  );
  const ra = await call(
    w,
    "receptionist",
    "POST",
    "/api/appointments/check-in",
    { code: token },
  );
  assert.equal(ra.status, 409);
  assert.equal((await ra.json()).error.code, "qr_review_available");
  // Review by code (no sign-in), once.
  const rv = await call(w, "anon", "POST", "/api/appointments/review", {
    code: created.qrCode,
    rating: 5,
    comment: "Terima kasih",
  });
  assert.equal(rv.status, 201);
  assert.equal((await rv.json()).review.rating, 5);
  const rv2 = await call(w, "anon", "POST", "/api/appointments/review", {
    code: created.qrCode,
    rating: 4,
  });
  assert.equal(rv2.status, 409);
  assert.equal((await rv2.json()).error.code, "already_reviewed");
  const single = await json(
    await call(w, "teacher", "GET", `/api/appointments/${id}`),
  );
  assert.equal(single.review.rating, 5);
  assert.equal(single.appointment.rating, 5);

  // Reports see the visit.
  const daily = await json(
    await call(
      w,
      "receptionist",
      "GET",
      `/api/reports/daily?date=${todayLocal()}`,
    ),
  );
  assert.equal(daily.visits, 1);
  assert.equal(daily.averageRating, 5);
  assert.equal(daily.punctualityPercent, 100);
  assert.deepEqual(daily.topTeachers[0], {
    id: T.id,
    name: T.name,
    appointments: 2,
  });
});

Deno.test("API: walk-in, guests, reports CSV and ratings", async () => {
  const w = await world();
  const wi = await call(
    w,
    "receptionist",
    "POST",
    "/api/appointments/walk-in",
    {
      guestName: "Dedi",
      guestPhone: "0813 7777 8888",
      purpose: "Antar berkas",
      teacherId: w.users.teacher2.id,
    },
  );
  assert.equal(wi.status, 201);
  const wij = await wi.json();
  assert.equal(wij.appointment.status, "waiting");
  assert.equal(wij.appointment.walkIn, true);
  assert.ok(wij.guestPassword);
  const today = await json(
    await call(w, "teacher2", "GET", "/api/appointments/today"),
  );
  assert.deepEqual(today.items.map((a: Appointment) => a.id), [
    wij.appointment.id,
  ]);
  const dash = await json(
    await call(w, "receptionist", "GET", "/api/reports/today"),
  );
  assert.equal(dash.counts.waiting, 1);

  // Guests.
  const g = await call(w, "teacher", "POST", "/api/guests", {
    name: "Eka",
    phone: "081355556666",
  });
  assert.equal(g.status, 201);
  const gj = await g.json();
  assert.ok(gj.password);
  const g2 = await call(w, "receptionist", "POST", "/api/guests", {
    name: "Eka lagi",
    phone: "+6281355556666",
  });
  assert.equal(g2.status, 200);
  assert.equal((await g2.json()).guest.id, gj.guest.id);
  const s = await json(
    await call(w, "receptionist", "GET", "/api/guests/search?q=0813-5555"),
  );
  assert.deepEqual(s.items.map((x: { id: string }) => x.id), [gj.guest.id]);
  const list = await json(await call(w, "admin", "GET", "/api/guests?limit=2"));
  assert.equal(list.items.length, 2);
  assert.ok(list.cursor);
  const put = await call(
    w,
    "receptionist",
    "PUT",
    `/api/guests/${gj.guest.id}`,
    { name: "Eka Putri", email: "eka@example.id" },
  );
  assert.equal(put.status, 200);
  assert.equal((await put.json()).guest.name, "Eka Putri");
  const taken = await call(
    w,
    "receptionist",
    "PUT",
    `/api/guests/${gj.guest.id}`,
    { phone: w.users.guest.phone },
  );
  assert.equal(taken.status, 400);
  assert.ok((await taken.json()).error.fields.phone);
  assert.equal(
    (await call(w, "receptionist", "PUT", `/api/guests/${w.users.teacher.id}`, {
      name: "x",
    })).status,
    404,
  );

  // CSV.
  const csv = await call(
    w,
    "admin",
    "GET",
    `/api/reports/monthly?month=${todayLocal().slice(0, 7)}&format=csv`,
    undefined,
    { "accept-language": "en" },
  );
  assert.equal(csv.status, 200);
  assert.equal(csv.headers.get("content-type"), "text/csv; charset=utf-8");
  assert.match(
    csv.headers.get("content-disposition")!,
    /^attachment; filename="guest-report-\d{4}-\d{2}-01_\d{4}-\d{2}-\d{2}\.csv"$/,
  );
  const body = new Uint8Array(await csv.arrayBuffer());
  assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 BOM");
  assert.match(new TextDecoder().decode(body), /\r\nVisits,1\r\n/);
  const weekly = await json(
    await call(w, "teacher2", "GET", "/api/reports/weekly"),
  );
  assert.equal(weekly.teacherId, w.users.teacher2.id);
  assert.equal(weekly.byDay.length, 7);
  const mine = await json(
    await call(
      w,
      "teacher",
      "GET",
      `/api/reports/daily?teacherId=${w.users.teacher2.id}`,
    ),
  );
  assert.equal(
    mine.teacherId,
    w.users.teacher.id,
    "a teacher cannot look at another teacher's report",
  );
  assert.equal(mine.visits, 0);
  const badDate = await call(
    w,
    "admin",
    "GET",
    "/api/reports/daily?date=2026-02-30",
  );
  assert.equal(badDate.status, 400);
  assert.ok((await badDate.json()).error.fields.date);
  assert.equal(
    (await call(w, "admin", "GET", "/api/reports/monthly?month=2026-13"))
      .status,
    400,
  );
  const ratings = await json(
    await call(
      w,
      "admin",
      "GET",
      `/api/reports/ratings?teacherId=${w.users.teacher.id}`,
    ),
  );
  assert.equal(ratings.teachers.length, 2);
  assert.deepEqual(ratings.reviews.items, []);
});

Deno.test("API: role/ownership matrix over every endpoint", async () => {
  const w = await world();
  const { teacher: T, guest: G } = w.users;
  const A = w.a.id;
  const token = w.aCode.split("/g/")[1];
  let phone = 0;
  const newPhone = () => `0819${String(++phone).padStart(8, "0")}`;
  /** A fresh scheduled appointment of today for the check-in cells (consumed per cell). */
  const todays = async () =>
    (await createAppointment({
      guestName: "X",
      guestPhone: newPhone(),
      purpose: "p",
      startsAt: laterToday(),
    }, T)).qrCode;

  type Cell = {
    method: string;
    path: string | (() => Promise<string>);
    body?: unknown | ((who: Who) => Promise<unknown>);
    expect: Partial<Record<Who, number>> & { default: number };
  };
  const std = (ok: number, allowed: Who[], otherwise = 403): Cell["expect"] => {
    const e: Cell["expect"] = { default: otherwise, anon: 401 };
    for (const x of allowed) e[x] = ok;
    return e;
  };
  const cells: Cell[] = [
    {
      method: "GET",
      path: "/api/appointments",
      expect: std(200, [
        "teacher",
        "teacher2",
        "guest",
        "guest2",
        "receptionist",
        "admin",
      ]),
    },
    {
      method: "POST",
      path: "/api/appointments",
      body: () =>
        Promise.resolve({
          guestName: "N",
          guestPhone: newPhone(),
          purpose: "p",
          startsAt: inTwoDays(),
        }),
      expect: {
        ...std(201, ["teacher", "teacher2"]),
        receptionist: 400,
        admin: 400,
      }, // staff must choose the teacher
    },
    {
      method: "POST",
      path: "/api/appointments",
      body: () =>
        Promise.resolve({
          guestName: "N",
          guestPhone: newPhone(),
          purpose: "p",
          startsAt: inTwoDays(),
          teacherId: T.id,
        }),
      expect: {
        ...std(201, ["teacher", "receptionist", "admin"]),
        teacher2: 403,
      },
    },
    {
      method: "GET",
      path: "/api/appointments/today",
      expect: std(200, [
        "teacher",
        "teacher2",
        "guest",
        "guest2",
        "receptionist",
        "admin",
      ]),
    },
    {
      method: "GET",
      path: `/api/appointments/teacher/${T.id}`,
      expect: std(200, ["teacher", "receptionist", "admin"]),
    },
    {
      method: "GET",
      path: `/api/appointments/${A}`,
      expect: {
        ...std(200, ["teacher", "guest", "receptionist", "admin"]),
        teacher2: 404,
        guest2: 404,
      },
    },
    {
      method: "GET",
      path: `/api/appointments/${A}/qr`,
      expect: {
        ...std(200, ["teacher", "guest", "receptionist", "admin"]),
        teacher2: 404,
        guest2: 404,
      },
    },
    {
      method: "PUT",
      path: `/api/appointments/${A}/status`,
      body: { status: "finished" }, // scheduled → finished is never allowed: 409 proves the role got through
      expect: { ...std(409, ["teacher", "admin"]), teacher2: 404 },
    },
    {
      method: "PUT",
      path: async () =>
        `/api/appointments/${
          (await createAppointment({
            guestName: "C",
            guestPhone: newPhone(),
            purpose: "p",
            startsAt: inTwoDays(),
          }, T)).appointment.id
        }/status`,
      body: { status: "cancelled" },
      expect: {
        ...std(200, ["teacher", "receptionist", "admin"]),
        teacher2: 404,
      },
    },
    {
      method: "GET",
      path: `/api/appointments/qr/${token}`,
      expect: std(409, ["receptionist", "admin"]),
    }, // wrong day (in two days)
    {
      method: "POST",
      path: "/api/appointments/check-in",
      body: async () => ({ code: await todays() }),
      expect: std(200, ["receptionist", "admin"]),
    },
    {
      method: "POST",
      path: "/api/appointments/walk-in",
      body: () =>
        Promise.resolve({
          guestName: "W",
          guestPhone: newPhone(),
          purpose: "p",
          teacherId: T.id,
        }),
      expect: std(201, ["receptionist", "admin"]),
    },
    {
      method: "POST",
      path: `/api/appointments/${A}/review`,
      body: { rating: 5 },
      expect: { ...std(409, ["guest"]), guest2: 404 },
    },
    {
      method: "POST",
      path: "/api/appointments/review",
      body: { code: w.aCode, rating: 5 },
      expect: { default: 409 },
    }, // public; not finished yet
    {
      method: "GET",
      path: "/api/guests",
      expect: std(200, ["receptionist", "admin"]),
    },
    {
      method: "POST",
      path: "/api/guests",
      body: () => Promise.resolve({ name: "G", phone: newPhone() }),
      expect: std(201, ["teacher", "teacher2", "receptionist", "admin"]),
    },
    {
      method: "GET",
      path: "/api/guests/search?q=a",
      expect: std(200, ["receptionist", "admin"]),
    },
    {
      method: "GET",
      path: `/api/guests/${G.id}`,
      expect: std(200, ["receptionist", "admin"]),
    },
    {
      method: "PUT",
      path: `/api/guests/${G.id}`,
      body: { name: "Tamu Ubah" },
      expect: std(200, ["receptionist", "admin"]),
    },
    {
      method: "GET",
      path: "/api/reports/daily",
      expect: std(200, ["teacher", "teacher2", "receptionist", "admin"]),
    },
    {
      method: "GET",
      path: "/api/reports/weekly?format=csv",
      expect: std(200, ["teacher", "teacher2", "receptionist", "admin"]),
    },
    {
      method: "GET",
      path: "/api/reports/monthly",
      expect: std(200, ["teacher", "teacher2", "receptionist", "admin"]),
    },
    {
      method: "GET",
      path: "/api/reports/today",
      expect: std(200, ["teacher", "teacher2", "receptionist", "admin"]),
    },
    {
      method: "GET",
      path: "/api/reports/ratings",
      expect: std(200, ["admin"]),
    },
  ];
  const failures: string[] = [];
  for (const c of cells) {
    for (const who of WHO) {
      const path = typeof c.path === "function" ? await c.path() : c.path;
      const body = typeof c.body === "function" ? await (c.body as (w: Who) => Promise<unknown>)(who) : c.body;
      const res = await call(w, who, c.method, path, body);
      const expected = c.expect[who] ?? c.expect.default;
      const text = await res.text();
      if (res.status !== expected) {
        failures.push(
          `${c.method} ${path} as ${who}: ${res.status} (expected ${expected}) ${text.slice(0, 160)}`,
        );
      }
      if (
        res.status >= 400 && res.headers.get("content-type")?.includes("json")
      ) {
        const e = JSON.parse(text).error;
        if (!e?.code || !e?.message) {
          failures.push(
            `${c.method} ${path} as ${who}: error body ${text.slice(0, 120)}`,
          );
        }
      }
    }
  }
  assert.deepEqual(failures, []);

  // Ownership of the listings' contents.
  const t2 = await json(await call(w, "teacher2", "GET", "/api/appointments"));
  assert.ok(
    t2.items.every((a: Appointment) => a.teacherId === w.users.teacher2.id),
  );
  const g2 = await json(await call(w, "guest2", "GET", "/api/appointments"));
  assert.ok(
    g2.items.every((a: Appointment) => a.guestId === w.users.guest2.id),
  );
  const g1 = await json(await call(w, "guest", "GET", "/api/appointments"));
  assert.ok(g1.items.some((a: Appointment) => a.id === A));
  assert.ok(g1.items.every((a: Appointment) => a.guestId === G.id));
  const gToday = await json(
    await call(w, "guest2", "GET", "/api/appointments/today"),
  );
  assert.deepEqual(gToday.items, []);
  const t2Today = await json(
    await call(w, "teacher2", "GET", "/api/reports/today"),
  );
  assert.equal(t2Today.total, 0);

  // A guest's own finished appointment can be reviewed through the owner endpoint.
  const desk = w.users.receptionist;
  const r = await createAppointment({
    guestName: "Own",
    guestPhone: G.phone!,
    purpose: "p",
    startsAt: laterToday(),
  }, T);
  await checkIn(r.qrCode, desk);
  await pickUp(r.appointment.id, T);
  await finish(r.appointment.id, T);
  assert.equal(
    (await call(
      w,
      "guest2",
      "POST",
      `/api/appointments/${r.appointment.id}/review`,
      { rating: 2 },
    )).status,
    404,
  );
  assert.equal(
    (await call(
      w,
      "guest",
      "POST",
      `/api/appointments/${r.appointment.id}/review`,
      { rating: 4 },
    )).status,
    201,
  );
  assert.equal(
    (await call(
      w,
      "guest",
      "POST",
      `/api/appointments/${r.appointment.id}/review`,
      { rating: 4 },
    )).status,
    409,
  );
});

Deno.test("API: check-in is rate-limited per desk user", async () => {
  const w = await world();
  let last = 0;
  for (let i = 0; i < 125; i++) {
    const res = await call(
      w,
      "receptionist",
      "GET",
      "/api/appointments/qr/AAAA",
    );
    last = res.status;
    await res.body?.cancel();
    if (last === 429) break;
  }
  assert.equal(last, 429);
});

/** Every appointment's primary record and its index copies agree; every guest exists. */
async function assertConsistent(kv: Deno.Kv): Promise<number> {
  let n = 0;
  for await (const e of kv.list<Appointment>({ prefix: ["appointments"] })) {
    const a = e.value;
    n++;
    assert.deepEqual(
      (await kv.get(["appointments_by_day", a.localDate, a.id])).value,
      a,
    );
    if (!a.archived) {
      assert.deepEqual(
        (await kv.get([
          "appointments_by_teacher",
          a.teacherId,
          a.startsAt,
          a.id,
        ])).value,
        a,
      );
      assert.deepEqual(
        (await kv.get(["appointments_by_guest", a.guestId, a.id])).value,
        a,
      );
    }
    assert.ok((await kv.get(["users", a.guestId])).value, "guest exists");
    assert.ok(a.purpose.length >= 1 && a.purpose.length <= 500);
    assert.ok(a.guestName.length >= 1 && a.guestName.length <= 100);
  }
  for (
    const idx of [
      "appointments_by_day",
      "appointments_by_teacher",
      "appointments_by_guest",
    ]
  ) {
    for await (const e of kv.list<Appointment>({ prefix: [idx] })) {
      assert.ok(
        (await kv.get(["appointments", e.value.id])).value,
        `${idx} entry without a primary record`,
      );
    }
  }
  return n;
}

Deno.test("API: hostile bodies and parameters on every endpoint — no 5xx, no half-written records", async (t) => {
  Deno.env.set("RATE_LIMITS", "off");
  try {
    const w = await world();
    const T = w.users.teacher;
    // One appointment in each interesting state for path parameters.
    const today = await createAppointment({
      guestName: "Hari ini",
      guestPhone: "081900000001",
      purpose: "p",
      startsAt: laterToday(),
    }, T);
    const walk = await registerWalkIn({
      guestName: "Walk",
      guestPhone: "081900000002",
      purpose: "p",
      teacherId: T.id,
    }, w.users.receptionist);
    const ids = [w.a.id, today.appointment.id, walk.appointment.id];
    const fieldNames = [
      "guestName",
      "guestPhone",
      "guestEmail",
      "purpose",
      "startsAt",
      "teacherId",
      "status",
      "code",
      "rating",
      "comment",
      "name",
      "phone",
      "email",
    ];
    const hostileString = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: "grapheme", maxLength: 30 }),
      fc.constantFrom(
        "",
        " ",
        "\u0000",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "=cmd|' /C calc'!A0",
        "0812-3456-7890",
        "+6281234567890",
        "2026-11-20T10:00",
        "2099-01-01T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "in_meeting",
        "finished",
        "cancelled",
        "waiting",
        "__proto__",
        "constructor",
        "x".repeat(5000),
        today.qrCode,
        today.token,
        w.aCode,
        T.id,
        w.users.guest.id,
        "01ARZ3NDEKTSV4RRFFQ69G5FAV",
        "NaN",
        "-1",
        "1e309",
      ),
    );
    const hostileValue = fc.oneof(
      hostileString,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(hostileString, { maxLength: 3 }),
      fc.object({ maxDepth: 2 }),
    );
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom(...fieldNames), hostileValue, {
        maxKeys: 8,
      }),
      fc.anything({ maxDepth: 3 }),
      fc.record({
        guestName: hostileString,
        guestPhone: hostileString,
        purpose: hostileString,
        startsAt: hostileString,
        teacherId: hostileString,
      }),
      fc.record({
        code: hostileString,
        rating: hostileValue,
        comment: hostileValue,
      }),
    );
    const rawBody = fc.oneof(
      body.map((b) => JSON.stringify(b) ?? "null"),
      fc.string({ maxLength: 200 }),
      fc.constantFrom("{", "[]", "null", '{"a":', "\u0000"),
    );
    const segment = fc.oneof(
      fc.constantFrom(
        ...ids,
        T.id,
        "x",
        "%00",
        "..",
        "%2e%2e",
        "a".repeat(300),
      ),
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
    );
    const query = fc.dictionary(
      fc.constantFrom(
        "date",
        "month",
        "cursor",
        "limit",
        "q",
        "format",
        "teacherId",
        "scale",
        "download",
      ),
      hostileString.map(String),
      { maxKeys: 4 },
    )
      .map((d) => new URLSearchParams(d).toString());

    const phones = fc.constantFrom(
      "081911110001",
      "081911110002",
      "+62 819 1111 0003",
      "6281911110004",
      "81911110005",
    );
    /** A valid body with one field replaced or dropped (reaches the deeper rules). */
    const mutated = (base: fc.Arbitrary<Record<string, unknown>>) =>
      fc.tuple(
        base,
        fc.constantFrom(...fieldNames),
        hostileValue,
        fc.boolean(),
        fc.boolean(),
      ).map(([b, k, v, drop, keep]) => {
        const out: Record<string, unknown> = { ...b };
        if (keep) return JSON.stringify(out);
        if (drop) delete out[k];
        else out[k] = v;
        return JSON.stringify(out);
      });
    const bases: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
      "POST /api/appointments": fc.record({
        guestName: fc.constant("Fuzz"),
        guestPhone: phones,
        purpose: fc.constant("p"),
        startsAt: fc.constant(inTwoDays()),
        teacherId: fc.constant(T.id),
      }),
      "POST /api/appointments/walk-in": fc.record({
        guestName: fc.constant("Fuzz"),
        guestPhone: phones,
        purpose: fc.constant("p"),
        teacherId: fc.constant(T.id),
      }),
      "POST /api/appointments/check-in": fc.record({
        code: fc.constantFrom(today.qrCode, today.token, walk.qrCode),
      }),
      "POST /api/appointments/review": fc.record({
        code: fc.constantFrom(today.qrCode, walk.token),
        rating: fc.integer({ min: 1, max: 5 }),
      }),
      "POST /api/appointments/{x}/review": fc.record({
        rating: fc.integer({ min: 1, max: 5 }),
        comment: fc.string({ maxLength: 20 }),
      }),
      "PUT /api/appointments/{x}/status": fc.record({
        status: fc.constantFrom("in_meeting", "finished", "cancelled"),
      }),
      "POST /api/guests": fc.record({
        name: fc.constant("Fuzz"),
        phone: phones,
        email: fc.constantFrom("", "fuzz@example.id"),
      }),
      "PUT /api/guests/{x}": fc.record({
        name: fc.constant("Fuzz"),
        phone: phones,
        email: fc.constantFrom("", "fuzz2@example.id", null),
      }),
    };

    type Ep = { method: string; path: (seg: string) => string; who: Who[] };
    const eps: Ep[] = [
      {
        method: "POST",
        path: () => "/api/appointments",
        who: ["teacher", "receptionist"],
      },
      {
        method: "POST",
        path: () => "/api/appointments/check-in",
        who: ["receptionist", "admin"],
      },
      {
        method: "GET",
        path: () => "/api/appointments",
        who: ["teacher", "guest", "admin"],
      },
      {
        method: "GET",
        path: () => "/api/appointments/today",
        who: ["teacher", "guest", "receptionist"],
      },
      {
        method: "GET",
        path: (s) => `/api/appointments/teacher/${s}`,
        who: ["teacher", "admin"],
      },
      {
        method: "GET",
        path: (s) => `/api/appointments/${s}`,
        who: ["teacher", "guest", "admin"],
      },
      {
        method: "GET",
        path: (s) => `/api/appointments/${s}/qr`,
        who: ["teacher", "guest", "admin"],
      },
      {
        method: "PUT",
        path: (s) => `/api/appointments/${s}/status`,
        who: ["teacher", "receptionist", "admin"],
      },
      {
        method: "GET",
        path: (s) => `/api/appointments/qr/${s}`,
        who: ["receptionist"],
      },
      {
        method: "POST",
        path: () => "/api/appointments/walk-in",
        who: ["receptionist"],
      },
      {
        method: "POST",
        path: (s) => `/api/appointments/${s}/review`,
        who: ["guest"],
      },
      { method: "POST", path: () => "/api/appointments/review", who: ["anon"] },
      { method: "GET", path: () => "/api/guests", who: ["receptionist"] },
      {
        method: "POST",
        path: () => "/api/guests",
        who: ["teacher", "receptionist"],
      },
      {
        method: "GET",
        path: () => "/api/guests/search",
        who: ["receptionist"],
      },
      { method: "GET", path: (s) => `/api/guests/${s}`, who: ["admin"] },
      { method: "PUT", path: (s) => `/api/guests/${s}`, who: ["receptionist"] },
      {
        method: "GET",
        path: () => "/api/reports/daily",
        who: ["teacher", "admin"],
      },
      {
        method: "GET",
        path: () => "/api/reports/weekly",
        who: ["receptionist"],
      },
      { method: "GET", path: () => "/api/reports/monthly", who: ["admin"] },
      { method: "GET", path: () => "/api/reports/today", who: ["teacher"] },
      { method: "GET", path: () => "/api/reports/ratings", who: ["admin"] },
    ];
    const tokenOnlyCode = fc.constantFrom(
      today.token.slice(0, 47) + "A",
      w.aCode,
      walk.qrCode,
      "garbage",
    );
    const bodyFor = (ep: Ep) => {
      const base = bases[`${ep.method} ${ep.path("{x}")}`];
      return base ? fc.oneof(rawBody, mutated(base)) : rawBody;
    };
    let created = 0;
    const hist = new Map<string, number>();
    for (const ep of eps) {
      await fuzz(
        t,
        fc.asyncProperty(
          fc.constantFrom(...ep.who),
          segment,
          query,
          bodyFor(ep),
          tokenOnlyCode,
          fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
          async (who, seg, q, raw, code, pickCode) => {
            const path = ep.path(
              ep.path.length ? (pickCode ? code.split("/").pop()! : seg) : "",
            ) + (q ? `?${q}` : "");
            const res = await call(
              w,
              who,
              ep.method,
              path,
              ep.method === "GET" ? undefined : raw,
            );
            const text = await res.text();
            if (res.status === 201) created++;
            const k = `${ep.method} ${ep.path("{x}")} ${res.status}${
              res.status >= 400 && Deno.env.get("FUZZ_DEBUG") ? " " + (JSON.parse(text).error?.code ?? "") : ""
            }`;
            hist.set(k, (hist.get(k) ?? 0) + 1);
            assert.ok(
              res.status < 500,
              `${ep.method} ${path} as ${who} → ${res.status} ${text.slice(0, 300)} body=${raw.slice(0, 200)}`,
            );
            if (res.status >= 400) {
              const e = JSON.parse(text).error;
              assert.equal(typeof e.code, "string");
              assert.equal(typeof e.message, "string");
            }
          },
        ),
        { numRuns: 200, label: `${ep.method} ${ep.path("{x}")}` },
      );
    }
    // Records written by accepted requests are whole; refused ones left nothing behind.
    const n = await assertConsistent(w.kv);
    assert.ok(n >= 3);
    assert.ok(created >= 0);
    if (Deno.env.get("FUZZ_DEBUG")) {
      console.log(
        [...hist.entries()].sort().map(([k, v]) => `${k}: ${v}`).join("\n"),
      );
    }
  } finally {
    Deno.env.delete("RATE_LIMITS");
  }
});

Deno.test("API: a teacher cannot read or overwrite another teacher's guest; staff/client phones get one non-revealing answer", async () => {
  const w = await world();
  // Teacher 2 registers a guest with an e-mail.
  const made = await call(w, "teacher2", "POST", "/api/guests", {
    name: "Ibu Dewi",
    phone: "0813 7777 0001",
    email: "dewi.private@example.id",
  });
  assert.equal(made.status, 201);
  const mj = await made.json();
  assert.deepEqual(Object.keys(mj.guest).sort(), ["id", "name", "phone"], "a teacher gets a minimal record");
  assert.ok(mj.password);
  // Teacher 1 types the same phone with their own e-mail and another name.
  const again = await call(w, "teacher", "POST", "/api/guests", {
    name: "Bu D.",
    phone: "+62 813-7777-0001",
    email: w.users.teacher.email,
  });
  assert.equal(again.status, 200);
  const text = await again.text();
  assert.deepEqual(JSON.parse(text), { guest: { id: mj.guest.id, name: "Bu D.", phone: "6281377770001" } });
  assert.ok(!text.includes("dewi.private") && !text.includes("Ibu Dewi"), "nothing another teacher typed comes back");
  // …and through the appointment form.
  const appt = await call(w, "teacher", "POST", "/api/appointments", {
    guestName: "Bu D.",
    guestPhone: "081377770001",
    guestEmail: w.users.teacher.email,
    purpose: "Rapat",
    startsAt: inTwoDays(),
  });
  assert.equal(appt.status, 201);
  const atext = await appt.text();
  assert.deepEqual(JSON.parse(atext).guest, { id: mj.guest.id, name: "Bu D.", phone: "6281377770001" });
  assert.ok(!atext.includes("dewi.private"));
  assert.equal(JSON.parse(atext).guestPassword, undefined);
  // The stored guest is unchanged (the desk sees it whole).
  const desk = await json(await call(w, "receptionist", "GET", `/api/guests/${mj.guest.id}`));
  assert.equal(desk.guest.name, "Ibu Dewi");
  assert.equal(desk.guest.email, "dewi.private@example.id");
  // A teacher cannot list, search or read guests at all.
  for (const path of ["/api/guests", "/api/guests/search?q=0813", `/api/guests/${mj.guest.id}`]) {
    const res = await call(w, "teacher", "GET", path);
    await res.body?.cancel();
    assert.equal(res.status, 403, path);
  }

  // Staff and client phones: the same answer, naming no account kind, on every path.
  const staff = await makeUser("receptionist", { phone: "6281377770002" });
  const client = await makeUser("client", { phone: "6281377770003" });
  const answers: string[] = [];
  for (const phone of [staff.phone!, client.phone!]) {
    const g = await call(w, "teacher", "POST", "/api/guests", { name: "X", phone });
    assert.equal(g.status, 400);
    const ge = (await g.json()).error;
    const a = await call(w, "teacher", "POST", "/api/appointments", {
      guestName: "X",
      guestPhone: phone,
      purpose: "Rapat",
      startsAt: inTwoDays(),
    });
    assert.equal(a.status, 400);
    const ae = (await a.json()).error;
    assert.equal(ae.fields.guestPhone, ge.fields.phone, "API guest and appointment paths answer alike");
    answers.push(JSON.stringify([ge, ae]));
    for (const m of [ge.fields.phone, ge.message]) {
      assert.doesNotMatch(m, /sta(f|ff)|klien|client|receptionist|resepsionis akun|guru|teacher/i);
    }
  }
  assert.equal(answers[0], answers[1], "a staff phone and a client phone are indistinguishable");
  // The HTML form shows the same sentence.
  const { cookie } = await signInAs(w, w.users.teacher);
  const form = await postForm(w.h, "/teacher/appointments/new", {
    guestName: "X",
    guestPhone: staff.phone!,
    guestEmail: "",
    purpose: "Rapat",
    startsAt: inTwoDays().slice(0, 16),
  }, { cookie });
  assert.equal(form.status, 422);
  const html = await form.text();
  const sentence = JSON.parse(answers[0])[0].fields.phone as string;
  assert.ok(html.includes(sentence.replace(/&/g, "&amp;")), "HTML form: same message");
});

Deno.test("API: foreign QR URLs are refused by check-in and verify; /g/<token> is rate limited per address; re-sending the QR e-mail is limited", async () => {
  const w = await world();
  const foreign = w.aCode.replace(/^https?:\/\/[^/]+/, "https://tamu-sekolah.example");
  const ci = await call(w, "receptionist", "POST", "/api/appointments/check-in", { code: foreign });
  assert.equal(ci.status, 400);
  const cie = (await ci.json()).error;
  assert.equal(cie.code, "qr_foreign");
  assert.match(cie.message, /bukan kode QR buku tamu kami/);
  const vr = await call(w, "receptionist", "GET", `/api/appointments/qr/${encodeURIComponent(foreign)}`);
  assert.equal((await vr.json()).error.code, "qr_foreign");

  // /g/<token>: 60 a minute per address, then 429 with Retry-After (bad tokens count too).
  const token = w.aCode.split("/g/")[1];
  const n = GUESTBOOK_LIMITS.guest_page_ip.limit;
  for (let i = 0; i < n; i++) {
    const res = await call(w, "anon", "GET", i % 2 ? `/g/${token}` : `/g/${"A".repeat(48)}`);
    await res.body?.cancel();
    assert.equal(res.status, i % 2 ? 200 : 404, `hit ${i}`);
  }
  // Sliding window: the limit is reached now, or a few hits later when a minute boundary passed during the loop
  // (the older window's hits then count a little less).
  let limited = await call(w, "anon", "GET", `/g/${token}?format=png`);
  for (let extra = 0; limited.status !== 429 && extra < 60; extra++) {
    await limited.body?.cancel();
    limited = await call(w, "anon", "GET", `/g/${token}?format=png`);
  }
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get("retry-after")) >= 1);
  assert.match(await limited.text(), /<html/i, "a translated page, not a bare error");
  // The review form (POST) counts against the same limit.
  let post = await call(w, "anon", "POST", `/g/${token}`, { rating: 5 });
  for (let extra = 0; post.status !== 429 && extra < 60; extra++) {
    await post.body?.cancel();
    post = await call(w, "anon", "POST", `/g/${token}`, { rating: 5 });
  }
  await post.body?.cancel();
  assert.equal(post.status, 429);

  // The teacher's "send by e-mail" button: 3 an hour per appointment, then 429 + Retry-After.
  const r = await createAppointment(
    {
      guestName: "Mail",
      guestPhone: "081377770009",
      guestEmail: "mail@example.id",
      purpose: "Rapat",
      startsAt: inTwoDays(),
    },
    w.users.teacher,
  );
  const { cookie } = await signInAs(w, w.users.teacher);
  for (let i = 0; i < 3; i++) {
    const res = await postForm(w.h, `/teacher/appointments/${r.appointment.id}`, { action: "email" }, { cookie });
    await res.body?.cancel();
    assert.equal(res.status, 303, `send ${i}`);
  }
  const res = await postForm(w.h, `/teacher/appointments/${r.appointment.id}`, { action: "email" }, { cookie });
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get("retry-after")) >= 1);
  const page = await res.text();
  assert.match(page, /m•••@example\.id/, "the teacher sees the guest's address masked");
  assert.ok(!page.includes("mail@example.id"));
});

async function signInAs(w: World, u: TestUser): Promise<{ cookie: string }> {
  return await signIn(w.h, u.email!, u.password);
}
