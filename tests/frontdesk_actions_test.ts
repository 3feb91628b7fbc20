/**
 * The desk's actions from its lists: manual check-in of a guest without their
 * QR (name + phone must match), marking a no-show, the appointment page, the
 * "early" punctuality label, and the per-visit report and CSV (rows, CSV
 * injection, range bounds). Real KV (`:memory:`), real HTTP via the app handler.
 */
import assert from "node:assert/strict";
import { createSession } from "@/lib/auth/sessions.ts";
import { config } from "@/lib/config.ts";
import { AppError, Conflict, Forbidden, NotFound, ValidationError } from "@/lib/errors.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { formatNotification, listNotifications } from "@/lib/notify/notifications.ts";
import { type Appointment, punctualityAt, punctualityOf } from "@/lib/guestbook/model.ts";
import { getAppointment, insertAppointmentRecord } from "@/lib/guestbook/store.ts";
import { createAppointment, registerWalkIn } from "@/lib/guestbook/create.ts";
import { checkIn, checkInManually, verifyQr } from "@/lib/guestbook/check_in.ts";
import { cancel, markNoShow, pickUp, setAppointmentStatus } from "@/lib/guestbook/status.ts";
import { dailyReport, todayDashboard } from "@/lib/guestbook/reports.ts";
import { submitReview } from "@/lib/guestbook/reviews.ts";
import { visitRows, VISITS_MAX_DAYS, visitsCsv } from "@/lib/guestbook/visits.ts";
import { addDays, todayLocal } from "@/lib/guestbook/time.ts";
import { newId } from "@/lib/db/ids.ts";
import { appHandler, freshKv, type Handler, makeUser, ORIGIN, type TestUser } from "./helpers.ts";

/** 2026-11-20 09:00 in Asia/Jakarta (UTC+7). */
const NOW = new Date("2026-11-20T02:00:00Z");
const minutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

