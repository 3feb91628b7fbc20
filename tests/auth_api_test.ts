/**
 * The JSON API of accounts (`/api/auth/*`, `/api/users*`) through HTTP:
 * bearer tokens, error shape `{error:{code,message,fields?}}`, admin-only user
 * management, no credentials in any answer, CSRF rules for bearer vs cookie.
 */
import assert from "node:assert/strict";
import {
  apiLogin,
  appHandler,
  freshKv,
  get,
  lastCode,
  makeUser,
  ORIGIN,
  post,
  sendJson,
  signIn,
  TEST_PASSWORD,
} from "./helpers.ts";
import { getUser } from "@/lib/auth/users.ts";
import { listAudit } from "@/lib/audit.ts";
import { lastMailTo } from "@/lib/mail/mod.ts";

function noSecrets(json: unknown) {
  const s = JSON.stringify(json);
  assert.ok(
    !/argon2|"hash"|"password"/.test(s),
    `secret-looking field in ${s}`,
  );
}

Deno.test("POST /api/auth/login: email or phone → token; errors are JSON with stable codes", async () => {
  await freshKv();
  const h = await appHandler();
  const t = await makeUser("teacher");
  const g = await makeUser("guest", { phone: "6285700001111" });
  let res = await post(h, "/api/auth/login", {
    email: t.email,
    password: TEST_PASSWORD,
  });
  assert.equal(res.status, 200);
  let json = await res.json();
  assert.match(json.token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(json.tokenType, "Bearer");
  assert.equal(json.user.id, t.id);
  assert.ok(Date.parse(json.expiresAt) > Date.now() + 11 * 3600_000);
  noSecrets(json);
  assert.equal(
    res.headers.getSetCookie().length,
    0,
    "no cookie for API logins",
  );

  res = await post(h, "/api/auth/login", {
    phone: "0857-0000-1111",
    password: TEST_PASSWORD,
  });
  assert.equal((await res.json()).user.id, g.id);

  res = await post(h, "/api/auth/login", {
    email: t.email,
    password: "wrong-password",
  });
  assert.equal(res.status, 401);
  json = await res.json();
  assert.equal(json.error.code, "invalid_credentials");
  assert.equal(typeof json.error.message, "string");

  res = await post(h, "/api/auth/login", { password: "x" });
  assert.equal(res.status, 400);
  json = await res.json();
  assert.equal(json.error.code, "validation_failed");
  assert.ok(json.error.fields.email);

  res = await h(
    new Request(ORIGIN + "/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    }),
  );
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.code, "bad_json");
});

Deno.test("bearer token: /me, logout ends only that token, logout all", async () => {
  await freshKv();
  const h = await appHandler();
  const u = await makeUser("client");
  const a = await apiLogin(h, u.email!, u.password);
  const b = await apiLogin(h, u.email!, u.password);
  const c = await apiLogin(h, u.email!, u.password);
  let res = await get(h, "/api/auth/me", { token: a.token });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).user.id, u.id);
  assert.equal(res.headers.get("cache-control"), "no-store");
  // No Origin header: apps carry none; bearer requests must work.
  res = await h(
    new Request(ORIGIN + "/api/auth/logout", {
      method: "POST",
      headers: { authorization: `Bearer ${a.token}` },
    }),
  );
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ok: true, ended: 1 });
  assert.equal((await get(h, "/api/auth/me", { token: a.token })).status, 401);
  assert.equal((await get(h, "/api/auth/me", { token: b.token })).status, 200);
  res = await post(h, "/api/auth/logout", { all: true }, { token: b.token });
  assert.equal((await res.json()).ended, 2);
  assert.equal((await get(h, "/api/auth/me", { token: c.token })).status, 401);
  res = await post(h, "/api/auth/logout", {});
  assert.equal(res.status, 401);
  assert.equal((await res.json()).error.code, "unauthorized");
  // A bearer token is not a cookie.
  res = await get(h, "/client", { cookie: `__Host-session=${c.token}` });
  assert.equal(res.status, 303);
  await res.body?.cancel();
});

