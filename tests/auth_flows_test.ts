/**
 * Accounts through HTTP (`app.handler()` on `:memory:` KV): registration with
 * the e-mail code, sign-in by e-mail and by guest phone, forced first password,
 * forgotten password, profile, sign-out (everywhere), role homes, 403, language
 * switch, rate limits (429 + Retry-After), CSRF and cookie attributes.
 */
import assert from "node:assert/strict";
import {
  appHandler,
  cookieFrom,
  freshKv,
  get,
  lastCode,
  makeUser,
  ORIGIN,
  postForm,
  signIn,
  TEST_PASSWORD,
} from "./helpers.ts";
import { lastMailTo, outboxKey } from "@/lib/mail/mod.ts";
import { getUserByEmail } from "@/lib/auth/users.ts";
import { seedAccounts } from "@/lib/seed/accounts.ts";

const REG = {
  name: "Ani Lestari",
  gender: "female",
  birthDate: "1999-09-09",
  email: "ani@example.test",
  password: "teh-manis-hangat",
};

async function text(res: Response): Promise<string> {
  return await res.text();
}

Deno.test("register → code from the outbox → verified and signed in → client home", async () => {
  await freshKv();
  const h = await appHandler();
  const form = await text(await get(h, "/register"));
  for (const name of ["name", "gender", "birthDate", "email", "password"]) {
    assert.match(form, new RegExp(`name="${name}"`), name);
  }
  assert.match(form, /<label for="f-email"/);
  assert.doesNotMatch(form, /<script/, "no JavaScript on the form page");

  let res = await postForm(h, "/register", REG);
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/verify?email=ani%40example.test");
  const verifyPage = await text(await get(h, res.headers.get("location")!));
  assert.match(verifyPage, /name="code"/);
  assert.match(verifyPage, /ani@example\.test/);

  const code = (await lastCode(REG.email))!;
  assert.match(code, /^\d{6}$/);
  res = await postForm(h, "/verify", {
    email: REG.email,
    code: code === "999999" ? "000000" : "999999",
  });
  assert.equal(res.status, 400);
  assert.match(await text(res), /Kode salah atau sudah tidak berlaku/);

  res = await postForm(h, "/verify", { email: REG.email, code });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/home");
  const cookie = cookieFrom(res)!;
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-session="))!;
  for (const attr of ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"]) {
    assert.ok(setCookie.includes(attr), attr);
  }

  res = await get(h, "/home", { cookie });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/client");
  res = await get(h, "/client", { cookie });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.match(await text(res), /Ani Lestari/);
});

Deno.test("register: inline translated errors, values kept, no 500, both languages", async () => {
  await freshKv();
  const h = await appHandler();
  let res = await postForm(h, "/register", {
    name: "",
    gender: "x",
    birthDate: "2099-01-01",
    email: "bad",
    password: "short",
  });
  assert.equal(res.status, 400);
  let html = await text(res);
  assert.match(html, /id="err-name"[^>]*>Wajib diisi\./);
  assert.match(
    html,
    /id="err-birthDate"[^>]*>Tanggal lahir tidak boleh di masa depan\./,
  );
  assert.match(html, /id="err-password"[^>]*>Kata sandi minimal 8 karakter\./);
  assert.match(html, /value="bad"/, "submitted e-mail echoed back");
  assert.doesNotMatch(html, /value="short"/, "password never echoed");
  res = await postForm(h, "/register", { ...REG, birthDate: "2015-01-01" }, {
    headers: { "accept-language": "en" },
  });
  html = await text(res);
  assert.match(html, /You must be at least 18 years old to register\./);
  assert.match(html, /value="Ani Lestari"/);
});

Deno.test("register: pending e-mail may register again; a verified one gets the same answer as a new one", async () => {
  await freshKv();
  const h = await appHandler();
  await postForm(h, "/register", REG);
  const res = await postForm(h, "/register", { ...REG, name: "Ani Dua" });
  assert.equal(res.status, 303);
  assert.equal((await getUserByEmail(REG.email))?.name, "Ani Dua");
  const code = (await lastCode(REG.email))!;
  await postForm(h, "/verify", { email: REG.email, code });
  const again = await postForm(h, "/register", REG);
  assert.equal(again.status, 303, "no 'already registered' answer (account enumeration)");
  assert.equal(again.headers.get("location"), res.headers.get("location"));
  assert.equal((await getUserByEmail(REG.email))?.name, "Ani Dua", "the verified account is kept");
});

Deno.test("verify: resend button is rate-limited (429 with Retry-After, inline message)", async () => {
  await freshKv();
  const h = await appHandler();
  await postForm(h, "/register", REG);
  const res = await postForm(h, "/verify", {
    email: REG.email,
    action: "resend",
  });
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get("retry-after")) > 0);
  assert.match(await text(res), /Terlalu banyak percobaan/);
});

