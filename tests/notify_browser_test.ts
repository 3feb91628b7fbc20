/**
 * The header notification bell in real Chromium (docs/domain-rules.md "Notification"): a teacher's open page
 * gets "guest has arrived" without reload after a real check-in — badge, polite live
 * region announcement, a synthesised beep, the `ruangpulih:notification` window event —
 * then the dropdown (aria-expanded), mark read, delete; a second tab of the same browser
 * follows over the relayed stream (one EventSource per browser).
 *
 * Runs once the bell is placed in the header (`routes/_app.tsx` / `components/Header.tsx`)
 * and Chromium is installed.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { hasChromium, launchBrowser, startServer, type TestServer } from "./browser/harness.ts";
import { createUser } from "@/lib/auth/users.ts";
import { laterToday } from "./helpers.ts";

const PASSWORD = "lampu-meja-hijau-9";
const ROOT = new URL("..", import.meta.url).pathname;

/** True when the app shell renders the bell (so this test can see it). */
function bellWired(): boolean {
  for (const f of ["routes/_app.tsx", "components/Header.tsx", "routes/_layout.tsx"]) {
    try {
      if (Deno.readTextFileSync(ROOT + f).includes("NotificationBell")) return true;
    } catch { /* missing file */ }
  }
  return false;
}

async function signIn(page: Page, base: string, identifier: string, password: string) {
  await page.goto(`${base}/signin`);
  await page.fill('input[name="identifier"]', identifier);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForNavigation(), page.click('form button[type="submit"]')]);
}

/** Counts oscillators started (the beep) and records `ruangpulih:notification` events. */
const INSTRUMENT = `
  window.__beeps = 0;
  window.__events = [];
  addEventListener("ruangpulih:notification", (e) => window.__events.push(e.detail));
  const C = window.AudioContext;
  if (C) {
    window.AudioContext = class extends C {
      createOscillator() { window.__beeps++; return super.createOscillator(); }
    };
  }
`;

Deno.test({
  name:
    "browser: the teacher's bell shows a check-in live (badge, announcement, beep, event), mark read, delete, second tab",
  ignore: !hasChromium() || !bellWired(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    let server: TestServer | null = null;
    let browser: Browser | null = null;
    try {
      server = await startServer();
      browser = await launchBrowser(["--autoplay-policy=no-user-gesture-required"]);
      const teacher = await createUser({
        role: "teacher",
        name: "Bu Ratna",
        email: "ratna@sekolah.test",
        password: PASSWORD,
        status: "active",
      });
      const desk = await createUser({
        role: "receptionist",
        name: "Pak Joko",
        email: "joko@sekolah.test",
        password: PASSWORD,
        status: "active",
      });
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "id-ID" });
      await context.addInitScript(INSTRUMENT);
      const page = await context.newPage();
      await signIn(page, server.url, teacher.email!, PASSWORD);
      const button = page.locator("button.notify-button");
      await button.waitFor({ timeout: 10_000 });
      assert.equal(await button.getAttribute("aria-expanded"), "false");
      assert.equal(await page.locator(".notify-count").count(), 0);
      // A user gesture unlocks audio; then wait until the stream is live (its first event arrived).
      await page.mouse.click(5, 300);
      await page.locator('.notify[data-stream="live"]').waitFor({ timeout: 10_000 });

      const { createAppointment, checkIn } = await import("@/lib/guestbook/mod.ts");
      const created = await createAppointment(
        {
          guestName: "Dewi Lestari",
          guestPhone: "081377788899",
          purpose: "Konsultasi nilai",
          startsAt: laterToday(5),
        },
        { id: teacher.id, role: "teacher" },
        new Date(),
        { email: false },
      );
      await checkIn(created.qrCode, { id: desk.id, role: "receptionist" });

      await page.locator(".notify-count").waitFor({ timeout: 5_000 });
      assert.equal((await page.textContent(".notify-count"))?.trim(), "1");
      assert.match(await button.getAttribute("aria-label") ?? "", /1 belum dibaca/);
      await page.waitForFunction(
        () => document.querySelector('.notify [role="status"]')?.textContent?.includes("Dewi Lestari"),
        null,
        { timeout: 5_000 },
      );
      assert.equal(
        (await page.textContent('.notify [role="status"]'))?.trim(),
        "Tamu Dewi Lestari telah tiba untuk Konsultasi nilai",
      );
      const events = await page.evaluate(() =>
        (window as unknown as { __events: { kind: string; data: { appointmentId: string } }[] }).__events
      );
      assert.equal(events.length, 1);
      assert.equal(events[0].kind, "guest_arrived");
      assert.equal(events[0].data.appointmentId, created.appointment.id);
      assert.ok(
        await page.evaluate(() => (window as unknown as { __beeps: number }).__beeps) >= 1,
        "a beep was synthesised",
      );

      // A second tab of the same browser follows (relayed from the first tab's stream).
      const tab2 = await context.newPage();
      await tab2.goto(`${server.url}/home`);
      await tab2.locator('.notify[data-stream="live"]').waitFor({ timeout: 5_000 });
      await tab2.locator(".notify-count").waitFor({ timeout: 5_000 });

      // Dropdown: keyboard and ARIA.
      await button.click();
      assert.equal(await button.getAttribute("aria-expanded"), "true");
      const item = page.locator(".notify-item").first();
      await item.waitFor({ timeout: 5_000 });
      assert.match(await item.textContent() ?? "", /Dewi Lestari[\s\S]*Tiba pukul \d\d\.\d\d · Tepat waktu/);
      await item.getByRole("button", { name: "Tandai dibaca" }).click();
      await page.locator(".notify-count").waitFor({ state: "detached", timeout: 5_000 });
      await tab2.locator(".notify-count").waitFor({ state: "detached", timeout: 5_000 });
      await item.getByRole("button", { name: "Hapus" }).click();
      await page.locator(".notify-empty").waitFor({ timeout: 5_000 });
      await page.keyboard.press("Escape");
      assert.equal(await button.getAttribute("aria-expanded"), "false");
      assert.ok(await button.evaluate((b) => b === document.activeElement), "focus returns to the bell");
      await context.close();
    } finally {
      await browser?.close();
      await server?.stop();
    }
  },
});
