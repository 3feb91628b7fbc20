/**
 * Top-level Deno KV key prefixes are owned by exactly one capability: each
 * capability exports its prefixes, no prefix is claimed twice, every key
 * builder of a key module stays inside its capability's prefixes, and a KV
 * filled by the seed and by real flows holds only keys that belong to exactly
 * one capability.
 */
import assert from "node:assert/strict";
import { AUTH_PREFIXES } from "@/lib/auth/users.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { issueOtp } from "@/lib/auth/otp.ts";
import { audit, AUDIT_PREFIXES } from "@/lib/audit.ts";
import { MAIL_PREFIXES, sendMail } from "@/lib/mail/mod.ts";
import { createNotification, keys as notifyKeys, markRead, NOTIFY_PREFIXES } from "@/lib/notify/notifications.ts";
import { hit } from "@/lib/ratelimit.ts";
import * as guestbookKeys from "@/lib/guestbook/keys.ts";
import * as articlesKeys from "@/lib/articles/keys.ts";
import * as filesKeys from "@/lib/files/keys.ts";
import * as bookingKeys from "@/lib/booking/keys.ts";
import * as psychologistsKeys from "@/lib/psychologists/keys.ts";
import * as availabilityKeys from "@/lib/availability/keys.ts";
import * as paymentsKeys from "@/lib/payments/keys.ts";
import * as chatKeys from "@/lib/chat/keys.ts";
import * as reviewsKeys from "@/lib/reviews/keys.ts";
import * as notesKeys from "@/lib/notes/keys.ts";
import * as remindersKeys from "@/lib/reminders/keys.ts";
import { runReminder } from "@/lib/reminders/jobs.ts";
import { reminderDueAt } from "@/lib/reminders/due.ts";
import { confirmedSession } from "./session_fixtures.ts";
import * as workspaceKeys from "@/lib/workspace/keys.ts";
import * as screeningStimuliKeys from "@/lib/screening/stimuli_keys.ts";
import { getActiveStimulusSet, getMappingTable } from "@/lib/screening/stimuli.ts";
import * as adminKeys from "@/lib/admin/keys.ts";
import * as screeningStoreKeys from "@/lib/screening/keys.ts";
import { CONSENT_TEXT_VERSION, recordConsent } from "@/lib/screening/consent.ts";
import { createScreening } from "@/lib/screening/store.ts";
import { bodyVoting, current } from "./screening_fixtures.ts";
import { seedAccounts } from "@/lib/seed/accounts.ts";
import { seedGuestbook } from "@/lib/seed/guestbook.ts";
import { seedArticles } from "@/lib/seed/articles.ts";
import { seedPsychologists } from "@/lib/seed/psychologists.ts";
import { seedAvailability } from "@/lib/seed/availability.ts";
import { seedHistory } from "@/lib/seed/history.ts";
import { appointmentsOfDay } from "@/lib/guestbook/store.ts";
import { appointmentQrCode } from "@/lib/guestbook/qr_token.ts";
import { checkIn } from "@/lib/guestbook/check_in.ts";
import { stashGuestPassword } from "@/lib/guestbook/ui_queries.ts";
import { getUserByEmail } from "@/lib/auth/users.ts";
import { freshKv } from "./helpers.ts";

const CAPABILITIES: Record<string, readonly string[]> = {
  auth: AUTH_PREFIXES,
  guestbook: guestbookKeys.GUESTBOOK_PREFIXES,
  notify: NOTIFY_PREFIXES,
  audit: AUDIT_PREFIXES,
  mail: MAIL_PREFIXES,
  articles: articlesKeys.ARTICLES_PREFIXES,
  files: filesKeys.FILES_PREFIXES,
  psychologists: psychologistsKeys.PSYCHOLOGISTS_PREFIXES,
  availability: availabilityKeys.AVAILABILITY_PREFIXES,
  payments: paymentsKeys.PAYMENTS_PREFIXES,
  booking: bookingKeys.BOOKING_PREFIXES,
  chat: chatKeys.CHAT_PREFIXES,
  reviews: reviewsKeys.REVIEWS_PREFIXES,
  notes: notesKeys.NOTES_PREFIXES,
  reminders: remindersKeys.REMINDERS_PREFIXES,
  workspace: workspaceKeys.WORKSPACE_PREFIXES,
  screeningStimuli: screeningStimuliKeys.SCREENING_STIMULI_PREFIXES,
  admin: adminKeys.ADMIN_PREFIXES,
  screening_store: screeningStoreKeys.SCREENING_STORE_PREFIXES,
};

