/**
 * Session reminders with an injected clock against a real KV and the mail
 * outbox: the 24 h and 1 h reminders go to both sides once each, in each
 * side's language, however often and however concurrently the job runs; never
 * after a cancellation; moved with a reschedule (the Cal.com bugs
 * calcom/cal.com#7225, #6973, #17785); caught up by the cron when the queue
 * message was lost in a restart; never sent late as if on time.
 */
import assert from "node:assert/strict";
import { freshKv } from "./helpers.ts";
import { jakartaAt } from "./booking_fixtures.ts";
import { confirmedSession, payBooking } from "./session_fixtures.ts";
import { runDueReminders, runReminder } from "@/lib/reminders/jobs.ts";
import { reminderDueAt } from "@/lib/reminders/due.ts";
import * as RK from "@/lib/reminders/keys.ts";
import { cancelBooking, confirmBooking } from "@/lib/booking/lifecycle.ts";
import { rescheduleBooking, reserveBooking } from "@/lib/booking/create.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import { listOutbox, type OutboxMail } from "@/lib/mail/mod.ts";
import { getKv } from "@/lib/db/kv.ts";
import { getBooking } from "@/lib/booking/store.ts";
import { makeUser } from "./helpers.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Reminder mails to `email` in the outbox (booking mails left out), oldest first. */
async function reminders(email: string): Promise<OutboxMail[]> {
  await bookingMailIdle();
  const all = (await listOutbox({ to: email, limit: 100 })).items;
  return all.filter((m) => /^(Pengingat sesi|Session reminder)/.test(m.subject)).reverse();
}

async function dueKeys(): Promise<Deno.KvKey[]> {
  const out: Deno.KvKey[] = [];
  for await (const e of (await getKv()).list({ prefix: RK.DUE_PREFIX })) out.push(e.key);
  return out;
}

Deno.test("reminders: 24 h and 1 h before, to both sides in their language, once each however often the job runs", async () => {
  await freshKv();
  const { psy, client, booking } = await confirmedSession({ clientLang: "en" });
  const s = Date.parse(booking.startsAt);
  assert.equal((await dueKeys()).length, 2, "two reminders indexed with the confirmation");
  // Before the moment: nothing.
  await runDueReminders(s - 24 * HOUR - MIN);
  assert.equal((await reminders(client.email!)).length, 0);
  // At the moment: one each; running again, through the message path and concurrently changes nothing.
  const at24 = s - 24 * HOUR + MIN;
  await runDueReminders(at24);
  await runDueReminders(at24 + 5 * MIN);
  assert.equal(await runReminder(booking.id, "24h", at24 + 6 * MIN, booking.startsAt), "already_done");
  await Promise.all([
    runDueReminders(at24 + 7 * MIN),
    runReminder(booking.id, "24h", at24 + 7 * MIN, booking.startsAt),
    runReminder(booking.id, "24h", at24 + 7 * MIN),
  ]);
  let c = await reminders(client.email!);
  let p = await reminders(psy.email!);
  assert.equal(c.length, 1, "client: the 24 h reminder once");
  assert.equal(p.length, 1, "psychologist: the 24 h reminder once");
  assert.match(c[0].subject, /^Session reminder/, "the client's language (en)");
  assert.match(c[0].text, /in about 24 hours/);
  assert.match(p[0].subject, /^Pengingat sesi/, "the psychologist's language (id)");
  assert.ok(c[0].text.includes(psy.name) && p[0].text.includes(client.name), "each names the other side");
  assert.ok(c[0].text.includes(`/client/bookings/${booking.id}`));
  assert.ok(p[0].text.includes(`/psychologist/bookings/${booking.id}`));
  // The 1 h reminder.
  await runDueReminders(s - 2 * HOUR);
  assert.equal((await reminders(client.email!)).length, 1, "not before its moment");
  await runDueReminders(s - HOUR + MIN);
  await runDueReminders(s - HOUR + 2 * MIN);
  c = await reminders(client.email!);
  p = await reminders(psy.email!);
  assert.equal(c.length, 2);
  assert.equal(p.length, 2);
  assert.match(c[1].text, /in about 59 minutes/);
  assert.deepEqual(await dueKeys(), [], "the index is empty once both are handled");
  const kv = await getKv();
  assert.equal((await kv.get(RK.sentKey(booking.id, "24h", booking.startsAt))).value !== null, true);
});

