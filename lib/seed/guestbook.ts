/**
 * Demo data of the front desk (`deno task seed`): guests, today's
 * appointments in every status the day can hold (scheduled, waiting — on time,
 * late and a walk-in —, in meeting, finished with a review, cancelled; no-show
 * only exists for past days and is in the history), and the 30 days before
 * today as history (finished visits with waiting times, late arrivals, reviews,
 * no-shows, cancellations) so the reports show something.
 *
 * Today's set is laid out **around the moment of seeding** (see {@link todayPlan}):
 * scheduled visits after now, arrivals, pick-ups and finishes before now (never in
 * the future), squeezed into the part of the local day that exists — seeding at
 * 01:30 gives arrivals between 00:00 and 01:30, not "arrived 08.40". Every id
 * and every notification is dated at an instant ≤ now (`idAt`), so time-ordered
 * listings and the notification stream see them where they belong.
 *
 * Needs the accounts of `seedAccounts()` (`lib/seed/accounts.ts`): teachers
 * `guru1..3@demo.test`, `resepsionis@demo.test`, guest phone `6281234567890`.
 * Idempotent: the history is written once (marker `["seed","guestbook_history"]`),
 * today's set once per local day (marker `["seed","guestbook_day",date]`).
 * Guests created here get the password `SEED_PASSWORD`.
 */
import { config } from "@/lib/config.ts";
import { getKv } from "@/lib/db/kv.ts";
import { idAt } from "@/lib/db/ids.ts";
import { createUser, getUserByEmail, getUserByPhone, type User } from "@/lib/auth/users.ts";
import { canonicalPhone } from "@/lib/auth/phone.ts";
import { addNotificationOps } from "@/lib/notify/notifications.ts";
import type { Appointment } from "@/lib/guestbook/model.ts";
import { insertAppointmentRecord } from "@/lib/guestbook/store.ts";
import { appointmentQrCode, currentQrKeyId } from "@/lib/guestbook/qr_token.ts";
import { reviewByTeacherKey, reviewKey, reviewStatsKey } from "@/lib/guestbook/keys.ts";
import type { Review } from "@/lib/guestbook/reviews.ts";
import { addDays, startOfLocalDay, todayLocal } from "@/lib/guestbook/time.ts";
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

/** Instants of one visit (UTC ISO); null where the visit did not get that far. */
interface Times {
  startsAt: string;
  checkedInAt: string | null;
  pickedUpAt: string | null;
  finishedAt: string | null;
}

/** The times of a visit on a past day from its clock time and durations (minutes). */
function pastTimes(o: {
  date: string;
  at: [number, number];
  status: Appointment["status"];
  arriveDelta?: number; // minutes after startsAt (negative = early)
  wait?: number; // minutes from check-in to pick-up
  meeting?: number; // minutes from pick-up to finish
}): Times {
  const startsAt = localInstant(o.date, o.at[0], o.at[1]);
  const arrived = ["waiting", "in_meeting", "finished"].includes(o.status);
  const checkedInAt = arrived ? plus(startsAt, o.arriveDelta ?? 0) : null;
  const pickedUpAt = checkedInAt && o.status !== "waiting" ? plus(checkedInAt, o.wait ?? 5) : null;
  const finishedAt = pickedUpAt && o.status === "finished" ? plus(pickedUpAt, o.meeting ?? 20) : null;
  return { startsAt, checkedInAt, pickedUpAt, finishedAt };
}

function record(c: Ctx, o: {
  teacher: User;
  guest: User;
  date: string;
  times: Times;
  purpose: string;
  status: Appointment["status"];
  walkIn?: boolean;
  rating?: number | null;
  now: Date;
}): Appointment {
  const { startsAt, checkedInAt, pickedUpAt, finishedAt } = o.times;
  const nowIso = o.now.toISOString();
  const createdAt = o.walkIn ? checkedInAt ?? startsAt : minIso(plus(startsAt, -3 * 24 * 60), nowIso);
  const cancelledAt = o.status === "cancelled" ? minIso(plus(createdAt, 60), nowIso) : null;
  return {
    schemaVersion: 1,
    id: idAt(Math.min(Date.parse(createdAt), o.now.getTime())),
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
    cancelledAt,
    cancelledBy: o.status === "cancelled" ? o.teacher.id : null,
    noShowAt: o.status === "no_show" ? minIso(localInstant(addDays(o.date, 1), 0, 0), nowIso) : null,
    createdAt,
    createdBy: o.walkIn ? c.desk.id : o.teacher.id,
    updatedAt: finishedAt ?? pickedUpAt ?? checkedInAt ?? cancelledAt ?? createdAt,
    walkIn: o.walkIn ?? false,
    archived: false,
    qrKeyId: c.qrKeyId,
    rating: o.status === "finished" ? o.rating ?? null : null,
  };
}

const minIso = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b);

