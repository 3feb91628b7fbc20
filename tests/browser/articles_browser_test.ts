/**
 * Articles in real Chromium: the admin editor's live preview (the one island)
 * shows the server-sanitised HTML as the admin types — an XSS payload typed
 * into the body never runs — and the article page on a phone has no script
 * element and no horizontal scroll.
 */
import assert from "node:assert/strict";
import { createUser } from "@/lib/auth/users.ts";
import { createArticle } from "@/lib/articles/store.ts";
import { hasChromium, launchBrowser, startServer } from "./harness.ts";

Deno.test({
  name: "browser: the editor preview is live and sanitised; the article page ships no script on a phone",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer();
    const base = server.url;
    const password = "admin-artikel-123";
    const admin = await createUser({ role: "admin", name: "Admin Editor", email: "editor@art.test", password });
    await createArticle({
      title: "Tidur nyenyak",
      lang: "id",
      body: "## Kebiasaan\n\n" + "Tidur pada jam yang sama setiap hari. ".repeat(60) + "\n\n" + "a".repeat(300),
      tags: ["tidur"],
      status: "published",
    }, admin);
    const browser = await launchBrowser();
    try {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "id-ID" });
      const page = await ctx.newPage();
      const alerts: string[] = [];
      page.on("dialog", (d) => {
        alerts.push(d.message());
        d.dismiss().catch(() => {});
      });
      await page.goto(`${base}/signin`);
      await page.fill('input[name="identifier"]', "editor@art.test");
      await page.fill('input[name="password"]', password);
      await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
      await page.goto(`${base}/admin/articles/new`);
      const preview = page.locator('[data-testid="article-preview"]');
      await page.locator("#f-body").fill(
        '## Judul kecil\n\n**tebal** <img src=x onerror="alert(1)"> <script>alert(2)</script>',
      );
      await page.waitForSelector('[data-testid="article-preview"][data-state="ok"]', { timeout: 10_000 });
      assert.equal(await preview.locator("h2").textContent(), "Judul kecil");
      assert.equal(await preview.locator("strong").textContent(), "tebal");
      assert.equal(await preview.locator("script").count(), 0);
      assert.equal(await preview.locator("img[onerror]").count(), 0);
      await page.waitForTimeout(300);
      assert.deepEqual(alerts, [], "nothing typed ran");
      await ctx.close();

      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "id-ID" });
      const p = await phone.newPage();
      await p.goto(`${base}/articles/tidur-nyenyak`);
      assert.equal(await p.locator("script").count(), 0, "no script element on the article page");
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `article page ${width}px wide on a 390px phone`);
      await p.goto(`${base}/articles`);
      assert.equal(await p.locator("script").count(), 0, "no script element on the list");
      assert.ok(await p.evaluate(() => document.documentElement.scrollWidth) <= 390);
      await phone.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