Deno.test("reminders: many concurrent runs at the moment send exactly one reminder per side", async () => {
  await freshKv();
  const { psy, client, booking } = await confirmedSession();
  const at = Date.parse(reminderDueAt(booking.startsAt, "24h")) + MIN;
  const outcomes = await Promise.all([
    ...Array.from({ length: 6 }, () => runReminder(booking.id, "24h", at, booking.startsAt)),
    runDueReminders(at),
    runDueReminders(at),
  ]);
  assert.equal(outcomes.filter((o) => o === "sent").length <= 1, true);
  assert.equal((await reminders(client.email!)).length, 1);
  assert.equal((await reminders(psy.email!)).length, 1);
});

Deno.test("reminders: a cancelled booking gets none — neither from its queued message nor from the cron", async () => {
  await freshKv();
  const { psy, client, booking } = await confirmedSession();
  const s = Date.parse(booking.startsAt);
  await cancelBooking(booking.id, client, null, s - 30 * HOUR);
  assert.deepEqual(await dueKeys(), [], "cancelling removes the index keys in the same commit");
  for (const t of [s - 24 * HOUR + MIN, s - HOUR + MIN]) {
    assert.equal(await runReminder(booking.id, "24h", t, booking.startsAt), "stale", "the queued message");
    assert.equal(await runReminder(booking.id, "1h", t, booking.startsAt), "stale");
    await runDueReminders(t);
  }
  assert.equal((await reminders(client.email!)).length, 0);
  assert.equal((await reminders(psy.email!)).length, 0);
});

Deno.test("reminders: a rescheduled booking is reminded at its new start only, once re-confirmed", async () => {
  await freshKv();
  const { psy, client, booking } = await confirmedSession({ days: 2, hhmm: "10:00" });
  const oldStart = booking.startsAt;
  const newStart = new Date(jakartaAt(4, "14:00")).toISOString();
  const moved = await rescheduleBooking(booking.id, client, newStart, Date.now());
  assert.equal(moved.booking.status, "paid");
  assert.deepEqual(await dueKeys(), [], "not confirmed at the new time: no reminder yet");
  const oldAt = Date.parse(oldStart) - 24 * HOUR + MIN;
  assert.equal(await runReminder(booking.id, "24h", oldAt, oldStart), "stale", "the old start's message");
  await runDueReminders(oldAt);
  assert.equal((await reminders(client.email!)).length, 0);
  await confirmBooking(booking.id, psy, Date.now());
  const keys = await dueKeys();
  assert.deepEqual(keys.map((k) => k[1]), [reminderDueAt(newStart, "24h"), reminderDueAt(newStart, "1h")]);
  // The old start's moments pass: still nothing (its messages are stale, the index holds only the new start).
  assert.equal(await runReminder(booking.id, "1h", Date.parse(oldStart) - HOUR + MIN, oldStart), "stale");
  await runDueReminders(Date.parse(oldStart) - HOUR + MIN);
  assert.equal((await reminders(client.email!)).length, 0);
  await runDueReminders(Date.parse(newStart) - 24 * HOUR + MIN);
  const c = await reminders(client.email!);
  assert.equal(c.length, 1);
  const b = (await getBooking(booking.id))!;
  assert.equal(b.startsAt, newStart);
  assert.equal(
    (await (await getKv()).get<{ outcome: string }>(RK.sentKey(booking.id, "24h", newStart))).value?.outcome,
    "sent",
  );
  assert.equal((await (await getKv()).get(RK.sentKey(booking.id, "24h", oldStart))).value, null);
});

