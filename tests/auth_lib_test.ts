/**
 * Unit tests of the accounts library (no HTTP): phone canonicalisation, rate
 * limits, one-time codes, sessions, guards, audit log, registration and
 * password flows, admin operations, demo seed, `admin:create`.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import { freshKv, makeUser, TEST_PASSWORD } from "./helpers.ts";
import { canonicalPhone, formatPhone } from "@/lib/auth/phone.ts";
import { clearLimit, clientIp, hit } from "@/lib/ratelimit.ts";
import {
  checkOtp,
  getOtp,
  issueOtp,
  OTP_MAX_ATTEMPTS,
  OTP_TTL_MS,
  randomCode,
  timingSafeEqual,
} from "@/lib/auth/otp.ts";
import {
  bearerToken,
  clearSessionCookie,
  createSession,
  endAllSessions,
  endSession,
  getSession,
  listSessions,
  readCookie,
  resolveRequestUser,
  SESSION_ABSOLUTE_MS,
  SESSION_COOKIE,
  SESSION_IDLE_MS,
  sessionCookie,
  sessionIdOf,
} from "@/lib/auth/sessions.ts";
import {
  allowedDuringPasswordChange,
  mustChangePasswordRedirect,
  requireRole,
  requireUser,
  safeNext,
} from "@/lib/auth/guard.ts";
import { audit, listAudit } from "@/lib/audit.ts";
import {
  adminResetPassword,
  adminUpdateUser,
  ageOn,
  authenticate,
  changePassword,
  confirmEmailChange,
  createStaff,
  deactivateUser,
  publicUser,
  registerClient,
  requestPasswordReset,
  resetPassword,
  setFirstPassword,
  temporaryPassword,
  updateProfile,
  verifyRegistration,
} from "@/lib/auth/accounts.ts";
import { checkPassword, getUser, getUserByEmail, getUserByPhone, updateUser } from "@/lib/auth/users.ts";
import { Conflict, Forbidden, TooManyRequests, Unauthorized, ValidationError } from "@/lib/errors.ts";
import { codeFromText, lastMailTo, listOutbox, sendMail } from "@/lib/mail/mod.ts";
import { escapeHtml, renderMail } from "@/lib/mail/templates.ts";
import { seedAccounts } from "@/lib/seed/accounts.ts";
import { main as adminCreate } from "@/tasks/admin_create.ts";
import { dictionaries } from "@/lib/i18n/mod.ts";
import auth from "@/lib/i18n/auth.ts";

const IP = "203.0.113.7";

async function rejects<E extends Error>(
  p: Promise<unknown>,
  cls: new (...a: any[]) => E,
  check?: (e: E) => void,
): Promise<E> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${err}`);
    check?.(err as E);
    return err as E;
  }
  assert.fail(`expected ${cls.name}, resolved`);
}

// ------------------------------------------------------------------ phone

Deno.test("canonicalPhone accepts Indonesian formats and rejects others", () => {
  const ok: [string, string][] = [
    ["081234567890", "6281234567890"],
    ["0812-3456-7890", "6281234567890"],
    ["0812 3456 7890", "6281234567890"],
    ["+6281234567890", "6281234567890"],
    ["+62 812-3456-7890", "6281234567890"],
    ["6281234567890", "6281234567890"],
    ["81234567890", "6281234567890"],
    ["+62 (0)812 3456 7890", "6281234567890"],
    ["(021) 555-1234", "62215551234"],
    ["0812.3456.789", "62812345678 9".replace(" ", "")],
  ];
  for (const [input, want] of ok) {
    assert.equal(canonicalPhone(input), want, input);
  }
  const bad = [
    "",
    "abc",
    "0812",
    "+1 555 123 4567",
    "+44812345678901",
    "00812345678",
    "08123456789012345",
    "0812-3456-789a",
    "+",
    "62",
    "0062812345678",
    12345 as unknown as string,
    null as unknown as string,
  ];
  for (const input of bad) {
    assert.equal(canonicalPhone(input), null, String(input));
  }
  assert.equal(formatPhone("6281234567890"), "+62 812-3456-7890");
});

Deno.test("canonicalPhone: every accepted form of a number gives the same canonical value (property)", (t) => {
  fuzz(
    t,
    fc.property(
      fc.stringMatching(/^8[1-9]\d{7,11}$/),
      fc.constantFrom("0", "+62", "62", "", "+62 (0)"),
      fc.constantFrom(" ", "-", "", "."),
      (nsn, prefix, sep) => {
        const parts = nsn.match(/.{1,4}/g)!.join(sep);
        const c = canonicalPhone(prefix + parts);
        assert.equal(c, "62" + nsn);
        assert.equal(canonicalPhone(c!), c, "idempotent");
      },
    ),
    { numRuns: 500, label: "formats" },
  );
  fuzz(
    t,
    fc.property(fc.string({ maxLength: 60 }), (s) => {
      const c = canonicalPhone(s);
      if (c !== null) assert.match(c, /^62[1-9]\d{8,12}$/);
    }),
    { numRuns: 500, label: "any string" },
  );
});

// ------------------------------------------------------------------ rate limits

Deno.test("rate limit: sliding window allows `limit` hits, then 429 with Retry-After, then recovers", async () => {
  await freshKv();
  const lim = { limit: 3, windowSec: 60 };
  const t0 = Date.UTC(2026, 0, 1, 0, 0, 0);
  for (let i = 0; i < 3; i++) {
    assert.equal((await hit("t", "a", lim, t0 + i)).ok, true);
  }
  const r = await hit("t", "a", lim, t0 + 10);
  assert.equal(r.ok, false);
  assert.ok(
    r.retryAfter >= 50 && r.retryAfter <= 120,
    `retryAfter ${r.retryAfter}`,
  );
  assert.equal(
    (await hit("t", "b", lim, t0 + 10)).ok,
    true,
    "other subjects unaffected",
  );
  // Refused hits are not counted: after the previous window decays, hits pass again.
  assert.equal((await hit("t", "a", lim, t0 + 125_000)).ok, true);
  await clearLimit("signin_identity", "x");
});

Deno.test("rate limit: clearLimit forgets a subject; enforce throws TooManyRequests", async () => {
  await freshKv();
  const { enforce } = await import("@/lib/ratelimit.ts");
  for (let i = 0; i < 10; i++) await enforce("signin_identity_ip", "who@x.test|192.0.2.1");
  const err = await rejects(
    enforce("signin_identity_ip", "who@x.test|192.0.2.1"),
    TooManyRequests,
  );
  assert.ok(err.retryAfter >= 1);
  await clearLimit("signin_identity_ip", "who@x.test|192.0.2.1");
  await enforce("signin_identity_ip", "who@x.test|192.0.2.1");
});

Deno.test("clientIp uses the socket address; X-Forwarded-For only with TRUST_PROXY=1", () => {
  const req = new Request("http://localhost/", {
    headers: { "x-forwarded-for": "198.51.100.1, 10.0.0.1" },
  });
  const info = {
    remoteAddr: { hostname: "10.0.0.2", port: 1, transport: "tcp" },
  };
  assert.equal(clientIp({ req, info }), "10.0.0.2");
  assert.equal(clientIp({ req }), "unknown");
  Deno.env.set("TRUST_PROXY", "1");
  try {
    assert.equal(clientIp({ req, info }), "198.51.100.1");
  } finally {
    Deno.env.delete("TRUST_PROXY");
  }
});

// ------------------------------------------------------------------ OTP

Deno.test("OTP: 6 digits, stored hashed, single use", async () => {
  const kv = await freshKv();
  for (let i = 0; i < 200; i++) assert.match(randomCode(), /^\d{6}$/);
  const code = await issueOtp("register", "U1", "a@x.test");
  const raw = await kv.get<Record<string, unknown>>(["otp", "register", "U1"]);
  assert.ok(raw.value);
  assert.ok(
    !JSON.stringify(raw.value).includes(code),
    "code not stored in clear",
  );
  assert.equal(
    (await checkOtp("register", "U2", code)).ok,
    false,
    "bound to its subject",
  );
  assert.equal(
    (await checkOtp("reset", "U1", code)).ok,
    false,
    "bound to its purpose",
  );
  const r = await checkOtp("register", "U1", code);
  assert.ok(r.ok);
  assert.deepEqual(await checkOtp("register", "U1", code), {
    ok: false,
    reason: "invalid",
  }, "single use");
});

Deno.test("OTP: expires after 5 minutes", async () => {
  await freshKv();
  const t0 = Date.now();
  const code = await issueOtp("reset", "U1", "a@x.test", t0);
  assert.equal(OTP_TTL_MS, 5 * 60 * 1000);
  assert.ok(await getOtp("reset", "U1", t0 + OTP_TTL_MS - 1));
  assert.deepEqual(await checkOtp("reset", "U1", code, t0 + OTP_TTL_MS + 1), {
    ok: false,
    reason: "expired",
  });
});

Deno.test("OTP: locked after 5 wrong attempts, even for the right code", async () => {
  await freshKv();
  const code = await issueOtp("register", "U1", "a@x.test");
  const wrong = code === "000000" ? "111111" : "000000";
  for (let i = 1; i <= OTP_MAX_ATTEMPTS; i++) {
    const r = await checkOtp("register", "U1", wrong);
    assert.deepEqual(r, {
      ok: false,
      reason: i < OTP_MAX_ATTEMPTS ? "invalid" : "locked",
    });
  }
  assert.deepEqual(await checkOtp("register", "U1", code), {
    ok: false,
    reason: "locked",
  });
  // A new code replaces the locked one.
  const code2 = await issueOtp("register", "U1", "a@x.test");
  assert.ok((await checkOtp("register", "U1", code2)).ok);
});

Deno.test("OTP: two concurrent checks of the right code succeed once", async () => {
  await freshKv();
  const code = await issueOtp("register", "U1", "a@x.test");
  const results = await Promise.all(
    Array.from({ length: 8 }, () => checkOtp("register", "U1", code)),
  );
  assert.equal(results.filter((r) => r.ok).length, 1);
});

Deno.test("timingSafeEqual", () => {
  assert.ok(timingSafeEqual("abc", "abc"));
  assert.ok(!timingSafeEqual("abc", "abd"));
  assert.ok(!timingSafeEqual("abc", "abcd"));
});

// ------------------------------------------------------------------ sessions

Deno.test("sessions: cookie attributes, token shape, stored only as SHA-256", async () => {
  const kv = await freshKv();
  const u = await makeUser("client");
  const { token, sessionId } = await createSession(u.id, "cookie");
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(sessionId, await sessionIdOf(token));
  assert.match(sessionId, /^[0-9a-f]{64}$/);
  const keys: string[] = [];
  for await (const e of kv.list({ prefix: [] })) {
    keys.push(JSON.stringify(e.key) + JSON.stringify(e.value));
  }
  assert.ok(!keys.some((k) => k.includes(token)), "raw token never stored");
  const c = sessionCookie(token);
  assert.match(c, /^__Host-session=[A-Za-z0-9_-]{43}; /);
  for (const attr of ["Path=/", "HttpOnly", "Secure", "SameSite=Lax"]) {
    assert.ok(c.includes(attr), attr);
  }
  assert.ok(!/Domain=/i.test(c));
  assert.match(clearSessionCookie(), /Max-Age=0/);
});

Deno.test("sessions: 30 min idle, sliding refresh at most once a minute, 12 h absolute", async () => {
  await freshKv();
  const u = await makeUser("client");
  const t0 = Date.now();
  const { token } = await createSession(u.id, "cookie", t0);
  assert.ok(await getSession(token, "cookie", t0 + SESSION_IDLE_MS - 1000));
  // That use refreshed lastSeenAt (more than a minute after creation): still alive 29 min later.
  const s = await getSession(
    token,
    "cookie",
    t0 + SESSION_IDLE_MS - 1000 + SESSION_IDLE_MS - 1000,
  );
  assert.ok(s);
  assert.equal(s.session.lastSeenAt, t0 + 2 * SESSION_IDLE_MS - 2000);
  // A use within a minute does not write.
  const s2 = await getSession(
    token,
    "cookie",
    t0 + 2 * SESSION_IDLE_MS - 2000 + 30_000,
  );
  assert.equal(s2!.session.lastSeenAt, t0 + 2 * SESSION_IDLE_MS - 2000);
  // Idle expiry.
  assert.equal(
    await getSession(token, "cookie", t0 + 3 * SESSION_IDLE_MS),
    null,
  );

  const b = await createSession(u.id, "cookie", t0);
  let t = t0;
  while (t + 20 * 60_000 < t0 + SESSION_ABSOLUTE_MS) {
    t += 20 * 60_000;
    assert.ok(await getSession(b.token, "cookie", t), "kept alive by use");
  }
  assert.equal(
    await getSession(b.token, "cookie", t0 + SESSION_ABSOLUTE_MS),
    null,
    "absolute limit",
  );
});

Deno.test("sessions: bearer tokens last 12 h without idle limit; kinds are not interchangeable", async () => {
  await freshKv();
  const u = await makeUser("teacher");
  const t0 = Date.now();
  const { token } = await createSession(u.id, "bearer", t0);
  assert.ok(await getSession(token, "bearer", t0 + 11 * 3600_000));
  assert.equal(await getSession(token, "cookie", t0), null);
  assert.equal(
    await getSession(token, "bearer", t0 + SESSION_ABSOLUTE_MS + 1),
    null,
  );
  assert.equal(await getSession("not-a-token", "bearer"), null);
});

Deno.test("resolveRequestUser: cookie, bearer, junk, deactivated", async () => {
  await freshKv();
  const u = await makeUser("client");
  const c = await createSession(u.id, "cookie");
  const b = await createSession(u.id, "bearer");
  const byCookie = await resolveRequestUser(
    new Request("http://x/", {
      headers: { cookie: `lang=en; ${SESSION_COOKIE}=${c.token}` },
    }),
  );
  assert.equal(byCookie.user?.id, u.id);
  assert.equal(byCookie.authKind, "cookie");
  assert.equal(byCookie.sessionId, c.sessionId);
  const byBearer = await resolveRequestUser(
    new Request("http://x/", {
      headers: { authorization: `Bearer ${b.token}` },
    }),
  );
  assert.equal(byBearer.authKind, "bearer");
  assert.equal(byBearer.user?.id, u.id);
  // An Authorization header that is not a valid bearer token never falls back to the cookie.
  const mixed = await resolveRequestUser(
    new Request("http://x/", {
      headers: {
        authorization: "Basic abc",
        cookie: `${SESSION_COOKIE}=${c.token}`,
      },
    }),
  );
  assert.equal(mixed.user, null);
  assert.equal(
    (await resolveRequestUser(
      new Request("http://x/", {
        headers: { cookie: `${SESSION_COOKIE}=junk` },
      }),
    )).user,
    null,
  );
  assert.equal((await resolveRequestUser(new Request("http://x/"))).user, null);
  await updateUser(u.id, { status: "deactivated" });
  assert.equal(
    (await resolveRequestUser(
      new Request("http://x/", {
        headers: { authorization: `Bearer ${b.token}` },
      }),
    )).user,
    null,
  );
  assert.equal(
    (await listSessions(u.id)).length,
    1,
    "the bearer session was deleted; cookie one not yet used",
  );
});

Deno.test("endSession / endAllSessions (keeping one)", async () => {
  await freshKv();
  const u = await makeUser("client");
  const a = await createSession(u.id, "cookie");
  const b = await createSession(u.id, "cookie");
  const c = await createSession(u.id, "bearer");
  await endSession(a.sessionId);
  assert.equal(await getSession(a.token, "cookie"), null);
  assert.equal(await endAllSessions(u.id, b.sessionId), 1);
  assert.ok(await getSession(b.token, "cookie"));
  assert.equal(await getSession(c.token, "bearer"), null);
  assert.equal(await endAllSessions(u.id), 1);
  assert.equal((await listSessions(u.id)).length, 0);
});

Deno.test("readCookie / bearerToken parsing", () => {
  const r = new Request("http://x/", {
    headers: {
      cookie: "a=1; __Host-session=tok; b=2",
      authorization: "bearer   abc  ",
    },
  });
  assert.equal(readCookie(r, "__Host-session"), "tok");
  assert.equal(readCookie(r, "c"), null);
  assert.equal(bearerToken(r), "abc");
});

// ------------------------------------------------------------------ guards

Deno.test("guards: deny by default, roles, forced password change", async () => {
  await freshKv();
  const client = await makeUser("client");
  const staff = await makeUser("teacher", { mustChangePassword: true });
  assert.throws(() => requireUser({ state: { user: null } }), Unauthorized);
  assert.equal(requireUser({ state: { user: client } }).id, client.id);
  assert.throws(
    () => requireRole({ state: { user: client } }, "admin"),
    Forbidden,
  );
  assert.equal(
    requireRole({ state: { user: client } }, "admin", "client").id,
    client.id,
  );
  assert.throws(
    () => requireUser({ state: { user: staff } }),
    (e: unknown) => e instanceof Forbidden && e.code === "password_change_required",
  );
  assert.equal(
    requireUser({ state: { user: staff } }, { allowPasswordChange: true }).id,
    staff.id,
  );
  const res = mustChangePasswordRedirect({
    state: { user: staff },
    url: new URL("http://x/teacher"),
  });
  assert.equal(res?.status, 303);
  assert.equal(res?.headers.get("location"), "/first-password");
  assert.equal(
    mustChangePasswordRedirect({
      state: { user: staff },
      url: new URL("http://x/first-password"),
    }),
    null,
  );
  assert.throws(
    () =>
      mustChangePasswordRedirect({
        state: { user: staff },
        url: new URL("http://x/api/users"),
      }),
    Forbidden,
  );
  assert.equal(
    mustChangePasswordRedirect({
      state: { user: client },
      url: new URL("http://x/client"),
    }),
    null,
  );
  assert.ok(allowedDuringPasswordChange("/styles.css"));
  assert.ok(!allowedDuringPasswordChange("/signoutx"));
});

Deno.test("safeNext keeps only same-site paths", () => {
  assert.equal(safeNext("/teacher?x=1"), "/teacher?x=1");
  for (
    const bad of [
      "//evil.test",
      "/\\evil.test",
      "https://evil.test",
      "javascript:alert(1)",
      "",
      null,
      5,
      "/a\nb",
    ]
  ) {
    assert.equal(safeNext(bad), "/home", String(bad));
  }
});

// ------------------------------------------------------------------ audit

Deno.test("audit log: append-only entries listed newest first with cursor and filters", async () => {
  await freshKv();
  for (let i = 0; i < 25; i++) {
    await audit(i % 2 ? "A" : "B", "user.update", `user:${i}`, { i });
  }
  const p1 = await listAudit({ limit: 10 });
  assert.equal(p1.items.length, 10);
  assert.equal(p1.items[0].meta.i, 24);
  const p2 = await listAudit({ limit: 10, cursor: p1.cursor });
  assert.equal(p2.items[0].meta.i, 14);
  const p3 = await listAudit({ limit: 10, cursor: p2.cursor });
  assert.equal(p3.items.length, 5);
  assert.equal(p3.cursor, null);
  assert.equal(
    (await listAudit({ actorId: "A", limit: 100 })).items.length,
    12,
  );
  assert.equal((await listAudit({ target: "user:3" })).items[0].meta.i, 3);
  const big = await audit("A", "x", "y", { blob: "z".repeat(10_000) });
  assert.deepEqual(big.meta, { truncated: true });
});

// ------------------------------------------------------------------ mail

Deno.test("mail: outbox stores HTML + text in the user's language; HTML escapes parameters", async () => {
  await freshKv();
  const id = renderMail("register_otp", "id", "a@x.test", {
    name: "<b>Ani</b>",
    code: "123456",
    minutes: 5,
  });
  const en = renderMail("register_otp", "en", "a@x.test", {
    name: "Ani",
    code: "123456",
    minutes: 5,
  });
  assert.match(id.subject, /Kode verifikasi/);
  assert.match(en.subject, /verification code/);
  assert.ok(
    id.html.includes("&lt;b&gt;Ani&lt;/b&gt;") &&
      !id.html.includes("<b>Ani</b>"),
  );
  assert.ok(id.text.includes("123456") && id.html.includes("123456"));
  assert.equal(codeFromText(en.text), "123456");
  await sendMail(en);
  const m = await lastMailTo("A@x.test");
  assert.equal(m?.subject, en.subject);
  assert.equal((await listOutbox()).items.length, 1);
  assert.equal(escapeHtml(`"'&`), "&quot;&#39;&amp;");
  for (
    const kind of [
      "register_otp",
      "email_change_otp",
      "reset_otp",
      "email_changed",
      "staff_welcome",
      "admin_reset",
    ] as const
  ) {
    for (const lang of ["id", "en"] as const) {
      const r = renderMail(
        kind,
        lang,
        "a@x.test",
        {
          name: "N",
          code: "123456",
          minutes: 5,
          email: "e@x.test",
          password: "abcd-efgh-jkmn",
          role: "teacher",
        } as never,
      );
      assert.ok(
        !/\{\w+\}/.test(r.subject + r.text),
        `${kind}/${lang} has an unfilled placeholder: ${r.text}`,
      );
      assert.ok(
        !/mail\.[a-z_]+\.[a-z]/.test(r.text + r.subject),
        `${kind}/${lang} has a missing key`,
      );
    }
  }
});

Deno.test("i18n: every auth key exists in both languages and is non-empty", () => {
  assert.deepEqual(Object.keys(auth.id).sort(), Object.keys(auth.en).sort());
  for (const k of Object.keys(auth.id)) {
    assert.ok(auth.id[k] && auth.en[k], k);
    assert.equal(dictionaries.id[k] !== undefined, true);
  }
});

// ------------------------------------------------------------------ registration

const REG = {
  name: "Ani Lestari",
  gender: "female",
  birthDate: "2000-05-17",
  email: "Ani@Example.TEST",
  password: "kopi-susu-pagi-hari",
};

Deno.test("registration: pending account, code mailed in the user's language, verify activates", async () => {
  await freshKv();
  const { user } = await registerClient(REG, "en", IP);
  assert.equal(user.status, "pending");
  assert.equal(user.email, "ani@example.test");
  assert.equal(user.role, "client");
  const mail = await lastMailTo("ani@example.test");
  assert.match(mail!.subject, /verification code/);
  const code = codeFromText(mail!.text)!;
  await rejects(
    verifyRegistration({
      email: REG.email,
      code: code === "000000" ? "000001" : "000000",
    }, IP),
    ValidationError,
    (e) => {
      assert.deepEqual(e.fields, { code: "auth.otp.invalid" });
    },
  );
  const active = await verifyRegistration({ email: REG.email, code }, IP);
  assert.equal(active.status, "active");
  assert.ok(await checkPassword(active.id, REG.password));
});

Deno.test("registration: pending may register again (replaced), verified may not", async () => {
  await freshKv();
  const first = (await registerClient(REG, "id", IP)).user;
  const second = (await registerClient({ ...REG, name: "Ani Baru" }, "id", IP)).user;
  assert.notEqual(first.id, second.id);
  assert.equal(await getUser(first.id), null, "old pending account removed");
  assert.equal((await getUserByEmail(REG.email))?.name, "Ani Baru");
  const code = codeFromText((await lastMailTo(REG.email))!.text)!;
  const verified = await verifyRegistration({ email: REG.email, code }, IP);
  // A verified address is not re-registered; the answer does not say so (see tests/auth_hardening_test.ts).
  const third = await registerClient(REG, "id", IP);
  assert.equal(third.user.status, "pending");
  assert.notEqual(third.user.id, verified.id);
  assert.equal(await getUser(third.user.id), null, "nothing stored for the decoy");
  assert.deepEqual(await getUserByEmail(REG.email), verified, "the verified account is unchanged");
  assert.match((await lastMailTo(REG.email))!.subject, /mencoba mendaftar/);
});

Deno.test("registration: age range from configuration, future dates, weak passwords", async () => {
  await freshKv();
  const today = Temporal.Now.plainDateISO("Asia/Jakarta");
  const young = today.subtract({ years: 17 }).toString();
  await rejects(
    registerClient({ ...REG, birthDate: young }, "id", IP),
    ValidationError,
    (e) => assert.equal(e.fields.birthDate, "auth.birth_date.too_young"),
  );
  await rejects(
    registerClient(
      { ...REG, birthDate: today.add({ days: 1 }).toString() },
      "id",
      IP,
    ),
    ValidationError,
    (e) => assert.equal(e.fields.birthDate, "auth.birth_date.future"),
  );
  await rejects(
    registerClient({ ...REG, password: "password123" }, "id", IP),
    ValidationError,
    (e) => assert.match(e.fields.password, /^auth\.password\.weak\.(common|topTen|topHundred)$/),
  );
  await rejects(
    registerClient({ ...REG, password: "ani@example.test" }, "id", IP),
    ValidationError,
    (e) => assert.equal(e.fields.password, "auth.password.weak.userInputs"),
  );
  Deno.env.set("CLIENT_MAX_AGE", "29");
  Deno.env.set("CLIENT_MIN_AGE", "20");
  try {
    await rejects(
      registerClient(
        { ...REG, birthDate: today.subtract({ years: 30 }).toString() },
        "id",
        IP,
      ),
      ValidationError,
      (e) => assert.equal(e.fields.birthDate, "auth.birth_date.too_old"),
    );
    await rejects(
      registerClient(
        { ...REG, birthDate: today.subtract({ years: 19 }).toString() },
        "id",
        IP,
      ),
      ValidationError,
    );
    await registerClient(
      { ...REG, birthDate: today.subtract({ years: 29 }).toString() },
      "id",
      IP,
    );
  } finally {
    Deno.env.delete("CLIENT_MAX_AGE");
    Deno.env.delete("CLIENT_MIN_AGE");
  }
  assert.equal(ageOn("2000-02-29", Temporal.PlainDate.from("2018-02-28")), 17);
  assert.equal(ageOn("2000-02-29", Temporal.PlainDate.from("2018-03-01")), 18);
});

Deno.test("registration: resend is rate-limited and answers the same for unknown e-mails", async () => {
  await freshKv();
  await registerClient(REG, "id", IP);
  const { resendRegistrationCode } = await import("@/lib/auth/accounts.ts");
  const err = await rejects(
    resendRegistrationCode({ email: REG.email }, IP),
    TooManyRequests,
  );
  assert.ok(err.retryAfter > 0 && err.retryAfter <= 120);
  await resendRegistrationCode({ email: "nobody@x.test" }, IP); // no error, no mail
  assert.equal(await lastMailTo("nobody@x.test"), null);
  await rejects(
    resendRegistrationCode({ email: "nobody@x.test" }, IP),
    TooManyRequests,
  );
  // A minute later a new code goes out and the old one stops working.
  const first = codeFromText((await lastMailTo(REG.email))!.text)!;
  const kv = await (await import("@/lib/db/kv.ts")).getKv();
  for await (const e of kv.list({ prefix: ["ratelimit", "otp_send_burst"] })) {
    await kv.delete(e.key);
  }
  await resendRegistrationCode({ email: REG.email }, IP);
  const second = codeFromText((await lastMailTo(REG.email))!.text)!;
  if (first !== second) {
    await rejects(
      verifyRegistration({ email: REG.email, code: first }, IP),
      ValidationError,
    );
  }
  assert.equal(
    (await verifyRegistration({ email: REG.email, code: second }, IP)).status,
    "active",
  );
});

// ------------------------------------------------------------------ sign-in

Deno.test("authenticate: e-mail, guest phone in any format, wrong password, unknown, pending, deactivated", async () => {
  await freshKv();
  const t = await makeUser("teacher");
  const g = await makeUser("guest", { phone: "6281234567890" });
  assert.equal(
    (await authenticate(t.email!.toUpperCase(), TEST_PASSWORD, IP)).id,
    t.id,
  );
  assert.equal(
    (await authenticate("0812-3456-7890", TEST_PASSWORD, IP)).id,
    g.id,
  );
  assert.equal(
    (await authenticate("+62 812 3456 7890", TEST_PASSWORD, IP)).id,
    g.id,
  );
  await rejects(
    authenticate(t.email!, "wrong-password!", IP),
    Unauthorized,
    (e) => assert.equal(e.code, "invalid_credentials"),
  );
  await rejects(
    authenticate("ghost@x.test", "wrong-password!", IP),
    Unauthorized,
    (e) => assert.equal(e.code, "invalid_credentials"),
  );
  await rejects(authenticate("not an identifier", "x", IP), ValidationError);
  await rejects(authenticate(t.email!, "", IP), ValidationError);
  await rejects(authenticate({ $ne: null }, "x", IP), ValidationError);
  await registerClient(REG, "id", IP);
  await rejects(
    authenticate(REG.email, REG.password, IP),
    Conflict,
    (e) => assert.equal(e.code, "account_pending"),
  );
  await rejects(authenticate(REG.email, "not-the-password", IP), Unauthorized);
  await updateUser(t.id, { status: "deactivated" });
  await rejects(authenticate(t.email!, TEST_PASSWORD, IP), Unauthorized);
});

Deno.test("authenticate: 10 attempts per identity, then 429; success clears the counter", async () => {
  await freshKv();
  const t = await makeUser("teacher");
  for (let i = 0; i < 9; i++) {
    await rejects(authenticate(t.email!, "wrong-password!", IP), Unauthorized);
  }
  await authenticate(t.email!, TEST_PASSWORD, IP); // 10th attempt succeeds and clears
  for (let i = 0; i < 10; i++) {
    await rejects(authenticate(t.email!, "wrong-password!", IP), Unauthorized);
  }
  await rejects(authenticate(t.email!, TEST_PASSWORD, IP), TooManyRequests);
});

Deno.test("authenticate: successful sign-ins do not use up the per-IP budget; failures do", async () => {
  const kv = await freshKv();
  const t = await makeUser("teacher");
  const ipCount = async (ip: string) => {
    let n = 0;
    for await (const e of kv.list<number>({ prefix: ["ratelimit", "signin_ip", ip] })) n += e.value;
    return n;
  };
  for (let i = 0; i < 3; i++) await authenticate(t.email!, TEST_PASSWORD, "198.51.100.9");
  assert.equal(await ipCount("198.51.100.9"), 0);
  await rejects(authenticate(t.email!, "wrong-password!", "198.51.100.9"), Unauthorized);
  assert.equal(await ipCount("198.51.100.9"), 1);
  // The limiter itself: refunded hits never accumulate; unrefunded ones do.
  const { refund } = await import("@/lib/ratelimit.ts");
  for (let i = 0; i < 150; i++) {
    assert.ok((await hit("signin_ip", "198.51.100.10")).ok);
    await refund("signin_ip", "198.51.100.10");
  }
  for (let i = 0; i < 100; i++) assert.ok((await hit("signin_ip", "198.51.100.10")).ok);
  assert.equal((await hit("signin_ip", "198.51.100.10")).ok, false);
});

// ------------------------------------------------------------------ passwords

Deno.test("forgotten password: same answer for unknown e-mail; code resets, ends sessions, clears forced change", async () => {
  await freshKv();
  const t = await makeUser("teacher", { mustChangePassword: true });
  const s = await createSession(t.id, "cookie");
  await requestPasswordReset({ email: "unknown@x.test" }, IP);
  assert.equal(await lastMailTo("unknown@x.test"), null);
  await requestPasswordReset({ email: t.email }, IP);
  const code = codeFromText((await lastMailTo(t.email!))!.text)!;
  await rejects(
    resetPassword({
      email: t.email,
      code,
      password: "new-password-123",
      confirm: "other",
    }, IP),
    ValidationError,
    (e) => assert.equal(e.fields.confirm, "auth.password.mismatch"),
  );
  await rejects(
    resetPassword({
      email: "unknown@x.test",
      code,
      password: "new-password-123",
    }, IP),
    ValidationError,
    (e) => assert.equal(e.fields.code, "auth.otp.invalid"),
  );
  const u = await resetPassword({
    email: t.email,
    code,
    password: "new-password-123",
    confirm: "new-password-123",
  }, IP);
  assert.equal(u.mustChangePassword, false);
  assert.ok(await checkPassword(t.id, "new-password-123"));
  assert.equal(await getSession(s.token, "cookie"), null);
  await rejects(
    resetPassword({ email: t.email, code, password: "another-password-1" }, IP),
    ValidationError,
    () => {},
  );
});

Deno.test("change password: current required, ends other sessions, keeps this one", async () => {
  await freshKv();
  const c = await makeUser("client");
  const here = await createSession(c.id, "cookie");
  const other = await createSession(c.id, "bearer");
  await rejects(
    changePassword(c, {
      currentPassword: "wrong-one!",
      newPassword: "brand-new-pass",
    }, here.sessionId),
    ValidationError,
    (e) => assert.equal(e.code, "current_password_wrong"),
  );
  await rejects(
    changePassword(c, {
      currentPassword: TEST_PASSWORD,
      newPassword: TEST_PASSWORD,
    }, here.sessionId),
    ValidationError,
    (e) => assert.equal(e.fields.newPassword, "auth.password.same_as_old"),
  );
  await changePassword(c, {
    currentPassword: TEST_PASSWORD,
    newPassword: "brand-new-pass",
  }, here.sessionId);
  assert.ok(await checkPassword(c.id, "brand-new-pass"));
  assert.ok(await getSession(here.token, "cookie"));
  assert.equal(await getSession(other.token, "bearer"), null);
});

Deno.test("first password: only when required; confirm must match; must differ from the temporary one", async () => {
  await freshKv();
  const t = await makeUser("receptionist", {
    mustChangePassword: true,
    password: "temp-pass-1234",
  });
  await rejects(
    setFirstPassword(
      t,
      { password: "my-own-password", confirm: "different" },
      null,
    ),
    ValidationError,
  );
  await rejects(
    setFirstPassword(t, {
      password: "temp-pass-1234",
      confirm: "temp-pass-1234",
    }, null),
    ValidationError,
    (e) => assert.equal(e.fields.password, "auth.password.same_as_old"),
  );
  const u = await setFirstPassword(t, {
    password: "my-own-password",
    confirm: "my-own-password",
  }, null);
  assert.equal(u.mustChangePassword, false);
  await rejects(
    setFirstPassword(u, {
      password: "my-own-password2",
      confirm: "my-own-password2",
    }, null),
    Conflict,
  );
});

// ------------------------------------------------------------------ profile

Deno.test("profile: e-mail change waits for the code sent to the new address; old address notified", async () => {
  await freshKv();
  const c = await makeUser("client");
  const other = await makeUser("client");
  await rejects(
    updateProfile(c, { name: c.name, email: other.email }, IP),
    ValidationError,
    (e) => assert.equal(e.fields.email, "auth.email_taken"),
  );
  const r = await updateProfile(c, {
    name: "New Name",
    email: "new@x.test",
    lang: "en",
  }, IP);
  assert.equal(r.pendingEmail, "new@x.test");
  assert.equal(r.user.email, c.email, "not switched yet");
  assert.equal(r.user.name, "New Name");
  const code = codeFromText((await lastMailTo("new@x.test"))!.text)!;
  const u = await confirmEmailChange(r.user, { code }, IP);
  assert.equal(u.email, "new@x.test");
  assert.equal(await getUserByEmail(c.email!), null, "old index moved");
  assert.equal((await getUserByEmail("new@x.test"))?.id, c.id);
  assert.match((await lastMailTo(c.email!))!.subject, /changed/);
});

// ------------------------------------------------------------------ admin

Deno.test("admin: create staff mails a temporary password that works once and forces a change", async () => {
  await freshKv();
  const admin = await makeUser("admin");
  const client = await makeUser("client");
  await rejects(
    createStaff(client, { role: "teacher", name: "X", email: "x@x.test" }),
    Forbidden,
  );
  await rejects(
    createStaff(admin, { role: "client", name: "X", email: "x@x.test" }),
    ValidationError,
  );
  await rejects(
    createStaff(admin, { role: "guest", name: "X", email: "x@x.test" }),
    ValidationError,
  );
  const { user } = await createStaff(admin, {
    role: "teacher",
    name: "Guru Baru",
    email: "Guru@X.test",
    phone: "0812 1111 2222",
    lang: "en",
  });
  assert.equal(user.mustChangePassword, true);
  assert.equal(user.phone, "6281211112222");
  const mail = (await lastMailTo("guru@x.test"))!;
  assert.match(mail.subject, /account has been created/);
  const temp = mail.text.match(/\b([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})\b/)![1];
  const signed = await authenticate("guru@x.test", temp, IP);
  assert.equal(signed.mustChangePassword, true);
  await rejects(
    createStaff(admin, { role: "admin", name: "Dup", email: "guru@x.test" }),
    ValidationError,
    (e) => assert.equal(e.fields.email, "auth.email_taken"),
  );
  const log = await listAudit();
  assert.equal(log.items[0].action, "user.create");
  assert.equal(log.items[0].actorId, admin.id);
  assert.ok(
    !JSON.stringify(log.items).includes(temp),
    "temporary password never audited",
  );
});

Deno.test("admin: deactivate ends sessions (not self), reactivate, reset password", async () => {
  await freshKv();
  const admin = await makeUser("admin");
  const t = await makeUser("teacher");
  const s = await createSession(t.id, "cookie");
  await rejects(
    deactivateUser(admin, admin.id),
    Conflict,
    (e) => assert.equal(e.code, "cannot_deactivate_self"),
  );
  const d = await deactivateUser(admin, t.id);
  assert.equal(d.status, "deactivated");
  assert.equal(await getSession(s.token, "cookie"), null);
  await rejects(authenticate(t.email!, TEST_PASSWORD, IP), Unauthorized);
  await adminUpdateUser(admin, t.id, { status: "active" });
  await authenticate(t.email!, TEST_PASSWORD, IP);
  const s2 = await createSession(t.id, "bearer");
  const r = await adminResetPassword(admin, t.id);
  assert.equal(r.user.mustChangePassword, true);
  assert.equal(await getSession(s2.token, "bearer"), null);
  assert.ok(!(await checkPassword(t.id, TEST_PASSWORD)));
  const actions = (await listAudit()).items.map((e) => e.action);
  assert.deepEqual(actions, [
    "user.reset_password",
    "user.update",
    "user.deactivate",
  ], "newest first; reactivation is an update");
  // A patch that changes nothing writes nothing and is not audited.
  const before = await getUser(t.id);
  assert.deepEqual(
    await adminUpdateUser(admin, t.id, { name: t.name, lang: t.lang }),
    before,
  );
  assert.equal((await listAudit()).items.length, 3);
  const g = await makeUser("guest");
  await rejects(
    adminResetPassword(admin, g.id),
    Conflict,
    (e) => assert.equal(e.code, "no_email"),
  );
});

Deno.test("publicUser never carries credentials and has a fixed field list", async () => {
  await freshKv();
  const u = await makeUser("client");
  const p = publicUser({ ...u, hash: "x", password: "y" } as never);
  assert.deepEqual(Object.keys(p).sort(), [
    "birthDate",
    "createdAt",
    "email",
    "gender",
    "id",
    "lang",
    "mustChangePassword",
    "name",
    "phone",
    "role",
    "status",
    "updatedAt",
  ]);
});

Deno.test("temporaryPassword: format, passes the password rules, random", async () => {
  const { passwordProblem } = await import("@/lib/auth/password.ts");
  const seen = new Set<string>();
  let refused = 0;
  for (let i = 0; i < 200; i++) {
    const p = temporaryPassword();
    assert.match(p, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    if (await passwordProblem(p)) refused++;
    seen.add(p);
  }
  assert.equal(seen.size, 200);
  // zxcvbn now and then reads a random string as names/l33t words (10-character guest passwords: 3 in 20,000).
  assert.ok(refused <= 1, `${refused} of 200 temporary passwords refused by the password policy`);
});

// ------------------------------------------------------------------ seed and CLI

Deno.test("seedAccounts: every role, idempotent, demo password, no forced change", async () => {
  await freshKv();
  const first = await seedAccounts();
  assert.equal(first.length, 8);
  assert.ok(first.every((a) => a.created));
  const second = await seedAccounts();
  assert.ok(second.every((a) => !a.created));
  assert.deepEqual(second.map((a) => a.id), first.map((a) => a.id));
  for (
    const email of [
      "admin@demo.test",
      "psikolog1@demo.test",
      "klien1@demo.test",
      "guru1@demo.test",
      "guru2@demo.test",
      "guru3@demo.test",
      "resepsionis@demo.test",
    ]
  ) {
    const u = await getUserByEmail(email);
    assert.ok(u && u.status === "active" && !u.mustChangePassword, email);
  }
  const guest = await getUserByPhone("6281234567890");
  assert.equal(guest?.role, "guest");
  assert.equal(
    (await authenticate("081234567890", "ruangpulih-demo", IP)).id,
    guest!.id,
  );
  assert.equal(
    (await authenticate("klien1@demo.test", "ruangpulih-demo", IP)).role,
    "client",
  );
});

Deno.test("admin:create creates an admin, refuses duplicates with exit code 1", async () => {
  await freshKv();
  const log = console.log;
  const err = console.error;
  const out: string[] = [];
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => out.push(a.join(" "));
  try {
    assert.equal(
      await adminCreate([
        "--email",
        "Boss@X.test",
        "--name",
        "Boss",
        "--password",
        "very-secret-pass",
      ]),
      0,
    );
    assert.equal(
      await adminCreate([
        "--email",
        "boss@x.test",
        "--name",
        "Boss 2",
        "--password",
        "very-secret-pass",
      ]),
      1,
    );
    assert.equal(
      await adminCreate(["--email", "new@x.test", "--name", "Gen"]),
      0,
    );
    assert.equal(
      await adminCreate([
        "--email",
        "weak@x.test",
        "--name",
        "Weak",
        "--password",
        "12345678",
      ]),
      1,
    );
    assert.equal(await adminCreate(["--name", "No mail"]), 2);
    assert.equal(await adminCreate(["--email", "bad", "--name", "B"]), 1);
  } finally {
    console.log = log;
    console.error = err;
  }
  const boss = await getUserByEmail("boss@x.test");
  assert.equal(boss?.role, "admin");
  assert.equal(boss?.mustChangePassword, false);
  const generated = out.find((l) => l.startsWith("password: "))!.split("\n")[0]
    .slice("password: ".length);
  assert.equal((await authenticate("new@x.test", generated, IP)).role, "admin");
  assert.ok(out.some((l) => l.includes("already exists")));
});
