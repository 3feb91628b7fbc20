/**
 * Admin pages through HTTP: users by role with search and pagination, create
 * staff (temporary password mailed → forced change), deactivate (ends
 * sessions), reactivate, reset password, audit log.
 */
import assert from "node:assert/strict";
import { apiLogin, appHandler, freshKv, get, lastCode, makeUser, postForm, sendJson, signIn } from "./helpers.ts";
import { lastMailTo } from "@/lib/mail/mod.ts";
import { getUserByEmail } from "@/lib/auth/users.ts";

async function adminSession() {
  const h = await appHandler();
  const admin = await makeUser("admin", { name: "Admin Utama" });
  const s = await signIn(h, admin.email!, admin.password);
  return { h, admin, cookie: s.cookie };
}

Deno.test("admin home and users list: role filter, search, pagination", async () => {
  await freshKv();
  const { h, cookie } = await adminSession();
  for (let i = 0; i < 25; i++) {
    await makeUser("teacher", { name: `Guru Nomor ${i}` });
  }
  await makeUser("guest", { name: "Tamu Istimewa", phone: "6281377778888" });
  let html = await (await get(h, "/admin", { cookie })).text();
  assert.match(
    html,
    /<span class="stat-value">25<\/span>\s*<span class="stat-label">Guru/,
  );

  let res = await get(h, "/admin/users?role=teacher", { cookie });
  assert.equal(res.status, 200);
  html = await res.text();
  assert.equal((html.match(/data-user-id=/g) ?? []).length, 20);
  const next = html.match(/href="(\/admin\/users\?[^"]*cursor=[^"]+)"/)![1]
    .replaceAll("&amp;", "&");
  html = await (await get(h, next, { cookie })).text();
  assert.equal((html.match(/data-user-id=/g) ?? []).length, 5);
  assert.doesNotMatch(html, /cursor=/, "last page has no next link");

  html = await (await get(h, "/admin/users?q=nomor%201", { cookie })).text();
  // "Guru Nomor 1", "Guru Nomor 10".."19" = 11
  assert.equal((html.match(/data-user-id=/g) ?? []).length, 11);
  html = await (await get(h, "/admin/users?q=0813-7777", { cookie })).text();
  assert.match(html, /Tamu Istimewa/);
  assert.match(html, /\+62 813-7777-8888/);
  html = await (await get(h, "/admin/users?role=admin&q=zzzz", { cookie }))
    .text();
  assert.match(html, /Tidak ada pengguna yang cocok/);
  res = await get(h, "/admin/users?role=wizard", { cookie });
  assert.equal(res.status, 400);
  await res.body?.cancel();
});

Deno.test("admin creates staff; the temporary password forces a change at first sign-in", async () => {
  await freshKv();
  const { h, cookie } = await adminSession();
  let html = await (await get(h, "/admin/users/new", { cookie })).text();
  for (const n of ["role", "name", "email", "phone", "lang"]) {
    assert.match(html, new RegExp(`name="${n}"`));
  }
  let res = await postForm(h, "/admin/users/new", {
    role: "teacher",
    name: "",
    email: "nope",
  }, { cookie });
  assert.equal(res.status, 400);
  html = await res.text();
  assert.match(html, /id="err-name"/);
  assert.match(html, /id="err-email"/);
  res = await postForm(h, "/admin/users/new", {
    role: "teacher",
    name: "Bu Guru",
    email: "bu.guru@x.test",
    phone: "",
    lang: "id",
  }, { cookie });
  assert.equal(res.status, 303);
  const loc = res.headers.get("location")!;
  assert.match(loc, /^\/admin\/users\/[0-9A-Z]{26}\?done=created$/);
  html = await (await get(h, loc, { cookie })).text();
  assert.match(html, /Kata sandi sementara telah dikirim ke bu\.guru@x\.test/);
  const mail = (await lastMailTo("bu.guru@x.test"))!;
  assert.match(mail.html, /<html lang="id">/);
  const temp = mail.text.match(/\b([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})\b/)![1];
  const s = await signIn(h, "bu.guru@x.test", temp);
  assert.equal(s.location, "/first-password");
  res = await postForm(h, "/first-password", {
    password: "guru-hebat-2026",
    confirm: "guru-hebat-2026",
  }, { cookie: s.cookie });
  assert.equal(res.headers.get("location"), "/home");
  res = await postForm(h, "/admin/users/new", {
    role: "teacher",
    name: "Dup",
    email: "BU.GURU@x.test",
  }, { cookie });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /E-mail ini sudah terdaftar/);
});

