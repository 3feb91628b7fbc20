/**
 * Real Chromium against the real app over HTTP:
 * register on a phone-sized screen → 6-digit code from the outbox → signed in;
 * a staff account's first sign-in forces a password change; a wrong role gets
 * the 403 page; the language switch turns the UI into English and back.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { createUser } from "@/lib/auth/users.ts";
import { hasChromium, launchBrowser, otpFromOutbox, startServer, type TestServer } from "./harness.ts";

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1440, height: 900 };

async function signIn(page: Page, base: string, identifier: string, password: string) {
  await page.goto(`${base}/signin`);
  await page.fill('input[name="identifier"]', identifier);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
}

function browserTest(name: string, fn: (ctx: { server: TestServer; browser: Browser }) => Promise<void>) {
  Deno.test({
    name,
    ignore: !hasChromium(),
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const server = await startServer();
      const browser = await launchBrowser();
      try {
        await fn({ server, browser });
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  });
}

browserTest(
  "browser: a client registers on a phone, verifies the e-mail code and is signed in",
  async ({ server, browser }) => {
    const page = await browser.newPage({ viewport: PHONE, locale: "id-ID" });
    await page.goto(`${server.url}/register`);
    assert.equal(await page.getAttribute("html", "lang"), "id");
    await page.fill('input[name="name"]', "Sari Wulandari");
    await page.selectOption('select[name="gender"]', "female");
    await page.fill('input[name="birthDate"]', "2000-01-15");
    await page.fill('input[name="email"]', "sari@example.test");
    await page.fill('input[name="password"]', "kopi-susu-hangat-7");
    await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
    assert.match(page.url(), /\/verify/);
    const code = await otpFromOutbox(server.kv, "sari@example.test");
    await page.fill('input[name="code"]', code);
    await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]:not([value="resend"])')]);
    assert.match(new URL(page.url()).pathname, /^\/client/);
    assert.match(await page.textContent("body") ?? "", /Sari/);
    assert.equal(await page.locator('form[action="/signout"]').count(), 1, "signed in: a sign-out button is shown");
    // A wrong code is refused with a translated message, not a 500.
    const other = await browser.newPage({ viewport: PHONE, locale: "id-ID" });
    await other.goto(`${server.url}/register`);
    await other.fill('input[name="name"]', "Budi");
    await other.selectOption('select[name="gender"]', "male");
    await other.fill('input[name="birthDate"]', "1999-05-05");
    await other.fill('input[name="email"]', "budi@example.test");
    await other.fill('input[name="password"]', "teh-manis-dingin-9");
    await Promise.all([other.waitForNavigation(), other.click('main form button[type="submit"]')]);
    const good = await otpFromOutbox(server.kv, "budi@example.test");
    const wrong = good === "000000" ? "111111" : "000000";
    await other.fill('input[name="code"]', wrong);
    const [res] = await Promise.all([
      other.waitForNavigation(),
      other.click('main form button[type="submit"]:not([value="resend"])'),
    ]);
    assert.ok(res && res.status() >= 400 && res.status() < 500, `wrong code → 4xx, got ${res?.status()}`);
    assert.ok(await other.locator(".field-error, .alert-error").count() > 0);
  },
);

browserTest("browser: a staff account's first sign-in forces a password change", async ({ server, browser }) => {
  await createUser({
    role: "teacher",
    name: "Guru Baru",
    email: "guru.baru@example.test",
    password: "sementara-123",
    mustChangePassword: true,
  });
  const page = await browser.newPage({ viewport: LAPTOP, locale: "id-ID" });
  await signIn(page, server.url, "guru.baru@example.test", "sementara-123");
  assert.match(page.url(), /\/first-password/);
  // Other pages redirect back until the password is changed.
  await page.goto(`${server.url}/teacher`);
  assert.match(page.url(), /\/first-password/);
  await page.fill('input[name="password"]', "rahasia-baru-sekali");
  await page.fill('input[name="confirm"]', "rahasia-baru-sekali");
  await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
  assert.doesNotMatch(page.url(), /first-password/);
  await page.goto(`${server.url}/teacher`);
  assert.match(new URL(page.url()).pathname, /^\/teacher/);
});

browserTest("browser: a wrong role gets the 403 page; the language switch works", async ({ server, browser }) => {
  await createUser({
    role: "teacher",
    name: "Guru Satu",
    email: "guru.satu@example.test",
    password: "guru-satu-rahasia",
  });
  const page = await browser.newPage({ viewport: LAPTOP, locale: "id-ID" });
  await signIn(page, server.url, "guru.satu@example.test", "guru-satu-rahasia");
  const res = await page.goto(`${server.url}/admin`);
  assert.equal(res?.status(), 403);
  assert.match(await page.textContent("main") ?? "", /Akses ditolak/);
  await page.click("a.lang-switch");
  await page.waitForLoadState();
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.match(await page.textContent("main") ?? "", /Access denied/);
  await page.click("a.lang-switch");
  await page.waitForLoadState();
  assert.equal(await page.getAttribute("html", "lang"), "id");
});