/** Capabilities claiming `prefix`. */
function owners(prefix: unknown): string[] {
  return Object.entries(CAPABILITIES).filter(([, list]) => list.includes(prefix as string)).map(([c]) => c);
}

/** The top-level prefix of every key a module's builders make (functions get placeholder arguments). */
function builtPrefixes(mod: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [name, v] of Object.entries(mod)) {
    let key: unknown = null;
    if (typeof v === "function") key = (v as (...a: unknown[]) => unknown)(...Array(v.length).fill("x"));
    else if (Array.isArray(v) && v.every((p) => typeof p !== "object")) key = v;
    if (Array.isArray(key) && key.length && !name.endsWith("_PREFIXES")) out.set(name, key[0]);
  }
  return out;
}

Deno.test("kv prefixes: every capability's prefixes are its own", () => {
  const seen = new Map<string, string>();
  for (const [cap, list] of Object.entries(CAPABILITIES)) {
    assert.ok(list.length > 0, `${cap} declares prefixes`);
    assert.equal(new Set(list).size, list.length, `${cap} lists a prefix twice`);
    for (const p of list) {
      assert.match(p, /^[a-z][a-z_]*$/, `${cap}: ${p}`);
      assert.ok(!seen.has(p), `"${p}" is claimed by ${seen.get(p)} and ${cap}`);
      seen.set(p, cap);
    }
  }
});

Deno.test("kv prefixes: key builders stay inside their capability's prefixes", () => {
  const gb = builtPrefixes(guestbookKeys as unknown as Record<string, unknown>);
  assert.ok(gb.size >= 10, "the guest-book key module was read");
  for (const [name, p] of gb) assert.deepEqual(owners(p), ["guestbook"], `guestbook keys.ts ${name} → ${p}`);
  const nt = builtPrefixes(notifyKeys as unknown as Record<string, unknown>);
  assert.ok(nt.size >= 5);
  for (const [name, p] of nt) assert.deepEqual(owners(p), ["notify"], `notify keys.${name} → ${p}`);
  const ar = builtPrefixes(articlesKeys as unknown as Record<string, unknown>);
  assert.ok(ar.size >= 10, "the articles key module was read");
  for (const [name, p] of ar) assert.deepEqual(owners(p), ["articles"], `articles keys.ts ${name} → ${p}`);
  const fl = builtPrefixes(filesKeys as unknown as Record<string, unknown>);
  assert.ok(fl.size >= 4, "the files key module was read");
  for (const [name, p] of fl) assert.deepEqual(owners(p), ["files"], `files keys.ts ${name} → ${p}`);
  const ps = builtPrefixes(psychologistsKeys as unknown as Record<string, unknown>);
  assert.ok(ps.size >= 8, "the psychologists key module was read");
  for (const [name, p] of ps) {
    assert.deepEqual(owners(p), ["psychologists"], `psychologists keys.ts ${name} → ${p}`);
  }
  const pm = builtPrefixes(paymentsKeys as unknown as Record<string, unknown>);
  assert.ok(pm.size >= 10, "the payments key module was read");
  for (const [name, p] of pm) assert.deepEqual(owners(p), ["payments"], `payments keys.ts ${name} → ${p}`);
  const bk = builtPrefixes(bookingKeys as unknown as Record<string, unknown>);
  assert.ok(bk.size >= 5, "the booking key module was read");
  for (const [name, p] of bk) assert.deepEqual(owners(p), ["booking"], `booking keys.ts ${name} → ${p}`);
  const ch = builtPrefixes(chatKeys as unknown as Record<string, unknown>);
  assert.ok(ch.size >= 6, "the chat key module was read");
  for (const [name, p] of ch) assert.deepEqual(owners(p), ["chat"], `chat keys.ts ${name} → ${p}`);
  const rv = builtPrefixes(reviewsKeys as unknown as Record<string, unknown>);
  assert.ok(rv.size >= 4, "the reviews key module was read");
  for (const [name, p] of rv) assert.deepEqual(owners(p), ["reviews"], `reviews keys.ts ${name} → ${p}`);
  const nk = builtPrefixes(notesKeys as unknown as Record<string, unknown>);
  assert.ok(nk.size >= 3, "the notes key module was read");
  for (const [name, p] of nk) assert.deepEqual(owners(p), ["notes"], `notes keys.ts ${name} → ${p}`);
  const rk = builtPrefixes(remindersKeys as unknown as Record<string, unknown>);
  assert.ok(rk.size >= 4, "the reminders key module was read");
  for (const [name, p] of rk) assert.deepEqual(owners(p), ["reminders"], `reminders keys.ts ${name} → ${p}`);
  const ws = builtPrefixes(workspaceKeys as unknown as Record<string, unknown>);
  assert.ok(ws.size >= 2, "the workspace key module was read");
  for (const [name, p] of ws) assert.deepEqual(owners(p), ["workspace"], `workspace keys.ts ${name} → ${p}`);
  const ss = builtPrefixes(screeningStimuliKeys as unknown as Record<string, unknown>);
  assert.ok(ss.size >= 6, "the screening stimuli key module was read");
  for (const [name, p] of ss) {
    assert.deepEqual(owners(p), ["screeningStimuli"], `screening stimuli_keys.ts ${name} → ${p}`);
  }
  const ad = builtPrefixes(adminKeys as unknown as Record<string, unknown>);
  assert.ok(ad.size >= 3, "the admin key module was read");
  for (const [name, p] of ad) assert.deepEqual(owners(p), ["admin"], `admin keys.ts ${name} → ${p}`);
  const sr = builtPrefixes(screeningStoreKeys as unknown as Record<string, unknown>);
  assert.ok(sr.size >= 5, "the screening store key module was read");
  for (const [name, p] of sr) {
    assert.deepEqual(owners(p), ["screening_store"], `screening keys.ts ${name} → ${p}`);
  }
});

