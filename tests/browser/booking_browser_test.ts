/**
 * The counselling flow in real Chromium, as its users do it: klien1 on a
 * phone opens the directory, finds psikolog1, picks a free slot on the
 * profile, books it, pays on the built-in Midtrans sandbox page (QRIS; the
 * sandbox sends the signed notification over real HTTP) and lands back on the
 * booking, paid; psikolog1 on a laptop confirms it from the sessions list;
 * both then see it confirmed.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { config } from "@/lib/config.ts";
import { seedAccounts } from "@/lib/seed/accounts.ts";
import { seedPsychologists } from "@/lib/seed/psychologists.ts";
import { putAvailability } from "@/lib/availability/store.ts";
import { getUserByEmail } from "@/lib/auth/users.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import { hasChromium, launchBrowser, startServer } from "./harness.ts";

async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/signin`);
  await page.fill('input[name="identifier"]', email);
  await page.fill('input[name="password"]', config.seedPassword);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
}

Deno.test({
  name: "browser: klien1 books and pays on a phone, psikolog1 confirms on a laptop, both see confirmed",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer();
    const base = server.url;
    await seedAccounts();
    await seedPsychologists();
    const psy = (await getUserByEmail("psikolog1@demo.test"))!;
    const day = [{ start: "00:00", end: "24:00" }];
    await putAvailability(psy.id, {
      timeZone: "Asia/Jakarta",
      weekly: Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, day])),
      overrides: {},
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      minimumNoticeMinutes: 120,
      horizonDays: 30,
      slotIntervalMinutes: 30,
    });
    const browser = await launchBrowser();
    try {
      const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "id-ID" }))
        .newPage();
      await signIn(phone, base, "klien1@demo.test");
      await phone.goto(`${base}/psychologists?q=Sari`);
      await Promise.all([phone.waitForNavigation(), phone.click(`a[href="/psychologists/${psy.id}"]`)]);
      // The profile lists the next free slots per service; take the first one.
      await Promise.all([phone.waitForNavigation(), phone.click(`a[href^="/psychologists/${psy.id}/book?"]`)]);
      assert.ok(await phone.isVisible("#summary"), "the summary of the chosen slot is shown");
      const noScroll = await phone.evaluate(() => document.documentElement.scrollWidth <= 390);
      assert.ok(noScroll, "the booking page does not scroll sideways on a phone");
      await Promise.all([phone.waitForNavigation(), phone.click('#summary button[type="submit"]')]);
      assert.match(phone.url(), /\/sandbox\/midtrans\//, "sent to the payment page");
      await Promise.all([phone.waitForNavigation(), phone.click('a[href*="method=qris"]')]);
      assert.ok(await phone.isVisible(".snap-qr svg, .snap-qr [role=img]"), "a QRIS code is shown");
      await Promise.all([
        phone.waitForNavigation(),
        phone.click('form:has(input[name="outcome"][value="settlement"]) button'),
      ]);
      assert.match(phone.url(), /\/client\/bookings\/[0-9A-Z]{26}/, "back on the booking");
      const bookingUrl = phone.url().split("?")[0];
      assert.match(await phone.textContent("main") ?? "", /Dibayar, menunggu konfirmasi/);
      // The booking's facts (long status badge, order number) stay inside their card on the phone.
      const sticking = await phone.evaluate(() =>
        Array.from(document.querySelectorAll(".fact dd")).filter((dd) =>
          dd.getBoundingClientRect().right > dd.closest(".card")!.getBoundingClientRect().right
        ).map((dd) => dd.textContent)
      );
      assert.deepEqual(sticking, [], "no fact value sticks out of the card");

      const laptop = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "id-ID" }))
        .newPage();
      await signIn(laptop, base, "psikolog1@demo.test");
      await laptop.goto(`${base}/psychologist/bookings`);
      const row = laptop.locator(".to-confirm a.booking-link").first();
      assert.match(await row.textContent() ?? "", /Budi Santoso/);
      await Promise.all([laptop.waitForNavigation(), row.click()]);
      await Promise.all([
        laptop.waitForNavigation(),
        laptop.click('form:has(input[name="action"][value="confirm"]) button'),
      ]);
      assert.match(await laptop.textContent(".page-header") ?? "", /Dikonfirmasi/);

      await phone.goto(bookingUrl);
      assert.match(await phone.textContent(".page-header") ?? "", /Dikonfirmasi/);
      await phone.goto(`${base}/client/bookings`);
      assert.match(await phone.textContent(".booking-list") ?? "", /Dikonfirmasi/);
      await bookingMailIdle();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
