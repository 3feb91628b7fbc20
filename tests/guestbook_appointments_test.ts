/**
 * Appointments: creation rules, every status transition and its refusals,
 * walk-ins, listings, the no-show job and concurrent check-in.
 */
import assert from "node:assert/strict";
import { useKv } from "@/lib/db/kv.ts";
import { createUser, getUserByPhone, type User } from "@/lib/auth/users.ts";
import { checkPassword } from "@/lib/auth/users.ts";
import { AppError, Conflict, Forbidden, NotFound, ValidationError } from "@/lib/errors.ts";
import type { Appointment } from "@/lib/guestbook/model.ts";
import {
  appointmentsOfDay,
  getAppointment,
  getAppointmentFor,
  insertAppointmentRecord,
  listAppointmentsByDay,
  listAppointmentsByGuest,
  listAppointmentsByTeacher,
  listAppointmentsFor,
  listToday,
} from "@/lib/guestbook/store.ts";
import { createAppointment, listActiveTeachers, registerWalkIn } from "@/lib/guestbook/create.ts";
import { checkIn, verifyQr } from "@/lib/guestbook/check_in.ts";
import { cancel, finish, markNoShows, pickUp, setAppointmentStatus } from "@/lib/guestbook/status.ts";
import { appointmentQrCode, QR_TOKEN_LENGTH } from "@/lib/guestbook/qr_token.ts";
import { config } from "@/lib/config.ts";

/** 2026-11-20 09:00 in Asia/Jakarta (UTC+7). */
const NOW = new Date("2026-11-20T02:00:00Z");
const at = (iso: string) => new Date(iso);
const minutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

interface World {
  kv: Deno.Kv;
  teacher: User;
  teacher2: User;
  inactiveTeacher: User;
  receptionist: User;
  admin: User;
  client: User;
}

async function world(): Promise<World> {
  const kv = await Deno.openKv(":memory:");
  useKv(kv);
  return {
    kv,
    teacher: await createUser({
      role: "teacher",
      name: "Bu Sari",
      email: "sari@test.id",
    }),
    teacher2: await createUser({
      role: "teacher",
      name: "Pak Budi",
      email: "budi@test.id",
    }),
    inactiveTeacher: await createUser({
      role: "teacher",
      name: "Pak Lama",
      email: "lama@test.id",
      status: "deactivated",
    }),
    receptionist: await createUser({
      role: "receptionist",
      name: "Rina",
      email: "rina@test.id",
    }),
    admin: await createUser({
      role: "admin",
      name: "Admin",
      email: "admin@test.id",
    }),
    client: await createUser({
      role: "client",
      name: "Klien",
      email: "klien@test.id",
    }),
  };
}

function input(over: Record<string, unknown> = {}) {
  return {
    guestName: "Ani Wijaya",
    guestPhone: "0812-3456-7890",
    purpose: "Konsultasi nilai rapor",
    startsAt: "2026-11-20T10:00:00+07:00",
    ...over,
  };
}

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

Deno.test("create: a teacher registers a guest; guest created by phone with a readable password", async () => {
  const w = await world();
  const r = await createAppointment(input(), w.teacher, NOW);
  const a = r.appointment;
  assert.equal(a.status, "scheduled");
  assert.equal(a.teacherId, w.teacher.id);
  assert.equal(a.teacherName, "Bu Sari");
  assert.equal(a.startsAt, "2026-11-20T03:00:00.000Z");
  assert.equal(a.localDate, "2026-11-20");
  assert.equal(a.late, null);
  assert.equal(a.walkIn, false);
  assert.equal(a.archived, false);
  assert.equal(a.createdBy, w.teacher.id);
  assert.equal(r.guest.phone, "6281234567890");
  assert.match(r.guestPassword!, /^[a-zA-Z0-9]{10}$/);
  assert.ok(await checkPassword(r.guest.id, r.guestPassword!));
  assert.equal((await getUserByPhone("6281234567890"))!.role, "guest");
  // QR text = URL with a 48-character token.
  assert.equal(r.qrCode, `${config.baseUrl}/g/${r.token}`);
  assert.equal(r.token.length, QR_TOKEN_LENGTH);
  assert.equal(await appointmentQrCode(a), r.qrCode);
  // Primary and all three indexes hold the same value.
  assert.deepEqual(await getAppointment(a.id), a);
  assert.deepEqual(
    (await w.kv.get(["appointments_by_teacher", a.teacherId, a.startsAt, a.id]))
      .value,
    a,
  );
  assert.deepEqual(
    (await w.kv.get(["appointments_by_day", "2026-11-20", a.id])).value,
    a,
  );
  assert.deepEqual(
    (await w.kv.get(["appointments_by_guest", a.guestId, a.id])).value,
    a,
  );

  // The same phone in another format finds the same guest, no new password.
  const r2 = await createAppointment(
    input({ guestPhone: "+62 812 3456 7890", guestName: "Ibu Ani" }),
    w.teacher,
    NOW,
  );
  assert.equal(r2.guest.id, r.guest.id);
  assert.equal(r2.guestPassword, null);
  assert.equal(r2.appointment.guestName, "Ibu Ani");
});

