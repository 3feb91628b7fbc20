/** Retention (docs/domain-rules.md "Retention"): archive old appointments (still in reports), delete old read notifications, daily job. */
import assert from "node:assert/strict";
import { useKv } from "@/lib/db/kv.ts";
import { createUser } from "@/lib/auth/users.ts";
import { config } from "@/lib/config.ts";
import type { Appointment } from "@/lib/guestbook/model.ts";
import {
  getAppointment,
  insertAppointmentRecord,
  listAppointmentsByGuest,
  listAppointmentsByTeacher,
} from "@/lib/guestbook/store.ts";
import { archiveOldAppointments, deleteOldReadNotifications, runRetention } from "@/lib/guestbook/retention.ts";
import { midnightCron, runDailyJobs } from "@/lib/jobs.ts";
import { monthlyReport } from "@/lib/guestbook/reports.ts";
import { newId } from "@/lib/db/ids.ts";
import { createNotification, getNotification, markRead } from "@/lib/notify/notifications.ts";

function appt(
  teacherId: string,
  guestId: string,
  localDate: string,
  over: Partial<Appointment> = {},
): Appointment {
  const startsAt = `${localDate}T02:00:00.000Z`;
  return {
    schemaVersion: 1,
    id: newId(Date.parse(startsAt)),
    teacherId,
    teacherName: "T",
    guestId,
    guestName: "G",
    purpose: "p",
    startsAt,
    localDate,
    status: "finished",
    late: false,
    checkedInAt: startsAt,
    checkedInBy: null,
    pickedUpAt: startsAt,
    finishedAt: startsAt,
    cancelledAt: null,
    cancelledBy: null,
    noShowAt: null,
    createdAt: startsAt,
    createdBy: teacherId,
    updatedAt: startsAt,
    walkIn: false,
    archived: false,
    qrKeyId: 1,
    rating: null,
    ...over,
  };
}

Deno.test("archive: appointments older than ARCHIVE_AFTER_DAYS leave the active listings but stay in reports", async () => {
  const kv = await Deno.openKv(":memory:");
  useKv(kv);
  const t = await createUser({ role: "teacher", name: "T", email: "t@x.id" });
  const guestId = newId();
  assert.equal(config.archiveAfterDays, 365);
  const now = new Date("2026-11-20T02:00:00Z");
  const old1 = appt(t.id, guestId, "2025-11-01");
  const old2 = appt(t.id, guestId, "2025-11-19"); // 366 days before 2026-11-20
  const kept = appt(t.id, guestId, "2025-11-20"); // exactly 365 days: kept
  const recent = appt(t.id, guestId, "2026-11-01");
  for (const a of [old1, old2, kept, recent]) {
    assert.ok(await insertAppointmentRecord(a));
  }

  assert.equal(await archiveOldAppointments(now), 2);
  for (const a of [old1, old2]) {
    const x = (await getAppointment(a.id))!;
    assert.equal(x.archived, true);
    assert.equal(
      (await kv.get(["appointments_by_teacher", t.id, a.startsAt, a.id])).value,
      null,
    );
    assert.equal(
      (await kv.get(["appointments_by_guest", guestId, a.id])).value,
      null,
    );
    assert.equal(
      (await kv.get<Appointment>(["appointments_by_day", a.localDate, a.id]))
        .value!.archived,
      true,
    );
  }
  assert.equal((await getAppointment(kept.id))!.archived, false);
  assert.deepEqual(
    (await listAppointmentsByTeacher(t.id)).items.map((a) => a.id),
    [kept.id, recent.id],
  );
  assert.deepEqual(
    (await listAppointmentsByGuest(guestId)).items.map((a) => a.id),
    [recent.id, kept.id],
  );
  assert.equal(
    (await monthlyReport("2025-11")).visits,
    3,
    "archived appointments still counted",
  );
  assert.equal(await archiveOldAppointments(now), 0, "idempotent");
  // The next day archives the next one.
  assert.equal(
    await archiveOldAppointments(new Date("2026-11-21T02:00:00Z")),
    1,
  );

  // A shorter retention from the environment.
  Deno.env.set("ARCHIVE_AFTER_DAYS", "7");
  try {
    assert.equal(await archiveOldAppointments(now), 1);
    assert.equal((await getAppointment(recent.id))!.archived, true);
  } finally {
    Deno.env.delete("ARCHIVE_AFTER_DAYS");
  }
  kv.close();
});

Deno.test("notifications: read ones older than 30 days are deleted, unread and recent ones kept", async () => {
  const kv = await Deno.openKv(":memory:");
  useKv(kv);
  const mk = () =>
    createNotification({
      userId: "U1",
      kind: "guest_arrived",
      data: {
        appointmentId: "x",
        guestName: "G",
        purpose: "p",
        arrivedAt: "2026-01-01T00:00:00Z",
        late: false,
      },
    });
  const oldRead = await mk();
  const recentRead = await mk();
  const unread = await mk();
  const now = new Date("2026-11-20T02:00:00Z");
  await markRead("U1", oldRead.id, new Date("2026-10-01T00:00:00Z"));
  await markRead("U1", recentRead.id, new Date("2026-11-10T00:00:00Z"));
  assert.equal(await deleteOldReadNotifications(now), 1);
  assert.equal(await getNotification("U1", oldRead.id), null);
  assert.ok(await getNotification("U1", recentRead.id));
  assert.ok(await getNotification("U1", unread.id));
  kv.close();
});

Deno.test("daily job: no-shows, archive, notifications and a backup in BACKUP_DIR", async () => {
  const kv = await Deno.openKv(":memory:");
  useKv(kv);
  const t = await createUser({ role: "teacher", name: "T", email: "t@x.id" });
  const past = appt(t.id, newId(), "2026-11-19", {
    status: "scheduled",
    late: null,
    checkedInAt: null,
    pickedUpAt: null,
    finishedAt: null,
  });
  const ancient = appt(t.id, newId(), "2024-01-01");
  await insertAppointmentRecord(past);
  await insertAppointmentRecord(ancient);
  const now = new Date("2026-11-20T17:00:00Z");
  await Deno.mkdir("tests/.tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: "tests/.tmp", prefix: "daily-" });
  Deno.env.set("BACKUP_DIR", dir);
  try {
    const r = await runDailyJobs(now);
    assert.deepEqual(r.retention, {
      noShows: 1,
      archived: 1,
      notificationsDeleted: 0,
    });
    assert.ok(r.backup && r.backup.startsWith(dir));
    assert.equal((await getAppointment(past.id))!.status, "no_show");
    assert.equal((await getAppointment(ancient.id))!.archived, true);
    assert.deepEqual(await runRetention(now), {
      noShows: 0,
      archived: 0,
      notificationsDeleted: 0,
    });
  } finally {
    Deno.env.delete("BACKUP_DIR");
    await Deno.remove(dir, { recursive: true });
  }
  kv.close();
});

Deno.test("the daily job fires at local midnight of TIME_ZONE (cron in UTC)", () => {
  const at = new Date("2026-11-21T00:00:00Z");
  assert.equal(midnightCron("Asia/Jakarta", at), "0 17 * * *");
  assert.equal(midnightCron("Asia/Makassar", at), "0 16 * * *");
  assert.equal(midnightCron("Asia/Kolkata", at), "30 18 * * *");
  assert.equal(midnightCron("UTC", at), "0 0 * * *");
  assert.equal(midnightCron("America/New_York", at), "0 5 * * *");
});