/** One of today's demo visits, as minutes relative to now (negative = before now). */
export interface PlannedVisit {
  status: Appointment["status"];
  start: number;
  arrive?: number;
  pickUp?: number;
  finish?: number;
  walkIn?: boolean;
}

/** Today's demo visits at their natural spacing (minutes relative to the seeding moment). */
const TODAY: readonly PlannedVisit[] = [
  { status: "scheduled", start: 30 }, // the demo guest's: their QR checks in at the desk
  { status: "scheduled", start: 90 },
  { status: "scheduled", start: 150 },
  { status: "waiting", start: -10, arrive: -15 }, // on time (5 min early)
  { status: "waiting", start: -50, arrive: -10 }, // late (40 min)
  { status: "in_meeting", start: -40, arrive: -45, pickUp: -35 },
  { status: "finished", start: -140, arrive: -142, pickUp: -135, finish: -100 },
  { status: "cancelled", start: 60 },
  { status: "waiting", start: -5, arrive: -5, walkIn: true },
];

/**
 * Today's demo visits placed around `now`: offsets before now are scaled into the
 * minutes of the local day already gone, offsets after now into those left (so
 * every visit stays on today's date and nothing that has happened lies after `now`).
 * @returns each visit of `plan` with UTC ISO times
 */
export function todayPlan(now: Date, plan: readonly PlannedVisit[] = TODAY): (PlannedVisit & { times: Times })[] {
  const t = now.getTime();
  const dayStart = Date.parse(startOfLocalDay(todayLocal(now)));
  const dayEnd = Date.parse(startOfLocalDay(addDays(todayLocal(now), 1)));
  const offsets = plan.flatMap((v) => [v.start, v.arrive, v.pickUp, v.finish].filter((x) => x !== undefined));
  const pastNeed = Math.max(1, ...offsets.map((x) => -x));
  const futureNeed = Math.max(1, ...offsets);
  // Whole minutes of the day before/after now, keeping a minute clear at both ends.
  const pastRoom = Math.max(0, Math.floor((t - dayStart) / 60_000) - 1);
  const futureRoom = Math.max(0, Math.floor((dayEnd - t) / 60_000) - 1);
  const ps = Math.min(1, pastRoom / pastNeed);
  const fs = Math.min(1, futureRoom / futureNeed);
  const at = (m: number | undefined) =>
    m === undefined ? null : new Date(t + Math.round(m < 0 ? m * ps : m * fs) * 60_000).toISOString();
  return plan.map((v) => ({
    ...v,
    times: { startsAt: at(v.start)!, checkedInAt: at(v.arrive), pickedUpAt: at(v.pickUp), finishedAt: at(v.finish) },
  }));
}

/** Stores an appointment with its review (if rated) and, for today's arrivals, the teacher's notification. */
async function store(
  a: Appointment,
  opts: { notify: boolean; comment?: string | null; now: Date },
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
      createdAt: minIso(plus(a.finishedAt!, 3), opts.now.toISOString()),
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
      at: new Date(a.checkedInAt),
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
        const teacher = pick(teachers);
        const guest = pick(guests);
        const times = pastTimes({
          date,
          at: [8 + Math.floor(rand() * 7), rand() < 0.5 ? 0 : 30],
          status,
          arriveDelta: late ? 16 + Math.floor(rand() * 30) : -10 + Math.floor(rand() * 20),
          wait: 2 + Math.floor(rand() * 24),
          meeting: 10 + Math.floor(rand() * 40),
        });
        const a = record(c, {
          teacher,
          guest,
          date,
          times,
          purpose: pick(PURPOSES),
          status,
          walkIn: status === "finished" && rand() < 0.1,
          rating: rand() < 0.6 ? pick([5, 5, 4, 4, 4, 3, 2]) : null,
          now,
        });
        if (await store(a, { notify: false, comment: pick(COMMENTS), now })) n++;
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
    // Who sees whom, in the order of TODAY.
    const cast: [User, User, string, number | null][] = [
      [g1, demoGuest, PURPOSES[0], null],
      [g1, s1, PURPOSES[1], null],
      [g2, s2, PURPOSES[3], null],
      [g2, s3, PURPOSES[2], null],
      [g1, s4, PURPOSES[4], null],
      [g2, s5, PURPOSES[6], null],
      [g3, s6, PURPOSES[0], 5],
      [g3, s7, PURPOSES[5], null],
      [g1, s8, PURPOSES[5], null],
    ];
    const todays = todayPlan(now).map((v, i) =>
      record(c, {
        teacher: cast[i][0],
        guest: cast[i][1],
        date: today,
        times: v.times,
        purpose: cast[i][2],
        status: v.status,
        walkIn: v.walkIn,
        rating: cast[i][3],
        now,
      })
    );
    for (const a of todays) {
      await store(a, { notify: true, comment: "Guru sangat membantu.", now });
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
