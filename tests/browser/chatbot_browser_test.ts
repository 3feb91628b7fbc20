/**
 * CnBuddy in real Chromium on a phone (390×844), signed out: with JavaScript a
 * question and its answer stack up in the conversation without leaving the
 * page (Enter sends, a topic chip sends), a crisis message opens the crisis
 * panel (119, a psychologist, 119 ext 8, healing119.id) that stays for the
 * rest of the conversation and has no control to close it (while the
 * conversation scrolls, 119 and a psychologist stay on screen); without
 * JavaScript the same form posts to `/chatbot` and the page renders the
 * answer and the panel. Nothing sticks out of the window.
 *
 * Screenshots (PNG) go to `UX_SCREENSHOTS` when that directory is set.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { translate } from "@/lib/i18n/mod.ts";
import { hasChromium, launchBrowser, startServer } from "./harness.ts";

const SHOTS = Deno.env.get("UX_SCREENSHOTS") ?? null;
const PHONE = { width: 390, height: 844 };

async function noOverflow(page: Page, what: string) {
  const w = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(w[0] <= w[1], `${what}: scrollWidth ${w[0]} > ${w[1]}`);
}

Deno.test({
  name: "browser: CnBuddy on a phone — conversation, topic chips, persistent crisis panel, and the no-JavaScript form",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    Deno.env.set("TRUST_PROXY", "0");
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      const ctx = await browser.newContext({ viewport: PHONE, locale: "id-ID" });
      const page = await ctx.newPage();
      await page.goto(`${server.url}/chatbot`);
      await page.waitForSelector('[data-testid="cnbuddy"][data-hydrated="true"]');
      const box = page.locator("#cnbuddy-message");
      await box.fill("gue susah tidur bgt");
      await box.press("Enter");
      await page.waitForSelector('.cnbuddy-msg[data-intent="sleep"]');
      assert.equal(new URL(page.url()).pathname, "/chatbot", "answered in place");
      assert.equal(await box.inputValue(), "", "the box is emptied");
      // A topic chip sends its question; the earlier answer stays.
      await page.locator(".cnbuddy-chip", { hasText: translate("id", "chatbot.suggest.self_care") }).click();
      await page.waitForSelector('.cnbuddy-msg[data-intent="self_care"]');
      assert.equal(await page.locator('.cnbuddy-msg[data-from="bot"][data-intent]').count(), 2);
      assert.equal(await page.locator('[data-testid="cnbuddy-crisis"]').count(), 0);
      await noOverflow(page, "conversation");
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/chatbot-phone.png`, fullPage: true });

      // Crisis: the panel appears with the lines and stays after the next question.
      await box.fill("aku udah gak kuat hidup lagi");
      await page.locator('.cnbuddy-form button[type="submit"]').click();
      const panel = page.locator('[data-testid="cnbuddy-crisis"]');
      await panel.waitFor();
      for (const href of ["tel:119", "/psychologists", "tel:119,8", "https://healing119.id"]) {
        assert.equal(await panel.locator(`a[href="${href}"]`).count(), 1, href);
      }
      assert.ok((await panel.textContent())?.includes(translate("id", "chatbot.crisis.psychologist")));
      assert.equal(await panel.locator("button").count(), 0, "nothing in the panel closes it");
      assert.equal(await page.locator('.cnbuddy-msg[data-intent="crisis"]').count(), 1);
      await box.fill("makasih ya");
      await box.press("Enter");
      await page.waitForSelector('.cnbuddy-msg[data-intent="thanks"]');
      assert.ok(await panel.isVisible(), "the panel stays for the rest of the conversation");
      // Scrolled to the newest answer, 119 and a psychologist are still on screen, under the header.
      await page.locator('.cnbuddy-msg[data-intent="thanks"]').scrollIntoViewIfNeeded();
      const bar = await page.locator('[data-testid="cnbuddy-crisis-bar"]').boundingBox();
      const header = await page.locator(".site-header").boundingBox();
      assert.ok(
        bar && header && bar.y >= header.y + header.height - 1 && bar.y + bar.height <= PHONE.height,
        `bar at ${bar?.y}`,
      );
      assert.equal(await page.locator('[data-testid="cnbuddy-crisis-bar"] a[href="tel:119"]').count(), 1);
      await noOverflow(page, "crisis");
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/chatbot-phone-crisis.png`, fullPage: false });

      // An empty message is refused in place with the field error.
      await box.fill("   ");
      await box.press("Enter");
      assert.equal(await page.locator('.cnbuddy-msg[data-from="bot"][data-intent]').count(), 4, "nothing sent");
      await ctx.close();

      // Without JavaScript: the form posts to /chatbot, the page renders the answer, then the crisis panel.
      const plain = await browser.newContext({ viewport: PHONE, locale: "en-GB", javaScriptEnabled: false });
      const p2 = await plain.newPage();
      await p2.goto(`${server.url}/chatbot`);
      await p2.fill("#cnbuddy-message", "how much does a session cost?");
      await Promise.all([p2.waitForNavigation(), p2.click('.cnbuddy-form button[type="submit"]')]);
      assert.equal(await p2.locator('.cnbuddy-msg[data-intent="pricing"]').count(), 1);
      await Promise.all([
        p2.waitForNavigation(),
        p2.locator(".cnbuddy-chip").first().click(),
      ]);
      assert.equal(await p2.locator('.cnbuddy-msg[data-from="bot"][data-intent]').count(), 1, "a chip posts too");
      await p2.fill("#cnbuddy-message", "i want to end it all");
      await Promise.all([p2.waitForNavigation(), p2.click('.cnbuddy-form button[type="submit"]')]);
      assert.equal(await p2.locator('[data-testid="cnbuddy-crisis"] a[href="tel:119"]').count(), 1);
      assert.match(await p2.locator('[data-testid="cnbuddy-crisis"]').textContent() ?? "", /healing119\.id/);
      await noOverflow(p2, "no-JS crisis");
      if (SHOTS) await p2.screenshot({ path: `${SHOTS}/chatbot-phone-nojs-crisis.png`, fullPage: true });
      await plain.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
