/**
 * Payments in real Chromium on a phone (390 × 844): the builtin sandbox's
 * payment page (methods, a QRIS code, no horizontal scroll, JavaScript off),
 * paying there sends the signed notification over real HTTP to the server
 * and lands on the finish URL; the client's payment history and detail fit
 * the phone. `UX_SCREENSHOTS=dir` writes the screenshots.
 */
import assert from "node:assert/strict";
import { createUser } from "@/lib/auth/users.ts";
import { startPayment } from "@/lib/payments/store.ts";
import { sandboxTransaction } from "@/lib/payments/sandbox.ts";
import { hasChromium, launchBrowser, startServer } from "./harness.ts";
import { paymentInput } from "../payments_fixtures.ts";

const SHOTS = Deno.env.get("UX_SCREENSHOTS");

Deno.test({
  name: "browser: sandbox payment page on a phone, pay → notification over HTTP → finish URL; payment pages fit",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    Deno.env.delete("MIDTRANS_ENV");
    Deno.env.delete("MIDTRANS_SERVER_KEY");
    const server = await startServer();
    const base = server.url;
    const password = "klien-bayar-123";
    const client = await createUser({ role: "client", name: "Klien Bayar", email: "bayar@pay.test", password });
    const p = await startPayment(paymentInput("bk-browser-1", {
      payerId: client.id,
      finishUrl: `${base}/client/payments/bk-browser-1`,
    }));
    await startPayment(paymentInput("bk-browser-2", { payerId: client.id }));
    const browser = await launchBrowser();
    try {
      // JavaScript off: the payment page and the history are plain links and forms.
      const ctx = await browser.newContext({
        viewport: { width: 390, height: 844 },
        locale: "id-ID",
        javaScriptEnabled: false,
      });
      const page = await ctx.newPage();
      await page.goto(`${base}/signin`);
      await page.fill('input[name="identifier"]', "bayar@pay.test");
      await page.fill('input[name="password"]', password);
      await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);

      await page.goto(p.redirectUrl);
      assert.match((await page.locator('[data-testid="snap-amount"]').textContent()) ?? "", /150\.000/);
      await page.click("text=QRIS");
      const qr = page.locator(".snap-qr svg");
      assert.ok(await qr.isVisible(), "the QR image is shown");
      const box = await qr.boundingBox();
      assert.ok(box && box.width >= 150, "the QR is large enough to scan");
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, "no horizontal scroll");
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/sandbox-qris-phone.png`, fullPage: true });
      await page.click("text=BCA Virtual Account");
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/sandbox-bca-phone.png`, fullPage: true });
      await Promise.all([page.waitForNavigation(), page.click('button:has-text("Bayar")')]);
      const landed = new URL(page.url());
      assert.equal(landed.pathname, "/client/payments/bk-browser-1");
      assert.equal(landed.searchParams.get("transaction_status"), "settlement");
      const tx = await sandboxTransaction("bk-browser-1");
      assert.equal(tx?.status, "settlement");
      assert.equal(tx?.deliveries.length, 1);
      assert.notEqual(tx?.deliveries[0].status, null, "the notification reached the server over HTTP");
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/payment-detail-phone.png`, fullPage: true });

      await page.goto(`${base}/client/payments`);
      assert.equal(await page.locator(".payment-list > li").count(), 2);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, "no horizontal scroll");
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/payments-phone.png`, fullPage: true });
      await ctx.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
