/** Reviews, dashboard and reports on a constructed data set; CSV quoting (docs/domain-rules.md "Review", "Reports"). */
import assert from "node:assert/strict";
import { useKv } from "@/lib/db/kv.ts";
import { createUser, type User } from "@/lib/auth/users.ts";
import { AppError, Conflict, Forbidden, NotFound, ValidationError } from "@/lib/errors.ts";
import type { Appointment } from "@/lib/guestbook/model.ts";
import { getAppointment, insertAppointmentRecord } from "@/lib/guestbook/store.ts";
import { createAppointment } from "@/lib/guestbook/create.ts";
import { checkIn } from "@/lib/guestbook/check_in.ts";
import { finish, pickUp } from "@/lib/guestbook/status.ts";
import {
  getReview,
  listReviewsByTeacher,
  submitReview,
  submitReviewByCode,
  teacherRating,
  teacherRatings,
} from "@/lib/guestbook/reviews.ts";
import {
  csvField,
  csvFileName,
  csvRows,
  dailyReport,
  monthlyReport,
  toCsv,
  todayDashboard,
  weeklyReport,
} from "@/lib/guestbook/reports.ts";
import { isoWeekOf, monthRange } from "@/lib/guestbook/time.ts";
import { newId } from "@/lib/db/ids.ts";

const NOW = new Date("2026-11-20T02:00:00Z");

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    return err.code;
  }
  return "ok";
}

async function setup() {
  const kv = await Deno.openKv(":memory:");
  useKv(kv);
  const t1 = await createUser({
    role: "teacher",
    name: "Bu Sari",
    email: "sari@test.id",
  });
  const t2 = await createUser({
    role: "teacher",
    name: "Pak Budi",
    email: "budi@test.id",
  });
  const desk = await createUser({
    role: "receptionist",
    name: "Rina",
    email: "rina@test.id",
  });
  return { kv, t1, t2, desk };
}

async function finished(w: { t1: User; desk: User }, phone: string) {
  const r = await createAppointment(
    {
      guestName: "Ani",
      guestPhone: phone,
      purpose: "Rapat",
      startsAt: "2026-11-20T10:00:00+07:00",
    },
    w.t1,
    NOW,
  );
  await checkIn(r.qrCode, w.desk, NOW);
  await pickUp(r.appointment.id, w.t1, NOW);
  await finish(r.appointment.id, w.t1, NOW);
  return r;
}

Deno.test("reviews: only after finished, once, by the owning guest or the code holder; teacher average", async () => {
  const w = await setup();
  const r = await createAppointment(
    {
      guestName: "Ani",
      guestPhone: "081200000001",
      purpose: "Rapat",
      startsAt: "2026-11-20T10:00:00+07:00",
    },
    w.t1,
    NOW,
  );
  const guest = { id: r.guest.id, role: "guest" as const };
  assert.equal(
    await code(submitReview(r.appointment.id, { rating: 5 }, guest, NOW)),
    "review_not_available",
  );
  await checkIn(r.qrCode, w.desk, NOW);
  assert.equal(
    await code(submitReviewByCode({ code: r.qrCode, rating: 5 }, NOW)),
    "review_not_available",
  );
  await pickUp(r.appointment.id, w.t1, NOW);
  await finish(r.appointment.id, w.t1, NOW);
  // Validation.
  for (
    const bad of [
      { rating: 0 },
      { rating: 6 },
      { rating: 2.5 },
      { rating: "abc" },
      {},
      { rating: 3, comment: "x".repeat(1001) },
      { rating: 3, comment: 12 },
    ]
  ) {
    const e = await submitReview(r.appointment.id, bad, guest, NOW).catch((x) => x);
    assert.ok(e instanceof ValidationError, JSON.stringify(bad));
  }
  // Not theirs / not a guest.
  const other = await createAppointment(
    {
      guestName: "Budi",
      guestPhone: "081200000002",
      purpose: "x",
      startsAt: "2026-11-20T10:00:00+07:00",
    },
    w.t1,
    NOW,
  );
  assert.ok(
    (await submitReview(r.appointment.id, { rating: 5 }, {
      id: other.guest.id,
      role: "guest",
    }, NOW).catch((x) => x)) instanceof NotFound,
  );
  assert.ok(
    (await submitReview(r.appointment.id, { rating: 5 }, w.t1, NOW).catch((x) => x)) instanceof Forbidden,
  );
  const review = await submitReview(
    r.appointment.id,
    { rating: "4", comment: '  Ramah, "cepat"  ' },
    guest,
    NOW,
  );
  assert.equal(review.rating, 4);
  assert.equal(review.comment, 'Ramah, "cepat"');
  assert.deepEqual(await getReview(r.appointment.id), review);
  assert.equal((await getAppointment(r.appointment.id))!.rating, 4);
  assert.equal(
    await code(submitReview(r.appointment.id, { rating: 1 }, guest, NOW)),
    "already_reviewed",
  );
  assert.equal(
    await code(submitReviewByCode({ code: r.qrCode, rating: 1 }, NOW)),
    "already_reviewed",
  );
  // By code, with an empty comment.
  const r2 = await finished(w, "081200000003");
  const rv2 = await submitReviewByCode({
    code: r2.token,
    rating: 1,
    comment: "",
  }, NOW);
  assert.equal(rv2.comment, null);
  assert.equal(
    await code(
      submitReviewByCode(
        {
          code: r2.token.slice(0, -1) + (r2.token.endsWith("A") ? "B" : "A"),
          rating: 1,
        },
        NOW,
      ),
    ),
    "qr_bad_signature",
  );
  // Concurrent reviews of one appointment: exactly one stored.
  const r3 = await finished(w, "081200000004");
  const results = await Promise.allSettled(
    Array.from(
      { length: 10 },
      (_, i) => submitReviewByCode({ code: r3.qrCode, rating: (i % 5) + 1 }, NOW),
    ),
  );
  assert.equal(results.filter((x) => x.status === "fulfilled").length, 1);
  for (const x of results) {
    if (x.status === "rejected") {
      assert.equal((x.reason as Conflict).code, "already_reviewed");
    }
  }
  const stored = (await getReview(r3.appointment.id))!;
  const rating = await teacherRating(w.t1.id);
  assert.equal(rating.count, 3);
  assert.equal(
    rating.average,
    Math.round(((4 + 1 + stored.rating) / 3) * 100) / 100,
  );
  assert.deepEqual(await teacherRating(w.t2.id), {
    teacherId: w.t2.id,
    average: null,
    count: 0,
  });
  const all = await teacherRatings();
  assert.equal(all[0].teacherId, w.t1.id);
  assert.equal(all[1].average, null);
  assert.equal((await listReviewsByTeacher(w.t1.id)).items.length, 3);
});

