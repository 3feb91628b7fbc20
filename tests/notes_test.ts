/**
 * Session notes against a real KV: only the booking's psychologist writes and
 * reads them, only from the session's start; the text is encrypted at rest
 * (the raw KV values do not contain it, and a ciphertext moved to another
 * booking does not open); lock & sign, then amendments only, each a version
 * with time and reason; every read (and every refused read) is audited.
 */
import assert from "node:assert/strict";
import { freshKv, makeUser } from "./helpers.ts";
import { confirmedSession } from "./session_fixtures.ts";
import { readNotes, saveNotes, signNotes } from "@/lib/notes/store.ts";
import * as K from "@/lib/notes/keys.ts";
import type { NoteVersion } from "@/lib/notes/model.ts";
import { listAudit } from "@/lib/audit.ts";
import { getKv } from "@/lib/db/kv.ts";
import { open } from "@/lib/crypto/data_key.ts";
import { AppError, ValidationError } from "@/lib/errors.ts";
import { cancelBooking } from "@/lib/booking/lifecycle.ts";

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return "ok";
}

const NOTE = {
  subjective: "Klien bercerita sulit tidur sejak pindah kerja",
  objective: "Afek datar, kontak mata baik",
  assessment: "Gejala kecemasan ringan",
  plan: "Latihan pernapasan 4-7-8 setiap malam",
  private: "Hipotesis: konflik dengan atasan lama belum selesai",
};

/** A confirmed session whose start is 1 h in the past as seen from `after`. */
async function startedSession() {
  const s = await confirmedSession({ days: 2, hhmm: "10:00" });
  const after = Date.parse(s.booking.startsAt) + 60 * 60_000;
  return { ...s, after };
}

/** Every byte of every value under the notes prefixes, as one string (for plaintext searches). */
async function rawNotesBytes(): Promise<string> {
  const kv = await getKv();
  let out = "";
  for (const p of K.NOTES_PREFIXES) {
    for await (const e of kv.list({ prefix: [p] })) {
      out += JSON.stringify(e.value, (_k, v) => v instanceof Uint8Array ? new TextDecoder().decode(v) : v);
    }
  }
  return out;
}

Deno.test("notes: the text is encrypted at rest — no field's plaintext is in any raw KV value", async () => {
  await freshKv();
  const { psy, booking, after } = await startedSession();
  const meta = await saveNotes(psy, booking.id, NOTE, after);
  assert.equal(meta.status, "draft");
  assert.equal(meta.versions, 1);
  const raw = await rawNotesBytes();
  assert.ok(raw.length > 0, "something was written");
  for (const [field, text] of Object.entries(NOTE)) {
    assert.ok(!raw.includes(text), `${field} is not stored in plain text`);
    assert.ok(!raw.includes(text.slice(0, 12)), `no part of ${field} is stored in plain text`);
  }
  const v = (await (await getKv()).get<NoteVersion>(K.versionKey(booking.id, 1))).value!;
  assert.equal(v.fields.subjective.iv.length, 12, "96-bit IV");
  assert.equal(await open(v.fields.plan, `notes:${booking.id}:1:plan`), NOTE.plan);
  // Bound to booking, version and field: the same ciphertext does not open elsewhere.
  await assert.rejects(() => open(v.fields.plan, `notes:${booking.id}:1:subjective`));
  await assert.rejects(() => open(v.fields.plan, `notes:01ARZ3NDEKTSV4RRFFQ69G5FAV:1:plan`));
  await assert.rejects(() => open(v.fields.plan, `notes:${booking.id}:2:plan`));
  const read = await readNotes(psy, booking.id, after);
  assert.deepEqual(read.current, NOTE);
});

Deno.test("notes: only from the session's start, and only for sessions that took place", async () => {
  await freshKv();
  const { psy, client, booking, after } = await startedSession();
  const start = Date.parse(booking.startsAt);
  assert.equal(await code(saveNotes(psy, booking.id, NOTE, start - 1)), "notes_not_yet");
  assert.equal(await code(signNotes(psy, booking.id, start - 1)), "notes_not_yet");
  assert.equal((await readNotes(psy, booking.id, start - 1)).writable, false);
  assert.equal(await code(saveNotes(psy, booking.id, NOTE, start)), "ok", "writable at the start itself");
  assert.equal((await readNotes(psy, booking.id, after)).writable, true);
  // A cancelled booking never has notes.
  const other = await confirmedSession({ psy, days: 3 });
  await cancelBooking(other.booking.id, other.client, null, Date.now());
  const later = Date.parse(other.booking.startsAt) + 60_000;
  assert.equal(await code(saveNotes(psy, other.booking.id, NOTE, later)), "notes_no_session");
  void client;
});