Deno.test("sign in: e-mail and guest phone, next parameter, wrong password stays on the form", async () => {
  await freshKv();
  const h = await appHandler();
  await seedAccounts();
  const page = await text(await get(h, "/signin?next=/profile"));
  assert.match(page, /name="identifier"/);
  assert.match(page, /name="password"/);
  assert.match(page, /name="next" value="\/profile"/);

  let res = await postForm(h, "/signin", {
    identifier: "klien1@demo.test",
    password: "ruangpulih-demo",
    next: "/profile",
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/profile");
  res = await postForm(h, "/signin", {
    identifier: "klien1@demo.test",
    password: "ruangpulih-demo",
    next: "https://evil.test/",
  });
  assert.equal(res.headers.get("location"), "/home");

  const guest = await signIn(h, "0812 3456 7890", "ruangpulih-demo");
  assert.equal(guest.location, "/home");
  res = await get(h, "/home", { cookie: guest.cookie });
  assert.equal(res.headers.get("location"), "/guest");

  res = await postForm(h, "/signin", {
    identifier: "klien1@demo.test",
    password: "wrong-password",
  });
  assert.equal(res.status, 401);
  const html = await text(res);
  assert.match(html, /E-mail\/nomor telepon atau kata sandi salah/);
  assert.match(html, /value="klien1@demo.test"/);
  assert.equal(cookieFrom(res), null);
  // Same answer for an unknown account.
  res = await postForm(h, "/signin", {
    identifier: "nobody@demo.test",
    password: "wrong-password",
  });
  assert.equal(res.status, 401);
  assert.match(await text(res), /E-mail\/nomor telepon atau kata sandi salah/);
});

Deno.test("sign in: a new session token each time; the old cookie of this browser is ended", async () => {
  await freshKv();
  const h = await appHandler();
  const u = await makeUser("client");
  const a = await signIn(h, u.email!, u.password);
  const res = await postForm(h, "/signin", {
    identifier: u.email!,
    password: u.password,
  }, { cookie: a.cookie });
  const b = cookieFrom(res)!;
  assert.notEqual(a.cookie, b);
  assert.equal(
    (await get(h, "/client", { cookie: a.cookie })).status,
    303,
    "old token no longer works",
  );
  assert.equal((await get(h, "/client", { cookie: b })).status, 200);
});

Deno.test("sign in: unverified client is sent to /verify with a fresh code", async () => {
  await freshKv();
  const h = await appHandler();
  await postForm(h, "/register", REG);
  const res = await postForm(h, "/signin", {
    identifier: REG.email,
    password: REG.password,
  });
  assert.equal(res.status, 303);
  assert.match(
    res.headers.get("location")!,
    /^\/verify\?email=ani%40example\.test&pending=1$/,
  );
});

Deno.test("sign in: rate limit per identity answers 429 with Retry-After", async () => {
  await freshKv();
  const h = await appHandler();
  const u = await makeUser("teacher");
  for (let i = 0; i < 10; i++) {
    const r = await postForm(h, "/signin", {
      identifier: u.email!,
      password: "wrong-password",
    });
    assert.equal(r.status, 401);
    await r.body?.cancel();
  }
  const res = await postForm(h, "/signin", {
    identifier: u.email!,
    password: TEST_PASSWORD,
  });
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get("retry-after")) >= 1);
  assert.match(await text(res), /Terlalu banyak percobaan/);
});

Deno.test("staff first sign-in is forced to /first-password until changed", async () => {
  await freshKv();
  const h = await appHandler();
  const t = await makeUser("teacher", {
    mustChangePassword: true,
    password: "temp-pass-9876",
  });
  const s = await signIn(h, t.email!, "temp-pass-9876");
  assert.equal(s.location, "/first-password");
  let res = await get(h, "/profile", { cookie: s.cookie });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/first-password");
  res = await postForm(h, "/profile", { name: "x", email: t.email! }, {
    cookie: s.cookie,
  });
  assert.equal(res.status, 403, "unsafe requests elsewhere are refused too");
  await res.body?.cancel();
  const form = await text(
    await get(h, "/first-password", { cookie: s.cookie }),
  );
  assert.match(form, /name="password"/);
  assert.match(form, /name="confirm"/);
  res = await postForm(h, "/first-password", {
    password: "my-new-password",
    confirm: "not-the-same",
  }, { cookie: s.cookie });
  assert.equal(res.status, 400);
  assert.match(await text(res), /Konfirmasi kata sandi tidak sama/);
  res = await postForm(h, "/first-password", {
    password: "my-new-password",
    confirm: "my-new-password",
  }, { cookie: s.cookie });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/home");
  res = await get(h, "/home", { cookie: s.cookie });
  assert.equal(res.headers.get("location"), "/teacher");
  res = await get(h, "/first-password", { cookie: s.cookie });
  assert.equal(res.headers.get("location"), "/home");
  await signIn(h, t.email!, "my-new-password");
});

