/**
 * The consultation chat in real Chromium with two browser contexts: the
 * client on a phone opens the chat from the booking page, the psychologist on a
 * laptop opens it too; presence shows online, typing dots appear on the other
 * side, messages go both ways, the sender's ticks turn blue once the other side
 * had the message on screen, a reload keeps the history, a message written
 * offline waits in the outbox and arrives once when back online, and ending the
 * conversation turns both screens read-only. Screenshots go to tests/.tmp/.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { hasChromium, launchBrowser, startServer } from "./harness.ts";
import { makeUser, TEST_PASSWORD } from "../helpers.ts";
import { makePsychologist } from "../psychologist_fixtures.ts";
import { makeChatBooking } from "../chat_fixtures.ts";

async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/signin`);
  await page.fill('input[name="identifier"]', email);
  await page.fill('input[name="password"]', TEST_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
}

const SHOTS = "tests/.tmp";

Deno.test({
  name: "browser: client and psychologist chat — typing, messages, blue ticks, reload keeps history, end",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer();
    const base = server.url;
    await Deno.mkdir(SHOTS, { recursive: true });
    const client = await makeUser("client", { name: "Rina Klien" });
    const psy = await makePsychologist();
    const booking = await makeChatBooking(client, psy, { startOffsetMin: -3, durationMin: 50 });
    const browser = await launchBrowser();
    try {
      const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "id-ID" });
      const phone = await phoneCtx.newPage();
      const laptop = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "id-ID" }))
        .newPage();
      await signIn(phone, base, client.email!);
      await signIn(laptop, base, psy.email!);

      // the client opens the chat from the booking page
      await phone.goto(`${base}/client/bookings/${booking.id}`);
      await Promise.all([phone.waitForNavigation(), phone.click(`a[href="/chat/${booking.id}"]`)]);
      assert.equal(new URL(phone.url()).pathname, `/chat/${booking.id}`);
      assert.ok(await phone.isVisible('.chat-crisis a[href="/help"]'), "crisis help link visible");
      // the psychologist's conversation list is live: an unread badge appears while it is open
      await laptop.goto(`${base}/psychologist`);
      await Promise.all([laptop.waitForNavigation(), laptop.click('header a[href="/chat"]')]);
      await laptop.waitForSelector("[data-testid=chat-conv]");
      assert.equal(await laptop.$(".chat-unread-badge"), null);
      await phone.fill("#chat-input", "Permisi, Bu");
      await phone.click(".chat-send");
      await laptop.waitForSelector(".chat-unread-badge", { timeout: 5000 });
      assert.equal((await laptop.textContent(".chat-unread-badge"))?.trim(), "1");
      await laptop.screenshot({ path: `${SHOTS}/chat-list-laptop.png` });
      await Promise.all([laptop.waitForNavigation(), laptop.click(`a[href="/chat/${booking.id}"]`)]);
      assert.ok(await laptop.isVisible(".chat-unread-marker"), "opens at the first unread message");
      await phone.waitForSelector('.chat-msg.is-mine [data-state="read"]', { timeout: 8000 });
      await phone.waitForFunction(() =>
        document.querySelector("[data-testid=chat-presence]")?.textContent === "Online"
      );
      await laptop.waitForFunction(() =>
        document.querySelector("[data-testid=chat-presence]")?.textContent === "Online"
      );

      // typing shows on the other side
      await phone.fill("#chat-input", "Halo Bu, saya");
      await phone.type("#chat-input", " ");
      await laptop.waitForSelector("[data-testid=chat-typing] .chat-dots", { timeout: 5000 });
      assert.match(await laptop.textContent("[data-testid=chat-typing]") ?? "", /Rina Klien sedang mengetik/);
      await phone.fill("#chat-input", "Halo Bu, saya mau cerita 🙂");
      await phone.keyboard.press("Enter");
      await laptop.waitForFunction(() =>
        [...document.querySelectorAll(".chat-msg.is-theirs .chat-text")].some((e) =>
          e.textContent === "Halo Bu, saya mau cerita 🙂"
        )
      );
      // the psychologist had it on screen → the client's tick turns blue
      await phone.waitForFunction(
        () =>
          [...document.querySelectorAll(".chat-msg.is-mine .chat-ticks")].every((e) =>
            e.getAttribute("data-state") === "read"
          ),
        null,
        { timeout: 8000 },
      );
      const blue = await phone.$eval(".chat-msg.is-mine .chat-ticks", (e) => getComputedStyle(e).color);
      assert.equal(blue, "rgb(11, 98, 196)", "read ticks are blue");
      await laptop.waitForFunction(() => !document.querySelector("[data-testid=chat-typing] .chat-dots"), null, {
        timeout: 7000,
      });

      // a reply the other way
      await laptop.fill("#chat-input", "Halo Rina. Silakan, saya mendengarkan.");
      await laptop.click(".chat-send");
      await phone.waitForFunction(() =>
        [...document.querySelectorAll(".chat-msg.is-theirs .chat-text")].some((e) =>
          (e.textContent ?? "").startsWith("Halo Rina")
        )
      );
      await laptop.waitForSelector('.chat-msg.is-mine [data-state="read"]', { timeout: 8000 });
      assert.ok(
        await phone.evaluate(() => document.documentElement.scrollWidth <= 390),
        "no sideways scroll on a phone",
      );
      await phone.screenshot({ path: `${SHOTS}/chat-phone.png` });
      await laptop.screenshot({ path: `${SHOTS}/chat-laptop.png` });

      // a reload keeps the history, in order, with the ticks
      await phone.reload();
      await phone.waitForSelector("[data-testid=chat-msg]");
      const texts = await phone.$$eval("[data-testid=chat-msg] .chat-text", (els) => els.map((e) => e.textContent));
      assert.deepEqual(texts, ["Permisi, Bu", "Halo Bu, saya mau cerita 🙂", "Halo Rina. Silakan, saya mendengarkan."]);
      assert.ok(await phone.isVisible('.chat-msg.is-mine [data-state="read"]'));

      // a dropped connection: the message waits in the outbox and goes out once, when back online
      await phoneCtx.setOffline(true);
      await phone.fill("#chat-input", "Pesan waktu sinyal hilang");
      await phone.keyboard.press("Enter");
      await phone.waitForSelector("[data-testid=chat-pending]");
      await phone.waitForTimeout(1500);
      const early = await laptop.$$eval(".chat-msg .chat-text", (els) => els.map((e) => e.textContent));
      assert.ok(!early.includes("Pesan waktu sinyal hilang"), "not delivered while offline");
      await phoneCtx.setOffline(false);
      await laptop.waitForFunction(
        () =>
          [...document.querySelectorAll(".chat-msg .chat-text")].some((e) =>
            e.textContent === "Pesan waktu sinyal hilang"
          ),
        null,
        {
          timeout: 15_000,
        },
      );
      await phone.waitForFunction(() => !document.querySelector("[data-testid=chat-pending]"), null, {
        timeout: 15_000,
      });
      const once = await laptop.$$eval(
        ".chat-msg .chat-text",
        (els) => els.filter((e) => e.textContent === "Pesan waktu sinyal hilang").length,
      );
      assert.equal(once, 1, "exactly once");

      // ending: both screens read-only
      await laptop.click(".chat-end-btn");
      await laptop.click(".chat-confirm .btn-danger");
      await laptop.waitForSelector("[data-testid=chat-closed]");
      await phone.waitForSelector("[data-testid=chat-closed]", { timeout: 5000 });
      assert.equal(await phone.$("#chat-input"), null, "no composer after the end");
      assert.match(await phone.textContent("[data-testid=chat-closed]") ?? "", /diakhiri/);
      await phone.screenshot({ path: `${SHOTS}/chat-phone-ended.png` });
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