Deno.test("admin deactivates (sessions end), reactivates, resets password; audit log shows it", async () => {
  await freshKv();
  const { h, admin, cookie } = await adminSession();
  const t = await makeUser("teacher", { name: "Pak Guru" });
  const ts = await signIn(h, t.email!, t.password);
  let res = await postForm(
    h,
    `/admin/users/${t.id}`,
    { action: "deactivate" },
    { cookie },
  );
  assert.equal(res.status, 303);
  assert.equal(
    res.headers.get("location"),
    `/admin/users/${t.id}?done=deactivated`,
  );
  assert.equal(
    (await get(h, "/profile", { cookie: ts.cookie })).status,
    303,
    "session ended",
  );
  res = await postForm(h, "/signin", {
    identifier: t.email!,
    password: t.password,
  });
  assert.equal(res.status, 401);
  await res.body?.cancel();
  let html = await (await get(h, `/admin/users/${t.id}?done=deactivated`, { cookie }))
    .text();
  assert.match(html, /Nonaktif/);
  assert.match(html, /value="reactivate"/);

  res = await postForm(h, `/admin/users/${t.id}`, { action: "reactivate" }, {
    cookie,
  });
  assert.equal(
    res.headers.get("location"),
    `/admin/users/${t.id}?done=reactivated`,
  );
  await signIn(h, t.email!, t.password);

  res = await postForm(h, `/admin/users/${t.id}`, { action: "reset" }, {
    cookie,
  });
  assert.equal(res.headers.get("location"), `/admin/users/${t.id}?done=reset`);
  const temp = (await lastMailTo(t.email!))!.text.match(
    /\b([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})\b/,
  )![1];
  assert.equal((await signIn(h, t.email!, temp)).location, "/first-password");

  res = await postForm(h, `/admin/users/${t.id}`, {
    action: "update",
    name: "Pak Guru Baru",
    email: "pak@x.test",
    phone: "0812 5555 6666",
    lang: "en",
  }, { cookie });
  assert.equal(res.status, 303);
  const updated = await getUserByEmail("pak@x.test");
  assert.equal(updated?.name, "Pak Guru Baru");
  assert.equal(updated?.phone, "6281255556666");
  res = await postForm(h, `/admin/users/${t.id}`, {
    action: "update",
    name: "",
    email: "bad",
  }, { cookie });
  assert.equal(res.status, 400);
  html = await res.text();
  assert.match(html, /id="err-name"/);

  res = await postForm(
    h,
    `/admin/users/${admin.id}`,
    { action: "deactivate" },
    { cookie },
  );
  assert.equal(res.status, 409);
  assert.match(await res.text(), /tidak dapat menonaktifkan akun Anda sendiri/);

  html = await (await get(h, "/admin/audit", { cookie })).text();
  for (const a of ["user.deactivate", "user.update", "user.reset_password"]) {
    assert.match(html, new RegExp(a.replace(".", "\\.")));
  }
  assert.match(html, /Admin Utama/);
  res = await get(h, "/admin/users/01ARZ3NDEKTSV4RRFFQ69G5FAV", { cookie });
  assert.equal(res.status, 404);
  await res.body?.cancel();
});

Deno.test("non-admins cannot use admin pages or actions", async () => {
  await freshKv();
  const h = await appHandler();
  const r = await makeUser("receptionist");
  const victim = await makeUser("teacher");
  const s = await signIn(h, r.email!, r.password);
  for (
    const path of [
      "/admin",
      "/admin/users",
      "/admin/users/new",
      `/admin/users/${victim.id}`,
      "/admin/audit",
    ]
  ) {
    const res = await get(h, path, { cookie: s.cookie });
    assert.equal(res.status, 403, path);
    await res.body?.cancel();
  }
  const res = await postForm(h, `/admin/users/${victim.id}`, {
    action: "deactivate",
  }, { cookie: s.cookie });
  assert.equal(res.status, 403);
  await res.body?.cancel();
  assert.equal((await getUserByEmail(victim.email!))?.status, "active");
  assert.equal(await lastCode("nobody"), null);
});

Deno.test("admin cannot change a client's or psychologist's e-mail (no takeover by e-mail + password reset); staff's yes", async () => {
  await freshKv();
  const handler = await appHandler();
  const admin = await makeUser("admin");
  const { token } = await apiLogin(handler, admin.email!, admin.password);
  for (const role of ["client", "psychologist"] as const) {
    const u = await makeUser(role);
    const res = await sendJson(handler, `/api/users/${u.id}`, { email: "attacker@evil.test" }, {
      token,
      method: "PUT",
    });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error.code, "email_self_service");
    assert.ok(body.error.fields.email, "the field is named");
    assert.equal((await getUserByEmail(u.email!))?.id, u.id, "address unchanged");
    assert.equal(await getUserByEmail("attacker@evil.test"), null);
    // Other fields still work, and sending the same address is not a change.
    const ok = await sendJson(handler, `/api/users/${u.id}`, { name: "Nama Baru", email: u.email }, {
      token,
      method: "PUT",
    });
    assert.equal(ok.status, 200);
  }
  const teacher = await makeUser("teacher");
  const res = await sendJson(handler, `/api/users/${teacher.id}`, { email: "guru.baru@x.test" }, {
    token,
    method: "PUT",
  });
  assert.equal(res.status, 200);
  assert.equal((await getUserByEmail("guru.baru@x.test"))?.id, teacher.id);
});