Deno.test("PUT /api/auth/change-password", async () => {
  await freshKv();
  const h = await appHandler();
  const u = await makeUser("teacher", { mustChangePassword: true });
  const { token } = await apiLogin(h, u.email!, u.password);
  let res = await get(h, "/api/users", { token });
  assert.equal(res.status, 403);
  res = await sendJson(h, "/api/auth/change-password", {
    currentPassword: "nope-nope-nope",
    newPassword: "a-brand-new-pass",
  }, { method: "PUT", token });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.code, "current_password_wrong");
  res = await sendJson(h, "/api/auth/change-password", {
    currentPassword: u.password,
    newPassword: "123",
  }, { method: "PUT", token });
  const bad = await res.json();
  assert.equal(bad.error.fields.newPassword, "Kata sandi minimal 8 karakter.");
  res = await sendJson(h, "/api/auth/change-password", {
    currentPassword: u.password,
    newPassword: "a-brand-new-pass",
  }, { method: "PUT", token });
  assert.equal(res.status, 200);
  const json = await res.json();
  assert.equal(json.user.mustChangePassword, false);
  noSecrets(json);
  assert.equal(
    (await get(h, "/api/auth/me", { token })).status,
    200,
    "this token stays valid",
  );
  await apiLogin(h, u.email!, "a-brand-new-pass");
});

Deno.test("JSON registration, verification and password reset", async () => {
  await freshKv();
  const h = await appHandler();
  let res = await post(h, "/api/auth/register", {
    name: "Budi",
    gender: "male",
    birthDate: "1994-03-03",
    email: "budi@x.test",
    password: "nasi-goreng-enak",
    lang: "en",
  });
  assert.equal(res.status, 201);
  const reg = await res.json();
  assert.equal(reg.user.status, "pending");
  assert.equal(reg.user.lang, "en");
  assert.match((await lastMailTo("budi@x.test"))!.subject, /verification code/);
  res = await post(h, "/api/auth/verify", {
    email: "budi@x.test",
    code: "12345",
  });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.fields.code, "Masukkan 6 angka kode.");
  res = await post(h, "/api/auth/verify", {
    email: "budi@x.test",
    code: (await lastCode("budi@x.test"))!,
  });
  assert.equal(res.status, 200);
  const v = await res.json();
  assert.equal(v.user.status, "active");
  assert.equal((await get(h, "/api/auth/me", { token: v.token })).status, 200);

  res = await post(h, "/api/auth/forgot", { email: "budi@x.test" });
  assert.equal(res.status, 202);
  const res2 = await post(h, "/api/auth/forgot", { email: "ghost@x.test" });
  assert.equal(res2.status, 202);
  assert.deepEqual(await res.json(), await res2.json());
  res = await post(h, "/api/auth/reset", {
    email: "budi@x.test",
    code: (await lastCode("budi@x.test"))!,
    password: "mie-ayam-bakso",
  });
  assert.equal(res.status, 200);
  assert.equal(
    (await get(h, "/api/auth/me", { token: v.token })).status,
    401,
    "reset ends tokens",
  );
  await apiLogin(h, "budi@x.test", "mie-ayam-bakso");
  res = await post(h, "/api/auth/resend", { email: "ghost@x.test" });
  assert.equal(res.status, 202);
});

Deno.test("/api/users: admin only; list by role with search and cursor", async () => {
  await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  for (let i = 0; i < 7; i++) {
    await makeUser("teacher", {
      name: i % 2 ? `Guru Ganjil ${i}` : `Guru Genap ${i}`,
    });
  }
  await makeUser("client");
  const { token } = await apiLogin(h, admin.email!, admin.password);
  const client = await makeUser("client");
  const ct = await apiLogin(h, client.email!, client.password);
  let res = await get(h, "/api/users", { token: ct.token });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, "forbidden");
  res = await get(h, "/api/users");
  assert.equal(res.status, 401);
  await res.body?.cancel();

  res = await get(h, "/api/users?role=teacher&limit=3", { token });
  let page = await res.json();
  assert.equal(page.items.length, 3);
  assert.ok(page.items.every((u: { role: string }) => u.role === "teacher"));
  const seen = new Set(page.items.map((u: { id: string }) => u.id));
  while (page.cursor) {
    page = await (await get(
      h,
      `/api/users?role=teacher&limit=3&cursor=${encodeURIComponent(page.cursor)}`,
      { token },
    )).json();
    for (const u of page.items) seen.add(u.id);
  }
  assert.equal(seen.size, 7);
  res = await get(h, "/api/users?role=teacher&q=ganjil", { token });
  page = await res.json();
  assert.equal(page.items.length, 3);
  noSecrets(page);
  res = await get(h, "/api/users?role=wizard", { token });
  assert.equal(res.status, 400);
  assert.ok((await res.json()).error.fields.role);
  res = await get(h, "/api/users?cursor=garbage!!", { token });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.code, "invalid_cursor");
  res = await get(h, "/api/users?limit=1000", { token });
  assert.equal(res.status, 400);
  await res.body?.cancel();
});