Deno.test("create: receptionist/admin choose the teacher; wall-clock times are read in the configured zone", async () => {
  const w = await world();
  const r = await createAppointment(
    input({ teacherId: w.teacher2.id, startsAt: "2026-11-21T08:15" }),
    w.receptionist,
    NOW,
  );
  assert.equal(r.appointment.teacherId, w.teacher2.id);
  assert.equal(r.appointment.startsAt, "2026-11-21T01:15:00.000Z");
  assert.equal(r.appointment.localDate, "2026-11-21");
  const r2 = await createAppointment(
    input({ teacherId: w.teacher.id }),
    w.admin,
    NOW,
  );
  assert.equal(r2.appointment.teacherId, w.teacher.id);
  // A teacher may pass their own id.
  await createAppointment(input({ teacherId: w.teacher.id }), w.teacher, NOW);
});

Deno.test("create: refusals", async () => {
  const w = await world();
  const field = async (
    over: Record<string, unknown>,
    name: string,
    key?: string,
    actor: User = w.teacher,
  ) => {
    const e = await rejects(
      createAppointment(input(over), actor, NOW),
      ValidationError,
    );
    assert.ok(name in e.fields, `${name} in ${JSON.stringify(e.fields)}`);
    if (key) assert.equal(e.fields[name], key);
  };
  await field(
    { startsAt: "2026-11-20T08:57:00+07:00" },
    "startsAt",
    "guestbook.starts_in_past",
  );
  await createAppointment(
    input({ startsAt: "2026-11-20T08:59:00+07:00" }),
    w.teacher,
    NOW,
  ); // within clock skew
  await field(
    { startsAt: "2027-01-21T09:00:00+07:00" },
    "startsAt",
    "guestbook.starts_too_far",
  );
  await createAppointment(
    input({ startsAt: "2027-01-20T23:00:00+07:00" }),
    w.teacher,
    NOW,
  ); // day 61
  await field({ startsAt: "tomorrow" }, "startsAt", "field.invalid_date");
  await field(
    { startsAt: "2026-02-30T10:00" },
    "startsAt",
    "field.invalid_date",
  );
  await field({ startsAt: undefined }, "startsAt");
  await field({ purpose: "" }, "purpose");
  await field({ purpose: "   " }, "purpose");
  await field({ purpose: "x".repeat(501) }, "purpose", "field.too_long");
  await createAppointment(input({ purpose: "x".repeat(500) }), w.teacher, NOW);
  await field({ guestName: "" }, "guestName");
  await field({ guestName: "x".repeat(101) }, "guestName", "field.too_long");
  await field({ guestPhone: "12345" }, "guestPhone", "guestbook.phone_invalid");
  await field(
    { guestPhone: "+1 555 123 4567" },
    "guestPhone",
    "guestbook.phone_invalid",
  );
  await field(
    { guestEmail: "not-an-email" },
    "guestEmail",
    "field.invalid_email",
  );
  await field({}, "teacherId", "field.required", w.receptionist);
  await field(
    { teacherId: w.inactiveTeacher.id },
    "teacherId",
    "guestbook.teacher_invalid",
    w.receptionist,
  );
  await field(
    { teacherId: w.receptionist.id },
    "teacherId",
    "guestbook.teacher_invalid",
    w.receptionist,
  );
  await field(
    { teacherId: "not-an-id" },
    "teacherId",
    "field.invalid",
    w.receptionist,
  );
  await rejects(
    createAppointment(input({ teacherId: w.teacher2.id }), w.teacher, NOW),
    Forbidden,
    "not_your_appointment",
  );
  await rejects(createAppointment(input(), w.client, NOW), Forbidden);
  await rejects(
    createAppointment(input(), { id: "x", role: "guest" }, NOW),
    Forbidden,
  );
  await rejects(
    createAppointment(
      input({ teacherId: w.inactiveTeacher.id }),
      w.inactiveTeacher,
      NOW,
    ),
    ValidationError,
  );
  // The phone of a staff member cannot become a guest (an answer that names no account kind).
  await createUser({
    role: "teacher",
    name: "Pak Telp",
    email: "telp@test.id",
    phone: "6281111111111",
  });
  await field(
    { guestPhone: "081111111111" },
    "guestPhone",
    "guestbook.phone_unavailable",
  );
  // Nothing invalid was stored.
  const all = await appointmentsOfDay("2026-11-20");
  assert.ok(
    all.every((a) => a.purpose.trim().length > 0 && a.purpose.length <= 500),
  );
});