async function rejects<E extends AppError>(
  p: Promise<unknown>,
  cls: new (...a: any[]) => E,
  code?: string,
): Promise<E> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${err}`);
    if (code) assert.equal((err as AppError).code, code);
    return err as E;
  }
  assert.fail(`expected ${cls.name}${code ? ` ${code}` : ""}, resolved`);
}

interface World {
  kv: Deno.Kv;
  teacher: TestUser;
  teacher2: TestUser;
  desk: TestUser;
  admin: TestUser;
  guest: TestUser;
}

async function world(): Promise<World> {
  const kv = await freshKv();
  return {
    kv,
    teacher: await makeUser("teacher", { name: "Bu Sari" }),
    teacher2: await makeUser("teacher", { name: "Pak Budi" }),
    desk: await makeUser("receptionist"),
    admin: await makeUser("admin"),
    guest: await makeUser("guest", { name: "Ani Wijaya", phone: "6281234567890" }),
  };
}

/** An appointment of Ani Wijaya with Bu Sari at 10:00 local on 2026-11-20 (one hour after NOW). */
async function book(w: World, over: Record<string, unknown> = {}) {
  return await createAppointment(
    {
      guestName: "Ani Wijaya",
      guestPhone: "0812-3456-7890",
      purpose: "Konsultasi nilai rapor",
      startsAt: "2026-11-20T10:00:00+07:00",
      ...over,
    },
    w.teacher,
    minutes(NOW, -24 * 60),
    { email: false },
  );
}

// ---------------------------------------------------------------- manual check-in

Deno.test("manual check-in: the guest's name and phone (any format, any case) check them in and notify the teacher", async () => {
  const w = await world();
  const { appointment } = await book(w);
  const r = await checkInManually(
    appointment.id,
    { guestName: "  ani   WIJAYA ", guestPhone: "+62 812-3456-7890" },
    w.desk,
    minutes(NOW, 30),
  );
  assert.equal(r.appointment.status, "waiting");
  assert.equal(r.appointment.checkedInBy, w.desk.id);
  assert.equal(r.punctuality, "on_time");
  assert.equal(r.late, false);
  assert.equal(r.early, false);
  assert.equal((await getAppointment(appointment.id))!.status, "waiting");
  const notes = await listNotifications(w.teacher.id);
  assert.equal(notes.items.length, 1);
  assert.equal(notes.items[0].id, r.notificationId);
  assert.equal(notes.items[0].kind, "guest_arrived");
  w.kv.close();
});

Deno.test("manual check-in: a wrong name or phone is a translated field error and changes nothing", async () => {
  const w = await world();
  const { appointment } = await book(w);
  const wrongName = await rejects(
    checkInManually(appointment.id, { guestName: "Ana Wijaya", guestPhone: "081234567890" }, w.desk, NOW),
    ValidationError,
  );
  assert.deepEqual(wrongName.fields, { guestName: "guestbook.checkin.name_mismatch" });
  const wrongPhone = await rejects(
    checkInManually(appointment.id, { guestName: "Ani Wijaya", guestPhone: "081234567899" }, w.desk, NOW),
    ValidationError,
  );
  assert.deepEqual(wrongPhone.fields, { guestPhone: "guestbook.checkin.phone_mismatch" });
  const both = await rejects(
    checkInManually(appointment.id, { guestName: "X", guestPhone: "081299999999" }, w.desk, NOW),
    ValidationError,
  );
  assert.deepEqual(Object.keys(both.fields).sort(), ["guestName", "guestPhone"]);
  const badPhone = await rejects(
    checkInManually(appointment.id, { guestName: "Ani Wijaya", guestPhone: "abc" }, w.desk, NOW),
    ValidationError,
  );
  assert.equal(badPhone.fields.guestPhone, "guestbook.phone_invalid");
  for (const k of ["guestbook.checkin.name_mismatch", "guestbook.checkin.phone_mismatch"]) {
    assert.notEqual(translate("id", k), k);
    assert.notEqual(translate("en", k), k);
  }
  const a = (await getAppointment(appointment.id))!;
  assert.equal(a.status, "scheduled");
  assert.equal(a.checkedInAt, null);
  assert.equal((await listNotifications(w.teacher.id)).items.length, 0);
  w.kv.close();
});

Deno.test("manual check-in: not today, already checked in, cancelled, and roles are refused", async () => {
  const w = await world();
  const tomorrow = await book(w, { startsAt: "2026-11-21T10:00:00+07:00" });
  const who = { guestName: "Ani Wijaya", guestPhone: "081234567890" };
  const notToday = await rejects(checkInManually(tomorrow.appointment.id, who, w.desk, NOW), Conflict, "not_today");
  assert.deepEqual(notToday.params, { date: "2026-11-21" });

  const today = await book(w);
  await checkInManually(today.appointment.id, who, w.desk, NOW);
  const again = await rejects(
    checkInManually(today.appointment.id, who, w.desk, minutes(NOW, 5)),
    Conflict,
    "already_checked_in",
  );
  assert.deepEqual(again.params, { time: "09:00" });
  // The QR of an appointment checked in by hand is used up as well.
  await rejects(checkIn(today.qrCode, w.desk, minutes(NOW, 6)), Conflict, "qr_already_checked_in");

  const cancelled = await book(w);
  await cancel(cancelled.appointment.id, w.teacher, NOW);
  await rejects(checkInManually(cancelled.appointment.id, who, w.desk, NOW), Conflict, "appointment_cancelled");

  const other = await book(w);
  await rejects(checkInManually(other.appointment.id, who, w.teacher, NOW), Forbidden);
  await rejects(checkInManually(other.appointment.id, who, w.guest, NOW), Forbidden);
  await rejects(checkInManually(newId(), who, w.desk, NOW), NotFound, "appointment_not_found");
  assert.equal((await checkInManually(other.appointment.id, who, w.admin, NOW)).appointment.status, "waiting");
  w.kv.close();
});

Deno.test("manual check-in: two desks at once give exactly one check-in", async () => {
  const w = await world();
  const { appointment } = await book(w);
  const who = { guestName: "Ani Wijaya", guestPhone: "081234567890" };
  const results = await Promise.allSettled(
    Array.from({ length: 6 }, () => checkInManually(appointment.id, who, w.desk, NOW)),
  );
  assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
  assert.equal((await listNotifications(w.teacher.id)).items.length, 1);
  w.kv.close();
});

// ---------------------------------------------------------------- no-show

Deno.test("no-show: the desk marks a scheduled guest once the start time has passed", async () => {
  const w = await world();
  const { appointment } = await book(w); // 10:00 local
  const early = await rejects(markNoShow(appointment.id, w.desk, NOW), Conflict, "no_show_too_early");
  assert.deepEqual(early.params, { time: "10:00" });
  await rejects(markNoShow(appointment.id, w.teacher, minutes(NOW, 90)), Forbidden);
  const a = await markNoShow(appointment.id, w.desk, minutes(NOW, 90));
  assert.equal(a.status, "no_show");
  assert.equal(a.noShowAt, minutes(NOW, 90).toISOString());
  await rejects(markNoShow(appointment.id, w.desk, minutes(NOW, 91)), Conflict, "invalid_transition");
  // A guest who already arrived cannot become a no-show.
  const arrived = await book(w);
  await checkIn(arrived.qrCode, w.desk, NOW);
  await rejects(setAppointmentStatus(arrived.appointment.id, "no_show", w.admin, minutes(NOW, 90)), Conflict);
  w.kv.close();
});

// ---------------------------------------------------------------- early

Deno.test("early: more than EARLY_MINUTES before the start is early, in results, notifications and reports", async () => {
  const w = await world();
  assert.equal(config.earlyMinutes, 60);
  const start = "2026-11-20T03:00:00.000Z"; // 10:00 local
  assert.equal(punctualityAt(start, new Date("2026-11-20T01:59:00Z")), "early");
  assert.equal(punctualityAt(start, new Date("2026-11-20T02:00:00Z")), "on_time"); // exactly 60 min: on time
  assert.equal(punctualityAt(start, new Date("2026-11-20T03:15:00Z")), "on_time"); // grace end included
  assert.equal(punctualityAt(start, new Date("2026-11-20T03:15:01Z")), "late");

  // Eight hours early: no longer labelled "on time".
  const { appointment, qrCode } = await book(w, { startsAt: "2026-11-20T17:00:00+07:00" });
  const v = await verifyQr(qrCode, NOW);
  assert.equal(v.outcome, "check_in");
  if (v.outcome === "check_in") assert.equal(v.punctuality, "early");
  const r = await checkIn(qrCode, w.desk, NOW);
  assert.equal(r.punctuality, "early");
  assert.equal(r.early, true);
  assert.equal(r.late, false);
  assert.equal(r.appointment.early, true);
  assert.equal(punctualityOf((await getAppointment(appointment.id))!), "early");
  const n = (await listNotifications(w.teacher.id)).items[0];
  assert.equal(n.data.early, true);
  assert.ok(formatNotification(n, "en", NOW).detail.endsWith("· Early"));
  assert.ok(formatNotification(n, "id", NOW).detail.endsWith("· Datang awal"));

  // A walk-in is never early; a punctual one is on time.
  await registerWalkIn(
    { guestName: "Budi", guestPhone: "081311112222", purpose: "Titip berkas", teacherId: w.teacher.id },
    w.desk,
    NOW,
  );
  const onTime = await book(w, { startsAt: "2026-11-20T09:30:00+07:00" });
  assert.equal((await checkIn(onTime.qrCode, w.desk, NOW)).punctuality, "on_time");

  const report = await dailyReport("2026-11-20");
  assert.equal(report.visits, 3);
  assert.equal(report.early, 1);
  assert.equal(report.onTime, 3, "early arrivals count as on time");
  assert.equal(report.punctualityPercent, 100);
  assert.equal((await todayDashboard(NOW)).early, 1);
  w.kv.close();
});

Deno.test("early: a record from before the field existed is derived from its arrival time", () => {
  const base = {
    startsAt: "2026-11-20T10:00:00.000Z",
    walkIn: false,
    late: false,
  } as const;
  assert.equal(punctualityOf({ ...base, checkedInAt: "2026-11-20T07:00:00.000Z" }), "early");
  assert.equal(punctualityOf({ ...base, checkedInAt: "2026-11-20T09:30:00.000Z" }), "on_time");
  assert.equal(punctualityOf({ ...base, checkedInAt: "2026-11-20T07:00:00.000Z", early: false }), "on_time");
  assert.equal(punctualityOf({ ...base, late: true, checkedInAt: "2026-11-20T11:00:00.000Z" }), "late");
  assert.equal(punctualityOf({ ...base, late: null, checkedInAt: null }), null);
  assert.equal(punctualityOf({ ...base, walkIn: true, checkedInAt: "2026-11-20T07:00:00.000Z" }), "on_time");
});

// ---------------------------------------------------------------- per-visit report

Deno.test("per-visit rows: one per appointment of the range with times, waiting, punctuality and rating", async () => {
  const w = await world();
  const a = await book(w); // 10:00
  const b = await book(w, { startsAt: "2026-11-20T08:00:00+07:00", guestName: "Ani W." }); // becomes late
  await book(w, { startsAt: "2026-11-21T10:00:00+07:00" }); // outside a one-day range
  await checkIn(a.qrCode, w.desk, NOW); // 09:00, on time
  await pickUp(a.appointment.id, w.teacher, minutes(NOW, 17));
  await setAppointmentStatus(a.appointment.id, "finished", w.teacher, minutes(NOW, 40));
  await submitReview(a.appointment.id, { rating: 4 }, { id: a.appointment.guestId, role: "guest" }, minutes(NOW, 41));
  await checkIn(b.qrCode, w.desk, NOW); // 09:00 for 08:00: late
  const rows = await visitRows("2026-11-20", "2026-11-20");
  assert.equal(rows.length, 2);
  const [first, second] = rows; // by start time: 08:00 then 10:00
  assert.deepEqual(
    { ...first, appointmentId: undefined },
    {
      appointmentId: undefined,
      date: "2026-11-20",
      scheduledTime: "08:00",
      guestName: "Ani W.",
      teacherName: "Bu Sari",
      purpose: "Konsultasi nilai rapor",
      status: "waiting",
      arrivedAt: "09:00",
      pickedUpAt: null,
      waitingMinutes: null,
      punctuality: "late",
      rating: null,
      walkIn: false,
    },
  );
  assert.equal(second.status, "finished");
  assert.equal(second.pickedUpAt, "09:17");
  assert.equal(second.waitingMinutes, 17);
  assert.equal(second.punctuality, "on_time");
  assert.equal(second.rating, 4);
  assert.equal((await visitRows("2026-11-20", "2026-11-21")).length, 3);
  assert.equal((await visitRows("2026-11-20", "2026-11-21", { teacherId: w.teacher2.id })).length, 0);
  w.kv.close();
});

Deno.test("per-visit CSV: translated header, one line per appointment, formula cells neutralised", async () => {
  const w = await world();
  await createAppointment(
    {
      teacherId: w.teacher.id,
      guestName: '=HYPERLINK("http://evil","x")',
      guestPhone: "081377778888",
      purpose: "+SUM(A1:A2)",
      startsAt: "2026-11-20T10:00:00+07:00",
    },
    w.desk,
    minutes(NOW, -60),
    { email: false },
  );
  await createAppointment(
    { guestName: "@Ani", guestPhone: "081377779999", purpose: "-1", startsAt: "2026-11-20T11:00:00+07:00" },
    w.teacher,
    minutes(NOW, -60),
    { email: false },
  );
  const rows = await visitRows("2026-11-20", "2026-11-20");
  const id = visitsCsv(rows, "id");
  const lines = id.slice(1).split("\r\n");
  assert.ok(id.startsWith("\uFEFF"));
  assert.equal(
    lines[0],
    "Tanggal,Jam janji,Nama tamu,Guru,Keperluan,Status,Jam tiba,Jam dijemput,Lama menunggu (menit),Ketepatan waktu,Rating",
  );
  assert.equal(lines.length, 4, "header, two rows, empty tail after the last CRLF");
  assert.equal(
    lines[1],
    `2026-11-20,10:00,"'=HYPERLINK(""http://evil"",""x"")",Bu Sari,'+SUM(A1:A2),Belum datang,,,,,`,
  );
  assert.equal(lines[2], "2026-11-20,11:00,'@Ani,Bu Sari,'-1,Belum datang,,,,,");
  for (const line of lines.slice(1, 3)) {
    for (const cell of line.split(",")) assert.ok(!/^"?[=+\-@]/.test(cell), `unguarded cell ${cell}`);
  }
  const en = visitsCsv(rows, "en");
  assert.ok(en.includes("Date,Scheduled time,Guest name,Teacher,Purpose,Status,Arrival,Picked up"));
  w.kv.close();
});

