/** The front-desk demo data: idempotent, every status of the day, a month of history for the reports. */
import assert from "node:assert/strict";
import { useKv } from "@/lib/db/kv.ts";
import { seedAccounts } from "@/lib/seed/accounts.ts";
import { seedGuestbook } from "@/lib/seed/guestbook.ts";
import { appointmentsOfDay } from "@/lib/guestbook/store.ts";
import { appointmentQrCode } from "@/lib/guestbook/qr_token.ts";
import { checkIn, verifyQr } from "@/lib/guestbook/check_in.ts";
import { buildReport, todayDashboard } from "@/lib/guestbook/reports.ts";
import { addDays } from "@/lib/guestbook/time.ts";
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