/** The constructed data set; numbers checked by hand in the comments. */
async function dataset() {
  const w = await setup();
  const base = (over: Partial<Appointment>): Appointment => {
    const startsAt = over.startsAt ?? `${over.localDate}T02:00:00.000Z`;
    return {
      schemaVersion: 1,
      id: newId(Date.parse(startsAt)),
      teacherId: w.t1.id,
      teacherName: "old name",
      guestId: newId(),
      guestName: "G",
      purpose: "p",
      startsAt,
      localDate: "2026-11-02",
      status: "finished",
      late: false,
      checkedInAt: null,
      checkedInBy: null,
      pickedUpAt: null,
      finishedAt: null,
      cancelledAt: null,
      cancelledBy: null,
      noShowAt: null,
      createdAt: startsAt,
      createdBy: w.t1.id,
      updatedAt: startsAt,
      walkIn: false,
      archived: false,
      qrKeyId: 1,
      rating: null,
      ...over,
    };
  };
  const visit = (date: string, hhmm: string, wait: number | null) => {
    const checkedInAt = new Date(`${date}T${hhmm}:00+07:00`).toISOString();
    return {
      checkedInAt,
      pickedUpAt: wait === null ? null : new Date(Date.parse(checkedInAt) + wait * 60_000).toISOString(),
    };
  };
  const T1 = w.t1.id, T2 = w.t2.id;
  const rows: Appointment[] = [
    // 2026-11-02 (Monday)
    base({
      teacherId: T1,
      localDate: "2026-11-02",
      ...visit("2026-11-02", "09:00", 10),
      late: false,
      rating: 5,
    }), // A1
    base({
      teacherId: T1,
      localDate: "2026-11-02",
      ...visit("2026-11-02", "10:20", 20),
      late: true,
      rating: 3,
    }), // A2
    base({
      teacherId: T2,
      localDate: "2026-11-02",
      status: "no_show",
      late: null,
    }), // A3
    // 2026-11-03
    base({
      teacherId: T2,
      localDate: "2026-11-03",
      status: "waiting",
      ...visit("2026-11-03", "08:00", null),
      late: false,
    }), // A4
    base({
      teacherId: T2,
      localDate: "2026-11-03",
      status: "cancelled",
      late: null,
    }), // A5
    base({
      teacherId: T2,
      localDate: "2026-11-03",
      status: "in_meeting",
      ...visit("2026-11-03", "13:00", 30),
      late: true,
    }), // A6
    base({
      teacherId: T1,
      localDate: "2026-11-03",
      walkIn: true,
      ...visit("2026-11-03", "14:00", 5),
      late: false,
    }), // A7
    // 2026-11-04, archived
    base({
      teacherId: T2,
      localDate: "2026-11-04",
      archived: true,
      ...visit("2026-11-04", "09:00", 25),
      late: false,
      rating: 2,
    }), // A10
    // 2026-11-09 (next Monday)
    base({
      teacherId: T2,
      localDate: "2026-11-09",
      ...visit("2026-11-09", "09:00", 15),
      late: false,
      rating: 4,
    }), // A8
    // 2026-10-31 (outside November)
    base({
      teacherId: T1,
      localDate: "2026-10-31",
      ...visit("2026-10-31", "09:00", 50),
      late: true,
      rating: 1,
    }), // A9
  ];
  for (const r of rows) assert.ok(await insertAppointmentRecord(r));
  return w;
}