Deno.test("check-in: on time up to startsAt + grace, late after; teacher notified in the same commit", async () => {
  const w = await world();
  const a = await createAppointment(
    input({ startsAt: "2026-11-20T10:00:00+07:00" }),
    w.teacher,
    NOW,
  );
  const b = await createAppointment(
    input({
      startsAt: "2026-11-20T10:00:00+07:00",
      guestPhone: "081299998888",
    }),
    w.teacher,
    NOW,
  );
  const grace = config.lateGraceMinutes;
  assert.equal(grace, 15);
  const start = at("2026-11-20T03:00:00Z");

  const v = await verifyQr(a.qrCode, minutes(start, grace));
  assert.equal(v.outcome, "check_in");
  const r1 = await checkIn(a.qrCode, w.receptionist, minutes(start, grace));
  assert.equal(r1.late, false);
  assert.equal(r1.appointment.status, "waiting");
  assert.equal(r1.appointment.checkedInBy, w.receptionist.id);
  assert.equal(r1.appointment.checkedInAt, minutes(start, grace).toISOString());

  const r2 = await checkIn(
    b.token,
    w.admin,
    new Date(start.getTime() + grace * 60_000 + 1),
  );
  assert.equal(r2.late, true);
  assert.equal(r2.appointment.late, true);

  const n = (await w.kv.get<
    { kind: string; data: Record<string, unknown>; userId: string }
  >(["notifications", w.teacher.id, r1.notificationId])).value!;
  assert.equal(n.kind, "guest_arrived");
  assert.equal(n.userId, w.teacher.id);
  assert.deepEqual(n.data, {
    appointmentId: a.appointment.id,
    guestName: "Ani Wijaya",
    purpose: "Konsultasi nilai rapor",
    arrivedAt: r1.appointment.checkedInAt,
    late: false,
  });
  const n2 = (await w.kv.get<{ data: { late: boolean } }>([
    "notifications",
    w.teacher.id,
    r2.notificationId,
  ])).value!;
  assert.equal(n2.data.late, true);
  // Indexes follow.
  assert.equal(
    (await w.kv.get<Appointment>([
      "appointments_by_guest",
      a.appointment.guestId,
      a.appointment.id,
    ])).value!.status,
    "waiting",
  );
  // Only staff check in.
  const c = await createAppointment(
    input({ guestPhone: "081277776666" }),
    w.teacher,
    NOW,
  );
  await rejects(checkIn(c.qrCode, w.teacher, NOW), Forbidden);
  await rejects(
    checkIn(c.qrCode, { id: c.guest.id, role: "guest" }, NOW),
    Forbidden,
  );
  assert.equal((await getAppointment(c.appointment.id))!.status, "scheduled");
});

