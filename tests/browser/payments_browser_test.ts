/**
 * Payments in real Chromium on a phone (390 × 844): the builtin sandbox's
 * payment page (methods, a QRIS code, no horizontal scroll, JavaScript off),
 * paying there for a real booking sends the signed notification over real
 * HTTP to the server and lands on the booking's page (the finish URL), paid; the client's payment history and detail fit
 * the phone. `UX_SCREENSHOTS=dir` writes the screenshots.
 */
import assert from "node:assert/strict";
import { createUser } from "@/lib/auth/users.ts";
import { startPayment } from "@/lib/payments/store.ts";
import { sandboxTransaction } from "@/lib/payments/sandbox.ts";
import { hasChromium, launchBrowser, startServer } from "./harness.ts";
import { paymentInput } from "../payments_fixtures.ts";
import { bookablePsychologist, jakartaAt } from "../booking_fixtures.ts";
import { createBooking } from "@/lib/booking/create.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";

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
    const psy = await bookablePsychologist();
    const booked = await createBooking(client, {
      psychologistId: psy.id,
      serviceId: psy.profile.services[0].id,
      startsAt: jakartaAt(2, "10:00"),
    });
    const p = booked.payment;
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
      assert.equal(
        await page.evaluate(() => document.documentElement.scrollWidth),
        390,
        "sandbox page: no horizontal scroll",
      );
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/sandbox-qris-phone.png`, fullPage: true });
      await page.click("text=BCA Virtual Account");
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/sandbox-bca-phone.png`, fullPage: true });
      await Promise.all([page.waitForNavigation(), page.click('button:has-text("Bayar")')]);
      const landed = new URL(page.url());
      assert.equal(landed.pathname, `/client/bookings/${booked.booking.id}`, "the finish URL: the booking's page");
      assert.equal(landed.searchParams.get("transaction_status"), "settlement");
      const tx = await sandboxTransaction(p.orderId);
      assert.equal(tx?.status, "settlement");
      assert.deepEqual(tx?.deliveries.map((d) => d.status), [200], "the notification reached the server over HTTP");
      await page.goto(`${base}/client/payments/${p.orderId}`);
      assert.match((await page.locator("main").textContent()) ?? "", /Lunas/);
      assert.match((await page.locator("main").textContent()) ?? "", /Transfer virtual account BCA/);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/payment-detail-phone.png`, fullPage: true });

      await page.goto(`${base}/client/payments`);
      assert.equal(await page.locator(".payment-list > li").count(), 2);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/payments-phone.png`, fullPage: true });
      assert.equal(
        await page.evaluate(() => document.documentElement.scrollWidth),
        390,
        "history: no horizontal scroll",
      );
      await ctx.close();
      await bookingMailIdle();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
