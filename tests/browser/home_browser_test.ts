/**
 * The public home page and `/help` in real Chromium on a phone (390×844), a
 * tablet (1024×768) and a laptop (1366×800), in both languages: no horizontal
 * scroll (`document.documentElement.scrollWidth` ≤ the window), no script
 * element in the page, the footer's help link visible at the bottom and
 * leading to `/help`; the latest 3 articles (one with a long unbroken word in
 * its title) fit the window too.
 *
 * Screenshots (PNG) go to `UX_SCREENSHOTS` when that directory is set.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { translate } from "@/lib/i18n/mod.ts";
import { createUser } from "@/lib/auth/users.ts";
import { createArticle } from "@/lib/articles/store.ts";
import { saveFile } from "@/lib/files/store.ts";
import { PNG } from "pngjs";
import { hasChromium, launchBrowser, startServer } from "./harness.ts";

const SIZES = {
  phone: { width: 390, height: 844 },
  tablet: { width: 1024, height: 768 },
  laptop: { width: 1366, height: 800 },
} as const;
const SHOTS = Deno.env.get("UX_SCREENSHOTS") ?? null;

/** The page's scroll width and the first element sticking out on the right (for the message). */
async function overflow(page: Page): Promise<{ scrollWidth: number; culprit: string | null }> {
  return await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    let culprit: string | null = null;
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect();
      if (r.right > w + 1 && getComputedStyle(el).position !== "fixed") {
        culprit = `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} right=${Math.round(r.right)}`;
        break;
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, culprit };
  });
}

/** A `w`×`h` PNG cover (a green gradient), made here with pngjs. */
function coverPng(w = 320, h = 180): Uint8Array {
  const img = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const at = (y * w + x) * 4;
      img.data[at] = 47 + Math.round((x / w) * 60);
      img.data[at + 1] = 125 + Math.round((y / h) * 80);
      img.data[at + 2] = 109;
      img.data[at + 3] = 255;
    }
  }
  return new Uint8Array(PNG.sync.write(img));
}

Deno.test({
  name:
    "browser: home and help on phone, tablet and laptop — no horizontal scroll, no scripts, help link in the footer",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer();
    const base = server.url;
    const admin = await createUser({
      role: "admin",
      name: "Admin Artikel",
      email: "artikel@home.test",
      password: "home-rahasia-123",
    });
    const cover = await saveFile(coverPng(), "article_cover", admin);
    const titles = ["Tidur nyenyak di malam yang panjang", "Napas dalam saat cemas", "Kesehatanmental".repeat(5)];
    for (const [i, title] of titles.entries()) {
      await createArticle({
        title,
        lang: "id",
        body: "Tarik napas perlahan. ".repeat(40 * (i + 1)),
        tags: ["stres", "tidur"],
        status: "published",
        publishAt: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
        ...(i === 2 ? { coverFileId: cover.id, coverAlt: "Sampul hijau" } : {}),
      }, admin);
    }
    const browser: Browser = await launchBrowser();
    try {
      for (const [size, viewport] of Object.entries(SIZES)) {
        for (const lang of ["id", "en"] as const) {
          const ctx = await browser.newContext({ viewport, locale: lang === "id" ? "id-ID" : "en-GB" });
          await ctx.addCookies([{ name: "lang", value: lang, url: base }]);
          const page = await ctx.newPage();
          for (const path of ["/", "/help"]) {
            await page.goto(`${base}${path}`);
            const o = await overflow(page);
            assert.ok(
              o.scrollWidth <= viewport.width,
              `${path} ${size} ${lang}: ${o.scrollWidth}px wide, window ${viewport.width}px (${o.culprit})`,
            );
            assert.equal(await page.locator("script").count(), 0, `${path} ${size} ${lang}: no script element`);
            const help = page.locator('footer a[href="/help"]');
            await help.scrollIntoViewIfNeeded();
            assert.ok(await help.isVisible(), `${path} ${size} ${lang}: footer help link visible`);
            assert.equal((await help.textContent())?.trim(), translate(lang, "footer.need_help"));
            if (SHOTS) {
              const name = path === "/" ? "home" : "help";
              await page.screenshot({ path: `${SHOTS}/${name}-${size}-${lang}.png`, fullPage: true });
            }
          }
          if (size === "phone") {
            // the hero's calls to action are on the first screen of a phone
            await page.goto(`${base}/`);
            assert.equal(await page.locator("main .article-card").count(), 3, `${lang}: the latest 3 articles`);
            for (const href of ["/register", "/signin"]) {
              const box = await page.locator(`main .hero-actions a[href="${href}"]`).first().boundingBox();
              assert.ok(box && box.y + box.height <= viewport.height, `${lang}: ${href} above the fold`);
            }
            await Promise.all([page.waitForNavigation(), page.click('footer a[href="/help"]')]);
            assert.equal(new URL(page.url()).pathname, "/help");
            assert.ok(await page.locator('a[href="tel:119"]').isVisible(), `${lang}: 119 call button`);
          }
          await ctx.close();
        }
      }
      // a signed-in client's home on a phone: the latest articles, still no horizontal scroll
      const clientPassword = "klien-rahasia-123";
      await createUser({
        role: "client",
        name: "Klien Artikel",
        email: "klien@home.test",
        password: clientPassword,
        gender: "female",
        birthDate: "1995-06-15",
      });
      const ctx = await browser.newContext({ viewport: SIZES.phone, locale: "id-ID" });
      const page = await ctx.newPage();
      await page.goto(`${base}/signin`);
      await page.fill('input[name="identifier"]', "klien@home.test");
      await page.fill('input[name="password"]', clientPassword);
      await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
      await page.goto(`${base}/client`);
      assert.equal(await page.locator("main .article-card").count(), 3, "client home: the latest 3 articles");
      const o = await overflow(page);
      assert.ok(o.scrollWidth <= SIZES.phone.width, `client home: ${o.scrollWidth}px wide (${o.culprit})`);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/client-home-phone-id.png`, fullPage: true });
      await ctx.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