// ---------------------------------------------------------------- HTTP: the desk's pages and endpoints

interface HttpWorld extends World {
  h: Handler;
  cookies: Record<"desk" | "teacher" | "guest", string>;
  today: string;
}

async function httpWorld(): Promise<HttpWorld> {
  const w = await world();
  const h = await appHandler();
  const cookie = async (u: TestUser) => `__Host-session=${(await createSession(u.id, "cookie")).token}`;
  return {
    ...w,
    h,
    cookies: { desk: await cookie(w.desk), teacher: await cookie(w.teacher), guest: await cookie(w.guest) },
    today: todayLocal(),
  };
}

/** An appointment of today stored as is: `startsAt` = now + `offsetMinutes`, kept inside today. */
async function storeToday(w: HttpWorld, offsetMinutes: number): Promise<Appointment> {
  const now = Date.now();
  const at = new Date(now + offsetMinutes * 60_000);
  const iso = new Date(now).toISOString();
  const a: Appointment = {
    schemaVersion: 1,
    id: newId(),
    teacherId: w.teacher.id,
    teacherName: w.teacher.name,
    guestId: w.guest.id,
    guestName: w.guest.name,
    purpose: "Rapat wali kelas",
    startsAt: at.toISOString(),
    localDate: w.today,
    status: "scheduled",
    late: null,
    early: null,
    checkedInAt: null,
    checkedInBy: null,
    pickedUpAt: null,
    finishedAt: null,
    cancelledAt: null,
    cancelledBy: null,
    noShowAt: null,
    createdAt: iso,
    createdBy: w.teacher.id,
    updatedAt: iso,
    walkIn: false,
    archived: false,
    qrKeyId: 1,
    rating: null,
  };
  assert.ok(await insertAppointmentRecord(a));
  return a;
}