Deno.test("reminders: caught up by the cron after a restart lost the queue messages (late, but true)", async () => {
  await freshKv();
  const { client, booking } = await confirmedSession({ clientLang: "en" });
  const s = Date.parse(booking.startsAt);
  // The server was down from before the 24 h moment until 20 h before: the cron's first run sends it.
  await runDueReminders(s - 20 * HOUR);
  let c = await reminders(client.email!);
  assert.equal(c.length, 1);
  assert.match(c[0].text, /in about 20 hours/, "states the real time left, not 24 hours");
  // Down again across the 1 h moment; back 30 minutes before the start.
  await runDueReminders(s - 30 * MIN);
  c = await reminders(client.email!);
  assert.equal(c.length, 2);
  assert.match(c[1].text, /in about 30 minutes/);
});

Deno.test("reminders: never sent late as if on time — skipped when confirmed after its moment or found after its window", async () => {
  await freshKv();
  // Confirmed 3 h before the start: no 24 h reminder (the confirmation mail gave the time), the 1 h one on time.
  const psyA = (await confirmedSession()).psy;
  const client = await makeUser("client");
  const startsAt = new Date(jakartaAt(2, "15:00")).toISOString();
  const s = Date.parse(startsAt);
  const r = await reserveBooking(client, {
    psychologistId: psyA.id,
    serviceId: psyA.profile.services[1].id,
    startsAt,
  });
  await payBooking(r);
  await confirmBooking(r.id, psyA, s - 3 * HOUR);
  assert.equal(await runReminder(r.id, "24h", s - 3 * HOUR + MIN, startsAt), "skipped_confirmed_late");
  await runDueReminders(s - 3 * HOUR + MIN);
  assert.equal((await reminders(client.email!)).length, 0);
  await runDueReminders(s - HOUR);
  assert.equal((await reminders(client.email!)).length, 1, "the 1 h reminder");
  // Down from before the 24 h moment until 30 minutes before: the 24 h one is past its window, only the 1 h one goes.
  const other = await confirmedSession({ days: 3 });
  const s2 = Date.parse(other.booking.startsAt);
  await runDueReminders(s2 - 30 * MIN);
  const got = await reminders(other.client.email!);
  assert.equal(got.length, 1);
  assert.match(got[0].text, /30 menit/);
  const claim = await (await getKv()).get<{ outcome: string; reason: string }>(
    RK.sentKey(other.booking.id, "24h", other.booking.startsAt),
  );
  assert.deepEqual([claim.value?.outcome, claim.value?.reason], ["skipped", "window_passed"]);
  // After the start nothing more goes out.
  await runDueReminders(s2 + HOUR);
  assert.equal((await reminders(other.client.email!)).length, 1);
});

Deno.test("reminders: when the mail server is down nobody is marked reminded — the next cron run sends it", async () => {
  await freshKv();
  const { client, booking } = await confirmedSession();
  await bookingMailIdle();
  const at = Date.parse(reminderDueAt(booking.startsAt, "24h")) + MIN;
  Deno.env.set("SMTP_URL", "smtp://127.0.0.1:1"); // nothing listens on port 1: every send fails
  try {
    assert.equal(await runReminder(booking.id, "24h", at, booking.startsAt), "failed");
  } finally {
    Deno.env.delete("SMTP_URL");
  }
  const kv = await getKv();
  assert.equal((await kv.get(RK.sentKey(booking.id, "24h", booking.startsAt))).value, null, "claim released");
  assert.equal((await dueKeys()).length, 2, "still indexed for the cron");
  await runDueReminders(at + 5 * MIN);
  assert.equal((await reminders(client.email!)).length, 1);
});

Deno.test("reminders: the queue handler is registered and ignores malformed or early messages", async () => {
  await freshKv();
  const { dispatch } = await import("@/lib/queue.ts");
  const { registerReminderJobs, REMINDER_JOB } = await import("@/lib/reminders/jobs.ts");
  registerReminderJobs();
  const { client, booking } = await confirmedSession();
  for (const payload of [null, {}, { id: 5 }, { id: booking.id, kind: "toString", startsAt: booking.startsAt }]) {
    await dispatch({ type: REMINDER_JOB, payload });
  }
  // Real clock: the 24 h moment is still ahead, so an early delivery sends nothing and keeps the index.
  await dispatch({ type: REMINDER_JOB, payload: { id: booking.id, kind: "24h", startsAt: booking.startsAt } });
  assert.equal((await reminders(client.email!)).length, 0);
  assert.equal((await dueKeys()).length, 2);
});
