/**
 * A year of demo history (`deno task seed`), so every chart and report has
 * data: about 12 months of past sessions for `psikolog1` (2–5 a week) and fewer
 * for `psikolog2`…`psikolog5` (0–2 a week), across `klien1` and four more demo
 * clients (`klien2@demo.test` … `klien5@demo.test`, created here).
 *
 * Mostly completed and paid (commission per `PLATFORM_COMMISSION_PERCENT`),
 * some client no-shows, cancellations with a refund due or done, rejections
 * with a refund, and expired unpaid holds; about three in four completed
 * sessions have a review (a few recent ones of `klien1` are left to review).
 *
 * Written straight through the stores' op-builders — `putBookingOps`
 * (lib/booking/store.ts), the payments store's `writeOps`, `putReviewOps`
 * (lib/reviews/store.ts) and `addProfileWrites` for the rating sums — in
 * commits of {@link CHUNK} bookings, each also adding its reviews' stars to the
 * psychologist's `ratingSum`/`ratingCount` (checked against the profile's
 * versionstamp), so the sums always equal the stored visible reviews. Completed
 * and no-show sessions keep their time cells, as in the real flow. Sessions
 * never overlap a booking the psychologist already has.
 *
 * `psikolog1`'s latest {@link NOTES_SEEDED} completed sessions get SOAP session
 * notes through the notes store (`saveNotes`, encrypted; most of them then
 * `signNotes`, the newest few left as drafts).
 *
 * Deterministic (a seeded PRNG per psychologist) and idempotent: a
 * psychologist who already has a booking that started more than 21 days ago
 * (older than anything `seedBookings` makes) is skipped.
 */