Deno.test("transitions: waiting → in_meeting → finished by the teacher; every wrong move refused", async () => {
  const w = await world();
  const r = await createAppointment(input(), w.teacher, NOW);
  const id = r.appointment.id;
  // From scheduled: only cancel (or check-in) is allowed.
  await rejects(pickUp(id, w.teacher, NOW), Conflict, "invalid_transition");
  await rejects(finish(id, w.teacher, NOW), Conflict, "invalid_transition");
  await checkIn(r.qrCode, w.receptionist, minutes(NOW, 50));
  // From waiting.
  await rejects(finish(id, w.teacher, NOW), Conflict, "invalid_transition");
  await rejects(cancel(id, w.teacher, NOW), Conflict, "invalid_transition");
  await rejects(pickUp(id, w.teacher2, NOW), NotFound, "appointment_not_found"); // another teacher
  await rejects(
    pickUp(id, w.receptionist, NOW),
    Forbidden,
    "not_your_appointment",
  );
  await rejects(pickUp(id, { id: r.guest.id, role: "guest" }, NOW), Forbidden);
  await rejects(pickUp(id, w.client, NOW), NotFound);
  const p = await pickUp(id, w.teacher, minutes(NOW, 62));
  assert.equal(p.status, "in_meeting");
  assert.equal(p.pickedUpAt, minutes(NOW, 62).toISOString());
  // From in_meeting.
  await rejects(pickUp(id, w.teacher, NOW), Conflict, "invalid_transition");
  await rejects(
    cancel(id, w.receptionist, NOW),
    Conflict,
    "invalid_transition",
  );
  await rejects(finish(id, w.receptionist, NOW), Forbidden);
  const f = await finish(id, w.teacher, minutes(NOW, 90));
  assert.equal(f.status, "finished");
  assert.equal(f.finishedAt, minutes(NOW, 90).toISOString());
  // Finished is final.
  for (const s of ["in_meeting", "finished", "cancelled"] as const) {
    await rejects(
      setAppointmentStatus(id, s, w.teacher, NOW),
      Conflict,
      "invalid_transition",
    );
  }
  // Not a known status / unknown id.
  await rejects(
    setAppointmentStatus(id, "waiting" as "finished", w.teacher, NOW),
    ValidationError,
  );
  await rejects(
    setAppointmentStatus(
      "01ARZ3NDEKTSV4RRFFQ69G5FAV",
      "finished",
      w.teacher,
      NOW,
    ),
    NotFound,
  );
  await rejects(
    setAppointmentStatus("../../x", "finished", w.teacher, NOW),
    NotFound,
  );
  // Admin may move any appointment.
  const r2 = await createAppointment(
    input({ guestPhone: "081300001111" }),
    w.teacher,
    NOW,
  );
  await checkIn(r2.qrCode, w.receptionist, NOW);
  assert.equal(
    (await pickUp(r2.appointment.id, w.admin, NOW)).status,
    "in_meeting",
  );
  assert.equal(
    (await finish(r2.appointment.id, w.admin, NOW)).status,
    "finished",
  );
});

Deno.test("cancel: teacher (own), receptionist, admin; not guests or other teachers; cancelled is final", async () => {
  const w = await world();
  const mk = async (
    phone: string,
  ) => (await createAppointment(input({ guestPhone: phone }), w.teacher, NOW));
  const a = await mk("081200000001");
  const b = await mk("081200000002");
  const c = await mk("081200000003");
  await rejects(cancel(a.appointment.id, w.teacher2, NOW), NotFound);
  await rejects(
    cancel(a.appointment.id, { id: a.guest.id, role: "guest" }, NOW),
    Forbidden,
  );
  const x = await cancel(a.appointment.id, w.teacher, NOW);
  assert.equal(x.status, "cancelled");
  assert.equal(x.cancelledBy, w.teacher.id);
  assert.equal(
    (await cancel(b.appointment.id, w.receptionist, NOW)).status,
    "cancelled",
  );
  assert.equal(
    (await cancel(c.appointment.id, w.admin, NOW)).status,
    "cancelled",
  );
  await rejects(
    cancel(a.appointment.id, w.teacher, NOW),
    Conflict,
    "invalid_transition",
  );
  await rejects(
    checkIn(a.qrCode, w.receptionist, NOW),
    Conflict,
    "qr_cancelled",
  );
  await rejects(verifyQr(a.qrCode, NOW), Conflict, "qr_cancelled");
  await rejects(
    pickUp(a.appointment.id, w.teacher, NOW),
    Conflict,
    "invalid_transition",
  );
});

