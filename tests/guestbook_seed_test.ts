/** The front-desk demo data: idempotent, every status of the day, a month of history for the reports. */
import assert from "node:assert/strict";
import { useKv } from "@/lib/db/kv.ts";
import { seedAccounts } from "@/lib/seed/accounts.ts";
import { seedGuestbook, todayPlan } from "@/lib/seed/guestbook.ts";
import type { Appointment } from "@/lib/guestbook/model.ts";
import type { Notification } from "@/lib/notify/notifications.ts";
import { idTime } from "@/lib/db/ids.ts";
import { appointmentsOfDay } from "@/lib/guestbook/store.ts";
import { appointmentQrCode } from "@/lib/guestbook/qr_token.ts";
import { checkIn, verifyQr } from "@/lib/guestbook/check_in.ts";
import { buildReport, todayDashboard } from "@/lib/guestbook/reports.ts";
import { addDays, localDateOf, todayLocal } from "@/lib/guestbook/time.ts";
import { getUserByEmail, getUserByPhone } from "@/lib/auth/users.ts";
import { teacherRatings } from "@/lib/guestbook/reviews.ts";

Deno.test("seedGuestbook: today's appointments in every status, 30 days of history, idempotent", async () => {
  const kv = await Deno.openKv(":memory:");
  useKv(kv);
  await assert.rejects(seedGuestbook(), /missing/);
  await seedAccounts();
  const now = new Date("2026-11-20T01:00:00Z"); // 08:00 WIB, a Friday
  const lines = await seedGuestbook(now);
  assert.equal(lines.length, 3);
  const count = async () => (await Array.fromAsync(kv.list({ prefix: [] }))).length;
  const before = await count();
  const again = await seedGuestbook(now);
  assert.match(again.join("\n"), /already seeded/);
  assert.equal(await count(), before, "second run writes nothing");

  const today = await appointmentsOfDay("2026-11-20");
  const statuses = new Set(today.map((a) => a.status));
  for (
    const s of ["scheduled", "waiting", "in_meeting", "finished", "cancelled"]
  ) assert.ok(statuses.has(s as never), s);
  assert.ok(today.some((a) => a.late === true));
  assert.ok(today.some((a) => a.walkIn));
  const dash = await todayDashboard(now);
  assert.equal(dash.total, today.length);
  assert.ok(dash.topTeacher);

  // The demo guest's QR checks in at the desk.
  const guest = (await getUserByPhone("6281234567890"))!;
  const mine = today.find((a) => a.guestId === guest.id && a.status === "scheduled")!;
  const code = await appointmentQrCode(mine);
  assert.equal((await verifyQr(code, now)).outcome, "check_in");
  const desk = (await getUserByEmail("resepsionis@demo.test"))!;
  assert.equal((await checkIn(code, desk, now)).appointment.status, "waiting");

  // Teachers were notified of today's arrivals.
  const guru1 = (await getUserByEmail("guru1@demo.test"))!;
  assert.ok(
    (await Array.fromAsync(kv.list({ prefix: ["notifications", guru1.id] })))
      .length >= 2,
  );

  // History: the reports show something.
  const r = await buildReport(
    "monthly",
    addDays("2026-11-20", -30),
    addDays("2026-11-20", -1),
  );
  assert.ok(r.appointments >= 40, `appointments ${r.appointments}`);
  assert.ok(
    r.visits > 0 && r.late > 0 && r.byStatus.no_show > 0 &&
      r.byStatus.cancelled > 0,
  );
  assert.ok(
    r.averageWaitMinutes !== null && r.averageRating !== null &&
      r.punctualityPercent !== null,
  );
  assert.equal(r.topTeachers.length, 3);
  assert.ok((await teacherRatings()).every((t) => t.count > 0));

  // Next day: a fresh set for the new day, no second history.
  const next = await seedGuestbook(new Date("2026-11-21T01:00:00Z"));
  assert.match(next[0], /history already seeded/);
  assert.ok((await appointmentsOfDay("2026-11-21")).length >= 9);
  kv.close();
});

