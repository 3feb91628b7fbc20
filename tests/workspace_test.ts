/**
 * The psychologist workspace's rules against a real KV: statistics per month
 * in Jakarta time across month boundaries, net of the platform commission,
 * kept in step with every booking write (also through the real lifecycle and
 * a reschedule across months); the queue's timeline and links; ages; the
 * WhatsApp reminder; reports and their CSV (RFC 4180, formula guard); patient
 * details only with a care relationship, audited; query bounds.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import { freshKv, makeUser } from "./helpers.ts";
import { bookablePsychologist, jakartaAt } from "./booking_fixtures.ts";
import { bookingOf, putBookings, storeBookings } from "./workspace_fixtures.ts";
import { getKv } from "@/lib/db/kv.ts";
import { AppError, ValidationError } from "@/lib/errors.ts";
import { listAudit } from "@/lib/audit.ts";
import { reserveBooking } from "@/lib/booking/create.ts";
import { completeBooking, confirmBooking, markNoShow, startSession } from "@/lib/booking/lifecycle.ts";
import { bookingPaymentEffect } from "@/lib/booking/payment_effect.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import { getBooking } from "@/lib/booking/store.ts";
import type { Booking, BookingStatus } from "@/lib/booking/model.ts";
import { BOOKING_STATUSES } from "@/lib/booking/model.ts";
import type { Payment } from "@/lib/payments/model.ts";
import type { BookingStat } from "@/lib/workspace/keys.ts";
import { statPrefix } from "@/lib/workspace/keys.ts";
import { monthOf } from "@/lib/workspace/stats_index.ts";
import { monthlyStats } from "@/lib/workspace/stats.ts";
import { parseHistoryQuery, parseStatsQuery } from "@/lib/workspace/http.ts";
import { queueOf } from "@/lib/workspace/queue.ts";
import { ageOn, whatsappReminder } from "@/lib/workspace/people.ts";
import { reportCsv, workspaceReport } from "@/lib/workspace/reports.ts";
import { historyOf } from "@/lib/workspace/history.ts";
import { patientDetails } from "@/lib/workspace/patients.ts";
import { backfillBookingStats } from "@/lib/workspace/backfill.ts";
import { createScreening } from "@/lib/screening/store.ts";
import { bodyVoting, consentedClient, current } from "./screening_fixtures.ts";

async function pay(b: Booking): Promise<Booking> {
  const kv = await getKv();
  const payment = { orderId: b.orderId, purpose: { kind: "booking", id: b.id }, method: "qris" } as Payment;
  const op = kv.atomic();
  const after = await bookingPaymentEffect(op, payment, "pending", "paid");
  assert.ok((await op.commit()).ok);
  if (after) await after();
  return (await getBooking(b.id))!;
}

async function statsEntries(psychologistId: string) {
  const kv = await getKv();
  const out: { month: string; id: string; v: BookingStat }[] = [];
  for await (const e of kv.list<BookingStat>({ prefix: statPrefix(psychologistId) })) {
    out.push({ month: e.key[2] as string, id: e.key[3] as string, v: e.value });
  }
  return out;
}

Deno.test("workspace stats: months in Jakarta time across a month boundary, net of the 10 % commission", async () => {
  await freshKv();
  const p = "01JPSYAAAAAAAAAAAAAAAAAAAA";
  const c = "01JCLIAAAAAAAAAAAAAAAAAAAA";
  await storeBookings([
    // 23:59 WIB on 31 October → October; 00:00 WIB on 1 November (17:00Z on 31 October) → November.
    { psychologistId: p, clientId: c, startsAt: "2026-10-31T16:59:00Z", status: "completed", priceIdr: 150_000 },
    { psychologistId: p, clientId: c, startsAt: "2026-10-31T17:00:00Z", status: "completed", priceIdr: 300_000 },
    // A client no-show earns its payout but is no session; a psychologist no-show (refund) earns nothing.
    { psychologistId: p, clientId: c, startsAt: "2026-11-03T03:00:00Z", status: "no_show", priceIdr: 200_000 },
    {
      psychologistId: p,
      clientId: c,
      startsAt: "2026-11-04T03:00:00Z",
      status: "no_show",
      priceIdr: 200_000,
      refund: true,
    },
    { psychologistId: p, clientId: c, startsAt: "2026-11-05T03:00:00Z", status: "cancelled", priceIdr: 999_999 },
    { psychologistId: p, clientId: c, startsAt: "2026-11-06T03:00:00Z", status: "confirmed", priceIdr: 999_999 },
    { psychologistId: p, clientId: c, startsAt: "2026-11-30T16:30:00Z", status: "in_session", priceIdr: 100_001 },
    // Another psychologist's session never counts.
    {
      psychologistId: "01JPSYBBBBBBBBBBBBBBBBBBBB",
      clientId: c,
      startsAt: "2026-11-07T03:00:00Z",
      status: "completed",
    },
  ]);
  const months = await monthlyStats(p, "2026-09", "2026-12");
  assert.deepEqual(months, [
    { month: "2026-09", sessions: 0, incomeIdr: 0 },
    { month: "2026-10", sessions: 1, incomeIdr: 135_000 },
    // 270,000 + 180,000 + (100,001 − 10,000 rounded half up); 30 Nov 16:30Z is 23:30 WIB on 30 November.
    { month: "2026-11", sessions: 2, incomeIdr: 270_000 + 180_000 + 90_001 },
    { month: "2026-12", sessions: 0, incomeIdr: 0 },
  ]);
});

Deno.test("workspace stats: the index follows the real lifecycle (reserve → pay → confirm → start → complete)", async () => {
  await freshKv();
  const psy = await bookablePsychologist();
  const client = await makeUser("client");
  const [chat] = psy.profile.services;
  const startsAt = jakartaAt(2, "10:00");
  let b = await reserveBooking(client, { psychologistId: psy.id, serviceId: chat.id, startsAt });
  const month = monthOf(startsAt);
  let entries = await statsEntries(psy.id);
  assert.equal(entries.length, 1);
  assert.deepEqual(entries[0], {
    month,
    id: b.id,
    v: { status: "awaiting_payment", serviceType: "chat", payoutIdr: 135_000, refund: false },
  });
  assert.deepEqual((await monthlyStats(psy.id, month, month))[0], { month, sessions: 0, incomeIdr: 0 });
  b = await pay(b);
  await confirmBooking(b.id, psy);
  const start = Date.parse(startsAt);
  await startSession(b.id, psy, start + 60_000);
  assert.deepEqual((await monthlyStats(psy.id, month, month))[0], { month, sessions: 1, incomeIdr: 135_000 });
  await completeBooking(b.id, psy, start + 30 * 60_000);
  entries = await statsEntries(psy.id);
  assert.equal(entries.length, 1);
  assert.equal(entries[0].v.status, "completed");
  assert.deepEqual((await monthlyStats(psy.id, month, month))[0], { month, sessions: 1, incomeIdr: 135_000 });

  // A psychologist no-show refunds the client: no session, no income.
  const b2 = await pay(
    await reserveBooking(client, { psychologistId: psy.id, serviceId: chat.id, startsAt: jakartaAt(3, "10:00") }),
  );
  await confirmBooking(b2.id, psy);
  await markNoShow(b2.id, psy, "psychologist", Date.parse(b2.startsAt) + 60_000);
  const m2 = monthOf(b2.startsAt);
  const after = (await monthlyStats(psy.id, m2, m2))[0];
  assert.deepEqual(after, { month: m2, sessions: m2 === month ? 1 : 0, incomeIdr: m2 === month ? 135_000 : 0 });
  await bookingMailIdle();
});

Deno.test("workspace stats: a start moved to another month moves the entry (no stale month left)", async () => {
  await freshKv();
  const p = "01JPSYAAAAAAAAAAAAAAAAAAAA";
  const before = bookingOf({
    psychologistId: p,
    clientId: "01JCLIAAAAAAAAAAAAAAAAAAAA",
    startsAt: "2026-10-31T10:00:00Z",
    status: "paid",
  });
  await putBookings([before]);
  const moved: Booking = { ...before, startsAt: "2026-11-02T10:00:00Z", endsAt: "2026-11-02T10:30:00Z" };
  await putBookings([[before, moved]]);
  const entries = await statsEntries(p);
  assert.deepEqual(entries.map((e) => [e.month, e.id, e.v.status]), [["2026-11", before.id, "paid"]]);
});

Deno.test("workspace stats: property — after any sequence of writes, one entry per booking, in its start's month, with its state", async (t) => {
  const p = "01JPSYAAAAAAAAAAAAAAAAAAAA";
  const base = Date.parse("2026-01-15T00:00:00Z");
  await fuzz(
    t,
    fc.asyncProperty(
      fc.array(
        fc.record({
          which: fc.nat(4),
          dayOffset: fc.integer({ min: -60, max: 400 }),
          minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
          status: fc.constantFrom(...BOOKING_STATUSES),
        }),
        { minLength: 1, maxLength: 25 },
      ),
      async (moves) => {
        await freshKv();
        const current = new Map<number, Booking>();
        for (const m of moves) {
          const startsAt = new Date(base + m.dayOffset * 86_400_000 + m.minute * 60_000).toISOString();
          const prev = current.get(m.which) ?? null;
          const next: Booking = prev
            ? { ...prev, startsAt, status: m.status as BookingStatus }
            : bookingOf({ psychologistId: p, clientId: "01JCLIAAAAAAAAAAAAAAAAAAAA", startsAt, status: m.status });
          await putBookings([prev ? [prev, next] : next]);
          current.set(m.which, next);
        }
        const entries = await statsEntries(p);
        assert.equal(entries.length, current.size);
        for (const b of current.values()) {
          const e = entries.find((x) => x.id === b.id);
          assert.ok(e);
          assert.equal(e.month, monthOf(b.startsAt));
          assert.equal(e.v.status, b.status);
        }
      },
    ),
    { numRuns: 40 },
  );
});

Deno.test("workspace: stats and history query bounds — defaults, order, length", () => {
  const now = Date.parse("2026-12-02T03:00:00Z");
  assert.deepEqual(parseStatsQuery({}, now), { from: "2026-01", to: "2026-12" });
  assert.deepEqual(parseStatsQuery({ from: "2026-03" }, now), { from: "2026-03", to: "2026-12" });
  assert.deepEqual(parseStatsQuery({ from: "2024-01" }, now), { from: "2024-01", to: "2024-12" });
  assert.deepEqual(parseStatsQuery({ to: "2025-06" }, now), { from: "2024-07", to: "2025-06" });
  assert.deepEqual(parseStatsQuery({ from: "2023-01", to: "2025-12" }, now), { from: "2023-01", to: "2025-12" });
  assert.deepEqual(parseStatsQuery({ from: "2000-01" }, now).from, "2000-01");
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      assert.ok(err instanceof ValidationError);
      return err.fields.from ?? err.fields.to;
    }
    return "ok";
  };
  assert.equal(code(() => parseStatsQuery({ from: "2026-05", to: "2026-04" }, now)), "workspace.error.range_order");
  assert.equal(code(() => parseStatsQuery({ from: "2023-01", to: "2026-01" }, now)), "workspace.error.range_months");
  assert.equal(code(() => parseStatsQuery({ from: "1999-12" }, now)), "field.date_out_of_range");
  assert.equal(code(() => parseStatsQuery({ to: "2026-13" }, now)), "field.invalid_month");
  assert.deepEqual(
    { from: parseHistoryQuery({}, now).from, to: parseHistoryQuery({}, now).to },
    { from: "2026-09-04", to: "2026-12-02" },
  );
  assert.equal(
    code(() => parseHistoryQuery({ from: "2026-12-03", to: "2026-12-02" }, now)),
    "workspace.error.range_order",
  );
  assert.equal(
    code(() => parseHistoryQuery({ from: "2025-01-01", to: "2026-12-02" }, now)),
    "workspace.error.range_days",
  );
});

Deno.test("workspace: ages in whole years; the WhatsApp reminder in the client's language, only with a phone", () => {
  assert.equal(ageOn("1995-06-15", "2026-06-14"), 30);
  assert.equal(ageOn("1995-06-15", "2026-06-15"), 31);
  assert.equal(ageOn("2000-02-29", "2026-02-28"), 25);
  assert.equal(ageOn(null, "2026-06-15"), null);
  assert.equal(ageOn("2030-01-01", "2026-06-15"), null);
  assert.equal(ageOn("not-a-date", "2026-06-15"), null);
  const b = bookingOf({
    psychologistId: "p",
    clientId: "c",
    startsAt: "2026-12-03T02:00:00Z",
    status: "confirmed",
  });
  assert.equal(whatsappReminder(b, { phone: null, lang: "id", name: "Sari" }), null);
  const id = whatsappReminder(b, { phone: "6281234567890", lang: "id", name: "Sari & Co" })!;
  assert.ok(id.startsWith("https://wa.me/6281234567890?text="), id);
  const text = decodeURIComponent(id.split("?text=")[1]);
  assert.match(
    text,
    /^Halo Sari & Co, ini pengingat sesi Chat Anda bersama Psikolog Uji pada .*3 Des 2026 pukul 09\.00/,
  );
  assert.ok(!id.includes(" ") && !id.split("?text=")[1].includes("&"), "the text is URL-encoded");
  const en = decodeURIComponent(
    whatsappReminder(b, { phone: "6281234567890", lang: "en", name: "Sari" })!.split("=")[1],
  );
  assert.match(en, /^Hello Sari, a reminder of your Chat session .* at 09:00 \(Asia\/Jakarta\)/);
});

Deno.test("workspace queue: today / tomorrow / later in the psychologist's zone, client age, chat and actions by time", async () => {
  await freshKv();
  const psy = await bookablePsychologist();
  const client = await makeUser("client", { birthDate: "1990-01-01", phone: "6281298765432" });
  const noPhone = await makeUser("client", { birthDate: null });
  const now = Date.parse(jakartaAt(0, "09:55"));
  const mk = (clientId: string, days: number, hhmm: string, status: BookingStatus) => ({
    psychologistId: psy.id,
    clientId,
    startsAt: jakartaAt(days, hhmm, now),
    status,
  });
  const [soon, done, , , tmr, later, , yesterday] = await storeBookings([
    mk(client.id, 0, "10:00", "confirmed"),
    mk(client.id, 0, "08:00", "completed"),
    mk(client.id, 0, "11:00", "cancelled"),
    mk(noPhone.id, 0, "12:00", "awaiting_payment"),
    mk(noPhone.id, 1, "10:00", "paid"),
    mk(client.id, 5, "10:00", "confirmed"),
    mk(client.id, 6, "10:00", "completed"),
    mk(client.id, -1, "10:00", "confirmed"),
  ]);
  const q = await queueOf(psy, now);
  assert.equal(q.timeZone, "Asia/Jakarta");
  assert.deepEqual(q.today.map((i) => i.id), [done.id, soon.id]);
  assert.deepEqual(q.tomorrow.map((i) => i.id), [tmr.id]);
  assert.deepEqual(q.later.map((i) => i.id), [later.id]);
  assert.ok(![...q.today, ...q.tomorrow, ...q.later].some((i) => i.id === yesterday.id));
  const s = q.today[1];
  const age = Temporal.PlainDate.from("1990-01-01").until(Temporal.PlainDate.from(q.date), { largestUnit: "years" })
    .years;
  assert.equal(s.clientAge, age);
  // 5 minutes before the start: the chat (opens 10 minutes before) is open; "start session" is allowed (15 min).
  assert.equal(s.chat, "open");
  assert.deepEqual(s.actions, { confirm: false, startSession: true, complete: false, noShow: false });
  assert.ok(s.whatsappUrl?.startsWith("https://wa.me/6281298765432?text="));
  assert.equal(q.today[0].whatsappUrl, null, "no reminder for a completed session");
  assert.equal(q.tomorrow[0].clientAge, null);
  assert.equal(q.tomorrow[0].whatsappUrl, null, "no phone, no link");
  assert.equal(q.tomorrow[0].chat, null, "a paid booking's chat is not open yet");
  assert.equal(q.tomorrow[0].actions.confirm, true);
  // 20 minutes before: not open yet.
  const early = await queueOf(psy, now - 15 * 60_000);
  assert.equal(early.today.find((i) => i.id === soon.id)?.chat, null);
});

Deno.test("workspace reports: daily and weekly over local days, income net of commission; CSV is RFC 4180 with a formula guard", async () => {
  await freshKv();
  const p = "01JPSYAAAAAAAAAAAAAAAAAAAA";
  const c = "01JCLIAAAAAAAAAAAAAAAAAAAA";
  await storeBookings([
    // Wednesday 2 December 2026, 00:30 WIB (1 December 17:30Z).
    {
      psychologistId: p,
      clientId: c,
      startsAt: "2026-12-01T17:30:00Z",
      status: "completed",
      clientName: '=HYPERLINK("x"), "Budi"',
    },
    { psychologistId: p, clientId: c, startsAt: "2026-12-02T03:00:00Z", status: "no_show", priceIdr: 300_000 },
    { psychologistId: p, clientId: c, startsAt: "2026-12-02T05:00:00Z", status: "cancelled" },
    // Sunday 6 December (same ISO week), Monday 7 December (next week), Tuesday 1 December 23:00 WIB.
    { psychologistId: p, clientId: c, startsAt: "2026-12-06T03:00:00Z", status: "completed" },
    { psychologistId: p, clientId: c, startsAt: "2026-12-07T03:00:00Z", status: "completed" },
    { psychologistId: p, clientId: c, startsAt: "2026-12-01T16:00:00Z", status: "completed" },
  ]);
  const day = await workspaceReport(p, "daily", "2026-12-02");
  assert.deepEqual(day.period, { from: "2026-12-02", to: "2026-12-02" });
  assert.deepEqual(day.summary, { bookings: 3, sessions: 1, noShows: 1, cancelled: 1, incomeIdr: 135_000 + 270_000 });
  const week = await workspaceReport(p, "weekly", "2026-12-02");
  assert.deepEqual(week.period, { from: "2026-11-30", to: "2026-12-06" });
  assert.equal(week.summary.bookings, 5);
  assert.equal(week.summary.sessions, 3);
  assert.deepEqual(week.byDay.map((d) => d.sessions), [0, 1, 1, 0, 0, 0, 1]);
  const csv = reportCsv(day, "en");
  assert.ok(csv.startsWith("\uFEFFDaily report,2026-12-02,2026-12-02,Asia/Jakarta\r\n"));
  assert.ok(csv.endsWith("\r\n") && !/[^\r]\n/.test(csv), "CRLF line ends only");
  assert.ok(csv.includes(`"'=HYPERLINK(""x""), ""Budi"""`), csv);
  assert.ok(csv.includes("Net income (IDR),405000\r\n"));
  const rows = csv.split("\r\n");
  assert.equal(rows.filter((r) => r.endsWith(`,${day.items[1].id}`)).length, 1);
  assert.match(
    rows.find((r) => r.endsWith(day.items[1].id))!,
    /^2026-12-02,10:00-10:30,Klien Uji,Chat,No-show,300000,270000,/,
  );
});

Deno.test("workspace history: range of local days, service and status filters, newest first, pages", async () => {
  await freshKv();
  const p = "01JPSYAAAAAAAAAAAAAAAAAAAA";
  const c = "01JCLIAAAAAAAAAAAAAAAAAAAA";
  const made = await storeBookings([
    { psychologistId: p, clientId: c, startsAt: "2026-11-30T16:59:00Z", status: "completed" },
    { psychologistId: p, clientId: c, startsAt: "2026-11-30T17:00:00Z", status: "completed", serviceType: "video" },
    { psychologistId: p, clientId: c, startsAt: "2026-12-05T03:00:00Z", status: "cancelled" },
    { psychologistId: p, clientId: c, startsAt: "2026-12-31T16:59:00Z", status: "completed" },
    { psychologistId: p, clientId: c, startsAt: "2026-12-31T17:00:00Z", status: "completed" },
  ]);
  const dec = await historyOf(p, { from: "2026-12-01", to: "2026-12-31" });
  assert.deepEqual(dec.items.map((b) => b.id), [made[3].id, made[2].id, made[1].id]);
  const video = await historyOf(p, { from: "2026-11-01", to: "2026-12-31", serviceType: "video" });
  assert.deepEqual(video.items.map((b) => b.id), [made[1].id]);
  const done = await historyOf(p, { from: "2026-11-01", to: "2027-01-31", status: "completed", limit: 2 });
  assert.deepEqual(done.items.map((b) => b.id), [made[4].id, made[3].id]);
  const next = await historyOf(p, { from: "2026-11-01", to: "2027-01-31", status: "completed", cursor: done.cursor });
  assert.deepEqual(next.items.map((b) => b.id), [made[1].id, made[0].id]);
});

Deno.test("workspace patients: only a psychologist with a care relationship reads them; every read is audited", async () => {
  await freshKv();
  const psy = await makeUser("psychologist");
  const other = await makeUser("psychologist");
  const admin = await makeUser("admin");
  const client = await makeUser("client", { birthDate: "2001-03-04" });
  const reservedOnly = await makeUser("client");
  await storeBookings([
    { psychologistId: psy.id, clientId: client.id, startsAt: "2026-10-01T03:00:00Z", status: "completed" },
    { psychologistId: psy.id, clientId: client.id, startsAt: "2026-11-01T03:00:00Z", status: "cancelled" },
    { psychologistId: other.id, clientId: client.id, startsAt: "2026-10-02T03:00:00Z", status: "expired" },
    { psychologistId: psy.id, clientId: reservedOnly.id, startsAt: "2026-10-03T03:00:00Z", status: "expired" },
  ]);
  const code = async (p: Promise<unknown>) => {
    try {
      await p;
      return "ok";
    } catch (err) {
      if (err instanceof AppError) return `${err.status} ${err.code}`;
      throw err;
    }
  };
  const d = await patientDetails(psy, client.id, Date.parse("2026-12-02T00:00:00Z"));
  assert.equal(d.client.age, 25);
  assert.equal(d.client.name, client.name);
  assert.equal(d.bookings.length, 2, "only the bookings with this psychologist, every state");
  assert.ok(d.bookings.every((b) => b.psychologistId === psy.id));
  for (
    const [viewer, id] of [[other, client.id], [admin, client.id], [client, client.id], [psy, reservedOnly.id], [
      psy,
      "01JAAAAAAAAAAAAAAAAAAAAAAA",
    ], [psy, "../x"]] as const
  ) {
    assert.equal(await code(patientDetails(viewer, id)), "404 patient_not_found", `${viewer.role} → ${id}`);
  }
  const log = await listAudit({ target: `user:${client.id}` });
  // One read: its own entry plus the screening module's; refused reads read nothing.
  assert.deepEqual(log.items.map((e) => [e.action, e.actorId]).sort(), [
    ["patient.read", psy.id],
    ["screening.list", psy.id],
  ]);
});

Deno.test("workspace patients: the screening history and the progress timeline hold the client's screenings (audited by the screening module)", async () => {
  await freshKv();
  const psy = await makeUser("psychologist");
  const client = await consentedClient();
  const { set, table } = await current();
  const first = await createScreening(client, bodyVoting(set, table, "anxious").body);
  const second = await createScreening(client, bodyVoting(set, table, "secure").body);
  await storeBookings([
    { psychologistId: psy.id, clientId: client.id, startsAt: new Date().toISOString(), status: "completed" },
  ]);
  const d = await patientDetails(psy, client.id);
  assert.deepEqual(d.screenings.map((x) => x.id), [second.id, first.id], "newest first");
  assert.equal(d.screenings[1].result, first.result);
  const month = d.timeline.find((m) => m.month === monthOf(first.createdAt))!;
  assert.deepEqual(month.screenings.map((x) => x.id), [first.id, second.id], "oldest first within the month");
  assert.equal(month.sessions.completed, 1);
  const log = await listAudit({ target: `user:${client.id}` });
  assert.deepEqual(log.items.map((e) => e.action).sort(), ["patient.read", "screening.list"]);
});

Deno.test("workspace backfill: bookings written before the index get their entries once; a marker stops reruns", async () => {
  const kv = await freshKv();
  const p = "01JPSYAAAAAAAAAAAAAAAAAAAA";
  const list = await storeBookings([
    {
      psychologistId: p,
      clientId: "01JCLIAAAAAAAAAAAAAAAAAAAA",
      startsAt: "2026-10-31T17:00:00Z",
      status: "completed",
    },
    { psychologistId: p, clientId: "01JCLIAAAAAAAAAAAAAAAAAAAA", startsAt: "2026-10-15T03:00:00Z", status: "no_show" },
  ]);
  // As in a database from before the index: drop every entry.
  for await (const e of kv.list({ prefix: ["booking_stats"] })) await kv.delete(e.key);
  assert.deepEqual(await monthlyStats(p, "2026-10", "2026-11"), [
    { month: "2026-10", sessions: 0, incomeIdr: 0 },
    { month: "2026-11", sessions: 0, incomeIdr: 0 },
  ]);
  assert.equal(await backfillBookingStats(), 2);
  assert.deepEqual(await monthlyStats(p, "2026-10", "2026-11"), [
    { month: "2026-10", sessions: 0, incomeIdr: 135_000 },
    { month: "2026-11", sessions: 1, incomeIdr: 135_000 },
  ]);
  assert.equal(await backfillBookingStats(), 0, "the marker stops a rerun");
  assert.equal((await statsEntries(p)).length, list.length);
});
