/**
 * Demo data of the front desk (`deno task seed`, issue 3 §8): guests, today's
 * appointments in every status the day can hold (scheduled, waiting — on time,
 * late and a walk-in —, in meeting, finished with a review, cancelled; no-show
 * only exists for past days and is in the history), and the 30 days before
 * today as history (finished visits with waiting times, late arrivals, reviews,
 * no-shows, cancellations) so the reports show something.
 *
 * Needs the accounts of `seedAccounts()` (`lib/seed/accounts.ts`): teachers
 * `guru1..3@demo.test`, `resepsionis@demo.test`, guest phone `6281234567890`.
 * Idempotent: the history is written once (marker `["seed","guestbook_history"]`),
 * today's set once per local day (marker `["seed","guestbook_day",date]`).
 * Guests created here get the password `SEED_PASSWORD`.
 */
import { config } from "@/lib/config.ts";
import { getKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { createUser, getUserByEmail, getUserByPhone, type User } from "@/lib/auth/users.ts";
import { canonicalPhone } from "@/lib/auth/phone.ts";
import { addNotificationOps } from "@/lib/notify/notifications.ts";
import type { Appointment } from "@/lib/guestbook/model.ts";
import { insertAppointmentRecord } from "@/lib/guestbook/store.ts";
import { appointmentQrCode, currentQrKeyId } from "@/lib/guestbook/qr_token.ts";
import { reviewByTeacherKey, reviewKey, reviewStatsKey } from "@/lib/guestbook/keys.ts";
import type { Review } from "@/lib/guestbook/reviews.ts";
import { addDays, todayLocal } from "@/lib/guestbook/time.ts";
import { seededRandom as rng } from "./random.ts";

/** Extra demo guests (name, phone as typed). */
export const DEMO_GUESTS: readonly [string, string][] = [
  ["Siti Aminah", "0812-1111-2001"],
  ["Bambang Hartono", "0812-1111-2002"],
  ["Dewi Kartika", "0813-1111-2003"],
  ["Agus Salim", "0813-1111-2004"],
  ["Yuni Rahmawati", "0857-1111-2005"],
  ["Hendra Gunawan", "0857-1111-2006"],
  ["Lina Marlina", "0878-1111-2007"],
  ["Rudi Hermawan", "0878-1111-2008"],
];

const PURPOSES = [
  "Konsultasi perkembangan belajar anak",
  "Pengambilan rapor",
  "Diskusi kegiatan ekstrakurikuler",
  "Koordinasi komite sekolah",
  "Konseling kehadiran siswa",
  "Pengantaran berkas pendaftaran",
  "Pertemuan orang tua dan wali kelas",
];
const COMMENTS = [
  "Pelayanan ramah dan cepat.",
  "Terima kasih, sangat membantu.",
  null,
  "Menunggu agak lama.",
  null,
];

/** UTC ISO instant of local `date` at `hh:mm` in the configured zone. */
function localInstant(date: string, hh: number, mm: number): string {
  const z = Temporal.PlainDate.from(date).toZonedDateTime({
    timeZone: config.timeZone,
    plainTime: { hour: hh, minute: mm },
  });
  return new Date(z.epochMilliseconds).toISOString();
}
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

async function ensureGuest(name: string, phone: string): Promise<User> {
  const canonical = canonicalPhone(phone);
  if (!canonical) throw new Error(`seedGuestbook: bad demo phone ${phone}`);
  return (await getUserByPhone(canonical)) ??
    await createUser({
      role: "guest",
      name,
      phone: canonical,
      password: config.seedPassword,
      status: "active",
    });
}

interface Ctx {
  teachers: User[];
  desk: User;
  guests: User[];
  qrKeyId: number;
}

function record(c: Ctx, o: {
  teacher: User;
  guest: User;
  date: string;
  at: [number, number];
  purpose: string;
  status: Appointment["status"];
  arriveDelta?: number; // minutes after startsAt (negative = early)
  wait?: number; // minutes from check-in to pick-up
  meeting?: number; // minutes from pick-up to finish
  walkIn?: boolean;
  rating?: number | null;
}): Appointment {
  const startsAt = localInstant(o.date, o.at[0], o.at[1]);
  const arrived = ["waiting", "in_meeting", "finished"].includes(o.status);
  const checkedInAt = arrived ? plus(startsAt, o.arriveDelta ?? 0) : null;
  const pickedUpAt = checkedInAt && o.status !== "waiting" ? plus(checkedInAt, o.wait ?? 5) : null;
  const finishedAt = pickedUpAt && o.status === "finished" ? plus(pickedUpAt, o.meeting ?? 20) : null;
  const createdAt = plus(
    startsAt,
    o.walkIn ? (o.arriveDelta ?? 0) : -3 * 24 * 60,
  );
  return {
    schemaVersion: 1,
    id: newId(Date.parse(startsAt)),
    teacherId: o.teacher.id,
    teacherName: o.teacher.name,
    guestId: o.guest.id,
    guestName: o.guest.name,
    purpose: o.purpose,
    startsAt,
    localDate: o.date,
    status: o.status,
    late: checkedInAt
      ? Date.parse(checkedInAt) >
        Date.parse(startsAt) + config.lateGraceMinutes * 60_000
      : null,
    checkedInAt,
    checkedInBy: checkedInAt ? c.desk.id : null,
    pickedUpAt,
    finishedAt,
    cancelledAt: o.status === "cancelled" ? plus(createdAt, 60) : null,
    cancelledBy: o.status === "cancelled" ? o.teacher.id : null,
    noShowAt: o.status === "no_show" ? localInstant(addDays(o.date, 1), 0, 0) : null,
    createdAt,
    createdBy: o.walkIn ? c.desk.id : o.teacher.id,
    updatedAt: finishedAt ?? pickedUpAt ?? checkedInAt ?? createdAt,
    walkIn: o.walkIn ?? false,
    archived: false,
    qrKeyId: c.qrKeyId,
    rating: o.status === "finished" ? o.rating ?? null : null,
  };
}

/** Stores an appointment with its review (if rated) and, for today's arrivals, the teacher's notification. */
async function store(
  a: Appointment,
  opts: { notify: boolean; comment?: string | null },
): Promise<boolean> {
  if (!(await insertAppointmentRecord(a))) return false;
  const kv = await getKv();
  const op = kv.atomic();
  let writes = 0;
  if (a.rating !== null) {
    const review: Review = {
      schemaVersion: 1,
      appointmentId: a.id,
      teacherId: a.teacherId,
      guestId: a.guestId,
      guestName: a.guestName,
      rating: a.rating as Review["rating"],
      comment: opts.comment ?? null,
      createdAt: plus(a.finishedAt!, 3),
    };
    op.check({ key: reviewKey(a.id), versionstamp: null })
      .set(reviewKey(a.id), review)
      .set(reviewByTeacherKey(a.teacherId, a.id), review)
      .sum(reviewStatsKey(a.teacherId, "count"), 1n)
      .sum(reviewStatsKey(a.teacherId, "sum"), BigInt(a.rating));
    writes++;
  }
  if (opts.notify && a.checkedInAt) {
    addNotificationOps(op, {
      userId: a.teacherId,
      kind: "guest_arrived",
      data: {
        appointmentId: a.id,
        guestName: a.guestName,
        purpose: a.purpose,
        arrivedAt: a.checkedInAt,
        late: a.late === true,
      },
    });
    writes++;
  }
  if (writes) await op.commit();
  return true;
}

/**
 * Seeds guests, today's appointments and a month of history. Safe to run
 * repeatedly (see module doc). `now` is for tests.
 * @returns printable lines for `deno task seed`
 * @throws Error when the demo accounts are missing (run `seedAccounts()` first)
 */
export async function seedGuestbook(now: Date = new Date()): Promise<string[]> {
  const kv = await getKv();
  const teachers: User[] = [];
  for (
    const email of ["guru1@demo.test", "guru2@demo.test", "guru3@demo.test"]
  ) {
    const t = await getUserByEmail(email);
    if (!t) {
      throw new Error(
        `seedGuestbook: demo account ${email} missing (run seedAccounts first)`,
      );
    }
    teachers.push(t);
  }
  const desk = await getUserByEmail("resepsionis@demo.test");
  const demoGuest = await getUserByPhone("6281234567890");
  if (!desk || !demoGuest) {
    throw new Error(
      "seedGuestbook: receptionist or demo guest missing (run seedAccounts first)",
    );
  }
  const guests = [demoGuest];
  for (const [name, phone] of DEMO_GUESTS) {
    guests.push(await ensureGuest(name, phone));
  }
  const c: Ctx = { teachers, desk, guests, qrKeyId: await currentQrKeyId() };
  const [g1, g2, g3] = teachers;
  const today = todayLocal(now);
  const lines: string[] = [];

  // ---- history: the 30 days before today, weekdays
  const historyKey: Deno.KvKey = ["seed", "guestbook_history"];
  if (!(await kv.get(historyKey)).value) {
    const rand = rng(20261120);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    let n = 0;
    for (let d = 30; d >= 1; d--) {
      const date = addDays(today, -d);
      const dow = Temporal.PlainDate.from(date).dayOfWeek;
      if (dow >= 6) continue;
      const count = 2 + Math.floor(rand() * 5);
      for (let i = 0; i < count; i++) {
        const r = rand();
        const status: Appointment["status"] = r < 0.08 ? "no_show" : r < 0.15 ? "cancelled" : "finished";
        const late = rand() < 0.2;
        const a = record(c, {
          teacher: pick(teachers),
          guest: pick(guests),
          date,
          at: [8 + Math.floor(rand() * 7), rand() < 0.5 ? 0 : 30],
          purpose: pick(PURPOSES),
          status,
          arriveDelta: late ? 16 + Math.floor(rand() * 30) : -10 + Math.floor(rand() * 20),
          wait: 2 + Math.floor(rand() * 24),
          meeting: 10 + Math.floor(rand() * 40),
          walkIn: status === "finished" && rand() < 0.1,
          rating: rand() < 0.6 ? pick([5, 5, 4, 4, 4, 3, 2]) : null,
        });
        if (await store(a, { notify: false, comment: pick(COMMENTS) })) n++;
      }
    }
    await kv.set(historyKey, { at: now.toISOString(), appointments: n });
    lines.push(`guestbook: ${n} appointments in the 30 days before ${today}`);
  } else {
    lines.push("guestbook: history already seeded");
  }

  // ---- today
  const dayKey: Deno.KvKey = ["seed", "guestbook_day", today];
  if (!(await kv.get(dayKey)).value) {
    const [, s1, s2, s3, s4, s5, s6, s7, s8] = guests;
    const todays = [
      record(c, {
        teacher: g1,
        guest: demoGuest,
        date: today,
        at: [10, 0],
        purpose: PURPOSES[0],
        status: "scheduled",
      }),
      record(c, {
        teacher: g1,
        guest: s1,
        date: today,
        at: [13, 0],
        purpose: PURPOSES[1],
        status: "scheduled",
      }),
      record(c, {
        teacher: g2,
        guest: s2,
        date: today,
        at: [14, 30],
        purpose: PURPOSES[3],
        status: "scheduled",
      }),
      record(c, {
        teacher: g2,
        guest: s3,
        date: today,
        at: [8, 30],
        purpose: PURPOSES[2],
        status: "waiting",
        arriveDelta: -5,
      }),
      record(c, {
        teacher: g1,
        guest: s4,
        date: today,
        at: [8, 0],
        purpose: PURPOSES[4],
        status: "waiting",
        arriveDelta: 40,
      }),
      record(c, {
        teacher: g2,
        guest: s5,
        date: today,
        at: [9, 0],
        purpose: PURPOSES[6],
        status: "in_meeting",
        arriveDelta: -5,
        wait: 10,
      }),
      record(c, {
        teacher: g3,
        guest: s6,
        date: today,
        at: [7, 30],
        purpose: PURPOSES[0],
        status: "finished",
        arriveDelta: -2,
        wait: 7,
        meeting: 35,
        rating: 5,
      }),
      record(c, {
        teacher: g3,
        guest: s7,
        date: today,
        at: [11, 0],
        purpose: PURPOSES[5],
        status: "cancelled",
      }),
      record(c, {
        teacher: g1,
        guest: s8,
        date: today,
        at: [9, 15],
        purpose: PURPOSES[5],
        status: "waiting",
        walkIn: true,
      }),
    ];
    for (const a of todays) {
      await store(a, { notify: true, comment: "Guru sangat membantu." });
    }
    await kv.set(dayKey, {
      at: now.toISOString(),
      appointments: todays.length,
    });
    lines.push(
      `guestbook: ${todays.length} appointments today (${today}), ${guests.length} guests`,
    );
    lines.push(
      `guestbook: QR of the demo guest's appointment today: ${await appointmentQrCode(
        todays[0],
      )}`,
    );
  } else {
    lines.push(`guestbook: today's appointments (${today}) already seeded`);
  }
  return lines;
}