Deno.test("seedGuestbook: today's set lies around the moment of seeding — nothing that happened is in the future, ids ≤ now", async () => {
  // Local (Asia/Jakarta, UTC+7) 00:05, 01:30, 12:00 and 23:55, each with a fresh database.
  for (const iso of ["2026-11-19T17:05:00Z", "2026-11-19T18:30:00Z", "2026-11-20T05:00:00Z", "2026-11-20T16:55:00Z"]) {
    const kv = await Deno.openKv(":memory:");
    useKv(kv);
    await seedAccounts();
    const now = new Date(iso);
    const t = now.getTime();
    const today = todayLocal(now);
    await seedGuestbook(now);
    const all = (await Array.fromAsync(kv.list<Appointment>({ prefix: ["appointments"] }))).map((e) => e.value);
    assert.ok(all.length > 40);
    for (const a of all) {
      for (const k of ["checkedInAt", "pickedUpAt", "finishedAt", "cancelledAt", "noShowAt", "createdAt"] as const) {
        if (a[k] !== null) assert.ok(Date.parse(a[k]!) <= t, `${iso}: ${a.status} ${k} ${a[k]} is after now`);
      }
      assert.ok(idTime(a.id) <= t, `${iso}: appointment id in the future`);
    }
    const mine = all.filter((a) => a.localDate === today);
    assert.equal(mine.length, 9, `${iso}: today's set on today's date`);
    for (const a of mine) {
      if (a.status === "scheduled") assert.ok(Date.parse(a.startsAt) >= t, `${iso}: scheduled before now`);
      if (a.checkedInAt) {
        assert.equal(localDateOf(new Date(a.checkedInAt)), today);
        assert.ok(Date.parse(a.checkedInAt) <= t);
      }
    }
    const statuses = new Set(mine.map((a) => a.status));
    for (const s of ["scheduled", "waiting", "in_meeting", "finished", "cancelled"]) {
      assert.ok(statuses.has(s as never));
    }
    // Notifications: ULIDs and times of the arrival, never after now, in arrival order.
    const notes = (await Array.fromAsync(kv.list<Notification>({ prefix: ["notifications"] }))).map((e) => e.value);
    assert.equal(notes.length, mine.filter((a) => a.checkedInAt).length);
    for (const n of notes) {
      assert.ok(idTime(n.id) <= t, `${iso}: notification id ${n.id} is in the future`);
      assert.ok(Date.parse(n.createdAt) <= t);
      assert.equal(idTime(n.id), Date.parse(n.createdAt), "the id is the notification's time");
      assert.equal(n.createdAt, (n.data as { arrivedAt: string }).arrivedAt);
    }
    for (const r of (await Array.fromAsync(kv.list<{ createdAt: string }>({ prefix: ["reviews"] })))) {
      assert.ok(Date.parse(r.value.createdAt) <= t, `${iso}: review in the future`);
    }
    kv.close();
  }
});

Deno.test("todayPlan: at the natural spacing when the day has room; squeezed, in order, at the edges of the day", () => {
  const noon = new Date("2026-11-20T05:00:00Z"); // 12:00 WIB
  const p = todayPlan(noon);
  const minsFrom = (at: Date) => (iso: string | null) =>
    iso === null ? null : (Date.parse(iso) - at.getTime()) / 60_000;
  assert.deepEqual(p.map((v) => minsFrom(noon)(v.times.startsAt)), p.map((v) => v.start));
  const early = new Date("2026-11-19T17:10:00Z"); // 00:10 WIB
  const mins = minsFrom(early);
  for (const v of todayPlan(early)) {
    const xs = [v.times.checkedInAt, v.times.pickedUpAt, v.times.finishedAt].filter((x) => x !== null).map(mins);
    assert.deepEqual(xs, [...xs].sort((a, b) => a! - b!), "arrival, pick-up, finish keep their order");
    for (const x of xs) assert.ok(x! <= 0 && x! >= -10);
  }
});
