/**
 * Real Chromium: an island hydrates from its own bundle and becomes
 * interactive; the CSP nonce lets the boot script run; a page without islands
 * loads no script at all.
 */
import assert from "node:assert/strict";
import { App, buildBundles, type Manifest, staticFiles } from "fresh";
import { generateManifest } from "@/lib/fresh/build.ts";
import { applySecurityHeaders } from "@/lib/http/security.ts";
import { hasChromium, launchBrowser } from "./harness.ts";

const FIXTURE = new URL("../fixtures/fresh_app", import.meta.url).pathname;

Deno.test({
  name: "browser: island hydrates and responds to clicks under a strict CSP",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await Deno.writeTextFile(`${FIXTURE}/fresh.gen.ts`, await generateManifest(FIXTURE));
    const manifest = (await import(`${FIXTURE}/fresh.gen.ts`)).default as Manifest;
    const build = await buildBundles(FIXTURE);
    const nonce = "bnonce" + crypto.randomUUID().slice(0, 8);
    const app = new App<Record<string, unknown>>({ build, nonce: () => nonce });
    app.use(async (ctx) => {
      const res = await ctx.next();
      const headers = new Headers(res.headers);
      applySecurityHeaders(headers, nonce);
      return new Response(res.body, { status: res.status, headers });
    });
    app.use(staticFiles(`${FIXTURE}/static`));
    app.fsRoutes(manifest);
    const ac = new AbortController();
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} }, app.handler());
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const scripts: string[] = [];
      const errors: string[] = [];
      page.on("request", (r) => {
        if (r.resourceType() === "script") scripts.push(r.url());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("response", (r) => {
        if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) errors.push(`${r.status()} ${r.url()}`);
      });
      const base = `http://127.0.0.1:${server.addr.port}`;
      await page.goto(`${base}/`);
      assert.equal(scripts.length, 0, "island-free page loads no script");
      await page.goto(`${base}/island`);
      const counter = page.locator("#counter").first();
      await page.waitForFunction(() =>
        (globalThis as any).document.querySelector("#counter")?.textContent?.startsWith("3")
      );
      // Hydration done when a click changes the number.
      for (let i = 0; i < 20; i++) {
        await counter.click();
        if ((await counter.textContent())?.startsWith("4")) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match((await counter.textContent()) ?? "", /^4/);
      assert.equal(await page.locator("#sig").first().textContent(), "7", "signal prop revived");
      assert.deepEqual(errors, []);
      assert.ok(scripts.some((s) => s.includes("/_fresh/js/")), "island bundle loaded");
    } finally {
      await browser.close();
      ac.abort();
      await server.finished;
    }
  },
});