Deno.test("reports: monthly numbers on the constructed data set (archived included)", async () => {
  const w = await dataset();
  const m = await monthlyReport("2026-11");
  assert.deepEqual(m.period, { from: "2026-11-01", to: "2026-11-30" });
  assert.equal(m.kind, "monthly");
  assert.equal(m.appointments, 9);
  assert.equal(m.visits, 7);
  assert.equal(m.onTime, 5);
  assert.equal(m.late, 2);
  assert.equal(m.walkIns, 1);
  assert.equal(m.punctualityPercent, 71.4); // 5 / 7
  assert.equal(m.averageWaitMinutes, 17.5); // (10+20+30+5+25+15) / 6
  assert.equal(m.averageRating, 3.5); // (5+3+2+4) / 4
  assert.equal(m.ratingCount, 4);
  assert.deepEqual(m.byStatus, {
    scheduled: 0,
    waiting: 1,
    in_meeting: 1,
    finished: 5,
    cancelled: 1,
    no_show: 1,
  });
  assert.deepEqual(m.topTeachers, [
    { id: w.t2.id, name: "Pak Budi", appointments: 5 }, // cancelled A5 not counted
    { id: w.t1.id, name: "Bu Sari", appointments: 3 },
  ]);
  assert.equal(m.byDay.length, 30);
  assert.deepEqual(m.byDay[1], {
    date: "2026-11-02",
    appointments: 3,
    visits: 2,
    onTime: 1,
    late: 1,
  });
  assert.deepEqual(m.byDay[2], {
    date: "2026-11-03",
    appointments: 4,
    visits: 3,
    onTime: 2,
    late: 1,
  });
  assert.deepEqual(m.byDay[3], {
    date: "2026-11-04",
    appointments: 1,
    visits: 1,
    onTime: 1,
    late: 0,
  });
  // One teacher only.
  const mine = await monthlyReport("2026-11", { teacherId: w.t1.id });
  assert.equal(mine.teacherId, w.t1.id);
  assert.equal(mine.visits, 3);
  assert.equal(mine.punctualityPercent, 66.7);
  assert.equal(mine.averageWaitMinutes, 11.7); // (10+20+5)/3
  assert.equal(mine.averageRating, 4);
  assert.deepEqual(mine.topTeachers, [{
    id: w.t1.id,
    name: "Bu Sari",
    appointments: 3,
  }]);
});

Deno.test("reports: weekly (ISO week, Monday start) and daily; empty periods give nulls", async () => {
  await dataset();
  assert.deepEqual(isoWeekOf("2026-11-04"), {
    from: "2026-11-02",
    to: "2026-11-08",
  });
  assert.deepEqual(isoWeekOf("2026-11-08"), {
    from: "2026-11-02",
    to: "2026-11-08",
  });
  assert.deepEqual(isoWeekOf("2026-11-02"), {
    from: "2026-11-02",
    to: "2026-11-08",
  });
  assert.deepEqual(monthRange("2028-02"), {
    from: "2028-02-01",
    to: "2028-02-29",
  });
  const wk = await weeklyReport("2026-11-04");
  assert.deepEqual(wk.period, { from: "2026-11-02", to: "2026-11-08" });
  assert.equal(wk.byDay.length, 7);
  assert.equal(wk.appointments, 8);
  assert.equal(wk.visits, 6);
  assert.equal(wk.punctualityPercent, 66.7);
  assert.equal(wk.averageWaitMinutes, 18); // (10+20+30+5+25)/5
  assert.equal(wk.averageRating, 3.33); // (5+3+2)/3
  const d = await dailyReport("2026-11-02");
  assert.deepEqual(d.period, { from: "2026-11-02", to: "2026-11-02" });
  assert.equal(d.visits, 2);
  assert.equal(d.punctualityPercent, 50);
  assert.equal(d.averageWaitMinutes, 15);
  assert.equal(d.averageRating, 4);
  const empty = await dailyReport("2026-12-25");
  assert.equal(empty.visits, 0);
  assert.equal(empty.punctualityPercent, null);
  assert.equal(empty.averageWaitMinutes, null);
  assert.equal(empty.averageRating, null);
  assert.deepEqual(empty.topTeachers, []);
});