import { config } from "@/lib/config.ts";
import { getKv } from "@/lib/db/kv.ts";
import { idAt } from "@/lib/db/ids.ts";
import { createUser, getUserByEmail, type User } from "@/lib/auth/users.ts";
import { psychologistKey } from "@/lib/psychologists/keys.ts";
import { addProfileWrites } from "@/lib/psychologists/store.ts";
import type { Psychologist } from "@/lib/psychologists/model.ts";
import type { Booking, BookingStatus, Refund } from "@/lib/booking/model.ts";
import { listBookings, putBookingOps } from "@/lib/booking/store.ts";
import { bookingCells, bufferedInterval, cellKey } from "@/lib/booking/cells.ts";
import { orderIdOf } from "@/lib/booking/create.ts";
import type { Payment } from "@/lib/payments/model.ts";
import { writeOps as putPaymentOps } from "@/lib/payments/store.ts";
import { sandboxTxKey } from "@/lib/payments/keys.ts";
import type { SandboxMethod, SandboxTransaction } from "@/lib/payments/sandbox.ts";
import { commissionSplit } from "@/lib/payments/state.ts";
import type { Review } from "@/lib/reviews/model.ts";
import { firstNameOf } from "@/lib/reviews/model.ts";
import { putReviewOps, withRating } from "@/lib/reviews/store.ts";
import { saveNotes, signNotes } from "@/lib/notes/store.ts";
import { seededRandom } from "./random.ts";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** Bookings per atomic commit (each ≈ 25 mutations, ≈ 10 KB: well inside KV's 1,000 mutations / 800 KB). */
const CHUNK = 20;
/** A psychologist with a booking older than this already has history (seedBookings stays within 14 days). */
const SEEDED_BEFORE_MS = 21 * DAY;

/** How many of psikolog1's latest completed sessions get session notes (the newest 3 stay drafts). */
const NOTES_SEEDED = 12;

/** SOAP notes of the demo (Indonesian, as a psychologist here writes them). */
const NOTES: readonly { subjective: string; objective: string; assessment: string; plan: string }[] = [
  {
    subjective: "Klien melaporkan sulit tidur dua minggu terakhir dan cemas menjelang presentasi kantor.",
    objective: "Tampak tegang di awal sesi, bicara cepat; lebih tenang setelah latihan pernapasan.",
    assessment: "Kecemasan situasional terkait tuntutan kerja; belum ada tanda krisis.",
    plan: "Latihan pernapasan 4-7-8 setiap malam, catatan pikiran harian; evaluasi di sesi berikutnya.",
  },
  {
    subjective: "Klien merasa lebih mampu mengatur waktu, namun masih sering menunda pekerjaan.",
    objective: "Kontak mata baik, afek sesuai; membawa catatan tugas dari sesi lalu.",
    assessment: "Kemajuan dalam regulasi emosi; prokrastinasi terkait perfeksionisme.",
    plan: "Teknik memecah tugas menjadi langkah kecil; eksperimen perilaku menyelesaikan tugas 80%.",
  },
  {
    subjective: "Klien bercerita tentang konflik dengan orang tua terkait pilihan kuliah.",
    objective: "Menangis sesaat ketika membahas ayahnya; dapat menenangkan diri sendiri.",
    assessment: "Konflik keluarga dengan pola komunikasi yang menghindar.",
    plan: "Latihan komunikasi asertif (pesan-aku); rencana percakapan dengan orang tua.",
  },
  {
    subjective: "Klien melaporkan suasana hati membaik dan kembali berolahraga dua kali seminggu.",
    objective: "Afek cerah, bicara lancar; skor PHQ-9 turun dari 14 ke 8.",
    assessment: "Gejala depresi ringan, membaik dengan aktivasi perilaku.",
    plan: "Lanjutkan jadwal aktivitas menyenangkan; sesi berikutnya dua minggu lagi.",
  },
];

/** The extra demo clients (created when missing; password `SEED_PASSWORD`). */
const CLIENTS: readonly { email: string; name: string; gender: "female" | "male"; birthDate: string }[] = [
  { email: "klien2@demo.test", name: "Anisa Rahmawati", gender: "female", birthDate: "1999-03-14" },
  { email: "klien3@demo.test", name: "Galih Saputro", gender: "male", birthDate: "1995-08-02" },
  { email: "klien4@demo.test", name: "Melati Kusuma", gender: "female", birthDate: "2001-11-23" },
  { email: "klien5@demo.test", name: "Teguh Firmansyah", gender: "male", birthDate: "1990-06-30" },
];

/** Who gets history: e-mail, sessions per week (min–max), PRNG seed. */
const PLAN: readonly { email: string; perWeek: [number, number]; seed: number }[] = [
  { email: "psikolog1@demo.test", perWeek: [2, 5], seed: 101 },
  { email: "psikolog2@demo.test", perWeek: [0, 2], seed: 202 },
  { email: "psikolog3@demo.test", perWeek: [0, 2], seed: 303 },
  { email: "psikolog4@demo.test", perWeek: [0, 1], seed: 404 },
  { email: "psikolog5@demo.test", perWeek: [0, 1], seed: 505 },
];

/** Review comments (Indonesian mostly, some English); null entries leave the comment out. */
const COMMENTS: readonly (string | null)[] = [
  "Sangat membantu. Saya merasa didengar dan pulang dengan langkah yang jelas.",
  "Psikolognya sabar dan tidak menghakimi. Terima kasih!",
  "Latihan pernapasannya benar-benar saya pakai setiap hari.",
  "Sesi yang hangat, penjelasannya mudah dipahami.",
  "Awalnya ragu, ternyata nyaman sekali untuk bercerita.",
  "Membantu saya memahami pola pikir saya sendiri.",
  "Tepat waktu dan profesional.",
  "Cukup membantu, tapi waktunya terasa singkat.",
  "Koneksi video sempat putus, tapi psikolognya tetap sabar.",
  "Very helpful, practical tips I could use the same week.",
  "Kind, calm and clear. I would book again.",
  null,
  null,
  null,
];

/** Rating of a review: mostly 4–5 stars. */
function ratingOf(r: number): number {
  return r < 0.5 ? 5 : r < 0.82 ? 4 : r < 0.94 ? 3 : r < 0.98 ? 2 : 1;
}

/** What happened to a past session. */
function outcomeOf(r: number): BookingStatus {
  return r < 0.78 ? "completed" : r < 0.83 ? "no_show" : r < 0.91 ? "cancelled" : r < 0.96 ? "rejected" : "expired";
}

const METHODS: readonly { method: string; bank: string | null }[] = [
  { method: "qris", bank: null },
  { method: "gopay", bank: null },
  { method: "bank_transfer", bank: "bca" },
  { method: "bank_transfer", bank: "bni" },
  { method: "echannel", bank: "mandiri" },
];

/** The extra demo clients, created when missing, plus `klien1`. */
async function demoClients(): Promise<User[]> {
  const out: User[] = [];
  const k1 = await getUserByEmail("klien1@demo.test");
  if (k1) out.push(k1);
  for (const c of CLIENTS) {
    const u = await getUserByEmail(c.email) ?? await createUser({
      role: "client",
      name: c.name,
      email: c.email,
      gender: c.gender,
      birthDate: c.birthDate,
      lang: "id",
      status: "active",
      mustChangePassword: false,
      password: config.seedPassword,
    });
    out.push(u);
  }
  return out;
}

/** One planned past session with everything stored about it. */
interface Planned {
  booking: Booking;
  payment: Payment;
  review: Review | null;
  holdsCells: boolean;
}

/**
 * The sessions of `p` over the year before `nowMs` (weeks 52…1 ago, never
 * within the last day), skipping times that overlap `busy` intervals.
 */
function planHistory(
  p: Psychologist,
  clients: User[],
  plan: (typeof PLAN)[number],
  nowMs: number,
  busy: { start: number; end: number }[],
): Planned[] {
  const rnd = seededRandom(plan.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const zone = config.timeZone;
  const today = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(zone).toPlainDate();
  const percent = config.platformCommissionPercent;
  const out: Planned[] = [];
  for (let week = 52; week >= 0; week--) {
    const [lo, hi] = plan.perWeek;
    const n = lo + Math.floor(rnd() * (hi - lo + 1));
    const days = new Set<number>();
    for (let i = 0; i < n; i++) days.add(1 + Math.floor(rnd() * 6)); // Mon–Sat
    for (const dow of [...days].sort()) {
      const date = today.subtract({ days: week * 7 + ((today.dayOfWeek - dow + 7) % 7) });
      const hour = 8 + Math.floor(rnd() * 9);
      const minute = rnd() < 0.5 ? 0 : 30;
      const s = pick(p.services);
      const start = date.toZonedDateTime({ timeZone: zone, plainTime: new Temporal.PlainTime(hour, minute) })
        .epochMilliseconds;
      const end = start + s.durationMinutes * 60_000;
      // Past only, ended at least a day ago; never over an existing booking (with 10-minute buffers).
      if (end > nowMs - DAY) continue;
      if (busy.some((x) => start - 10 * 60_000 < x.end && end + 10 * 60_000 > x.start)) continue;
      busy.push({ start, end });
      // klien1 has a quarter of psikolog1's history; the others share the rest.
      const client = plan.seed === 101 && rnd() < 0.25
        ? clients[0]
        : pick(clients.slice(1).length ? clients.slice(1) : clients);
      const status = outcomeOf(rnd());
      const bookedAt = start - Math.floor((2 + rnd() * 5) * DAY);
      const paidAt = bookedAt + Math.floor((2 + rnd() * 40) * 60_000);
      const id = idAt(bookedAt);
      const iso = (ms: number) => new Date(ms).toISOString();
      const history: Booking["history"] = [{
        status: "awaiting_payment",
        at: iso(bookedAt),
        by: client.id,
        reason: null,
      }];
      const m = pick(METHODS);
      let refund: Refund | null = null;
      let paymentStatus: Payment["status"] = "paid";
      let refundedAt: string | null = null;
      let lastAt = paidAt;
      if (status === "expired") {
        paymentStatus = "expired";
        lastAt = bookedAt + config.paymentWindowMinutes * 60_000;
        history.push({ status: "expired", at: iso(lastAt), by: "system", reason: "payment_window" });
      } else {
        history.push({ status: "paid", at: iso(paidAt), by: "system", reason: m.method });
        const decidedAt = paidAt + Math.floor((0.5 + rnd() * 10) * HOUR);
        if (status === "rejected") {
          lastAt = Math.min(decidedAt, start - HOUR);
          history.push({
            status: "rejected",
            at: iso(lastAt),
            by: p.id,
            reason: "Jadwal bentrok dengan tugas lain; silakan pesan waktu lain.",
          });
        } else if (status === "cancelled") {
          lastAt = Math.max(paidAt + 10 * 60_000, Math.min(decidedAt, start - (config.cancelCutoffHours + 1) * HOUR));
          history.push({ status: "cancelled", at: iso(lastAt), by: client.id, reason: "Ada keperluan mendadak" });
        } else {
          history.push({ status: "confirmed", at: iso(Math.min(decidedAt, start - HOUR)), by: p.id, reason: null });
          if (status === "completed") {
            history.push({ status: "in_session", at: iso(start), by: p.id, reason: null });
            lastAt = end;
            history.push({ status: "completed", at: iso(lastAt), by: p.id, reason: null });
          } else {
            lastAt = start + 20 * 60_000;
            history.push({ status: "no_show", at: iso(lastAt), by: p.id, reason: "client" });
          }
        }
        if (status === "rejected" || status === "cancelled") {
          // Refunds older than two weeks were paid back (by the admin, through Midtrans); newer ones are still due.
          const done = lastAt < nowMs - 14 * DAY && rnd() < 0.85;
          const doneAt = done ? lastAt + Math.floor((1 + rnd() * 4) * DAY) : null;
          refund = {
            status: done ? "done" : "due",
            amountIdr: s.priceIdr,
            reason: status === "rejected" ? "rejected" : "cancelled",
            dueAt: iso(lastAt),
            doneAt: doneAt === null ? null : iso(doneAt),
          };
          if (doneAt !== null) {
            paymentStatus = "refunded";
            refundedAt = iso(doneAt);
          }
        }
      }
      const booking: Booking = {
        schemaVersion: 1,
        id,
        clientId: client.id,
        clientName: client.name,
        psychologistId: p.id,
        psychologistName: p.name,
        serviceId: s.id,
        serviceType: s.type,
        durationMinutes: s.durationMinutes,
        priceIdr: s.priceIdr,
        startsAt: iso(start),
        endsAt: iso(end),
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 10,
        timeZone: zone,
        status,
        holdUntil: null,
        orderId: orderIdOf(id),
        refund,
        rescheduleCount: 0,
        history,
        createdAt: iso(bookedAt),
        updatedAt: iso(Math.max(lastAt, refund?.doneAt ? Date.parse(refund.doneAt) : 0)),
      };
      const payment: Payment = {
        schemaVersion: 1,
        orderId: booking.orderId,
        purpose: { kind: "booking", id },
        payerId: client.id,
        payeeId: p.id,
        grossAmountIdr: s.priceIdr,
        commissionPercent: percent,
        ...commissionSplit(s.priceIdr, percent),
        status: paymentStatus,
        method: status === "expired" ? null : m.method,
        bank: status === "expired" ? null : m.bank,
        providerStatus: paymentStatus === "expired" ? "expire" : paymentStatus === "refunded" ? "refund" : "settlement",
        transactionId: status === "expired" ? null : crypto.randomUUID(),
        snapToken: `seed-${id}`,
        redirectUrl: "",
        expiresAt: iso(bookedAt + config.paymentWindowMinutes * 60_000),
        paidAt: status === "expired" ? null : iso(paidAt),
        refundedAt,
        createdAt: iso(bookedAt),
        updatedAt: booking.updatedAt,
        description: `${s.type} ${s.durationMinutes} min — ${p.name}`.slice(0, 200),
      };
      // Three in four completed sessions are reviewed a few days later — except klien1's last month,
      // left for the demo's "reviews to leave".
      let review: Review | null = null;
      const leaveForDemo = client.id === clients[0]?.id && start > nowMs - 30 * DAY;
      if (status === "completed" && !leaveForDemo && rnd() < 0.75) {
        const at = Math.min(end + Math.floor((0.1 + rnd() * 3) * DAY), nowMs - HOUR);
        const comment = pick(COMMENTS);
        review = {
          schemaVersion: 1,
          id: idAt(at),
          bookingId: id,
          psychologistId: p.id,
          clientId: client.id,
          clientFirstName: firstNameOf(client.name),
          rating: ratingOf(rnd()),
          comment,
          serviceType: s.type,
          sessionAt: booking.startsAt,
          hidden: false,
          hiddenAt: null,
          hiddenBy: null,
          hiddenReason: null,
          createdAt: iso(at),
          updatedAt: iso(at),
        };
      }
      out.push({ booking, payment, review, holdsCells: status === "completed" || status === "no_show" });
    }
  }
  return out;
}

/** The sandbox method name of a seeded payment's Midtrans method and bank. */
function sandboxMethodOf(p: Payment): SandboxMethod | null {
  if (p.method === "qris" || p.method === "gopay" || p.method === "echannel") return p.method;
  if (p.method === "bank_transfer") return p.bank === "bni" ? "bni_va" : p.bank === "bri" ? "bri_va" : "bca_va";
  return null;
}

/**
 * The built-in sandbox's record of a seeded paid (or refunded) payment, so the admin's "refund" answers like
 * Midtrans for it (refunded for QRIS and GoPay, refused for bank transfers) instead of "unknown order".
 * Null for an unpaid payment or when the app talks to a real Midtrans (config.midtransEnv).
 */
function sandboxTxOf(p: Payment): SandboxTransaction | null {
  const method = sandboxMethodOf(p);
  if (config.midtransEnv !== "builtin" || !method || !p.paidAt) return null;
  const paidMs = Date.parse(p.paidAt);
  return {
    orderId: p.orderId,
    token: p.snapToken,
    grossAmount: p.grossAmountIdr,
    items: [{ id: p.purpose.id, name: (p.description ?? "").slice(0, 50), price: p.grossAmountIdr, quantity: 1 }],
    customerName: "",
    finishUrl: null,
    expiresAtMs: Date.parse(p.expiresAt),
    createdAtMs: Date.parse(p.createdAt),
    status: p.status === "refunded" ? "refund" : "settlement",
    method,
    transactionId: p.transactionId,
    transactionTimeMs: paidMs,
    settlementTimeMs: paidMs,
    refundAmount: p.status === "refunded" ? p.grossAmountIdr : null,
    deliveries: [],
  };
}

/** Writes `items` in commits of {@link CHUNK}, each adding its reviews' stars to the profile of `psychologistId`. */
async function writeHistory(psychologistId: string, items: Planned[]): Promise<void> {
  const kv = await getKv();
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    const profile = await kv.get<Psychologist>(psychologistKey(psychologistId));
    if (!profile.value) return;
    const op = kv.atomic();
    let next = profile.value;
    const at = new Date().toISOString();
    for (const it of chunk) {
      op.check({ key: ["bookings", it.booking.id], versionstamp: null });
      putBookingOps(op, null, it.booking);
      putPaymentOps(op, null, it.payment);
      const tx = sandboxTxOf(it.payment);
      if (tx) op.set(sandboxTxKey(tx.orderId), tx);
      if (it.holdsCells) {
        for (const c of bookingCells(it.booking)) {
          op.set(cellKey(psychologistId, c), { bookingId: it.booking.id, holdUntil: null });
        }
      }
      if (it.review) {
        putReviewOps(op, null, it.review);
        next = withRating(next, it.review.rating, 1, at);
      }
    }
    addProfileWrites(op, next, profile.versionstamp);
    const res = await op.commit();
    if (!res.ok) throw new Error(`seed history: commit of ${chunk.length} bookings of ${psychologistId} refused`);
  }
}

/**
 * Writes SOAP notes for the latest {@link NOTES_SEEDED} completed sessions of
 * `psychologistId` (30 minutes after each ended) and signs all but the newest
 * three. Returns how many were written.
 */
async function seedNotes(psychologistId: string, items: Planned[]): Promise<number> {
  const actor = { id: psychologistId, role: "psychologist" as const };
  const done = items.filter((x) => x.booking.status === "completed").slice(-NOTES_SEEDED);
  for (const [i, it] of done.entries()) {
    const at = Date.parse(it.booking.endsAt) + 30 * 60_000;
    await saveNotes(actor, it.booking.id, { ...NOTES[i % NOTES.length], private: "" }, at);
    if (i < done.length - 3) await signNotes(actor, it.booking.id, at + 10 * 60_000);
  }
  return done.length;
}

/**
 * Seeds the year of history (see the module comment). Needs the accounts and
 * psychologists seeds first; run after `seedBookings` so its bookings are
 * avoided.
 * @param now the clock
 * @returns printable lines
 */
export async function seedHistory(now: Date = new Date()): Promise<string[]> {
  const nowMs = now.getTime();
  const clients = await demoClients();
  if (!clients.length) return ["history       skipped (klien1 missing)"];
  const lines: string[] = [];
  const kv = await getKv();
  for (const plan of PLAN) {
    const user = await getUserByEmail(plan.email);
    const p = user ? (await kv.get<Psychologist>(psychologistKey(user.id))).value : null;
    if (!p || !p.services.length) continue;
    const tag = `history       ${plan.email.padEnd(24)}`;
    const older = await listBookings({ psychologistId: p.id }, {
      to: new Date(nowMs - SEEDED_BEFORE_MS).toISOString(),
      limit: 1,
    });
    if (older.items.length) {
      lines.push(`${tag} (exists)`);
      continue;
    }
    const existing = await listBookings({ psychologistId: p.id }, {
      from: new Date(nowMs - 400 * DAY).toISOString(),
      limit: 100,
    });
    const busy = existing.items.map((b) => bufferedInterval(b));
    const items = planHistory(p, clients, plan, nowMs, busy);
    await writeHistory(p.id, items);
    const noted = plan.seed === 101 ? await seedNotes(p.id, items) : 0;
    const count = (s: BookingStatus) => items.filter((x) => x.booking.status === s).length;
    lines.push(
      `${tag} ${items.length} past sessions (${count("completed")} completed, ${
        items.filter((x) => x.review).length
      } reviews, ${count("cancelled") + count("rejected")} refunds${noted ? `, ${noted} session notes` : ""})`,
    );
  }
  return lines;
}
