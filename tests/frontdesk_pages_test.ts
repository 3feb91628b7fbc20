/**
 * The front-desk pages through the app (`buildApp().handler()`): who may open
 * which page (right roles 200, wrong roles 403, anonymous → sign-in), what the
 * pages show (test ids the browser tests use, Indonesian statuses, charts with
 * accessible text, no JavaScript on pages without islands), the HTML forms
 * (translated inline errors on bad input and nothing written; success
 * redirects), and property-based hostile bodies on every form POST (no 5xx,
 * nothing half-written).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import { appHandler, freshKv, type Handler, makeUser, ORIGIN, type TestUser } from "./helpers.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { getUser } from "@/lib/auth/users.ts";
import type { Appointment } from "@/lib/guestbook/model.ts";
import { getAppointment } from "@/lib/guestbook/store.ts";
import { createAppointment } from "@/lib/guestbook/create.ts";
import { checkIn } from "@/lib/guestbook/check_in.ts";
import { finish, pickUp } from "@/lib/guestbook/status.ts";
import { appointmentToken } from "@/lib/guestbook/qr_token.ts";
import { entryUrl, QR_WASM_PATH } from "@/lib/fresh_assets.ts";
import { ZXING_WASM_PUBLIC_URL } from "@/lib/qr/decode.ts";
import { stashGuestPassword, takeGuestPassword } from "@/lib/guestbook/ui_queries.ts";
import { translate } from "@/lib/i18n/mod.ts";

type Who = "anon" | "client" | "teacher" | "teacher2" | "guest" | "receptionist" | "admin";

interface World {
  kv: Deno.Kv;
  h: Handler;
  users: Record<Exclude<Who, "anon">, TestUser>;
  cookies: Record<Who, string | null>;
  /** teacher's appointment with guest, later today (scheduled). */
  a: Appointment;
  aToken: string;
}

/** Later today in the configured zone (so "not in the past" holds whenever the test runs). */
function laterToday(): string {
  const now = Temporal.Now.zonedDateTimeISO("Asia/Jakarta");
  const left = 24 * 60 - (now.hour * 60 + now.minute);
  const t = now.add({ minutes: Math.max(0, Math.min(60, left - 2)) });
  return new Date(t.epochMilliseconds).toISOString();
}

/** A `datetime-local` value `hours` from now in Asia/Jakarta. */
function localInput(hours: number): string {
  const z = Temporal.Now.zonedDateTimeISO("Asia/Jakarta").add({ hours });
  return z.toPlainDateTime().toString({ smallestUnit: "minute" });
}

async function world(): Promise<World> {
  const kv = await freshKv();
  const h = await appHandler();
  const users = {
    client: await makeUser("client"),
    teacher: await makeUser("teacher"),
    teacher2: await makeUser("teacher"),
    guest: await makeUser("guest"),
    receptionist: await makeUser("receptionist"),
    admin: await makeUser("admin"),
  };
  const cookies = { anon: null } as Record<Who, string | null>;
  for (const [k, u] of Object.entries(users)) {
    cookies[k as Who] = `__Host-session=${(await createSession(u.id, "cookie")).token}`;
  }
  const r = await createAppointment(
    { guestName: "Tamu Satu", guestPhone: users.guest.phone!, purpose: "Rapat wali kelas", startsAt: laterToday() },
    users.teacher,
    new Date(),
    { email: false },
  );
  return { kv, h, users, cookies, a: r.appointment, aToken: r.token };
}

async function req(
  w: World,
  who: Who,
  method: string,
  path: string,
  body?: BodyInit,
  headers: Record<string, string> = {},
): Promise<Response> {
  const h = new Headers(headers);
  if (w.cookies[who] && !h.has("cookie")) h.set("cookie", w.cookies[who]!);
  if (method !== "GET" && !h.has("origin")) h.set("origin", ORIGIN);
  return await w.h(new Request(ORIGIN + path, { method, headers: h, body }));
}

function form(fields: Record<string, string>): [string, Record<string, string>] {
  return [new URLSearchParams(fields).toString(), { "content-type": "application/x-www-form-urlencoded" }];
}

async function postForm(
  w: World,
  who: Who,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const [body, h] = form(fields);
  return await req(w, who, "POST", path, body, { ...h, ...headers });
}

async function count(kv: Deno.Kv, prefix: string): Promise<number> {
  let n = 0;
  for await (const _ of kv.list({ prefix: [prefix] })) n++;
  return n;
}

