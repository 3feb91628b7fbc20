/**
 * Signed QR tokens (docs/domain-rules.md "QR token"): format, forgery, tampering, wrong day, reuse,
 * cancelled, not found, review outcome, key rotation, env secrets; QR images,
 * WhatsApp link and e-mail delivery.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { PNG } from "pngjs";
import { useKv } from "@/lib/db/kv.ts";
import { createUser, type User } from "@/lib/auth/users.ts";
import { AppError, Conflict, NotFound } from "@/lib/errors.ts";
import { createAppointment } from "@/lib/guestbook/create.ts";
import { checkIn, getAppointmentByCode, verifyQr } from "@/lib/guestbook/check_in.ts";
import { cancel, finish, pickUp } from "@/lib/guestbook/status.ts";
import {
  appointmentQrCode,
  currentQrKeyId,
  extractToken,
  parseQrSecretEnv,
  QR_TOKEN_LENGTH,
  qrText,
  rotateQrKey,
  signQrToken,
  verifyQrToken,
} from "@/lib/guestbook/qr_token.ts";
import { qrMatrix, qrPng, qrSvg } from "@/lib/guestbook/qr_image.ts";
import { bytesEqual as constantTimeEqual } from "@/lib/crypto/encoding.ts";
import {
  QR_MAIL_LIMITS,
  resendAppointmentEmail,
  sendAppointmentEmail,
  whatsappLink,
} from "@/lib/guestbook/delivery.ts";
import { parseScannedText } from "@/lib/guestbook/qr_text.ts";
import { TooManyRequests } from "@/lib/errors.ts";
import { lastMailTo } from "@/lib/mail/mod.ts";
import { decodeQr } from "@/lib/qr/decode.ts";
import { config } from "@/lib/config.ts";

const NOW = new Date("2026-11-20T02:00:00Z"); // 09:00 WIB
const TOMORROW = new Date("2026-11-21T02:00:00Z");

async function world(): Promise<{ kv: Deno.Kv; teacher: User; desk: User }> {
  const kv = await Deno.openKv(":memory:");
  useKv(kv);
  return {
    kv,
    teacher: await createUser({
      role: "teacher",
      name: "Bu Sari",
      email: "sari@test.id",
    }),
    desk: await createUser({
      role: "receptionist",
      name: "Rina",
      email: "rina@test.id",
    }),
  };
}

async function book(w: { teacher: User }, over: Record<string, unknown> = {}) {
  return await createAppointment(
    {
      guestName: "Ani",
      guestPhone: "081234567890",
      purpose: "Rapat",
      startsAt: "2026-11-20T10:00:00+07:00",
      ...over,
    },
    w.teacher,
    NOW,
  );
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    return err.code;
  }
  return "ok";
}

const b64 = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
const unb64 = (s: string) =>
  Uint8Array.from(
    atob(s.replace(/-/g, "+").replace(/_/g, "/")),
    (c) => c.charCodeAt(0),
  );

Deno.test("token: 48 base64url characters (≤ 64), URL form, extractable from either form", async () => {
  const w = await world();
  const r = await book(w);
  assert.equal(r.token.length, QR_TOKEN_LENGTH);
  assert.ok(r.token.length <= 64);
  assert.match(r.token, /^[A-Za-z0-9_-]{48}$/);
  assert.equal(r.qrCode, `${config.baseUrl}/g/${r.token}`);
  assert.equal(extractToken(r.qrCode), r.token);
  assert.equal(extractToken(`  ${r.token}\n`), r.token);
  assert.equal(extractToken(`${config.baseUrl}/g/${r.token}?utm=1#a`), r.token);
  assert.equal(extractToken(`${config.baseUrl}/g/${r.token}/`), r.token);
  assert.equal(extractToken(`https://x.example/g/${r.token}`), null, "another host is not ours");
  assert.equal(extractToken("hello world"), null);
  assert.equal(extractToken("x".repeat(5000)), null);
  const t = await verifyQrToken(r.qrCode);
  assert.deepEqual(t, {
    version: 1,
    keyId: 1,
    appointmentId: r.appointment.id,
    localDate: "2026-11-20",
  });
  // Deterministic: the same token again.
  assert.equal(await signQrToken(r.appointment.id, "2026-11-20", 1), r.token);
  assert.equal(qrText(r.token), r.qrCode);
});

Deno.test("token: every single-character change and every truncation is refused", async () => {
  const w = await world();
  const r = await book(w);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (let i = 0; i < r.token.length; i++) {
    for (
      const ch of [
        alphabet[(alphabet.indexOf(r.token[i]) + 1) % 64],
        alphabet[(alphabet.indexOf(r.token[i]) + 33) % 64],
      ]
    ) {
      const bad = r.token.slice(0, i) + ch + r.token.slice(i + 1);
      const c = await code(verifyQrToken(bad));
      assert.ok(
        c === "qr_bad_signature" || c === "qr_malformed",
        `position ${i}: ${c}`,
      );
    }
  }
  for (let n = 0; n < r.token.length; n++) {
    assert.equal(
      await code(verifyQrToken(r.token.slice(0, n))),
      "qr_malformed",
    );
  }
  assert.equal(await code(verifyQrToken(r.token + "A")), "qr_malformed");
  assert.equal(await code(verifyQrToken("")), "qr_malformed");
  assert.equal(await code(verifyQrToken("💥".repeat(24))), "qr_malformed");
  assert.equal(await code(verifyQrToken("%".repeat(48))), "qr_malformed");
  assert.equal(
    await code(checkIn(r.token.slice(0, 47) + "!", w.desk, NOW)),
    "qr_malformed",
  );
});

Deno.test("token: forged with another key, another appointment id or another day → bad signature", async () => {
  const w = await world();
  const r = await book(w);
  const raw = unb64(r.token);
  // Same fields, tag from a key we invented.
  const key = await crypto.subtle.importKey(
    "raw",
    crypto.getRandomValues(new Uint8Array(32)),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const msg = new Uint8Array([
    ...new TextEncoder().encode("ruangpulih/qr/v1"),
    ...raw.subarray(0, 20),
  ]);
  const forged = new Uint8Array(raw);
  forged.set(
    new Uint8Array(await crypto.subtle.sign("HMAC", key, msg)).subarray(0, 16),
    20,
  );
  assert.equal(await code(verifyQrToken(b64(forged))), "qr_bad_signature");
  // Move the day by one, keep the tag.
  const moved = new Uint8Array(raw);
  moved[19] ^= 1;
  assert.equal(await code(verifyQrToken(b64(moved))), "qr_bad_signature");
  // Another appointment id, keep the tag.
  const other = new Uint8Array(raw);
  other[10] ^= 0x40;
  assert.equal(await code(verifyQrToken(b64(other))), "qr_bad_signature");
  // Unknown key id.
  const kid = new Uint8Array(raw);
  kid[1] = 9;
  assert.equal(await code(verifyQrToken(b64(kid))), "qr_bad_signature");
  // Unknown version.
  const ver = new Uint8Array(raw);
  ver[0] = 2;
  assert.equal(await code(verifyQrToken(b64(ver))), "qr_malformed");
  // Zero tag.
  const zero = new Uint8Array(raw);
  zero.fill(0, 20);
  assert.equal(await code(verifyQrToken(b64(zero))), "qr_bad_signature");
  // None of these checked anyone in.
  assert.equal((await verifyQr(r.qrCode, NOW)).outcome, "check_in");
});

Deno.test("scan refusals: wrong day, not found, cancelled, reuse; finished → review", async () => {
  const w = await world();
  const tomorrow = await book(w, { startsAt: "2026-11-21T10:00:00+07:00" });
  assert.equal(await code(verifyQr(tomorrow.qrCode, NOW)), "qr_wrong_day");
  assert.equal(
    await code(checkIn(tomorrow.qrCode, w.desk, NOW)),
    "qr_wrong_day",
  );
  const e = await checkIn(tomorrow.qrCode, w.desk, NOW).catch((x) => x);
  assert.ok(e instanceof Conflict);
  assert.deepEqual(e.params, { date: "2026-11-21" });
  // On its day it works.
  assert.equal((await checkIn(tomorrow.qrCode, w.desk, TOMORROW)).late, false);
  // Checked in: a later scan says so (not "wrong day").
  assert.equal(
    await code(
      checkIn(tomorrow.qrCode, w.desk, new Date("2026-11-22T02:00:00Z")),
    ),
    "qr_already_checked_in",
  );

  // A validly signed token for an appointment that does not exist.
  const ghost = await signQrToken("01KAZZZZZZZZZZZZZZZZZZZZZZ", "2026-11-20");
  assert.equal(await code(verifyQr(ghost, NOW)), "qr_not_found");
  assert.equal(await code(checkIn(ghost, w.desk, NOW)), "qr_not_found");
  const nf = await verifyQr(ghost, NOW).catch((x) => x);
  assert.ok(nf instanceof NotFound);

  // A token signed for another day than the appointment's (stale).
  const today = await book(w, { guestPhone: "081299990000" });
  const stale = await signQrToken(today.appointment.id, "2026-11-21");
  assert.equal(await code(checkIn(stale, w.desk, TOMORROW)), "qr_wrong_day");
  assert.equal(await code(checkIn(stale, w.desk, NOW)), "qr_wrong_day");

  // Reuse.
  const r = await checkIn(today.qrCode, w.desk, NOW);
  assert.equal(r.appointment.status, "waiting");
  const again = await checkIn(today.qrCode, w.desk, NOW).catch((x) => x);
  assert.ok(again instanceof Conflict);
  assert.equal(again.code, "qr_already_checked_in");
  assert.equal(again.status, 409);
  assert.equal(again.messageKey, "guestbook.qr.already_checked_in");
  await pickUp(today.appointment.id, w.teacher, NOW);
  assert.equal(
    await code(checkIn(today.qrCode, w.desk, NOW)),
    "qr_already_checked_in",
  );
  // Finished: the scan offers the review instead.
  await finish(today.appointment.id, w.teacher, NOW);
  const v = await verifyQr(today.qrCode, NOW);
  assert.equal(v.outcome, "review");
  assert.equal(v.outcome === "review" && v.reviewed, false);
  const v2 = await verifyQr(today.qrCode, new Date("2026-12-01T02:00:00Z")); // later too
  assert.equal(v2.outcome, "review");
  assert.equal(
    await code(checkIn(today.qrCode, w.desk, NOW)),
    "qr_review_available",
  );

  // Cancelled.
  const c = await book(w, { guestPhone: "081299991111" });
  await cancel(c.appointment.id, w.teacher, NOW);
  assert.equal(await code(verifyQr(c.qrCode, NOW)), "qr_cancelled");
  assert.equal(await code(checkIn(c.qrCode, w.desk, NOW)), "qr_cancelled");
});

Deno.test("keys: generated once and kept in KV; rotation keeps old tokens valid; new tokens use the new key", async () => {
  const w = await world();
  const r = await book(w);
  const stored = (await w.kv.get<{ secret: Uint8Array }>(["settings", "qr_secret", 1]))
    .value!;
  assert.equal(stored.secret.length, 32);
  assert.equal(await currentQrKeyId(), 1);
  assert.equal(await rotateQrKey(), 2);
  assert.equal(await currentQrKeyId(), 2);
  assert.equal((await verifyQr(r.qrCode, NOW)).outcome, "check_in");
  assert.equal(
    await appointmentQrCode(r.appointment),
    r.qrCode,
    "an appointment keeps its key id",
  );
  const r2 = await book(w, { guestPhone: "081299992222" });
  assert.equal(r2.appointment.qrKeyId, 2);
  assert.equal((await verifyQrToken(r2.token)).keyId, 2);
  // Dropping key 1 invalidates its tokens.
  await w.kv.delete(["settings", "qr_secret", 1]);
  await rotateQrKey(); // reloads the ring from KV
  assert.equal(await code(verifyQrToken(r.token)), "qr_bad_signature");
  assert.equal((await verifyQrToken(r2.token)).keyId, 2);
});

Deno.test("keys: QR_SECRET from the environment (single and id:secret lists)", async () => {
  const w = await world();
  try {
    Deno.env.set("QR_SECRET", "a-long-enough-secret-value-1");
    const r = await book(w);
    assert.equal(r.appointment.qrKeyId, 1);
    await assert.rejects(rotateQrKey(), /QR_SECRET is set/);
    // Rotate: new key first, old key kept.
    Deno.env.set(
      "QR_SECRET",
      "7:the-brand-new-secret-77777,1:a-long-enough-secret-value-1",
    );
    assert.equal(await currentQrKeyId(), 7);
    assert.equal((await verifyQrToken(r.token)).keyId, 1);
    const r2 = await book(w, { guestPhone: "081299993333" });
    assert.equal((await verifyQrToken(r2.token)).keyId, 7);
    // Old key removed: its tokens fail.
    Deno.env.set("QR_SECRET", "7:the-brand-new-secret-77777");
    assert.equal(await code(verifyQrToken(r.token)), "qr_bad_signature");
    // Another secret under the same id: fails too (forgery with a guessed key).
    Deno.env.set("QR_SECRET", "7:someone-elses-secret-123456");
    assert.equal(await code(verifyQrToken(r2.token)), "qr_bad_signature");
  } finally {
    Deno.env.delete("QR_SECRET");
  }
  assert.deepEqual(parseQrSecretEnv("x".repeat(16)), [{
    id: 1,
    secret: "x".repeat(16),
  }]);
  assert.deepEqual(parseQrSecretEnv("2:bbbbbbbbbbbbbbbb, 1:aaaaaaaaaaaaaaaa"), [
    { id: 2, secret: "b".repeat(16) },
    { id: 1, secret: "a".repeat(16) },
  ]);
  assert.throws(() => parseQrSecretEnv("short"), /at least 16/);
  assert.throws(() => parseQrSecretEnv("0:aaaaaaaaaaaaaaaa"), /1\.\.255/);
  assert.throws(() => parseQrSecretEnv("300:aaaaaaaaaaaaaaaa"), /1\.\.255/);
});

Deno.test("constant-time compare", () => {
  assert.equal(
    constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])),
    true,
  );
  assert.equal(
    constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4])),
    false,
  );
  assert.equal(
    constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2])),
    false,
  );
  assert.equal(constantTimeEqual(new Uint8Array(), new Uint8Array()), true);
});

Deno.test("images: PNG is a real PNG that decodes back to the QR text; SVG is scalable", async () => {
  const w = await world();
  const r = await book(w);
  for (const scale of [3, 8]) {
    const png = qrPng(r.qrCode, scale);
    assert.deepEqual([...png.subarray(0, 8)], [
      137,
      80,
      78,
      71,
      13,
      10,
      26,
      10,
    ]);
    const img = PNG.sync.read(Buffer.from(png));
    const modules = qrMatrix(r.qrCode).length + 8;
    assert.equal(img.width, modules * scale);
    assert.equal(
      await decodeQr({ data: img.data, width: img.width, height: img.height }),
      r.qrCode,
    );
  }
  assert.equal(qrPng("x", 0).length > 0, true);
  const svg = qrSvg(r.qrCode, { title: "QR <Ani>" });
  assert.match(
    svg,
    /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"/,
  );
  assert.match(svg, /<title>QR &lt;Ani&gt;<\/title>/);
  assert.match(svg, /<path fill="#000" d="M/);
});

Deno.test("delivery: WhatsApp link carries only the name, time and page link; e-mail has the QR", async () => {
  const w = await world();
  const r = await book(w, {
    guestName: "Ani & Co",
    purpose: "Rahasia: nilai anak",
    guestEmail: "ani@example.id",
  });
  const link = await whatsappLink(r.appointment, r.guest.phone, "id");
  assert.ok(link.startsWith("https://wa.me/6281234567890?text="));
  const text = decodeURIComponent(link.split("?text=")[1]);
  assert.ok(text.includes("Ani & Co"));
  assert.ok(text.includes(r.qrCode));
  assert.ok(text.includes("10.00") || text.includes("10:00"), text);
  assert.ok(!text.includes("Rahasia"), "purpose is not in the URL");
  assert.ok(!text.includes("Bu Sari"), "teacher is not in the URL");
  assert.ok(!link.includes(r.guestPassword!), "password is not in the URL");
  const en = decodeURIComponent(
    (await whatsappLink(r.appointment, r.guest.phone, "en")).split("?text=")[1],
  );
  assert.ok(en.startsWith("Hello Ani & Co"));

  // createAppointment mailed the guest (dev outbox: no SMTP_URL).
  const mail = (await lastMailTo("ani@example.id"))!;
  assert.ok(mail, "mail sent");
  assert.ok(mail.text.includes(r.qrCode));
  assert.ok(mail.text.includes(r.guestPassword!));
  assert.ok(mail.html.includes("data:image/png;base64,"));
  assert.ok(mail.html.includes("Ani &amp; Co"));
  const sent = await sendAppointmentEmail(r.appointment, {
    to: "ani@example.id",
    lang: "en",
  });
  assert.equal(sent.via, "outbox");
  const mail2 = (await lastMailTo("ani@example.id"))!;
  assert.ok(mail2.subject.startsWith("Your appointment"));
  assert.ok(
    !mail2.text.includes(r.guestPassword!),
    "password only in the first mail",
  );
});

Deno.test("getAppointmentByCode: the guest page's view, any day, signature required", async () => {
  const w = await world();
  const r = await book(w);
  const v = await getAppointmentByCode(r.qrCode, NOW);
  assert.equal(v.appointment.id, r.appointment.id);
  assert.equal(v.qrCode, r.qrCode);
  assert.equal(v.checkInToday, true);
  assert.equal(v.reviewable, false);
  const later = await getAppointmentByCode(r.token, TOMORROW);
  assert.equal(later.checkInToday, false);
  await checkIn(r.qrCode, w.desk, NOW);
  await pickUp(r.appointment.id, w.teacher, NOW);
  await finish(r.appointment.id, w.teacher, NOW);
  assert.equal(
    (await getAppointmentByCode(r.token, TOMORROW)).reviewable,
    true,
  );
  assert.equal(
    await code(
      getAppointmentByCode(
        r.token.slice(0, -1) + (r.token.endsWith("A") ? "B" : "A"),
      ),
    ),
    "qr_bad_signature",
  );
  assert.equal(
    await code(
      getAppointmentByCode(await signQrToken(r.appointment.id, "2026-11-22")),
    ),
    "qr_not_found",
  );
  assert.equal(await code(getAppointmentByCode("x")), "qr_malformed");
});

Deno.test("scanned text: only `${BASE_URL}/g/<token>` or a bare token; any other origin is foreign", () => {
  const tok = "A".repeat(48);
  const base = "https://tamu.sekolah.id";
  const ours = [
    `${base}/g/${tok}`,
    `  ${base}/g/${tok}/\n`,
    `${base}/g/${tok}?utm=1#x`,
    `HTTPS://TAMU.SEKOLAH.ID/g/${tok}`,
    `https://tamu.sekolah.id:443/g/${tok}`,
    tok,
  ];
  for (const t of ours) assert.deepEqual(parseScannedText(t, base), { kind: "token", token: tok }, t);
  const foreign = [
    `https://evil.example/g/${tok}`,
    `http://tamu.sekolah.id/g/${tok}`,
    `https://tamu.sekolah.id:8443/g/${tok}`,
    `https://tamu.sekolah.id.evil.example/g/${tok}`,
    `https://user:pw@tamu.sekolah.id/g/${tok}`,
    `https://evil.example/?next=${base}/g/${tok}`,
    `https://evil.example/${base}/g/${tok}`,
    `${base}/x/g/${tok}`,
    `${base}/g/${tok}/more`,
    `/g/${tok}`,
    `//evil.example/g/${tok}`,
    `javascript:alert(1)//${tok}`,
    `data:text/html,${tok}`,
    "WIFI:S:sekolah;T:WPA;P:secret;;",
    "https://wa.me/6281234567890",
  ];
  for (const t of foreign) assert.deepEqual(parseScannedText(t, base), { kind: "foreign" }, t);
  for (const t of ["", "   ", "hello world", "x".repeat(5000), `${base}/g/%00`]) {
    assert.equal(parseScannedText(t, base).kind, "malformed", t);
  }
  // BASE_URL under a path: the token path lives under it.
  const sub = "https://sekolah.id/tamu/";
  assert.deepEqual(parseScannedText(`https://sekolah.id/tamu/g/${tok}`, sub), { kind: "token", token: tok });
  assert.deepEqual(parseScannedText(`https://sekolah.id/g/${tok}`, sub), { kind: "foreign" });
});

Deno.test("server side: a QR URL of another host is refused as foreign by verify, check-in and the review by code", async () => {
  const w = await world();
  const r = await book(w);
  const foreign = r.qrCode.replace(/^https?:\/\/[^/]+/, "https://tamu-sekolah.example");
  assert.notEqual(foreign, r.qrCode);
  assert.equal(await code(verifyQrToken(foreign)), "qr_foreign");
  assert.equal(await code(verifyQr(foreign, NOW)), "qr_foreign");
  assert.equal(await code(checkIn(foreign, w.desk, NOW)), "qr_foreign");
  const { submitReviewByCode } = await import("@/lib/guestbook/reviews.ts");
  assert.equal(await code(submitReviewByCode({ code: foreign, rating: 5 })), "qr_foreign");
  // The appointment is untouched and our own code still works.
  assert.equal((await checkIn(r.qrCode, w.desk, NOW)).appointment.status, "waiting");
});

Deno.test("QR e-mail re-send: 3 an hour per appointment, 20 per sender, then 429 with Retry-After", async () => {
  const w = await world();
  const t0 = Date.now();
  const first = await book(w, { guestEmail: "ani@example.id" });
  for (let i = 0; i < QR_MAIL_LIMITS.qr_mail_appointment.limit; i++) {
    assert.equal((await resendAppointmentEmail(first.appointment, w.teacher, t0 + i)).via, "outbox");
  }
  const refused = await resendAppointmentEmail(first.appointment, w.teacher, t0 + 10).then(
    () => null,
    (e) => e,
  );
  assert.ok(refused instanceof TooManyRequests, String(refused));
  assert.equal(refused.status, 429);
  // Sliding window: at most the rest of this hour plus a third of the next (3 hits decaying to 2).
  assert.ok(refused.retryAfter > 0 && refused.retryAfter <= 3600 * 4 / 3 + 1, String(refused.retryAfter));
  // An hour later the appointment may be sent again.
  assert.equal((await resendAppointmentEmail(first.appointment, w.teacher, t0 + 3600_000 * 2)).via, "outbox");
  // Per sender: across many appointments at most 20 an hour.
  const t1 = t0 + 3600_000 * 10;
  let sent = 0;
  let limited: unknown = null;
  for (let i = 0; i < 8 && !limited; i++) {
    const b = await book(w, { guestPhone: `08129999000${i}`, guestEmail: `g${i}@example.id` });
    for (let k = 0; k < 3 && !limited; k++) {
      try {
        await resendAppointmentEmail(b.appointment, w.teacher, t1 + i * 10 + k);
        sent++;
      } catch (e) {
        limited = e;
      }
    }
  }
  assert.equal(sent, QR_MAIL_LIMITS.qr_mail_user.limit);
  assert.ok(limited instanceof TooManyRequests);
  // Another sender is not held back by the first one's count.
  const other = await createUser({ role: "admin", name: "Admin", email: "adm@test.id" });
  const c = await book(w, { guestPhone: "081299998877", guestEmail: "c@example.id" });
  assert.equal((await resendAppointmentEmail(c.appointment, other, t1 + 500)).via, "outbox");
  // No address: a clear refusal, not a send.
  const none = await book(w, { guestPhone: "081299998866" });
  assert.equal(await code(resendAppointmentEmail(none.appointment, w.teacher, t1 + 600)), "no_email");
});
