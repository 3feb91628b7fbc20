/**
 * Real Chromium: an island hydrates from its own bundle and becomes
 * interactive; the CSP nonce lets the boot script run under a strict policy;
 * a page without islands loads no script at all.
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { fixtureApp } from "./testdata/fixture.ts";

const CHROMIUM_PATH = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
/** Flags for a headless Chromium on a closed network (same as tests/browser/harness.ts). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

function hasChromium(): boolean {
  try {
    return Deno.statSync(CHROMIUM_PATH).isFile;
  } catch {
    return false;
  }
}

Deno.test({
  name: "browser: island hydrates and responds to clicks under a strict CSP",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const nonce = "bnonce" + crypto.randomUUID().slice(0, 8);
    const { handler } = await fixtureApp({ build: true, nonce });
    const csp = `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'`;
    const ac = new AbortController();
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} },
      async (req) => {
        const res = await handler(req);
        const headers = new Headers(res.headers);
        headers.set("content-security-policy", csp);
        return new Response(res.body, { status: res.status, headers });
      },
    );
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
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