/** The header's islands, on every signed-in page: the notification bell and the menus' Escape/outside-click closing. */
const HEADER_ISLANDS = new Set(["NotificationBell", "HeaderMenus"]);

/** Islands on a page other than the header's own. */
function ownIslands(html: string): string[] {
  return [...html.matchAll(/data-island="([^"]+)"/g)].map((m) => m[1]).filter((n) => !HEADER_ISLANDS.has(n));
}

const id = (k: string) => translate("id", k);
const en = (k: string) => translate("en", k);

// ---------------------------------------------------------------- roles

Deno.test("pages: each front-desk page opens for its roles, 403 for others, sign-in for anonymous", async () => {
  const w = await world();
  const guestId = w.users.guest.id;
  const matrix: [string, Who[]][] = [
    ["/teacher", ["teacher"]],
    ["/teacher/appointments/new", ["teacher"]],
    [`/teacher/appointments/${w.a.id}`, ["teacher", "admin"]],
    ["/frontdesk", ["receptionist", "admin"]],
    ["/frontdesk/scan", ["receptionist", "admin"]],
    ["/frontdesk/walk-in", ["receptionist", "admin"]],
    ["/frontdesk/guests", ["receptionist", "admin"]],
    [`/frontdesk/guests/${guestId}`, ["receptionist", "admin"]],
    ["/frontdesk/reports", ["receptionist", "admin"]],
    ["/guest", ["guest"]],
  ];
  for (const [path, allowed] of matrix) {
    for (const who of ["anon", "client", "teacher", "guest", "receptionist", "admin"] as Who[]) {
      const res = await req(w, who, "GET", path);
      await res.body?.cancel();
      const expected = allowed.includes(who) ? 200 : who === "anon" ? 303 : 403;
      assert.equal(res.status, expected, `${who} GET ${path}`);
      if (who === "anon") assert.match(res.headers.get("location") ?? "", /^\/signin\?next=/);
      if (expected === 200) assert.equal(res.headers.get("cache-control"), "no-store", `${path} must not be cached`);
    }
  }
  // Another teacher's appointment is simply not found; so is a made-up id.
  assert.equal((await req(w, "teacher2", "GET", `/teacher/appointments/${w.a.id}`)).status, 404);
  assert.equal((await req(w, "teacher", "GET", "/teacher/appointments/not-an-id")).status, 404);
  assert.equal((await req(w, "admin", "GET", "/frontdesk/guests/01ARZ3NDEKTSV4RRFFQ69G5FAV")).status, 404);
  // A teacher's id is not a guest.
  assert.equal((await req(w, "admin", "GET", `/frontdesk/guests/${w.users.teacher.id}`)).status, 404);
  // Form posts are guarded the same way, and nothing is written.
  const before = await count(w.kv, "appointments");
  for (
    const [who, path] of [["receptionist", "/teacher/appointments/new"], ["teacher", "/frontdesk/walk-in"], [
      "guest",
      `/frontdesk/guests/${guestId}`,
    ], ["teacher2", `/teacher/appointments/${w.a.id}`]] as [Who, string][]
  ) {
    const res = await postForm(w, who, path, {
      guestName: "X",
      guestPhone: "081234567890",
      purpose: "x",
      teacherId: w.users.teacher.id,
      startsAt: localInput(2),
      action: "cancel",
      name: "X",
      phone: "081299990000",
    });
    await res.body?.cancel();
    assert.ok(res.status === 403 || res.status === 404, `${who} POST ${path} → ${res.status}`);
  }
  assert.equal(await count(w.kv, "appointments"), before);
  assert.equal((await getAppointment(w.a.id))!.status, "scheduled");
  assert.equal((await getUser(guestId))!.name, w.users.guest.name);
  // Cross-site form posts are refused (CSRF) even for the right role.
  const csrf = await postForm(w, "teacher", "/teacher/appointments/new", { guestName: "X" }, {
    origin: "https://evil.example",
  });
  await csrf.body?.cancel();
  assert.equal(csrf.status, 403);
});

// ---------------------------------------------------------------- content

