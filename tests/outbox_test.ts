/**
 * Who may read the built-in mail outbox (`/dev/outbox`, through
 * `app.handler()` on `:memory:` KV): nobody anonymous (404, page or JSON),
 * no signed-in non-admin (403), signed-in admins (200), the console link with
 * the per-process key (200), a wrong key (404), nobody in production (404);
 * and the codes the mails carry never reach the logs.
 */
import assert from "node:assert/strict";
import { appHandler, freshKv, get, makeUser, postForm, signIn } from "./helpers.ts";
import { codeFromText, lastMailTo, outboxConsoleUrl, outboxKey } from "@/lib/mail/mod.ts";
import { config } from "@/lib/config.ts";

const REG = {
  name: "Ani Lestari",
  gender: "female",
  birthDate: "1999-09-09",
  email: "ani.outbox@example.test",
  password: "teh-manis-hangat",
};
const JSON_PATH = `/dev/outbox?format=json&to=${encodeURIComponent(REG.email)}`;

/** A registration whose verification mail (with its 6-digit code) is in the outbox. */
async function withMail() {
  await freshKv();
  const h = await appHandler();
  const res = await postForm(h, "/register", REG);
  await res.body?.cancel();
  assert.equal(res.status, 303);
  const code = codeFromText((await lastMailTo(REG.email))!.text);
  assert.match(code ?? "", /^\d{6}$/);
  return { h, code: code! };
}

Deno.test("outbox: anonymous callers get 404 for the page and the JSON, and no mail content", async () => {
  const { h, code } = await withMail();
  for (const path of ["/dev/outbox", JSON_PATH, `/dev/outbox?to=${encodeURIComponent(REG.email)}`]) {
    const res = await get(h, path);
    const body = await res.text();
    assert.equal(res.status, 404, path);
    assert.ok(!body.includes(code), `${path}: the code is not in the answer`);
    assert.ok(!body.includes(REG.email), `${path}: the recipient is not in the answer`);
  }
});

Deno.test("outbox: signed-in clients, teachers, receptionists and guests get 403", async () => {
  const { h, code } = await withMail();
  for (const role of ["client", "teacher", "receptionist", "psychologist", "guest"] as const) {
    const u = await makeUser(role);
    const { cookie } = await signIn(h, u.email ?? u.phone!, u.password);
    for (const path of ["/dev/outbox", JSON_PATH]) {
      const res = await get(h, path, { cookie });
      const body = await res.text();
      assert.equal(res.status, 403, `${role} ${path}`);
      assert.ok(!body.includes(code), `${role}: the code is not in the answer`);
    }
  }
});

Deno.test("outbox: a signed-in admin reads it (page and JSON)", async () => {
  const { h, code } = await withMail();
  const admin = await makeUser("admin");
  const { cookie } = await signIn(h, admin.email!, admin.password);
  let res = await get(h, "/dev/outbox", { cookie });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.match(await res.text(), new RegExp(`class="mail-code" data-code="${code}"`));
  res = await get(h, JSON_PATH, { cookie });
  assert.equal(res.status, 200);
  const json = await res.json();
  assert.equal(json.items.length, 1);
  assert.equal(json.items[0].code, code);
});

Deno.test("outbox: the console key opens it; a wrong, empty or overlong key gets 404", async () => {
  const { h, code } = await withMail();
  const key = outboxKey();
  assert.match(key, /^[A-Za-z0-9_-]{43}$/, "32 random bytes, base64url");
  assert.equal(outboxKey(), key, "one key per process");
  assert.equal(outboxConsoleUrl(), `${config.baseUrl}/dev/outbox?key=${key}`);

  let res = await get(h, `${JSON_PATH}&key=${key}`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).items[0].code, code);
  res = await get(h, `/dev/outbox?key=${key}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, new RegExp(`data-code="${code}"`));
  assert.match(html, new RegExp(`<input type="hidden" name="key" value="${key}"`), "the search form keeps the key");

  const wrong = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");
  const admin = await makeUser("admin");
  const { cookie } = await signIn(h, admin.email!, admin.password);
  for (const k of [wrong, "", "x".repeat(5000), key.toLowerCase() === key ? key.toUpperCase() : key.toLowerCase()]) {
    for (const opts of [{}, { cookie }]) {
      res = await get(h, `${JSON_PATH}&key=${encodeURIComponent(k)}`, opts);
      const body = await res.text();
      assert.equal(res.status, 404, `key ${k.slice(0, 10)}…`);
      assert.ok(!body.includes(code));
    }
  }
});

Deno.test("outbox: 404 for everyone in production mode; no console link with SMTP_URL", async () => {
  const { h } = await withMail();
  const admin = await makeUser("admin");
  const { cookie } = await signIn(h, admin.email!, admin.password);
  Deno.env.set("APP_ENV", "production");
  Deno.env.set("LOG_LEVEL", "warn");
  try {
    assert.equal(outboxConsoleUrl(), null);
    for (const [path, opts] of [[JSON_PATH, { cookie }], [`${JSON_PATH}&key=${outboxKey()}`, {}]] as const) {
      const res = await get(h, path, opts);
      await res.body?.cancel();
      assert.equal(res.status, 404);
    }
  } finally {
    Deno.env.set("APP_ENV", "test");
    Deno.env.delete("LOG_LEVEL");
  }
  Deno.env.set("SMTP_URL", "smtp://127.0.0.1:1");
  try {
    assert.equal(outboxConsoleUrl(), null);
  } finally {
    Deno.env.delete("SMTP_URL");
  }
});

Deno.test("outbox: mail codes, subjects and bodies stay out of the logs (LOG_LEVEL=debug)", async () => {
  const lines: string[] = [];
  const { log: origLog, error: origError, warn: origWarn } = console;
  const capture = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  Deno.env.set("LOG_LEVEL", "debug");
  console.log = console.error = console.warn = capture;
  let codes: string[] = [];
  let texts: string[] = [];
  try {
    const { h, code } = await withMail();
    const u = await makeUser("psychologist");
    const forgot = await postForm(h, "/forgot", { email: u.email! });
    await forgot.body?.cancel();
    let reset = null;
    for (let i = 0; i < 50 && !reset; i++) {
      reset = await lastMailTo(u.email!);
      if (!reset) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(reset, "reset mail stored");
    const res = await get(h, `${JSON_PATH}&key=${outboxKey()}`);
    await res.body?.cancel();
    codes = [code, codeFromText(reset.text)!];
    const first = (await lastMailTo(REG.email))!;
    texts = [first.subject, reset.subject, first.text.split("\n").find((l) => l.length > 20)!];
  } finally {
    console.log = origLog;
    console.error = origError;
    console.warn = origWarn;
    Deno.env.delete("LOG_LEVEL");
  }
  const all = lines.join("\n");
  assert.match(all, /mail stored in the outbox/, "the mail events are logged");
  assert.match(all, /"path":"\/dev\/outbox"/, "the outbox read is logged");
  for (const c of codes) assert.ok(!all.includes(c), `code ${c} not in the logs`);
  for (const t of texts) assert.ok(!all.includes(t), `"${t}" not in the logs`);
  assert.ok(!all.includes(outboxKey()), "the key is not in the request log");
});