async function req(
  w: HttpWorld,
  who: keyof HttpWorld["cookies"] | null,
  method: string,
  path: string,
  body?: { form?: Record<string, string>; json?: unknown },
): Promise<Response> {
  const headers = new Headers();
  if (who) headers.set("cookie", w.cookies[who]);
  if (method !== "GET") headers.set("origin", ORIGIN);
  let payload: BodyInit | undefined;
  if (body?.form) {
    headers.set("content-type", "application/x-www-form-urlencoded");
    payload = new URLSearchParams(body.form).toString();
  } else if (body?.json !== undefined) {
    headers.set("content-type", "application/json");
    payload = JSON.stringify(body.json);
  }
  return await w.h(new Request(ORIGIN + path, { method, headers, body: payload }));
}

Deno.test("desk page: opens an appointment, checks a guest in by name and phone, marks a no-show", async () => {
  const w = await httpWorld();
  const later = await storeToday(w, 0);
  const page = await req(w, "desk", "GET", `/frontdesk/appointments/${later.id}`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.ok(html.includes('data-testid="manual-check-in"'));
  assert.ok(html.includes(w.guest.name));
  assert.equal((await req(w, "teacher", "GET", `/frontdesk/appointments/${later.id}`)).status, 403);
  const missing = await req(w, "desk", "GET", `/frontdesk/appointments/${newId()}`);
  assert.equal(missing.status, 404);
  await missing.body?.cancel();

  // Wrong phone: 422, the translated message next to the field, nothing written.
  const bad = await req(w, "desk", "POST", `/frontdesk/appointments/${later.id}`, {
    form: { action: "check_in", guestName: w.guest.name, guestPhone: "0899 0000 0000" },
  });
  assert.equal(bad.status, 422);
  const badHtml = await bad.text();
  assert.ok(badHtml.includes(translate("id", "guestbook.checkin.phone_mismatch")));
  assert.ok(badHtml.includes('value="0899 0000 0000"'), "the typed value is kept");
  assert.equal((await getAppointment(later.id))!.status, "scheduled");

  const ok = await req(w, "desk", "POST", `/frontdesk/appointments/${later.id}`, {
    form: { action: "check_in", guestName: w.guest.name.toUpperCase(), guestPhone: w.guest.phone! },
  });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get("location"), `/frontdesk/appointments/${later.id}?done=check_in`);
  assert.equal((await getAppointment(later.id))!.status, "waiting");
  const done = await (await req(w, "desk", "GET", `/frontdesk/appointments/${later.id}?done=check_in`)).text();
  assert.ok(done.includes('data-status="waiting"'));
  assert.ok(!done.includes('data-testid="manual-check-in"'), "no second check-in form");

  // Already checked in: a 409 with the translated reason.
  const twice = await req(w, "desk", "POST", `/frontdesk/appointments/${later.id}`, {
    form: { action: "check_in", guestName: w.guest.name, guestPhone: w.guest.phone! },
  });
  assert.equal(twice.status, 409);
  assert.ok((await twice.text()).includes(translate("id", "guestbook.qr.already_checked_in").split("(")[0].trim()));

  // No-show of a guest whose time has passed: the button leads to a confirmation step first.
  const past = await storeToday(w, -1);
  const pageHtml = await (await req(w, "desk", "GET", `/frontdesk/appointments/${past.id}`)).text();
  assert.ok(
    pageHtml.includes(`/frontdesk/appointments/${past.id}?confirm=no_show`),
    "no-show is a link to the confirm step",
  );
  assert.ok(!pageHtml.includes('data-testid="confirm-step"'));
  const confirmHtml = await (await req(w, "desk", "GET", `/frontdesk/appointments/${past.id}?confirm=no_show`)).text();
  assert.ok(confirmHtml.includes('data-testid="confirm-step"'));
  assert.ok(confirmHtml.includes(translate("id", "fd.confirm.no_show.submit")));
  assert.equal((await getAppointment(past.id))!.status, "scheduled", "showing the step changes nothing");
  const ns = await req(w, "desk", "POST", `/frontdesk/appointments/${past.id}`, { form: { action: "no_show" } });
  assert.equal(ns.status, 303);
  assert.equal((await getAppointment(past.id))!.status, "no_show");
  const unknown = await req(w, "desk", "POST", `/frontdesk/appointments/${past.id}`, { form: { action: "explode" } });
  assert.equal(unknown.status, 400);
  await unknown.body?.cancel();
  w.kv.close();
});

