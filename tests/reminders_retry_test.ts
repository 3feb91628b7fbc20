/**
 * Session reminders are sent at least once per recipient and never again after success
 * (docs/domain-rules.md "Reminders"), with an injected clock, a real KV and real mail: a REAL SMTP
 * server (aiosmtpd, tests/smtp_sink.ts) that refuses one recipient, an SMTP port nobody listens on, and
 * a run in its own process killed while it is mailing (a crash between the claim and the send).
 */
import assert from "node:assert/strict";
import { freshKv } from "./helpers.ts";
import { confirmedSession } from "./session_fixtures.ts";
import { SMTP_PYTHON, startSmtpSink } from "./smtp_sink.ts";
import {
  MAX_SEND_ATTEMPTS,
  type RecipientClaim,
  retryDelayMs,
  runDueReminders,
  runReminder,
  SEND_LEASE_MS,
  type SentClaim,
} from "@/lib/reminders/jobs.ts";
import { reminderDueAt } from "@/lib/reminders/due.ts";
import * as RK from "@/lib/reminders/keys.ts";
import { cancelBooking } from "@/lib/booking/lifecycle.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import { listOutbox, type OutboxMail } from "@/lib/mail/mod.ts";
import { getKv, useKv } from "@/lib/db/kv.ts";
import type { Booking } from "@/lib/booking/model.ts";

const MIN = 60_000;
const REMINDER_SUBJECT = /^(Pengingat sesi|Session reminder)/;

/** Reminder mails to `email` in the outbox (booking mails left out), oldest first. */
async function outboxReminders(email: string): Promise<OutboxMail[]> {
  await bookingMailIdle();
  const all = (await listOutbox({ to: email, limit: 100 })).items;
  return all.filter((m) => REMINDER_SUBJECT.test(m.subject)).reverse();
}

async function dueKinds(): Promise<string[]> {
  const out: string[] = [];
  for await (const e of (await getKv()).list({ prefix: RK.DUE_PREFIX })) out.push(String(e.key[3]));
  return out.sort();
}

async function sentRecord(b: Booking, kind: "24h" | "1h"): Promise<SentClaim | null> {
  return (await (await getKv()).get<SentClaim>(RK.sentKey(b.id, kind, b.startsAt))).value;
}

async function recipientState(b: Booking, side: string): Promise<RecipientClaim | null> {
  return (await (await getKv()).get<RecipientClaim>(RK.recipientKey(b.id, "24h", b.startsAt, side))).value;
}

/** Runs `fn` with `SMTP_URL` set to `url`, restoring the outbox afterwards. */
async function withSmtp<T>(url: string, fn: () => Promise<T>): Promise<T> {
  Deno.env.set("SMTP_URL", url);
  try {
    return await fn();
  } finally {
    Deno.env.delete("SMTP_URL");
  }
}

Deno.test({
  name:
    "reminders: one side's mail refused by the SMTP server — that side is retried later, the other never mailed twice",
  ignore: !SMTP_PYTHON,
  async fn() {
    await freshKv();
    const { psy, client, booking } = await confirmedSession();
    await bookingMailIdle();
    const at = Date.parse(reminderDueAt(booking.startsAt, "24h")) + MIN;
    const sink = await startSmtpSink();
    try {
      const got = async (email: string) =>
        (await sink.received()).filter((m) => m.rcpt_tos.includes(email) && REMINDER_SUBJECT.test(m.subject));
      await withSmtp(sink.url, async () => {
        await sink.refuse([psy.email!]);
        assert.equal(await runReminder(booking.id, "24h", at, booking.startsAt), "failed");
        assert.equal((await got(client.email!)).length, 1, "the client got it");
        assert.equal((await got(psy.email!)).length, 0, "the psychologist's mailbox refused it");
        assert.equal(await sentRecord(booking, "24h"), null, "not finished while a side is missing");
        assert.deepEqual(await dueKinds(), ["1h", "24h"], "still indexed for the cron");
        assert.equal((await recipientState(booking, "client"))?.state, "sent");
        const psyClaim = await recipientState(booking, "psychologist");
        assert.equal(psyClaim?.state, "failed");
        assert.equal(psyClaim?.retryAt, new Date(at + retryDelayMs(1)).toISOString());

        // Before the retry moment the cron leaves it; the server takes the mailbox again; the next run sends
        // to the psychologist only.
        await runDueReminders(at + MIN);
        assert.equal((await got(psy.email!)).length, 0, "not before its retry moment");
        await sink.refuse([]);
        await runDueReminders(at + retryDelayMs(1));
        assert.equal((await got(psy.email!)).length, 1, "the psychologist got it on the retry");
        assert.equal((await got(client.email!)).length, 1, "the client is not mailed a second time");
        const done = await sentRecord(booking, "24h");
        assert.deepEqual([done?.outcome, done?.failed], ["sent", []]);
        assert.deepEqual(await dueKinds(), ["1h"], "finished: the index key is gone");
        assert.equal(await runReminder(booking.id, "24h", at + 20 * MIN, booking.startsAt), "already_done");
        await runDueReminders(at + 30 * MIN);
        assert.equal((await sink.received()).filter((m) => REMINDER_SUBJECT.test(m.subject)).length, 2);
      });
    } finally {
      await sink.stop();
    }
  },
});

