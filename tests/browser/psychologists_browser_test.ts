/**
 * Psychologists pages in real Chromium: the directory and a profile on a phone
 * (no JavaScript, no horizontal scroll, filters by a plain GET form), the
 * application form with files, the admin's review on a laptop, and the
 * psychologist's own editor. With `SCREENSHOTS=<dir>` each page is also written
 * there as a PNG (for looking at them).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { hasChromium, launchBrowser, otpFromOutbox, startServer } from "./harness.ts";
import { seedAccounts } from "@/lib/seed/accounts.ts";
import { seedPsychologists } from "@/lib/seed/psychologists.ts";
import { putAvailability } from "@/lib/availability/store.ts";
import { config } from "@/lib/config.ts";
import { certificatePdf } from "@/lib/seed/psychologists.ts";

const SHOTS = Deno.env.get("SCREENSHOTS");

Deno.test({
  name: "psychologists pages: directory and profile on a phone, application, admin review and editor on a laptop",
  ignore: !hasChromium(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      await seedAccounts();
      const { ids } = await seedPsychologists();
      const weekly = Object.fromEntries(
        ["1", "2", "3", "4", "5", "6"].map((d) => [d, [{ start: "09:00", end: "17:00" }]]),
      );
      for (const id of ids.slice(0, 4)) {
        await putAvailability(id, {
          timeZone: config.timeZone,
          weekly,
          overrides: {},
          bufferBeforeMinutes: 10,
          bufferAfterMinutes: 0,
          minimumNoticeMinutes: 120,
          horizonDays: 30,
          slotIntervalMinutes: null,
        });
      }
      const shot = async (p: import("playwright-core").Page, name: string) => {
        if (SHOTS) await p.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
      };

      // Phone: directory, filters, profile.
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "id-ID" });
      const p = await phone.newPage();
      await p.goto(`${server.url}/psychologists`);
      assert.equal(await p.locator(".psy-card").count(), 12, "first page of 12");
      assert.equal(await p.locator("script[src]").count(), 0, "no JavaScript");
      assert.ok(await p.evaluate(() => document.documentElement.scrollWidth) <= 390, "no horizontal scroll");
      await shot(p, "directory-phone");
      await p.locator("summary", { hasText: "Saring" }).click();
      await p.selectOption("#f-category", "addiction");
      await p.selectOption("#f-sort", "price");
      await p.getByRole("button", { name: "Cari" }).click();
      await p.waitForURL(/category=addiction/);
      const names = await p.locator(".psy-card-name").allInnerTexts();
      assert.deepEqual(names, ["Fajar Nugroho", "I Made Wirawan", "Bagus Santoso"], "addiction, cheapest first");
      await shot(p, "directory-filtered-phone");
      await p.goto(`${server.url}/psychologists/${ids[0]}`);
      assert.match(await p.locator("h1").innerText(), /Sari Wulandari/);
      assert.ok(await p.locator(".psy-slots a").count() >= 6, "next free slots shown");
      // Every slot button shows the day over the time, so all are the same height.
      const heights = await p.locator(".psy-slots a").evaluateAll((as) =>
        as.map((a) => Math.round(a.getBoundingClientRect().height))
      );
      assert.equal(new Set(heights).size, 1, `slot buttons of one height (${heights.join(", ")})`);
      assert.match(await p.locator(".psy-profile").innerText(), /Asia\/Jakarta/);
      assert.ok(await p.evaluate(() => document.documentElement.scrollWidth) <= 390);
      await shot(p, "profile-phone");

      // Application with two files, then e-mail code.
      await p.goto(`${server.url}/psychologists/apply`);
      await shot(p, "apply-phone");
      await p.fill("#f-name", "Larasati Putri");
      await p.fill("#f-email", "larasati@psikolog.test");
      await p.fill("#f-password", "lembayung-senja-di-ujung-bukit");
      if (await p.locator("#f-confirm").count()) await p.fill("#f-confirm", "lembayung-senja-di-ujung-bukit");
      await p.fill("#f-title", "M.Psi., Psikolog");
      await p.fill("#f-licenceNumber", "SIPP 0999-21-2-1");
      await p.getByLabel("Keluarga").check();
      await p.fill("#f-yearsOfExperience", "4");
      await p.fill("#f-languages", "id, en");
      await p.setInputFiles("#f-certificates", [
        { name: "sipp.pdf", mimeType: "application/pdf", buffer: Buffer.from(certificatePdf("SIPP 0999")) },
      ]);
      await p.getByRole("button", { name: "Kirim pengajuan" }).click();
      await p.waitForURL(/\/verify\?email=/);
      const code = await otpFromOutbox(server.kv, "larasati@psikolog.test");
      assert.match(code, /^\d{6}$/);
      await phone.close();

      // Laptop: the admin's queue and review.
      const laptop = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "id-ID" });
      const a = await laptop.newPage();
      await a.goto(`${server.url}/signin`);
      await a.fill("#f-identifier", "admin@demo.test");
      await a.fill("#f-password", config.seedPassword);
      await a.locator("form button[type=submit]").click();
      await a.waitForURL(/\/admin/);
      await a.goto(`${server.url}/admin/psychologists`);
      await shot(a, "admin-list");
      await a.goto(`${server.url}/admin/psychologists/applications`);
      assert.equal(await a.locator("[data-application-id]").count(), 3, "two seeded and the new one");
      await shot(a, "admin-queue");
      await a.locator("a", { hasText: "Larasati Putri" }).click();
      await shot(a, "admin-review");
      await a.getByRole("button", { name: "Setujui" }).click();
      await a.waitForURL(/done=approved/);
      await a.goto(`${server.url}/psychologists?q=larasati`);
      assert.equal(await a.locator(".psy-card").count(), 0, "approved but without services: not listed yet");
      await laptop.close();

      // Laptop: psikolog1 edits the profile and services.
      const own = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "id-ID" });
      const e = await own.newPage();
      await e.goto(`${server.url}/signin`);
      await e.fill("#f-identifier", "psikolog1@demo.test");
      await e.fill("#f-password", config.seedPassword);
      await e.locator("form button[type=submit]").click();
      await e.waitForURL(/\/psychologist/);
      await e.goto(`${server.url}/psychologist/profile`);
      await shot(e, "editor");
      await e.fill("#f-service_price_0", "9000");
      await e.getByRole("button", { name: "Simpan profil" }).click();
      assert.match(await e.locator(".service-error").first().innerText(), /Rp10\.000/);
      await e.fill("#f-service_price_0", "175.000");
      await e.getByRole("button", { name: "Simpan profil" }).click();
      await e.waitForURL(/done=saved/);
      await own.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