Deno.test("desk API: manual check-in and no-show over HTTP", async () => {
  const w = await httpWorld();
  const a = await storeToday(w, 0);
  const wrong = await req(w, "desk", "POST", `/api/appointments/${a.id}/check-in`, {
    json: { guestName: "Orang Lain", guestPhone: w.guest.phone },
  });
  assert.ok(wrong.status === 400 || wrong.status === 422, `status ${wrong.status}`);
  const wrongBody = await wrong.json();
  assert.equal(wrongBody.error.fields.guestName, translate("id", "guestbook.checkin.name_mismatch"));
  const teacher = await req(w, "teacher", "POST", `/api/appointments/${a.id}/check-in`, {
    json: { guestName: w.guest.name, guestPhone: w.guest.phone },
  });
  assert.equal(teacher.status, 403);
  await teacher.body?.cancel();
  const ok = await req(w, "desk", "POST", `/api/appointments/${a.id}/check-in`, {
    json: { guestName: w.guest.name, guestPhone: w.guest.phone },
  });
  assert.equal(ok.status, 200);
  const body = await ok.json();
  assert.equal(body.appointment.status, "waiting");
  assert.ok(["early", "on_time", "late"].includes(body.punctuality));

  const past = await storeToday(w, -1);
  const ns = await req(w, "desk", "PUT", `/api/appointments/${past.id}/status`, { json: { status: "no_show" } });
  assert.equal(ns.status, 200);
  assert.equal((await ns.json()).appointment.status, "no_show");
  const teacherNs = await req(w, "teacher", "PUT", `/api/appointments/${a.id}/status`, {
    json: { status: "no_show" },
  });
  assert.equal(teacherNs.status, 403);
  await teacherNs.body?.cancel();
  w.kv.close();
});