Deno.test("/api/users: create staff, update, deactivate (ends sessions), reset password, audited", async () => {
  await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  const { token } = await apiLogin(h, admin.email!, admin.password);
  let res = await post(h, "/api/users", {
    role: "receptionist",
    name: "Rina",
    email: "rina@x.test",
  }, { token });
  assert.equal(res.status, 201);
  const created = (await res.json()).user;
  assert.equal(created.mustChangePassword, true);
  assert.equal(res.headers.get("location"), `/api/users/${created.id}`);
  const temp = (await lastMailTo("rina@x.test"))!.text.match(
    /\b([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})\b/,
  )![1];
  const rina = await signIn(h, "rina@x.test", temp);
  assert.equal(rina.location, "/first-password");

  res = await post(h, "/api/users", {
    role: "client",
    name: "X",
    email: "x@x.test",
  }, { token });
  assert.equal(res.status, 400);
  assert.ok((await res.json()).error.fields.role);
  res = await post(h, "/api/users", {
    role: "teacher",
    name: "Dup",
    email: "RINA@x.test",
  }, { token });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.code, "email_taken");

  res = await sendJson(h, `/api/users/${created.id}`, {
    name: "Rina Resepsionis",
    phone: "0812-9999-0000",
  }, { method: "PUT", token });
  assert.equal(res.status, 200);
  const upd = (await res.json()).user;
  assert.equal(upd.name, "Rina Resepsionis");
  assert.equal(upd.phone, "6281299990000");
  res = await get(h, `/api/users/${created.id}`, { token });
  assert.equal((await res.json()).user.name, "Rina Resepsionis");

  res = await sendJson(h, `/api/users/${created.id}`, {}, {
    method: "DELETE",
    token,
  });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).user.status, "deactivated");
  res = await get(h, "/first-password", { cookie: rina.cookie });
  assert.equal(res.status, 303, "deactivated user's session ended");
  assert.match(res.headers.get("location")!, /^\/signin/);

  res = await sendJson(h, `/api/users/${admin.id}`, {}, {
    method: "DELETE",
    token,
  });
  assert.equal(res.status, 409);
  assert.equal((await res.json()).error.code, "cannot_deactivate_self");
  res = await sendJson(h, "/api/users/01ARZ3NDEKTSV4RRFFQ69G5FAV", {}, {
    method: "DELETE",
    token,
  });
  assert.equal(res.status, 404);
  await res.body?.cancel();
  res = await get(h, "/api/users/not-an-id", { token });
  assert.equal(res.status, 404);
  await res.body?.cancel();

  await sendJson(h, `/api/users/${created.id}`, { status: "active" }, {
    method: "PUT",
    token,
  });
  res = await post(h, `/api/users/${created.id}/reset-password`, {}, { token });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).mailSent, true);
  assert.equal((await getUser(created.id))?.mustChangePassword, true);

  const actions = (await listAudit({ limit: 100 })).items.map((e) => e.action);
  for (
    const a of [
      "user.create",
      "user.update",
      "user.deactivate",
      "user.reset_password",
    ]
  ) assert.ok(actions.includes(a), a);
});

Deno.test("cookie-authenticated API writes need a same-origin request (CSRF); bearer ones do not", async () => {
  await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  const s = await signIn(h, admin.email!, admin.password);
  let res = await h(
    new Request(ORIGIN + "/api/users", {
      method: "POST",
      headers: {
        cookie: s.cookie,
        "content-type": "application/json",
        origin: "https://evil.test",
      },
      body: JSON.stringify({
        role: "teacher",
        name: "Evil",
        email: "evil@x.test",
      }),
    }),
  );
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, "csrf_rejected");
  res = await post(h, "/api/users", {
    role: "teacher",
    name: "Good",
    email: "good@x.test",
  }, { cookie: s.cookie });
  assert.equal(res.status, 201);
  await res.body?.cancel();
});
