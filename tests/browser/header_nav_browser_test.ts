/**
 * The header at laptop widths (components/Header.tsx, static/base.css "Header"): one row for
 * the client, psychologist and admin menus at 1120 and 1280 px in Indonesian and English (they
 * wrapped onto two rows before the "Lainnya" drop-down); the drop-down opens by keyboard without
 * JavaScript and holds the role's secondary links; on a phone the menu lists them as plain items.
 * With JavaScript (islands/HeaderMenus.tsx) Escape, a click outside and tabbing away close the menus.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { createUser } from "@/lib/auth/users.ts";
import { hasChromium, launchBrowser, startServer } from "./harness.ts";

async function signIn(page: Page, base: string, identifier: string, password: string) {
  await page.goto(`${base}/signin`);
  await page.fill('input[name="identifier"]', identifier);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
}

Deno.test({
  name: "browser: header stays one row at 1120/1280 px for every role and language; 'more' works by keyboard",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer();
    const password = "nav-rahasia-123";
    for (const role of ["client", "psychologist", "admin"] as const) {
      await createUser({ role, name: `Nav ${role}`, email: `${role}@nav.test`, password });
    }
    const browser = await launchBrowser();
    try {
      for (const role of ["client", "psychologist", "admin"] as const) {
        for (const locale of ["id-ID", "en-GB"]) {
          const ctx = await browser.newContext({
            viewport: { width: 1280, height: 800 },
            locale,
            javaScriptEnabled: false,
          });
          await ctx.addCookies([{ name: "lang", value: locale.slice(0, 2), url: server.url }]);
          const page = await ctx.newPage();
          await signIn(page, server.url, `${role}@nav.test`, password);
          await page.goto(`${server.url}/profile`);
          for (const width of [1120, 1280]) {
            await page.setViewportSize({ width, height: 800 });
            const h = await page.locator(".site-header").evaluate((e) => e.getBoundingClientRect().height);
            assert.ok(h <= 64, `${role} ${locale} ${width}px: header is ${h}px tall`);
            assert.equal(await page.locator("summary.menu-toggle").isVisible(), false, "no hamburger on a laptop");
          }
          // "Profil" lives in the drop-down: its summary is marked, the list opens with Enter.
          assert.equal(await page.locator("summary.nav-more-toggle.is-current").count(), 1, `${role}: more marked`);
          const item = page.locator('.nav-more-list a[href="/profile"]');
          assert.equal(await item.isVisible(), false, "drop-down closed at first");
          await page.focus("summary.nav-more-toggle");
          await page.keyboard.press("Enter");
          assert.ok(await item.isVisible(), `${role}: Enter opens the drop-down`);
          assert.equal(await item.getAttribute("aria-current"), "page");
          assert.equal(await page.locator('.nav-extra a[href="/profile"]').isVisible(), false, "phone copy hidden");
          // Phone: the same link is a plain menu item, the drop-down is gone.
          await page.setViewportSize({ width: 375, height: 812 });
          await page.click("summary.menu-toggle");
          assert.ok(await page.locator('.nav-extra a[href="/profile"]').isVisible(), `${role}: phone lists it`);
          assert.equal(await page.locator("summary.nav-more-toggle").isVisible(), false, "no drop-down on a phone");
          await ctx.close();
        }
      }
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});

Deno.test({
  name: "browser: Escape, a click outside and tabbing away close the 'more' drop-down; Escape closes the phone menu",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer();
    const password = "nav-rahasia-123";
    await createUser({ role: "admin", name: "Nav admin", email: "admin@menus.test", password });
    const browser = await launchBrowser();
    try {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "id-ID" });
      const page = await ctx.newPage();
      await signIn(page, server.url, "admin@menus.test", password);
      await page.goto(`${server.url}/admin`);
      await page.waitForLoadState("networkidle");
      const more = page.locator("details.nav-more");
      const summary = page.locator("summary.nav-more-toggle");
      const isOpen = () => more.evaluate((d) => (d as HTMLDetailsElement).open);

      // Escape: closes and hands focus back to the summary.
      await summary.focus();
      await page.keyboard.press("Enter");
      assert.equal(await isOpen(), true, "Enter opens the drop-down");
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement?.closest(".nav-more-list") !== null), true);
      await page.keyboard.press("Escape");
      assert.equal(await isOpen(), false, "Escape closes the drop-down");
      assert.equal(
        await page.evaluate(() => document.activeElement?.classList.contains("nav-more-toggle")),
        true,
        "focus is back on the summary",
      );

      // A click outside closes it; a click inside the list does not.
      await summary.click();
      assert.equal(await isOpen(), true);
      await page.locator(".nav-more-list").click({ position: { x: 4, y: 4 } });
      assert.equal(await isOpen(), true, "a click inside keeps it open");
      await page.locator("main h1").first().click();
      assert.equal(await isOpen(), false, "a click outside closes it");

      // Tabbing past the last item closes it.
      await summary.focus();
      await page.keyboard.press("Enter");
      const items = await page.locator(".nav-more-list a").count();
      for (let i = 0; i < items; i++) await page.keyboard.press("Tab");
      assert.equal(await isOpen(), true, "still open on its last item");
      await page.keyboard.press("Tab");
      assert.equal(await isOpen(), false, "focus left the list: closed");

      // Phone: the menu closes on Escape too.
      await page.setViewportSize({ width: 390, height: 844 });
      const menu = page.locator("details.site-menu");
      await page.click("summary.menu-toggle");
      assert.equal(await menu.evaluate((d) => (d as HTMLDetailsElement).open), true);
      await page.keyboard.press("Escape");
      assert.equal(await menu.evaluate((d) => (d as HTMLDetailsElement).open), false, "Escape closes the menu");
      await page.click("summary.menu-toggle");
      await page.locator("main").click({ position: { x: 10, y: 700 } });
      assert.equal(await menu.evaluate((d) => (d as HTMLDetailsElement).open), false, "a tap outside closes it");
      await ctx.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