Deno.test("pages: scan screen carries the island, the Worker URL and the test ids", async () => {
  const w = await world();
  const html = await (await req(w, "receptionist", "GET", "/frontdesk/scan")).text();
  for (const tid of ["scan-video", "start-camera", "manual-code", "scan-result", "today-list", "walkin-form"]) {
    assert.match(html, new RegExp(`data-testid="${tid}"`), tid);
  }
  assert.match(html, /data-island="QrScanner"/);
  assert.match(html, /data-status="idle"/);
  assert.match(html, /aria-live="assertive"/);
  assert.ok(html.includes(w.a.guestName), "today's guest listed");
  assert.ok(html.includes(w.users.teacher.name), "teacher in the walk-in list");
  const worker = await entryUrl("qr_worker");
  if (worker) assert.ok(html.includes(worker), "worker bundle URL handed to the island");
  assert.equal(QR_WASM_PATH, ZXING_WASM_PUBLIC_URL);
  assert.ok(html.includes(QR_WASM_PATH));
});

Deno.test("pages: teacher home lists today's guests live with test ids and Indonesian statuses", async () => {
  const w = await world();
  const res = await req(w, "teacher", "GET", "/teacher");
  const html = await res.text();
  assert.match(html, /data-testid="teacher-today"/);
  assert.match(html, new RegExp(`data-appointment-id="${w.a.id}"`));
  assert.match(html, /data-status="scheduled"/);
  assert.ok(html.includes("Belum datang"));
  assert.match(html, /data-island="TodayGuests"/);
  // Teacher 2 sees none of teacher 1's guests.
  const other = await (await req(w, "teacher2", "GET", "/teacher")).text();
  assert.ok(!other.includes(w.a.id));
  // Check-in shows up as "Menunggu"; English with the lang cookie.
  await checkIn(w.aToken, w.users.receptionist);
  const after = await (await req(w, "teacher", "GET", "/teacher")).text();
  assert.ok(after.includes("Menunggu"));
  const enHtml =
    await (await req(w, "teacher", "GET", "/teacher", undefined, { cookie: `${w.cookies.teacher}; lang=en` })).text();
  assert.ok(enHtml.includes(en("guestbook.status.waiting")));
  assert.ok(enHtml.includes(en("fd.today.pick_up")));
});