Deno.test("kv prefixes: a seeded and used database holds only keys of exactly one capability", async () => {
  const kv = await freshKv();
  await seedAccounts();
  const now = new Date();
  await seedGuestbook(now);
  await seedArticles(now);
  await seedAvailability((await seedPsychologists(now)).ids, now);
  await seedHistory(now);
  // Exercise the writers the seed does not reach.
  const desk = (await getUserByEmail("resepsionis@demo.test"))!;
  const scheduled = (await appointmentsOfDay(
    new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(now),
  )).find((a) => a.status === "scheduled");
  if (scheduled) await checkIn(await appointmentQrCode(scheduled), desk, now).catch(() => null);
  await stashGuestPassword(scheduled?.id ?? "01JAAAAAAAAAAAAAAAAAAAAAAA", desk.id, "secret");
  await createSession(desk.id, "cookie");
  await issueOtp("reset", desk.id, desk.email!);
  await hit("signin_ip", "127.0.0.1", { limit: 10, windowSec: 60 });
  await audit(desk.id, "test.action", "user:x");
  await sendMail({ to: "a@b.test", subject: "s", text: "t", html: "<p>t</p>" });
  const n = await createNotification({ userId: desk.id, kind: "guest_arrived", data: {} });
  await markRead(desk.id, n.id);
  await getActiveStimulusSet();
  await getMappingTable();
  const klien = (await getUserByEmail("klien1@demo.test"))!;
  await recordConsent(klien.id, CONSENT_TEXT_VERSION);
  const run = await current();
  await createScreening(klien, bodyVoting(run.set, run.table, "secure").body);
  // A confirmed session's 24 h reminder (recipient claims and the finished record).
  const session = (await confirmedSession()).booking;
  await runReminder(session.id, "24h", Date.parse(reminderDueAt(session.startsAt, "24h")) + 60_000);

  const found = new Map<string, number>();
  for await (const e of kv.list({ prefix: [] })) {
    const p = String(e.key[0]);
    found.set(p, (found.get(p) ?? 0) + 1);
  }
  assert.ok(found.size >= 15, `expected many prefixes, got ${[...found.keys()]}`);
  for (const [p, count] of found) {
    assert.equal(
      owners(p).length,
      1,
      `stored prefix "${p}" (${count} keys) belongs to ${owners(p).join(", ") || "nobody"}`,
    );
  }
  for (
    const p of [
      "users",
      "appointments",
      "appointments_by_day",
      "reviews",
      "notifications",
      "sessions",
      "audit",
      "articles",
      "articles_by_lang_tag",
      "file_chunks",
      "psychologists",
      "psychologist_cards",
      "screening_stimulus_sets",
      "screening_current",
      "reminders_recipients",
      "reminders_sent",
    ]
  ) {
    assert.ok(found.has(p), `the flows wrote ${p}`);
  }
  kv.close();
});