Deno.test("walk-in: created checked in (waiting, on time, now) with the teacher's notification", async () => {
  const w = await world();
  const r = await registerWalkIn(
    {
      guestName: "Dedi",
      guestPhone: "085711112222",
      purpose: "Antar berkas",
      teacherId: w.teacher2.id,
    },
    w.receptionist,
    NOW,
  );
  const a = r.appointment;
  assert.equal(a.status, "waiting");
  assert.equal(a.walkIn, true);
  assert.equal(a.late, false);
  assert.equal(a.startsAt, NOW.toISOString());
  assert.equal(a.checkedInAt, NOW.toISOString());
  assert.equal(a.teacherId, w.teacher2.id);
  assert.ok(r.guestPassword);
  const n = (await w.kv.get<{ data: Record<string, unknown> }>([
    "notifications",
    w.teacher2.id,
    r.notificationId,
  ])).value!;
  assert.equal(n.data.appointmentId, a.id);
  assert.equal(n.data.late, false);
  await rejects(verifyQr(r.qrCode, NOW), Conflict, "qr_already_checked_in");
  // Then the normal flow.
  await pickUp(a.id, w.teacher2, NOW);
  await finish(a.id, w.teacher2, NOW);
  // Refusals.
  await rejects(
    registerWalkIn(
      {
        guestName: "X",
        guestPhone: "085711113333",
        purpose: "p",
        teacherId: w.teacher.id,
      },
      w.teacher,
      NOW,
    ),
    Forbidden,
  );
  const e = await rejects(
    registerWalkIn(
      { guestName: "", guestPhone: "1", purpose: "", teacherId: "nope" },
      w.receptionist,
      NOW,
    ),
    ValidationError,
  );
  assert.deepEqual(Object.keys(e.fields).sort(), [
    "guestName",
    "guestPhone",
    "purpose",
    "teacherId",
  ]);
  await rejects(
    registerWalkIn(
      {
        guestName: "X",
        guestPhone: "085711113333",
        purpose: "p",
        teacherId: w.inactiveTeacher.id,
      },
      w.admin,
      NOW,
    ),
    ValidationError,
  );
  assert.equal(
    await getUserByPhone("6285711113333"),
    null,
    "no guest created when the walk-in is refused",
  );
});

Deno.test("listings: by teacher, by day, by guest, per role, today", async () => {
  const w = await world();
  const a1 = await createAppointment(
    input({ startsAt: "2026-11-20T13:00:00+07:00" }),
    w.teacher,
    NOW,
  );
  const a2 = await createAppointment(
    input({
      startsAt: "2026-11-20T10:00:00+07:00",
      guestPhone: "081300002222",
    }),
    w.teacher,
    NOW,
  );
  const a3 = await createAppointment(
    input({ startsAt: "2026-11-21T10:00:00+07:00" }),
    w.teacher,
    NOW,
  );
  const b1 = await createAppointment(
    input({ startsAt: "2026-11-20T11:00:00+07:00", teacherId: w.teacher2.id }),
    w.receptionist,
    NOW,
  );

  const t = await listAppointmentsByTeacher(w.teacher.id);
  assert.deepEqual(t.items.map((a) => a.id), [
    a2.appointment.id,
    a1.appointment.id,
    a3.appointment.id,
  ]);
  const today = await listAppointmentsByTeacher(w.teacher.id, {
    date: "2026-11-20",
  });
  assert.deepEqual(today.items.map((a) => a.id), [
    a2.appointment.id,
    a1.appointment.id,
  ]);
  const p1 = await listAppointmentsByTeacher(w.teacher.id, { limit: 2 });
  assert.equal(p1.items.length, 2);
  const p2 = await listAppointmentsByTeacher(w.teacher.id, {
    limit: 2,
    cursor: p1.cursor,
  });
  assert.deepEqual(p2.items.map((a) => a.id), [a3.appointment.id]);

  const day = await listAppointmentsByDay("2026-11-20");
  assert.equal(day.items.length, 3);
  const sorted = await appointmentsOfDay("2026-11-20");
  assert.deepEqual(sorted.map((a) => a.id), [
    a2.appointment.id,
    b1.appointment.id,
    a1.appointment.id,
  ]);

  const g = await listAppointmentsByGuest(a1.guest.id);
  assert.deepEqual(g.items.map((a) => a.id), [
    b1.appointment.id,
    a3.appointment.id,
    a1.appointment.id,
  ]);

  const guest = { id: a1.guest.id, role: "guest" as const };
  assert.equal((await listAppointmentsFor(w.teacher2)).items.length, 1);
  assert.equal((await listAppointmentsFor(guest)).items.length, 3);
  assert.equal(
    (await listAppointmentsFor(w.receptionist, { now: NOW })).items.length,
    3,
  );
  assert.equal(
    (await listAppointmentsFor(w.admin, { date: "2026-11-21" })).items.length,
    1,
  );
  await rejects(listAppointmentsFor(w.client), Forbidden);

  assert.equal((await listToday(w.receptionist, NOW)).length, 3);
  assert.deepEqual((await listToday(w.teacher, NOW)).map((a) => a.id), [
    a2.appointment.id,
    a1.appointment.id,
  ]);
  assert.equal((await listToday(guest, NOW)).length, 2);
  await rejects(listToday(w.client, NOW), Forbidden);

  // Visibility of one appointment.
  assert.equal(
    (await getAppointmentFor(w.teacher, a1.appointment.id)).id,
    a1.appointment.id,
  );
  await getAppointmentFor(w.receptionist, a1.appointment.id);
  await getAppointmentFor(guest, a1.appointment.id);
  await rejects(getAppointmentFor(w.teacher2, a1.appointment.id), NotFound);
  await rejects(
    getAppointmentFor({ id: a2.guest.id, role: "guest" }, a1.appointment.id),
    NotFound,
  );
  await rejects(getAppointmentFor(w.client, a1.appointment.id), NotFound);

  const teachers = await listActiveTeachers();
  assert.deepEqual(teachers.map((x) => x.name), ["Bu Sari", "Pak Budi"]);
});