Deno.test("reminders: the mail server down on every try — bounded retries, then given up and recorded, never sent late", async () => {
  await freshKv();
  const { psy, client, booking } = await confirmedSession();
  await bookingMailIdle();
  let t = Date.parse(reminderDueAt(booking.startsAt, "24h")) + MIN;
  const outcomes: string[] = [];
  // Nothing listens on port 1: every send fails at once.
  await withSmtp("smtp://127.0.0.1:1", async () => {
    outcomes.push(await runReminder(booking.id, "24h", t, booking.startsAt));
    for (let n = 1; n < MAX_SEND_ATTEMPTS; n++) {
      assert.equal(await runReminder(booking.id, "24h", t + 1000, booking.startsAt), "in_progress", "waits");
      assert.equal((await recipientState(booking, "client"))?.attempts, n, "no try before the retry moment");
      t += retryDelayMs(n);
      outcomes.push(await runReminder(booking.id, "24h", t, booking.startsAt));
    }
  });
  assert.deepEqual(outcomes, [...Array(MAX_SEND_ATTEMPTS - 1).fill("failed"), "gave_up"]);
  const rec = await sentRecord(booking, "24h");
  assert.deepEqual(
    [rec?.outcome, rec?.reason, rec?.failed],
    ["failed", "attempts_exhausted", ["client", "psychologist"]],
  );
  assert.deepEqual(await dueKinds(), ["1h"], "given up: no longer indexed");
  // The server is back: the given-up reminder is not sent any more (the 1 h one still will be).
  assert.equal(await runReminder(booking.id, "24h", t + 10 * MIN, booking.startsAt), "already_done");
  await runDueReminders(t + 10 * MIN);
  assert.equal((await outboxReminders(client.email!)).length, 0);
  assert.equal((await outboxReminders(psy.email!)).length, 0);
});

Deno.test("reminders: a side waiting for its retry gets nothing once the booking is cancelled", async () => {
  await freshKv();
  const { psy, client, booking } = await confirmedSession();
  await bookingMailIdle();
  const at = Date.parse(reminderDueAt(booking.startsAt, "24h")) + MIN;
  await withSmtp("smtp://127.0.0.1:1", async () => {
    assert.equal(await runReminder(booking.id, "24h", at, booking.startsAt), "failed");
  });
  Deno.env.set("CANCEL_CUTOFF_HOURS", "0"); // a cancellation this close to the start is allowed here
  try {
    await cancelBooking(booking.id, client, null, at + MIN);
  } finally {
    Deno.env.delete("CANCEL_CUTOFF_HOURS");
  }
  await bookingMailIdle();
  assert.equal(await runReminder(booking.id, "24h", at + 30 * MIN, booking.startsAt), "stale");
  await runDueReminders(at + 30 * MIN);
  assert.equal((await outboxReminders(client.email!)).length, 0);
  assert.equal((await outboxReminders(psy.email!)).length, 0);
});

Deno.test("reminders: a run killed between its claim and its mail loses nothing — another run takes over after the lease", async () => {
  const path = await Deno.makeTempFile({ prefix: "reminders_crash_", suffix: ".sqlite3" });
  const kv = await Deno.openKv(path);
  useKv(kv);
  // An SMTP server that accepts the connection and never greets: the run hangs in its first mail.
  const stall = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const connected = stall.accept().then((c) => void conns.push(c));
  try {
    const { psy, client, booking } = await confirmedSession();
    await bookingMailIdle();
    const at = Date.parse(reminderDueAt(booking.startsAt, "24h")) + MIN;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--no-check",
        new URL("./fixtures/reminder_run.ts", import.meta.url).pathname,
        booking.id,
        "24h",
        String(at),
        booking.startsAt,
      ],
      env: {
        APP_ENV: "test",
        DENO_KV_PATH: path,
        SMTP_URL: `smtp://127.0.0.1:${(stall.addr as Deno.NetAddr).port}`,
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const exited = child.output().then((o) => new TextDecoder().decode(o.stdout) + new TextDecoder().decode(o.stderr));
    const first = await Promise.race([connected.then(() => null), exited]);
    assert.equal(first, null, `the run connected to the SMTP server before exiting (it said: ${first})`);
    child.kill("SIGKILL"); // the crash: claimed, connected, nothing sent
    await exited;

    // While the dead run's lease lasts nobody sends (it might still have been mailing).
    assert.equal(await runReminder(booking.id, "24h", at + MIN, booking.startsAt), "in_progress");
    await runDueReminders(at + 5 * MIN);
    assert.equal((await outboxReminders(client.email!)).length, 0);
    assert.deepEqual(await dueKinds(), ["1h", "24h"], "the reminder is still indexed: not lost");
    // After the lease the cron takes it over: each side once.
    await runDueReminders(at + SEND_LEASE_MS + MIN);
    await runDueReminders(at + SEND_LEASE_MS + 6 * MIN);
    assert.equal((await outboxReminders(client.email!)).length, 1);
    assert.equal((await outboxReminders(psy.email!)).length, 1);
    assert.equal((await recipientState(booking, "client"))?.attempts, 2, "the dead run's try counted");
    assert.equal((await sentRecord(booking, "24h"))?.outcome, "sent");
  } finally {
    for (const c of conns) c.close();
    stall.close();
    kv.close();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) await Deno.remove(f).catch(() => {});
  }
});