Deno.test("notes: clients, admins, staff and other psychologists are denied (and nothing is written)", async () => {
  await freshKv();
  const { psy, client, booking, after } = await startedSession();
  await saveNotes(psy, booking.id, NOTE, after);
  const otherPsy = await makeUser("psychologist");
  const admin = await makeUser("admin");
  const receptionist = await makeUser("receptionist");
  for (
    const [who, u, expected] of [
      ["client of the booking", client, "notes_private"],
      ["admin", admin, "notes_private"],
      ["receptionist", receptionist, "notes_private"],
      ["another psychologist", otherPsy, "booking_not_found"],
    ] as const
  ) {
    assert.equal(await code(readNotes(u, booking.id, after)), expected, `${who} read`);
    assert.equal(await code(saveNotes(u, booking.id, { ...NOTE, plan: "x" }, after)), expected, `${who} save`);
    assert.equal(await code(signNotes(u, booking.id, after)), expected, `${who} sign`);
  }
  assert.equal(await code(readNotes(psy, "01ARZ3NDEKTSV4RRFFQ69G5FAV", after)), "booking_not_found");
  const read = await readNotes(psy, booking.id, after);
  assert.equal(read.status, "draft", "nobody signed it");
  assert.equal(read.versions.length, 1);
  assert.deepEqual(read.current, NOTE, "nobody changed it");
});

Deno.test("notes: every read is audited with who, role and booking; refused reads too", async () => {
  await freshKv();
  const { psy, client, booking, after } = await startedSession();
  const target = `booking:${booking.id}`;
  await readNotes(psy, booking.id, after); // nothing written yet: still a read
  await saveNotes(psy, booking.id, NOTE, after);
  await readNotes(psy, booking.id, after);
  await code(readNotes(client, booking.id, after));
  const admin = await makeUser("admin");
  await code(readNotes(admin, booking.id, after));
  const entries = (await listAudit({ target })).items.reverse();
  assert.deepEqual(
    entries.map((e) => [e.action, e.actorId, e.meta.role]),
    [
      ["notes.read", psy.id, "psychologist"],
      ["notes.read", psy.id, "psychologist"],
      ["notes.read_denied", client.id, "client"],
      ["notes.read_denied", admin.id, "admin"],
    ],
  );
  assert.deepEqual(entries.map((e) => e.meta.status).slice(0, 2), ["empty", "draft"]);
  assert.ok(entries.every((e) => !Number.isNaN(Date.parse(e.at))));
  // Saving and signing are not reads.
  await signNotes(psy, booking.id, after);
  assert.equal((await listAudit({ target })).items.length, 4);
});