Deno.test("no-show: scheduled appointments of past days become no_show at the end of the day", async () => {
  const w = await world();
  const a = await createAppointment(
    input({ startsAt: "2026-11-20T10:00:00+07:00" }),
    w.teacher,
    NOW,
  );
  const b = await createAppointment(
    input({
      startsAt: "2026-11-20T11:00:00+07:00",
      guestPhone: "081300003333",
    }),
    w.teacher,
    NOW,
  );
  const c = await createAppointment(
    input({
      startsAt: "2026-11-21T11:00:00+07:00",
      guestPhone: "081300004444",
    }),
    w.teacher,
    NOW,
  );
  await checkIn(b.qrCode, w.receptionist, NOW);
  assert.equal(await markNoShows(NOW), 0); // same day: nothing yet
  const nextDay = at("2026-11-20T17:00:00Z"); // 00:00 WIB on the 21st
  assert.equal(await markNoShows(nextDay), 1);
  const x = (await getAppointment(a.appointment.id))!;
  assert.equal(x.status, "no_show");
  assert.equal(x.noShowAt, nextDay.toISOString());
  assert.equal((await getAppointment(b.appointment.id))!.status, "waiting");
  assert.equal((await getAppointment(c.appointment.id))!.status, "scheduled");
  assert.equal(await markNoShows(nextDay), 0); // idempotent
  await rejects(
    checkIn(a.qrCode, w.receptionist, nextDay),
    Conflict,
    "qr_wrong_day",
  );
  await rejects(
    cancel(a.appointment.id, w.teacher, nextDay),
    Conflict,
    "invalid_transition",
  );
  // A record inserted for an older day (import) is still found on the next run.
  const old: Appointment = {
    ...x,
    id: "01KAAAAAAAAAAAAAAAAAAAAAAA",
    status: "scheduled",
    localDate: "2026-11-10",
    startsAt: "2026-11-10T03:00:00.000Z",
    noShowAt: null,
  };
  assert.ok(await insertAppointmentRecord(old));
  assert.equal(await markNoShows(at("2026-11-21T17:00:00Z")), 2); // old one + c
});

Deno.test("concurrency: 20 simultaneous check-ins of one code → exactly 1 succeeds, 19 get qr_already_checked_in", async () => {
  const w = await world();
  const r = await createAppointment(input(), w.teacher, NOW);
  const results = await Promise.allSettled(
    Array.from({ length: 20 }, () => checkIn(r.qrCode, w.receptionist, NOW)),
  );
  const ok = results.filter((x) => x.status === "fulfilled");
  const failed = results.filter((x): x is PromiseRejectedResult => x.status === "rejected");
  assert.equal(ok.length, 1);
  assert.equal(failed.length, 19);
  for (const f of failed) {
    assert.ok(f.reason instanceof Conflict, String(f.reason));
    assert.equal(f.reason.code, "qr_already_checked_in");
    assert.equal(f.reason.status, 409);
  }
  // Exactly one notification was written.
  const notes = [];
  for await (
    const e of w.kv.list({ prefix: ["notifications", w.teacher.id] })
  ) notes.push(e);
  assert.equal(notes.length, 1);
});

Deno.test("concurrency: cancel racing check-in → exactly one wins", async () => {
  const w = await world();
  for (let i = 0; i < 5; i++) {
    const r = await createAppointment(
      input({ guestPhone: `08130000500${i}` }),
      w.teacher,
      NOW,
    );
    const [c, k] = await Promise.allSettled([
      cancel(r.appointment.id, w.teacher, NOW),
      checkIn(r.qrCode, w.receptionist, NOW),
    ]);
    assert.equal([c, k].filter((x) => x.status === "fulfilled").length, 1);
    const final = (await getAppointment(r.appointment.id))!;
    assert.ok(final.status === "cancelled" || final.status === "waiting");
  }
});