Deno.test("dashboard: today's guests, counts per status, teacher with most appointments", async () => {
  const w = await setup();
  const mk = (t: User, phone: string, time: string) =>
    createAppointment(
      {
        guestName: "G" + phone,
        guestPhone: phone,
        purpose: "p",
        startsAt: `2026-11-20T${time}:00+07:00`,
        teacherId: t.id,
      },
      w.desk,
      NOW,
    );
  const a = await mk(w.t1, "081200000011", "10:00");
  await mk(w.t1, "081200000012", "09:30");
  await mk(w.t2, "081200000013", "11:00");
  await mk(w.t1, "081200000014", "12:00");
  await createAppointment(
    {
      guestName: "Besok",
      guestPhone: "081200000015",
      purpose: "p",
      startsAt: "2026-11-21T10:00:00+07:00",
      teacherId: w.t2.id,
    },
    w.desk,
    NOW,
  );
  await checkIn(a.qrCode, w.desk, new Date("2026-11-20T03:30:00Z")); // 10:30 → late
  const d = await todayDashboard(NOW);
  assert.equal(d.date, "2026-11-20");
  assert.equal(d.total, 4);
  assert.equal(d.guests, 1);
  assert.equal(d.late, 1);
  assert.deepEqual(d.counts, {
    scheduled: 3,
    waiting: 1,
    in_meeting: 0,
    finished: 0,
    cancelled: 0,
    no_show: 0,
  });
  assert.deepEqual(d.topTeacher, {
    id: w.t1.id,
    name: "Bu Sari",
    appointments: 3,
  });
  assert.deepEqual(d.appointments.map((x) => x.startsAt.slice(11, 16)), [
    "02:30",
    "03:00",
    "04:00",
    "05:00",
  ]);
  const t2 = await todayDashboard(NOW, { teacherId: w.t2.id });
  assert.equal(t2.total, 1);
  const empty = await todayDashboard(new Date("2027-01-01T02:00:00Z"));
  assert.equal(empty.total, 0);
  assert.equal(empty.topTeacher, null);
});

Deno.test("CSV: RFC 4180 quoting, formula guard, CRLF, BOM, translated headers", async () => {
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("line1\nline2"), '"line1\nline2"');
  assert.equal(csvField("cr\rhere"), '"cr\rhere"');
  assert.equal(csvField(" padded "), '" padded "');
  assert.equal(csvField('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  assert.equal(csvField("+62812"), "'+62812");
  assert.equal(csvField("-1"), "'-1");
  assert.equal(csvField("@cmd"), "'@cmd");
  assert.equal(csvField(-1.5), "-1.5");
  assert.equal(csvField(71.4), "71.4");
  assert.equal(csvField(null), "");
  assert.equal(csvField(NaN), "");
  assert.equal(csvField("Ñoño — ünïcode"), "Ñoño — ünïcode");
  assert.equal(csvRows([["a", 1], ["b,c", null]]), 'a,1\r\n"b,c",\r\n');

  const w = await dataset();
  // A teacher name that needs quoting and guarding.
  const { updateUser } = await import("@/lib/auth/users.ts");
  await updateUser(w.t2.id, { name: '=Budi, "Pak"' });
  const report = await monthlyReport("2026-11");
  const id = toCsv(report, "id");
  assert.ok(id.startsWith("\uFEFFPeriode,2026-11-01,2026-11-30\r\n"));
  assert.ok(id.includes("\r\nKunjungan,7\r\n"));
  assert.ok(id.includes("\r\nKetepatan waktu (%),71.4\r\n"));
  assert.ok(
    id.includes("\r\nTanggal,Janji temu,Kunjungan,Tepat waktu,Telat\r\n"),
  );
  assert.ok(id.includes("\r\n2026-11-02,3,2,1,1\r\n"));
  assert.ok(id.includes('\r\n"\'=Budi, ""Pak""",5\r\n'));
  assert.ok(id.endsWith("\r\n"));
  assert.ok(!/[^\r]\n/.test(id), "every line ends with CRLF");
  const en = toCsv(report, "en");
  assert.ok(en.includes("\r\nPunctuality (%),71.4\r\n"));
  assert.ok(en.includes("\r\nAverage waiting time (minutes),17.5\r\n"));
  const empty = toCsv(await dailyReport("2026-12-25"), "en");
  assert.ok(empty.includes("\r\nPunctuality (%),\r\n"));
  assert.equal(
    csvFileName(report, "id"),
    "laporan-tamu-2026-11-01_2026-11-30.csv",
  );
  assert.equal(
    csvFileName(await dailyReport("2026-11-02"), "en"),
    "guest-report-2026-11-02.csv",
  );
});