Deno.test("forgotten password: identical answers, code from the outbox resets it", async () => {
  await freshKv();
  const h = await appHandler();
  const u = await makeUser("psychologist");
  const known = await postForm(h, "/forgot", { email: u.email! });
  const unknown = await postForm(h, "/forgot", { email: "nobody@x.test" });
  assert.equal(known.status, 303);
  assert.equal(unknown.status, 303);
  assert.equal(
    known.headers.get("location")!.replace(encodeURIComponent(u.email!), "E"),
    unknown.headers.get("location")!.replace(
      encodeURIComponent("nobody@x.test"),
      "E",
    ),
  );
  assert.equal(await lastMailTo("nobody@x.test"), null);
  const page = await text(await get(h, known.headers.get("location")!));
  assert.match(page, /Jika akun tersebut terdaftar/);
  const code = (await lastCode(u.email!))!;
  const session = await signIn(h, u.email!, u.password);
  let res = await postForm(h, "/reset", {
    email: u.email!,
    code,
    password: "short",
    confirm: "short",
  });
  assert.equal(res.status, 400);
  await res.body?.cancel();
  res = await postForm(h, "/reset", {
    email: u.email!,
    code,
    password: "fresh-password-1",
    confirm: "fresh-password-1",
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/signin?reset=1");
  assert.equal(
    (await get(h, "/psychologist", { cookie: session.cookie })).status,
    303,
    "sessions ended",
  );
  await signIn(h, u.email!, "fresh-password-1");
});

Deno.test("profile: edit, e-mail change with code, password change ends other sessions", async () => {
  await freshKv();
  const h = await appHandler();
  const u = await makeUser("client");
  const a = await signIn(h, u.email!, u.password);
  const b = await signIn(h, u.email!, u.password);
  let page = await text(await get(h, "/profile", { cookie: a.cookie }));
  assert.match(page, new RegExp(`value="${u.email}"`));
  let res = await postForm(h, "/profile", { name: "", email: "bad" }, {
    cookie: a.cookie,
  });
  assert.equal(res.status, 400);
  await res.body?.cancel();
  res = await postForm(h, "/profile", {
    name: "Nama Baru",
    email: "baru@x.test",
    gender: "male",
    birthDate: "1990-01-02",
    lang: "en",
  }, { cookie: a.cookie });
  assert.equal(res.status, 303);
  assert.ok(res.headers.getSetCookie().some((c) => c.startsWith("lang=en")));
  page = await text(await get(h, "/profile", { cookie: a.cookie }));
  assert.match(page, /baru@x\.test/);
  assert.match(page, /Nama Baru/);
  const code = (await lastCode("baru@x.test"))!;
  res = await postForm(h, "/profile/email", { code }, { cookie: a.cookie });
  assert.equal(res.headers.get("location"), "/profile?email=changed");
  assert.equal((await getUserByEmail("baru@x.test"))?.id, u.id);

  res = await postForm(h, "/profile/password", {
    currentPassword: "wrong-one-here",
    newPassword: "another-pass-1",
    confirm: "another-pass-1",
  }, { cookie: a.cookie });
  assert.equal(res.status, 400);
  assert.match(await text(res), /Kata sandi saat ini salah/);
  res = await postForm(h, "/profile/password", {
    currentPassword: u.password,
    newPassword: "another-pass-1",
    confirm: "another-pass-1",
  }, { cookie: a.cookie });
  assert.equal(res.headers.get("location"), "/profile?password=changed");
  assert.equal((await get(h, "/profile", { cookie: a.cookie })).status, 200);
  assert.equal(
    (await get(h, "/profile", { cookie: b.cookie })).status,
    303,
    "other session ended",
  );
});

Deno.test("sign out and sign out everywhere", async () => {
  await freshKv();
  const h = await appHandler();
  const u = await makeUser("client");
  const a = await signIn(h, u.email!, u.password);
  const b = await signIn(h, u.email!, u.password);
  const c = await signIn(h, u.email!, u.password);
  let res = await postForm(h, "/signout", {}, { cookie: a.cookie });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/signin?signedout=1");
  assert.ok(
    res.headers.getSetCookie().some((x) => x.startsWith("__Host-session=;") && x.includes("Max-Age=0")),
  );
  assert.equal((await get(h, "/client", { cookie: a.cookie })).status, 303);
  assert.equal((await get(h, "/client", { cookie: b.cookie })).status, 200);
  res = await postForm(h, "/signout", { scope: "all" }, { cookie: b.cookie });
  assert.equal(res.status, 303);
  assert.equal((await get(h, "/client", { cookie: c.cookie })).status, 303);
});

Deno.test("role homes, anonymous redirect to sign-in, 403 for the wrong role", async () => {
  await freshKv();
  const h = await appHandler();
  await seedAccounts();
  const homes: [string, string][] = [
    ["admin@demo.test", "/admin"],
    ["psikolog1@demo.test", "/psychologist"],
    ["klien1@demo.test", "/client"],
    ["guru1@demo.test", "/teacher"],
    ["resepsionis@demo.test", "/frontdesk"],
    ["081234567890", "/guest"],
  ];
  for (const [id, home] of homes) {
    const s = await signIn(h, id, "ruangpulih-demo");
    const res = await get(h, "/home", { cookie: s.cookie });
    assert.equal(res.headers.get("location"), home, id);
  }
  let res = await get(h, "/admin/users");
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/signin?next=%2Fadmin%2Fusers");
  const client = await signIn(h, "klien1@demo.test", "ruangpulih-demo");
  res = await get(h, "/admin/users", { cookie: client.cookie });
  assert.equal(res.status, 403);
  assert.match(await text(res), /Akses ditolak/);
  res = await get(h, "/psychologist", { cookie: client.cookie });
  assert.equal(res.status, 403);
  await res.body?.cancel();
  const psy = await signIn(h, "psikolog1@demo.test", "ruangpulih-demo");
  res = await get(h, "/psychologist", { cookie: psy.cookie });
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("language switch: GET and POST set the cookie and the user's language", async () => {
  await freshKv();
  const h = await appHandler();
  const u = await makeUser("client");
  const s = await signIn(h, u.email!, u.password);
  let res = await get(h, "/lang?to=en&next=/profile", { cookie: s.cookie });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/profile");
  assert.ok(res.headers.getSetCookie().some((c) => c.startsWith("lang=en;")));
  assert.equal((await getUserByEmail(u.email!))?.lang, "en");
  res = await postForm(h, "/lang", { lang: "id", next: "//evil.test" }, {
    cookie: s.cookie,
  });
  assert.equal(res.headers.get("location"), "/");
  assert.equal((await getUserByEmail(u.email!))?.lang, "id");
  res = await get(h, "/signin", { headers: { cookie: "lang=en" } });
  assert.match(await text(res), /Sign in with your e-mail/);
});

Deno.test("CSRF: a cross-site form post with a session cookie is refused", async () => {
  await freshKv();
  const h = await appHandler();
  const u = await makeUser("client");
  const s = await signIn(h, u.email!, u.password);
  const res = await postForm(h, "/signout", { scope: "all" }, {
    cookie: s.cookie,
    headers: { origin: "https://evil.test", "sec-fetch-site": "cross-site" },
  });
  assert.equal(res.status, 403);
  await res.body?.cancel();
  assert.equal(
    (await get(h, "/client", { cookie: s.cookie })).status,
    200,
    "session still alive",
  );
});

Deno.test("/dev/outbox lists mails to admins and the console key, 404 in production", async () => {
  await freshKv();
  const h = await appHandler();
  await postForm(h, "/register", REG);
  let res = await get(h, "/dev/outbox");
  assert.equal(res.status, 404, "not for anonymous callers");
  await res.body?.cancel();
  const admin = await makeUser("admin");
  const { cookie } = await signIn(h, admin.email!, admin.password);
  res = await get(h, "/dev/outbox", { cookie });
  assert.equal(res.status, 200);
  const html = await text(res);
  assert.match(html, /class="mail-code" data-code="\d{6}"/);
  res = await get(
    h,
    `/dev/outbox?format=json&to=${encodeURIComponent(REG.email)}&key=${outboxKey()}`,
  );
  const json = await res.json();
  assert.equal(json.items.length, 1);
  assert.match(json.items[0].code, /^\d{6}$/);
  Deno.env.set("APP_ENV", "production");
  try {
    res = await get(h, "/dev/outbox", { cookie });
    assert.equal(res.status, 404);
    await res.body?.cancel();
  } finally {
    Deno.env.delete("APP_ENV");
  }
});

Deno.test("pages set titles and render in English", async () => {
  await freshKv();
  const h = await appHandler();
  for (
    const [path, title] of [
      ["/signin", "Sign in"],
      ["/register", "Register as a client"],
      ["/forgot", "Forgot password"],
      ["/reset", "Reset password"],
      ["/verify", "Verify your e-mail"],
    ]
  ) {
    const res = await get(h, path, {
      headers: { "accept-language": "en-US,en;q=0.9" },
    });
    assert.equal(res.status, 200, path);
    const html = await text(res);
    assert.match(html, new RegExp(`<title>${title}`), path);
  }
  assert.ok(ORIGIN);
});