Deno.test("pages: dashboard, reports (SVG charts with title/desc and tables, CSV links) and pages without islands ship no JS", async () => {
  const w = await world();
  await checkIn(w.aToken, w.users.receptionist);
  const dash = await (await req(w, "receptionist", "GET", "/frontdesk")).text();
  assert.match(dash, /data-testid="desk-stats"/);
  assert.ok(dash.includes(w.users.teacher.name), "top teacher");
  for (const period of ["day", "week", "month"]) {
    const html = await (await req(w, "admin", "GET", `/frontdesk/reports?period=${period}`)).text();
    assert.match(html, /<svg[^>]+role="img"[^>]+aria-labelledby="[^"]+"/, period);
    assert.match(html, /<title id="chart-status-v[0-3]-t">/);
    assert.match(html, /<desc id="chart-status-v[0-3]-d">/);
    assert.match(html, /<details class="chart-table">/);
    assert.match(html, /href="\/api\/reports\/(daily|weekly|monthly)\?[^"]*format=csv"/);
    assert.deepEqual(ownIslands(html), [], `reports (${period}) ship no island of their own`);
    assert.ok(!/ style="/.test(html), "no inline style attributes (CSP)");
  }
  // Hostile query values are refused (400, translated) and the page shows the current period.
  const odd = await req(w, "admin", "GET", "/frontdesk/reports?period=<x>&date=9999-99-99&month=2026-13");
  assert.equal(odd.status, 400);
  const oddHtml = await odd.text();
  assert.match(oddHtml, /role="alert"/);
  assert.match(oddHtml, /<svg/, "the current period is still shown");
  for (
    const [who, path] of [["guest", "/guest"], ["receptionist", "/frontdesk/guests"], ["anon", `/g/${w.aToken}`], [
      "teacher",
      "/teacher/appointments/new",
    ], ["teacher", `/teacher/appointments/${w.a.id}`]] as [Who, string][]
  ) {
    const html = await (await req(w, who, "GET", path)).text();
    assert.deepEqual(ownIslands(html), [], `${path} ships no island of its own`);
    if (who === "anon") assert.ok(!/<script/i.test(html), `${path} ships no JavaScript at all`);
  }
});

Deno.test("pages: guest portal shows own appointments with the QR; /g/:code shows status, QR and PNG", async () => {
  const w = await world();
  const portal = await (await req(w, "guest", "GET", "/guest")).text();
  assert.ok(portal.includes(`/g/${w.aToken}`));
  assert.match(portal, /<svg[^>]+viewBox/);
  const page = await req(w, "anon", "GET", `/g/${w.aToken}`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get("referrer-policy"), "no-referrer");
  const html = await page.text();
  assert.ok(html.includes("Belum datang"));
  assert.ok(html.includes(w.a.purpose));
  const png = await req(w, "anon", "GET", `/g/${w.aToken}?format=png&download=1&scale=99`);
  assert.equal(png.headers.get("content-type"), "image/png");
  assert.match(png.headers.get("content-disposition") ?? "", /attachment/);
  assert.deepEqual([...new Uint8Array(await png.arrayBuffer()).slice(1, 4)], [80, 78, 71]);
  // A forged or altered token is a plain 404, never a 5xx.
  const bad = w.aToken.slice(0, -2) + (w.aToken.endsWith("AA") ? "BB" : "AA");
  for (const code of [bad, "x", "%00", "a".repeat(300), encodeURIComponent("../../etc")]) {
    const r = await req(w, "anon", "GET", `/g/${code}`);
    await r.body?.cancel();
    assert.equal(r.status, 404, code);
  }
});

// ---------------------------------------------------------------- forms

Deno.test("form: new appointment — translated inline errors, nothing created; success → QR page with the password once", async () => {
  const w = await world();
  const before = await count(w.kv, "appointments");
  const users = await count(w.kv, "users");
  const bad = await postForm(w, "teacher", "/teacher/appointments/new", {
    guestName: "",
    guestPhone: "12",
    guestEmail: "nope",
    purpose: "",
    startsAt: "2001-01-01T10:00",
  });
  assert.equal(bad.status, 422);
  const html = await bad.text();
  for (const k of ["field.required", "guestbook.phone_invalid", "field.invalid_email"]) {
    assert.ok(html.includes(id(k)), k);
  }
  assert.match(html, /aria-invalid="true"/);
  assert.ok(html.includes('value="12"'), "typed values are kept");
  // Past time → its own message.
  const past = await postForm(w, "teacher", "/teacher/appointments/new", {
    guestName: "Ani",
    guestPhone: "0812-7777-0001",
    purpose: "Rapat",
    startsAt: "2001-01-01T10:00",
  });
  assert.ok((await past.text()).includes(id("guestbook.starts_in_past")));
  // English errors with the lang cookie.
  const enBad = await postForm(w, "teacher", "/teacher/appointments/new", { guestName: "" }, {
    cookie: `${w.cookies.teacher}; lang=en`,
  });
  assert.ok((await enBad.text()).includes(en("field.required")));
  assert.equal(await count(w.kv, "appointments"), before);
  assert.equal(await count(w.kv, "users"), users);

  const ok = await postForm(w, "teacher", "/teacher/appointments/new", {
    guestName: "Ani Baru",
    guestPhone: "0812-7777-0002",
    guestEmail: "",
    purpose: "Rapat",
    startsAt: localInput(2),
  });
  assert.equal(ok.status, 303);
  const loc = ok.headers.get("location")!;
  assert.match(loc, /^\/teacher\/appointments\/[0-9A-Z]{26}\?created=1$/);
  const first = await (await req(w, "teacher", "GET", loc)).text();
  assert.ok(first.includes(id("fd.detail.password_intro")));
  assert.match(first, /https:\/\/wa\.me\/6281277770002\?text=/);
  assert.match(first, /<svg[^>]+viewBox/);
  const second = await (await req(w, "teacher", "GET", loc)).text();
  assert.ok(!second.includes(id("fd.detail.password_intro")), "the password is shown once");
});

Deno.test("form: appointment actions — refused transition shows the reason; cancel, picked up, finished", async () => {
  const w = await world();
  const path = `/teacher/appointments/${w.a.id}`;
  const early = await postForm(w, "teacher", path, { action: "in_meeting" });
  assert.equal(early.status, 409);
  assert.ok((await early.text()).includes("Status tidak dapat diubah"));
  const junk = await postForm(w, "teacher", path, { action: "explode" });
  assert.equal(junk.status, 400);
  await junk.body?.cancel();
  const noMail = await postForm(w, "teacher", path, { action: "email" });
  assert.equal(noMail.status, 400);
  assert.ok((await noMail.text()).includes(id("fd.detail.no_email")));
  assert.equal((await getAppointment(w.a.id))!.status, "scheduled");

  await checkIn(w.aToken, w.users.receptionist);
  for (const action of ["in_meeting", "finished"]) {
    const res = await postForm(w, "teacher", path, { action });
    assert.equal(res.status, 303, action);
    assert.equal(res.headers.get("location"), `${path}?done=${action}`);
  }
  assert.equal((await getAppointment(w.a.id))!.status, "finished");
  const done = await (await req(w, "teacher", "GET", `${path}?done=finished`)).text();
  assert.ok(done.includes(id("fd.detail.done.finished")));

  const other = await createAppointment(
    { guestName: "Budi", guestPhone: "0812-7777-0003", purpose: "Rapat", startsAt: laterToday() },
    w.users.teacher,
    new Date(),
    { email: false },
  );
  const cancel = await postForm(w, "teacher", `/teacher/appointments/${other.appointment.id}`, { action: "cancel" });
  assert.equal(cancel.status, 303);
  assert.equal((await getAppointment(other.appointment.id))!.status, "cancelled");
});

Deno.test("form: walk-in — inline errors and nothing written; success checks in and notifies the teacher", async () => {
  const w = await world();
  const before = await count(w.kv, "appointments");
  const bad = await postForm(w, "receptionist", "/frontdesk/walk-in", {
    guestName: "",
    guestPhone: "abc",
    purpose: "",
    teacherId: "",
  });
  assert.equal(bad.status, 422);
  const html = await bad.text();
  assert.ok(html.includes(id("field.required")));
  assert.ok(html.includes(id("guestbook.phone_invalid")));
  const notTeacher = await postForm(w, "receptionist", "/frontdesk/walk-in", {
    guestName: "Sari",
    guestPhone: "0812-7777-0004",
    purpose: "Antar berkas",
    teacherId: w.users.receptionist.id,
  });
  assert.equal(notTeacher.status, 422);
  assert.ok((await notTeacher.text()).includes(id("guestbook.teacher_invalid")));
  assert.equal(await count(w.kv, "appointments"), before);
  assert.equal(await count(w.kv, "notifications"), 0);

  const ok = await postForm(w, "receptionist", "/frontdesk/walk-in", {
    guestName: "Sari",
    guestPhone: "0812-7777-0004",
    purpose: "Antar berkas",
    teacherId: w.users.teacher.id,
  });
  assert.equal(ok.status, 303);
  const loc = ok.headers.get("location")!;
  const apptId = new URL(loc, ORIGIN).searchParams.get("done")!;
  const a = (await getAppointment(apptId))!;
  assert.equal(a.status, "waiting");
  assert.equal(a.walkIn, true);
  assert.equal(await count(w.kv, "notifications"), 1);
  const page = await (await req(w, "receptionist", "GET", loc)).text();
  assert.ok(page.includes("Sari"));
  assert.ok(page.includes(id("fd.walkin.password")), "new guest's password shown once");
});

Deno.test("form: guest search and edit — inline errors keep the guest unchanged; success saves", async () => {
  const w = await world();
  const g = w.users.guest;
  const list = await (await req(w, "receptionist", "GET", `/frontdesk/guests?q=${encodeURIComponent(g.name)}`)).text();
  assert.ok(list.includes(`/frontdesk/guests/${g.id}`));
  const byPhone = await (await req(w, "receptionist", "GET", `/frontdesk/guests?q=0${g.phone!.slice(2)}`)).text();
  assert.ok(byPhone.includes(`/frontdesk/guests/${g.id}`), "found by phone in local format");
  const badCursor = await req(w, "receptionist", "GET", "/frontdesk/guests?cursor=%%%");
  assert.ok(badCursor.status < 500);
  await badCursor.body?.cancel();

  const path = `/frontdesk/guests/${g.id}`;
  const bad = await postForm(w, "receptionist", path, { name: "", phone: "123", email: "x@" });
  assert.equal(bad.status, 422);
  const html = await bad.text();
  for (const k of ["field.required", "guestbook.phone_invalid", "field.invalid_email"]) {
    assert.ok(html.includes(id(k)), k);
  }
  const other = await makeUser("guest");
  const taken = await postForm(w, "receptionist", path, { name: "Nama", phone: other.phone!, email: "" });
  assert.equal(taken.status, 422);
  assert.ok((await taken.text()).includes(id("guestbook.phone_taken")));
  const unchanged = (await getUser(g.id))!;
  assert.equal(unchanged.name, g.name);
  assert.equal(unchanged.phone, g.phone);

  const ok = await postForm(w, "receptionist", path, {
    name: "Nama Baru",
    phone: "+62 812-7777-0010",
    email: "baru@example.id",
  });
  assert.equal(ok.status, 303);
  const saved = (await getUser(g.id))!;
  assert.equal(saved.name, "Nama Baru");
  assert.equal(saved.phone, "6281277770010");
  assert.equal(saved.email, "baru@example.id");
  assert.ok((await (await req(w, "admin", "GET", `${path}?saved=1`)).text()).includes(id("fd.guests.saved")));
});

Deno.test("form: review on /g/:code — only after the meeting, stars required, once", async () => {
  const w = await world();
  const path = `/g/${w.aToken}`;
  const early = await postForm(w, "anon", path, { rating: "5" });
  assert.equal(early.status, 409);
  assert.ok((await early.text()).includes(id("guestbook.review_not_available")));
  await checkIn(w.aToken, w.users.receptionist);
  await pickUp(w.a.id, w.users.teacher);
  await finish(w.a.id, w.users.teacher);
  const form = await (await req(w, "anon", "GET", path)).text();
  assert.match(form, /name="rating"/);
  const bad = await postForm(w, "anon", path, { rating: "9", comment: "x" });
  assert.equal(bad.status, 422);
  assert.ok((await bad.text()).includes(id("guestbook.rating_range")));
  const none = await postForm(w, "anon", path, { comment: "tanpa bintang" });
  assert.equal(none.status, 422);
  await none.body?.cancel();
  assert.equal(await count(w.kv, "reviews"), 0);
  const ok = await postForm(w, "anon", path, { rating: "4", comment: "Terima kasih" });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get("location"), `${path}?reviewed=1`);
  const after = await (await req(w, "anon", "GET", `${path}?reviewed=1`)).text();
  assert.ok(after.includes(id("fd.review.thanks")));
  assert.ok(after.includes("Terima kasih"));
  const again = await postForm(w, "anon", path, { rating: "1" });
  assert.equal(again.status, 409);
  assert.ok((await again.text()).includes(id("guestbook.already_reviewed")));
  assert.equal((await getAppointment(w.a.id))!.rating, 4);
});