Deno.test("notes: drafts are rewritten; lock & sign; afterwards only amendments with a reason, each a version", async () => {
  await freshKv();
  const { psy, booking, after } = await startedSession();
  await saveNotes(psy, booking.id, { ...NOTE, plan: "first" }, after);
  const m2 = await saveNotes(psy, booking.id, NOTE, after + 1000);
  assert.equal(m2.versions, 1, "a draft save rewrites version 1");
  assert.equal(await code(signNotes(psy, "01ARZ3NDEKTSV4RRFFQ69G5FAV", after)), "booking_not_found");
  const signed = await signNotes(psy, booking.id, after + 2000);
  assert.equal(signed.status, "signed");
  assert.equal(signed.signedAt, new Date(after + 2000).toISOString());
  assert.equal((await signNotes(psy, booking.id, after + 3000)).changed, false, "signing again changes nothing");
  assert.equal((await signNotes(psy, booking.id, after + 3000)).signedAt, signed.signedAt);
  // No reason → refused, nothing written.
  const noReason = await saveNotes(psy, booking.id, { ...NOTE, plan: "changed" }, after + 4000).catch((e) => e);
  assert.ok(noReason instanceof ValidationError);
  assert.deepEqual(Object.keys(noReason.fields), ["reason"]);
  assert.equal(
    await code(saveNotes(psy, booking.id, { ...NOTE, plan: "x", reason: "   " }, after)),
    "validation_failed",
  );
  const a = await saveNotes(
    psy,
    booking.id,
    { ...NOTE, plan: "Tambah jurnal tidur", reason: "Lupa mencatat" },
    after + 5000,
  );
  assert.equal(a.versions, 2);
  assert.equal(a.status, "signed");
  // The same text again (a double submit) adds no version.
  const again = await saveNotes(
    psy,
    booking.id,
    { ...NOTE, plan: "Tambah jurnal tidur", reason: "Lupa mencatat" },
    after + 6000,
  );
  assert.equal(again.changed, false);
  assert.equal(again.versions, 2);
  // `private` omitted keeps the private note.
  const { private: _p, ...soap } = NOTE;
  await saveNotes(psy, booking.id, { ...soap, plan: "Rujuk ke psikiater", reason: "Setelah konsultasi" }, after + 7000);
  const read = await readNotes(psy, booking.id, after + 8000);
  assert.equal(read.status, "signed");
  assert.deepEqual(read.versions.map((v) => [v.version, v.kind, v.reason, v.content.plan]), [
    [3, "amendment", "Setelah konsultasi", "Rujuk ke psikiater"],
    [2, "amendment", "Lupa mencatat", "Tambah jurnal tidur"],
    [1, "original", null, NOTE.plan],
  ]);
  assert.equal(read.versions[0].at, new Date(after + 7000).toISOString());
  assert.equal(read.current?.private, NOTE.private);
  assert.equal(read.current?.plan, "Rujuk ke psikiater");
});

Deno.test("notes: an empty draft cannot be signed; bounds on every field and on the whole note", async () => {
  await freshKv();
  const { psy, booking, after } = await startedSession();
  assert.equal(await code(signNotes(psy, booking.id, after)), "notes_empty", "nothing written");
  await saveNotes(psy, booking.id, { subjective: "", objective: "", assessment: "", plan: "", private: "only" }, after);
  assert.equal(
    await code(signNotes(psy, booking.id, after)),
    "notes_empty",
    "a private note alone is no progress note",
  );
  const long = await saveNotes(psy, booking.id, { ...NOTE, subjective: "a".repeat(8001) }, after).catch((e) => e);
  assert.ok(long instanceof ValidationError);
  assert.equal(long.fields.subjective, "field.too_long");
  // 5 × 8000 four-byte characters would be 160 kB: refused as a whole, KV never sees it.
  const emoji = "😀".repeat(4000); // 8000 UTF-16 units, 16000 bytes
  const big = await saveNotes(psy, booking.id, {
    subjective: emoji,
    objective: emoji,
    assessment: emoji,
    plan: "ok",
    private: "",
  }, after).catch((e) => e);
  assert.ok(big instanceof ValidationError);
  assert.equal(big.fields._, "notes.error.too_long");
  assert.equal(await code(saveNotes(psy, booking.id, { ...NOTE, plan: 5 } as never, after)), "validation_failed");
  const read = await readNotes(psy, booking.id, after);
  assert.equal(read.current?.private, "only", "the refused saves changed nothing");
});

Deno.test("notes: concurrent amendments each become their own version (no lost update)", async () => {
  await freshKv();
  const { psy, booking, after } = await startedSession();
  await saveNotes(psy, booking.id, NOTE, after);
  await signNotes(psy, booking.id, after);
  const results = await Promise.allSettled(
    [1, 2, 3].map((i) => saveNotes(psy, booking.id, { ...NOTE, plan: `plan ${i}`, reason: `r${i}` }, after + i)),
  );
  const ok = results.filter((r) => r.status === "fulfilled").length;
  const read = await readNotes(psy, booking.id, after);
  assert.equal(read.versions.length, 1 + ok);
  assert.deepEqual(read.versions.map((v) => v.version), Array.from({ length: 1 + ok }, (_, i) => ok + 1 - i));
  for (const r of results) if (r.status === "rejected") assert.equal((r.reason as AppError).code, "notes_busy");
});
