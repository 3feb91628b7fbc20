/**
 * Hardening of the accounts capability: lockout per identity+address with a
 * global per-identity brake, answers that do not reveal registered e-mails
 * (registration, forgotten password), the zxcvbn password rule with
 * translated reasons, the desk reset of a guest password, the audit page.
 * Real KV (`:memory:`), real HTTP through `app.handler()`.
 */
import assert from "node:assert/strict";
import { authenticate, registerClient, requestPasswordReset, verifyRegistration } from "@/lib/auth/accounts.ts";
import { passwordProblem } from "@/lib/auth/password.ts";
import { accountMailIdle } from "@/lib/auth/mailer.ts";
import { checkPassword, getUserByEmail } from "@/lib/auth/users.ts";
import { listAudit } from "@/lib/audit.ts";
import { LIMITS } from "@/lib/ratelimit.ts";
import { listOutbox } from "@/lib/mail/mod.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { TooManyRequests, Unauthorized, ValidationError } from "@/lib/errors.ts";
import {
  appHandler,
  freshKv,
  get,
  lastCode,
  makeUser,
  ORIGIN,
  post,
  postForm,
  signIn,
  TEST_PASSWORD,
} from "./helpers.ts";

Deno.env.set("APP_ENV", "test");

async function rejects<E extends Error>(
  p: Promise<unknown>,
  type: new (...a: any[]) => E,
  check?: (e: E) => void,
): Promise<E> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${err}`);
    check?.(err as E);
    return err as E;
  }
  throw new assert.AssertionError({ message: `expected ${type.name}, resolved` });
}

/** All keys under a top-level prefix, as strings (to compare the shape of KV work). */
async function keysUnder(kv: Deno.Kv, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of kv.list({ prefix: [prefix] })) out.push(JSON.stringify(e.key));
  return out;
}

// ------------------------------------------------------------------ lockout

Deno.test("lockout: the attacker's address is locked, the owner signs in from another one", async () => {
  await freshKv();
  const t = await makeUser("teacher");
  const attacker = "203.0.113.66";
  for (let i = 0; i < LIMITS.signin_identity_ip.limit; i++) {
    await rejects(authenticate(t.email!, "wrong-password!", attacker), Unauthorized);
  }
  await rejects(authenticate(t.email!, TEST_PASSWORD, attacker), TooManyRequests, (e) => assert.ok(e.retryAfter >= 1));
  assert.equal((await authenticate(t.email!, TEST_PASSWORD, "198.51.100.7")).id, t.id, "owner elsewhere");
  await rejects(authenticate(t.email!, "wrong-password!", attacker), TooManyRequests, () => {}); // still locked
});

Deno.test("lockout: guests by phone and the JSON API are limited per phone+address too", async () => {
  await freshKv();
  const h = await appHandler();
  const g = await makeUser("guest");
  Deno.env.set("TRUST_PROXY", "1");
  try {
    const from = (ip: string, password: string) =>
      post(h, "/api/auth/login", { phone: g.phone!, password }, { headers: { "x-forwarded-for": ip } });
    for (let i = 0; i < LIMITS.signin_identity_ip.limit; i++) {
      const r = await from("203.0.113.5", "wrong-password!");
      assert.equal(r.status, 401);
      await r.body?.cancel();
    }
    const locked = await from("203.0.113.5", g.password);
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get("retry-after")) >= 1);
    await locked.body?.cancel();
    const owner = await from("198.51.100.20", g.password);
    assert.equal(owner.status, 200, "the guest signs in from their own phone's address");
    await owner.body?.cancel();
  } finally {
    Deno.env.delete("TRUST_PROXY");
  }
});

Deno.test("lockout: the global per-identity limit still trips when the guesses come from many addresses", async () => {
  await freshKv();
  const t = await makeUser("teacher");
  const perIp = LIMITS.signin_identity_ip.limit;
  const total = LIMITS.signin_identity.limit;
  for (let i = 0; i < total; i++) {
    const ip = `203.0.113.${Math.floor(i / perIp) + 1}`; // never more than the per-address limit from one address
    await rejects(authenticate(t.email!, "wrong-password!", ip), Unauthorized);
  }
  await rejects(authenticate(t.email!, TEST_PASSWORD, "198.51.100.99"), TooManyRequests, () => {});
  // Another account is not affected.
  const other = await makeUser("teacher");
  assert.equal((await authenticate(other.email!, TEST_PASSWORD, "198.51.100.99")).id, other.id);
});

// ------------------------------------------------------------------ who is registered

const REG = {
  name: "Sari Wulandari",
  gender: "female",
  birthDate: "1998-02-11",
  password: "teh-manis-dingin-sore",
};

Deno.test("registration of a taken e-mail answers like a new one (form and API) and mails the owner", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const owner = await makeUser("client", { email: "sari@x.test", name: "Sari Pemilik" });
  const ownerBefore = await getUserByEmail("sari@x.test");

  // Form: same status and redirect (apart from the address itself).
  const taken = await postForm(h, "/register", { ...REG, email: "sari@x.test" });
  const fresh = await postForm(h, "/register", { ...REG, email: "baru@x.test" });
  assert.equal(taken.status, 303);
  assert.equal(fresh.status, 303);
  assert.equal(taken.headers.get("location"), "/verify?email=sari%40x.test");
  assert.equal(fresh.headers.get("location"), "/verify?email=baru%40x.test");

  // API: same status and body shape; only ids, times and the address differ.
  const a = await post(h, "/api/auth/register", { ...REG, email: "sari@x.test", lang: "en" });
  const b = await post(h, "/api/auth/register", { ...REG, email: "lain@x.test", lang: "en" });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  const ja = await a.json(), jb = await b.json();
  const norm = (j: any) => ({ ...j, user: { ...j.user, id: "ID", email: "E", createdAt: "T", updatedAt: "T" } });
  assert.deepEqual(norm(ja), norm(jb));
  assert.equal(ja.user.status, "pending");

  // Nothing changed for the owner; the owner got a notice, never a code.
  assert.deepEqual(await getUserByEmail("sari@x.test"), ownerBefore);
  assert.ok(await checkPassword(owner.id, TEST_PASSWORD));
  assert.equal(await checkPassword(owner.id, REG.password), false);
  await accountMailIdle();
  const mails = (await listOutbox({ to: "sari@x.test", limit: 10 })).items;
  assert.ok(mails.length >= 2);
  for (const m of mails) {
    assert.match(m.subject, /mencoba mendaftar|tried to register/);
    assert.match(m.text, /Sari Pemilik/);
    assert.doesNotMatch(m.text, /\b\d{6}\b/, "no code in the notice");
  }
  assert.match(translate("en", "mail.register_taken.subject"), /Someone tried to register/);
  // No user record for the decoy.
  assert.equal((await keysUnder(kv, "users")).filter((k) => k.includes(ja.user.id)).length, 0);
});

Deno.test("registration decoy: verify fails like a wrong code (then locks), sign-in says pending like a real one", async () => {
  await freshKv();
  const h = await appHandler();
  await makeUser("client", { email: "dewi@x.test" });
  await registerClient({ ...REG, email: "dewi@x.test" }, "id", "192.0.2.1");
  await registerClient({ ...REG, email: "nyata@x.test" }, "id", "192.0.2.1");
  const wrong = (email: string) =>
    rejects(verifyRegistration({ email, code: "000000" }, "192.0.2.1"), ValidationError).then((
      e,
    ) => [e.code, e.fields]);
  for (let i = 0; i < 5; i++) assert.deepEqual(await wrong("dewi@x.test"), await wrong("nyata@x.test"));
  assert.deepEqual(await wrong("dewi@x.test"), ["otp_locked", { code: "auth.otp.locked" }]);

  // Through the form: the decoy's e-mail and password lead to the verify step, as a pending account's do.
  const decoy = await postForm(h, "/signin", { identifier: "dewi@x.test", password: REG.password });
  const real = await postForm(h, "/signin", { identifier: "nyata@x.test", password: REG.password });
  assert.equal(decoy.status, 303);
  assert.equal(real.status, 303);
  assert.equal(decoy.headers.get("location"), "/verify?email=dewi%40x.test&pending=1");
  assert.equal(real.headers.get("location"), "/verify?email=nyata%40x.test&pending=1");
  // The owner still signs in with the real password.
  await signIn(h, "dewi@x.test", TEST_PASSWORD);
});

Deno.test("forgot password: the same KV and mail-queue work for a registered and an unknown e-mail", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const u = await makeUser("client", { email: "rina@x.test" });
  const shape = async (email: string) => {
    const before = { otp: await keysUnder(kv, "otp"), users: await keysUnder(kv, "users") };
    const res = await postForm(h, "/forgot", { identifier: email });
    const answer = [res.status, res.headers.get("location")?.replace(/identifier=[^&]*/, "identifier=X")];
    await res.body?.cancel();
    const after = { otp: await keysUnder(kv, "otp"), users: await keysUnder(kv, "users") };
    const newOtp = after.otp.filter((k) => !before.otp.includes(k)).map((k) => JSON.parse(k).slice(0, 2));
    return { answer, newOtp, usersChanged: after.users.length !== before.users.length };
  };
  const known = await shape(u.email!);
  const unknown = await shape("tidak-ada@x.test");
  assert.deepEqual(known, unknown);
  assert.deepEqual(known.newOtp, [["otp", "reset"]], "one code record each way");
  // The mail goes out in the background, to the registered address only.
  assert.ok(await lastCode(u.email!));
  assert.equal((await listOutbox({ to: "tidak-ada@x.test" })).items.length, 0);
  // A wrong code for the unknown address fails like one for the real account, also once locked.
  const tryReset = async (email: string) => {
    const r = await post(h, "/api/auth/reset", { email, code: "000000", password: "gajah-terbang-ke-bulan" });
    return [r.status, (await r.json()).error.code];
  };
  for (let i = 0; i < 6; i++) assert.deepEqual(await tryReset(u.email!), await tryReset("tidak-ada@x.test"));
  assert.deepEqual(await tryReset(u.email!), [400, "otp_locked"]);
});

Deno.test("forgot password: a guest with an e-mail resets by phone, the code goes to the e-mail on file", async () => {
  await freshKv();
  const h = await appHandler();
  const g = await makeUser("guest", { email: "tamu@x.test" });
  await requestPasswordReset({ phone: g.phone! }, "192.0.2.3");
  const code = await lastCode("tamu@x.test");
  assert.ok(code);
  const res = await postForm(h, "/reset", {
    identifier: g.phone!,
    code: code!,
    password: "sepeda-biru-di-pasar",
    confirm: "sepeda-biru-di-pasar",
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/signin?reset=1");
  await signIn(h, g.phone!, "sepeda-biru-di-pasar");
  // The sign-in page tells guests where to go.
  const page = await (await get(h, "/signin")).text();
  assert.match(page, /href="\/forgot"/);
  assert.match(page, /meja depan/);
});

// ------------------------------------------------------------------ password strength

Deno.test("passwords: weak ones are refused with a translated reason, strong ones pass", async () => {
  await freshKv();
  const h = await appHandler();
  const weak: [string, string][] = [
    ["        ", "auth.password.weak.simpleRepeat"],
    ["qwertyui", "auth.password.weak.common"],
    ["abcdefgh", "auth.password.weak.sequences"],
    ["passw0rd!", "auth.password.weak.similarToCommon"],
    ["ruangpulih-demo", "auth.password.weak.userInputs"],
    ["Sari1998", ""],
    ["sari@x.test", "auth.password.weak.userInputs"],
  ];
  for (const [pw, key] of weak) {
    const problem = await passwordProblem(pw, ["Sari Wulandari", "sari@x.test"]);
    assert.ok(problem?.startsWith("auth.password.weak"), `${JSON.stringify(pw)} accepted (${problem})`);
    if (key) assert.equal(problem, key, JSON.stringify(pw));
    for (const lang of ["id", "en"] as const) {
      assert.notEqual(translate(lang, problem!), problem, `${problem} has no ${lang} text`);
    }
  }
  for (const pw of ["teh-manis-dingin-sore", "kopi susu gula aren", "Bunga-Matahari-77", "k7pm-x3qa-9ftr"]) {
    assert.equal(await passwordProblem(pw, ["Sari Wulandari", "sari@x.test"]), null, pw);
  }
  // Length: 8–128, never truncated.
  assert.equal(await passwordProblem("Ab1!x"), "auth.password.too_short");
  assert.equal(await passwordProblem("kata-".repeat(26)), "auth.password.too_long");
  const long =
    "Ini-kalimat-panjang-untuk-uji-batas-128-karakter-tanpa-dipotong-oleh-server-di-ruang-tunggu-sekolah-pada-hari-senin-pagi-cerah-sekali";
  assert.equal(await passwordProblem(long.slice(0, 128)), null);
  assert.equal(await passwordProblem(long.slice(0, 129)), "auth.password.too_long");

  // Through the form, the reason is shown in the user's language.
  const res = await postForm(h, "/register", { ...REG, email: "lemah@x.test", password: "qwertyui" }, {
    headers: { "accept-language": "en" },
  });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.ok(html.includes(translate("en", "auth.password.weak.common")), "reason shown");
  assert.equal(await getUserByEmail("lemah@x.test"), null);
  const api = await post(h, "/api/auth/register", { ...REG, email: "lemah@x.test", password: "abcdefgh" });
  assert.equal(api.status, 400);
  assert.equal((await api.json()).error.fields.password, translate("id", "auth.password.weak.sequences"));
});

Deno.test("passwords: the seeded demo password still signs in, but is refused as a new password", async () => {
  await freshKv();
  const { seedAccounts } = await import("@/lib/seed/accounts.ts");
  const seeded = await seedAccounts();
  const admin = seeded.find((a) => a.role === "admin")!;
  assert.equal((await authenticate(admin.login, admin.password, "192.0.2.9")).role, "admin");
  assert.ok((await passwordProblem(admin.password))?.startsWith("auth.password.weak"));
});

// ------------------------------------------------------------------ desk reset and audit

Deno.test("desk reset of a guest password: shown once (no-store), old one and sessions end, audited", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const desk = await makeUser("receptionist");
  const g = await makeUser("guest");
  const guestSession = await signIn(h, g.phone!, g.password);
  const { cookie } = await signIn(h, desk.email!, desk.password);
  const before = await (await get(h, `/frontdesk/guests/${g.id}`, { cookie })).text();
  // The button opens a confirmation step, whose danger button posts to the reset route.
  assert.ok(before.includes(`href="/frontdesk/guests/${g.id}?confirm=reset#confirm"`));
  const confirm = await (await get(h, `/frontdesk/guests/${g.id}?confirm=reset`, { cookie })).text();
  assert.match(confirm, new RegExp(`action="/frontdesk/guests/${g.id}/reset-password"`));

  const res = await postForm(h, `/frontdesk/guests/${g.id}/reset-password`, {}, { cookie });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cache-control"), "no-store");
  const html = await res.text();
  const password = html.match(/data-testid="new-password">([^<]+)</)?.[1];
  assert.ok(password, "password shown");
  assert.equal(await checkPassword(g.id, g.password), false, "old password gone");
  const ended = await get(h, "/guest", { cookie: guestSession.cookie });
  await ended.body?.cancel();
  assert.notEqual(ended.status, 200, "guest session ended");
  await signIn(h, g.phone!, password!);
  const entries = (await listAudit({ target: `user:${g.id}` })).items;
  assert.equal(entries.length, 1);
  assert.equal(entries[0].action, "guest.reset_password");
  assert.equal(entries[0].actorId, desk.id);
  assert.ok(!JSON.stringify(entries[0]).includes(password!), "no password in the audit log");
  assert.equal((await keysUnder(kv, "outbox")).length, 0, "nothing mailed");

  // API: same operation; not for other roles, not for non-guests.
  const api = await post(h, `/api/guests/${g.id}/reset-password`, {}, { cookie });
  assert.equal(api.status, 200);
  assert.equal(api.headers.get("cache-control"), "no-store");
  const j = await api.json();
  assert.equal(j.guest.id, g.id);
  assert.ok(await checkPassword(g.id, j.password));
  const teacher = await makeUser("teacher");
  const tc = await signIn(h, teacher.email!, teacher.password);
  const refused = await post(h, `/api/guests/${g.id}/reset-password`, {}, { cookie: tc.cookie });
  assert.equal(refused.status, 403);
  await refused.body?.cancel();
  const notGuest = await post(h, `/api/guests/${teacher.id}/reset-password`, {}, { cookie });
  assert.equal(notGuest.status, 404);
  await notGuest.body?.cancel();
  assert.ok(await checkPassword(teacher.id, teacher.password));
});

Deno.test("admin pages: another user's sessions are about that user; the audit log is translated and linked", async () => {
  await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  const desk = await makeUser("receptionist");
  const g = await makeUser("guest");
  const { cookie } = await signIn(h, admin.email!, admin.password);
  const userPage = await (await get(h, `/admin/users/${desk.id}`, { cookie })).text();
  assert.ok(userPage.includes(`${desk.name} masuk di 0 perangkat/sesi.`));
  assert.ok(!userPage.includes("Anda masuk di"));

  const dc = await signIn(h, desk.email!, desk.password);
  (await postForm(h, `/frontdesk/guests/${g.id}/reset-password`, {}, { cookie: dc.cookie })).body?.cancel();
  (await postForm(h, `/admin/users/${desk.id}`, { action: "deactivate" }, { cookie })).body?.cancel();
  const audit = await (await get(h, "/admin/audit", { cookie, headers: { "accept-language": "en" } })).text();
  assert.match(audit, /Guest password reset at the front desk/);
  assert.match(audit, /Account deactivated/);
  assert.ok(audit.includes(`href="/admin/users/${g.id}"`), "guest target linked");
  assert.ok(audit.includes(`User: ${g.name}`), "target named");
  assert.ok(audit.includes(`href="/admin/users/${desk.id}"`), "actor linked");
  assert.match(audit, /<dt>Sessions ended<\/dt>\s*<dd>/);
  const table = audit.slice(audit.indexOf("<table"), audit.indexOf("</table>"));
  assert.ok(table.length > 0);
  assert.doesNotMatch(table, /\{(&quot;|")/, "no raw JSON");
  assert.doesNotMatch(table, /user:[0-9A-Z]{26}/, "no raw target ids");
  void ORIGIN;
});