Deno.test("desk list: the live list offers open, check-in without QR and no-show", async () => {
  const w = await httpWorld();
  const a = await storeToday(w, -1);
  const html = await (await req(w, "desk", "GET", "/frontdesk")).text();
  assert.ok(html.includes(`/frontdesk/appointments/${a.id}`));
  assert.ok(html.includes(`/frontdesk/appointments/${a.id}#manual-check-in`));
  assert.ok(html.includes('data-action="no-show"'));
  w.kv.close();
});

Deno.test("per-visit CSV endpoint: download, JSON, teacher scope and range bounds", async () => {
  const w = await httpWorld();
  await storeToday(w, 0);
  const q = (from: string, to: string, extra = "") => `/api/appointments/visits?from=${from}&to=${to}${extra}`;
  const csv = await req(w, "desk", "GET", q(w.today, w.today, "&format=csv"));
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get("content-type")!, /^text\/csv/);
  assert.match(csv.headers.get("content-disposition")!, /kunjungan-tamu-\d{4}-\d{2}-\d{2}\.csv/);
  const text = await csv.text();
  assert.equal(text.split("\r\n").length, 3, "header, one row, empty tail");
  const json = await (await req(w, "desk", "GET", q(w.today, w.today))).json();
  assert.equal(json.items.length, 1);
  assert.equal(json.items[0].teacherName, w.teacher.name);
  const guest = await req(w, "guest", "GET", q(w.today, w.today));
  assert.equal(guest.status, 403);
  await guest.body?.cancel();

  const bad = async (path: string, field: string, key: string) => {
    const res = await req(w, "desk", "GET", path);
    assert.ok(res.status === 400 || res.status === 422, `${path}: ${res.status}`);
    const b = await res.json();
    assert.equal(b.error.fields[field], translate("id", key), path);
  };
  await bad(q(w.today, addDays(w.today, -1)), "to", "guestbook.visits.range_reversed");
  await bad(q(w.today, addDays(w.today, VISITS_MAX_DAYS)), "to", "guestbook.visits.range_too_long");
  await bad(q("2026-02-30", w.today), "from", "field.invalid_date");
  await bad(`/api/appointments/visits?to=${w.today}`, "from", "field.invalid_date");
  await bad(q("1999-12-31", w.today), "from", "field.date_out_of_range");
  const longest = await req(w, "desk", "GET", q(w.today, addDays(w.today, VISITS_MAX_DAYS - 1)));
  assert.equal(longest.status, 200, "exactly VISITS_MAX_DAYS days is allowed");
  await longest.body?.cancel();
  w.kv.close();
});
