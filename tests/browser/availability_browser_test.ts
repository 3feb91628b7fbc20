/**
 * The availability editor in real Chromium on a laptop: the live preview (the
 * one island) follows the form as the psychologist edits it — same slot
 * function as booking, zone named — and saving works; without JavaScript the
 * form still saves and adds rows. Screenshots (PNG) go to `UX_SCREENSHOTS`
 * when that directory is set.
 */
import assert from "node:assert/strict";
import { createUser } from "@/lib/auth/users.ts";
import { createPsychologistProfile } from "@/lib/psychologists/store.ts";
import { getAvailability, putAvailability } from "@/lib/availability/store.ts";
import { hasChromium, launchBrowser, startServer } from "./harness.ts";

const SHOTS = Deno.env.get("UX_SCREENSHOTS");

Deno.test({
  name: "browser: availability editor — live preview follows edits, saves; works without JavaScript",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer();
    const base = server.url;
    const password = "psikolog-jadwal-123";
    const user = await createUser({
      role: "psychologist",
      name: "Dr. Sari",
      email: "sari@avail.test",
      password,
      status: "active",
      mustChangePassword: false,
    });
    await createPsychologistProfile(user.id, {
      name: "Sari Wulandari",
      title: "M.Psi., Psikolog",
      specialisations: ["anxiety"],
      education: ["Magister Psikologi Profesi, UI"],
      licenceNumber: "SIPP 0117-18-2-1",
      practicePlace: "Jakarta",
      yearsOfExperience: 6,
      languages: ["id"],
      bio: "Psikolog klinis.",
      services: [{ type: "video", durationMinutes: 60, priceIdr: 300_000 }],
    }, { verification: "verified", photoFileId: null });
    await putAvailability(user.id, {
      timeZone: "Asia/Jakarta",
      weekly: Object.fromEntries(["1", "2", "3", "4", "5"].map((d) => [d, [{ start: "09:00", end: "12:00" }]])),
      overrides: {},
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 15,
      minimumNoticeMinutes: 120,
      horizonDays: 30,
      slotIntervalMinutes: null,
    });
    const browser = await launchBrowser();
    try {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "id-ID" });
      const page = await ctx.newPage();
      await page.goto(`${base}/signin`);
      await page.fill('input[name="identifier"]', "sari@avail.test");
      await page.fill('input[name="password"]', password);
      await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
      await page.goto(`${base}/psychologist/availability`);
      const preview = page.locator('[data-testid="avail-preview"]');
      await page.waitForSelector('[data-testid="avail-preview"]');
      assert.match(await preview.textContent() ?? "", /Asia\/Jakarta/);
      const first = await preview.locator("li time").first().getAttribute("datetime");
      assert.match(first ?? "", /T(09|10|11):00:00\+07:00$/);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/availability-laptop.png`, fullPage: true });

      // Switch the zone to Kolkata and make Monday–Friday evening hours: the preview follows.
      await page.selectOption("#f-timeZone", "Asia/Kolkata");
      for (const d of ["1", "2", "3", "4", "5"]) {
        await page.fill(`input[name="w${d}.0.start"]`, "18:00");
        await page.fill(`input[name="w${d}.0.end"]`, "20:00");
      }
      await page.waitForFunction(
        () => {
          const el = document.querySelector('[data-testid="avail-preview"]');
          const t = el?.querySelector("li time")?.getAttribute("datetime") ?? "";
          return el?.getAttribute("data-state") === "ok" && /T1[89]:00:00\+05:30$/.test(t);
        },
        undefined,
        { timeout: 10_000 },
      );
      assert.match(await preview.textContent() ?? "", /Asia\/Kolkata/);
      // An invalid range shows the preview's error state, not stale slots as if valid.
      await page.fill('input[name="w1.0.end"]', "17:00");
      await page.waitForSelector('[data-testid="avail-preview"][data-state="error"]', { timeout: 10_000 });
      await page.fill('input[name="w1.0.end"]', "20:00");
      await page.waitForSelector('[data-testid="avail-preview"][data-state="ok"]', { timeout: 10_000 });
      // Press Enter in a field: the form saves (the first submit button is "save", not a row's "remove").
      await Promise.all([page.waitForNavigation(), page.press('input[name="horizonDays"]', "Enter")]);
      assert.match(page.url(), /done=saved/);
      const a = await getAvailability(user.id);
      assert.equal(a.timeZone, "Asia/Kolkata");
      assert.deepEqual(a.weekly["3"], [{ start: "18:00", end: "20:00" }]);
      await ctx.close();

      // Without JavaScript: add a special date row and save a day off.
      const nojs = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        javaScriptEnabled: false,
        locale: "id-ID",
      });
      const p = await nojs.newPage();
      await p.goto(`${base}/signin`);
      await p.fill('input[name="identifier"]', "sari@avail.test");
      await p.fill('input[name="password"]', password);
      await Promise.all([p.waitForNavigation(), p.click('main form button[type="submit"]')]);
      await p.goto(`${base}/psychologist/availability`);
      await Promise.all([p.waitForNavigation(), p.click('button[value="add:o"]')]);
      // One empty row is always offered; "add" gives a second.
      assert.equal(await p.locator('input[name^="o."][name$=".date"]').count(), 2);
      const day = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
      await p.fill('input[name="o.0.date"]', day);
      await Promise.all([p.waitForNavigation(), p.click('.form-actions button[value="save"]')]);
      assert.match(p.url(), /done=saved/);
      assert.deepEqual((await getAvailability(user.id)).overrides[day], []);
      // Errors show next to their fields, nothing saved.
      await p.fill('input[name="w2.0.end"]', "17:00");
      await p.fill('input[name="bufferAfterMinutes"]', "7");
      await Promise.all([p.waitForNavigation(), p.click('.form-actions button[value="save"]')]);
      assert.equal(await p.locator("#err-w2\\.0\\.end").textContent(), "Jam selesai harus setelah jam mulai.");
      assert.equal(await p.locator("#err-bufferAfterMinutes").textContent(), "Jeda harus 0–120 menit, kelipatan 5.");
      assert.deepEqual((await getAvailability(user.id)).weekly["2"], [{ start: "18:00", end: "20:00" }]);
      if (SHOTS) await p.screenshot({ path: `${SHOTS}/availability-errors.png`, fullPage: true });
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 1280, `page ${width}px wide`);
      await nojs.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