Deno.test("ui_queries: a stashed guest password is read once, only by its creator, and expires", async () => {
  await freshKv();
  const apptId = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
  await stashGuestPassword(apptId, "u1", "secret-pw");
  assert.equal(await takeGuestPassword(apptId, "u2"), null);
  assert.equal(await takeGuestPassword(apptId, "u1"), "secret-pw");
  assert.equal(await takeGuestPassword(apptId, "u1"), null);
  await stashGuestPassword(apptId, "u1", "old", Date.now() - 3_600_000);
  assert.equal(await takeGuestPassword(apptId, "u1"), null);
  assert.equal(await takeGuestPassword("not-an-id", "u1"), null);
});

Deno.test("entryUrl: bundle URL from _fresh/build.json, null without a build or entry", async () => {
  const fixture = new URL("./fixtures/fresh_app", import.meta.url).pathname;
  assert.equal(await entryUrl("qr_worker", fixture), null);
  assert.equal(await entryUrl("qr_worker", "/nonexistent"), null);
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/_fresh/js/abc`, { recursive: true });
  await Deno.writeTextFile(`${dir}/_fresh/js/abc/boot.js`, "");
  await Deno.writeTextFile(
    `${dir}/_fresh/build.json`,
    JSON.stringify({
      buildId: "abc",
      outDir: `${dir}/_fresh/js/abc`,
      boot: "boot.js",
      islands: {},
      entries: { qr_worker: "entry_qr_worker.js" },
    }),
  );
  assert.equal(await entryUrl("qr_worker", dir), "/_fresh/js/abc/entry_qr_worker.js");
  await Deno.remove(dir, { recursive: true });
});

// ---------------------------------------------------------------- hostile bodies

Deno.test("fuzz: form POSTs never answer 5xx and never half-write (fast-check, 200 runs each)", async (t) => {
  const w = await world();
  const phones = ["0812-7777-1001", "+62 813 7777 1002", "6285777771003"];
  const field = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.constantFrom(
      "",
      " ",
      "0",
      "-1",
      "null",
      "<script>",
      "\u0000",
      "9".repeat(200),
      "2026-02-30T10:00",
      localInput(3),
      ...phones,
    ),
    fc.string({ unit: "grapheme", maxLength: 30 }),
  );
  const raw = fc.record({
    kind: fc.constant("raw" as const),
    data: fc.string({ maxLength: 200 }),
    type: fc.constantFrom(
      "application/json",
      "text/plain",
      "multipart/form-data; boundary=x",
      "application/x-www-form-urlencoded",
    ),
  });
  /** Mostly-valid forms: each field keeps a valid value, is replaced by a hostile one, or is left out. */
  const formOf = (valid: Record<string, fc.Arbitrary<string>>) =>
    fc.record(
      Object.fromEntries(
        Object.entries(valid).map((
          [k, v],
        ) => [k, fc.oneof({ weight: 3, arbitrary: v }, { weight: 1, arbitrary: field })]),
      ),
      { requiredKeys: [] },
    ).chain((d) =>
      fc.dictionary(fc.string({ maxLength: 12 }), field, { maxKeys: 3 }).map((extra) => ({
        kind: "form" as const,
        data: { ...extra, ...d } as Record<string, string>,
      }))
    );
  const body = (valid: Record<string, fc.Arbitrary<string>>) =>
    fc.oneof({ weight: 4, arbitrary: formOf(valid) }, { weight: 1, arbitrary: raw });
  const name = fc.constantFrom("Ani", "Budi Santoso", "Ñoño 😀");
  // A finished appointment for the review form.
  const done = await createAppointment(
    { guestName: "Fin", guestPhone: "0812-7777-1999", purpose: "Rapat", startsAt: laterToday() },
    w.users.teacher,
    new Date(),
    { email: false },
  );
  await checkIn(done.token, w.users.receptionist);
  await pickUp(done.appointment.id, w.users.teacher);
  await finish(done.appointment.id, w.users.teacher);
  const targets: [Who, string, ReturnType<typeof body>][] = [
    [
      "teacher",
      "/teacher/appointments/new",
      body({
        guestName: name,
        guestPhone: fc.constantFrom(...phones),
        guestEmail: fc.constantFrom("", "a@example.id"),
        purpose: name,
        startsAt: fc.constant(localInput(3)),
      }),
    ],
    [
      "teacher",
      `/teacher/appointments/${w.a.id}`,
      body({ action: fc.constantFrom("email", "cancel", "in_meeting", "finished", "delete") }),
    ],
    [
      "receptionist",
      "/frontdesk/walk-in",
      body({
        guestName: name,
        guestPhone: fc.constantFrom(...phones),
        purpose: name,
        teacherId: fc.constantFrom(w.users.teacher.id, w.users.teacher2.id),
      }),
    ],
    [
      "receptionist",
      `/frontdesk/guests/${w.users.guest.id}`,
      body({
        name,
        phone: fc.constantFrom(...phones, w.users.guest.phone!),
        email: fc.constantFrom("", "b@example.id"),
      }),
    ],
    [
      "anon",
      `/g/${await appointmentToken(done.appointment)}`,
      body({ rating: fc.constantFrom("1", "2", "3", "4", "5"), comment: fc.string({ maxLength: 1200 }) }),
    ],
  ];
  // 200 posts from one address would mostly meet the guest page's rate limit (tested on its own).
  Deno.env.set("RATE_LIMITS", "off");
  try {
    await fuzzTargets();
  } finally {
    Deno.env.delete("RATE_LIMITS");
  }
  async function fuzzTargets() {
    for (const [who, path, arb] of targets) {
      await fuzz(
        t,
        fc.asyncProperty(arb, async (b) => {
          const apptsBefore = await count(w.kv, "appointments");
          const res = b.kind === "form"
            ? await postForm(w, who, path, b.data)
            : await req(w, who, "POST", path, b.data, { "content-type": b.type });
          await res.body?.cancel();
          assert.ok(res.status < 500, `${path} → ${res.status}`);
          if (res.status >= 400) {
            assert.equal(await count(w.kv, "appointments"), apptsBefore, `${path}: an error wrote an appointment`);
          }
          const a = (await getAppointment(w.a.id))!;
          // The teacher's appointment only ever moves along the status machine.
          assert.ok(["scheduled", "cancelled"].includes(a.status));
        }),
        { numRuns: 200, label: `${who} POST ${path.replace(/\/g\/.+$/, "/g/{token}")}` },
      );
    }
  }
});
