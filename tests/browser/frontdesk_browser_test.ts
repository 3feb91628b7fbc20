/**
 * The main job on real input: a teacher has registered a guest;
 * the receptionist's scan page reads the guest's real QR code from a fake
 * camera (a .y4m video rendered from the appointment's QR text, scaled and
 * noisy) and checks the guest in; the teacher's page, open in another browser,
 * shows the arrival without a reload.
 */
import assert from "node:assert/strict";
import { createUser } from "@/lib/auth/users.ts";
import { getAppointment } from "@/lib/guestbook/store.ts";
import { createAppointment } from "@/lib/guestbook/create.ts";
import { hasChromium, launchBrowser, startServer } from "./harness.ts";
import { laterToday } from "../helpers.ts";
import { qrY4m } from "./y4m.ts";
import type { Page } from "playwright-core";

async function signIn(page: Page, base: string, identifier: string, password: string) {
  await page.goto(`${base}/signin`);
  await page.fill('input[name="identifier"]', identifier);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
}

Deno.test({
  name: "browser: fake camera → scan page checks the guest in → teacher's page updates live",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer();
    const teacher = await createUser({
      role: "teacher",
      name: "Bu Ratna",
      email: "ratna@sekolah.test",
      password: "ratna-rahasia-1",
    });
    await createUser({
      role: "receptionist",
      name: "Pak Joko",
      email: "joko@sekolah.test",
      password: "joko-rahasia-12",
    });
    const startsAt = laterToday(10);
    const created = await createAppointment(
      { guestName: "Ibu Siti Aminah", guestPhone: "0812 3456 7000", purpose: "Konsultasi nilai rapor", startsAt },
      { id: teacher.id, role: "teacher" },
    );
    const video = await Deno.makeTempFile({ suffix: ".y4m" });
    await Deno.writeFile(video, qrY4m(created.qrCode, { frames: 24, noise: 28 }));

    const plain = await launchBrowser();
    const camera = await launchBrowser([
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    try {
      // The teacher's phone: today's list, open before the guest arrives.
      const tctx = await plain.newContext({ viewport: { width: 390, height: 844 }, locale: "id-ID" });
      const tpage = await tctx.newPage();
      await signIn(tpage, server.url, "ratna@sekolah.test", "ratna-rahasia-1");
      await tpage.goto(`${server.url}/teacher`);
      const row = tpage.locator(`[data-testid="teacher-today"] [data-appointment-id="${created.appointment.id}"]`);
      await row.waitFor();
      assert.doesNotMatch((await row.textContent()) ?? "", /Menunggu/);
      await tpage.waitForSelector('.notify[data-stream="live"]', { state: "attached", timeout: 15_000 });

      // The receptionist's tablet with the camera.
      const rctx = await camera.newContext({ viewport: { width: 1180, height: 820 }, locale: "id-ID" });
      await rctx.grantPermissions(["camera"], { origin: server.url });
      const rpage = await rctx.newPage();
      await signIn(rpage, server.url, "joko@sekolah.test", "joko-rahasia-12");
      await rpage.goto(`${server.url}/frontdesk/scan`);
      const start = rpage.locator('[data-testid="start-camera"]');
      // The camera starts by itself when permission is already granted; otherwise press the button.
      await start.click({ timeout: 3000 }).catch(() => {});
      await rpage.waitForSelector('[data-testid="scan-result"][data-status="ok"]', {
        state: "attached",
        timeout: 30_000,
      });
      const stored = await getAppointment(created.appointment.id);
      assert.equal(stored?.status, "waiting");
      assert.equal(stored?.late, false);
      // Today's list beside the camera: each time on one line ("12.42", not "12.4 / 2").
      await rpage.locator(".scan-today .today-clock").first().waitFor();
      const clocks = await rpage.locator(".scan-today .today-clock").evaluateAll((els) =>
        els.map((e) => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight || "0"))
      );
      assert.ok(clocks.length > 0 && clocks.every((lines) => lines < 1.5), `clock lines: ${clocks.join(", ")}`);

      // The teacher's page changed without a reload.
      await tpage.waitForFunction(
        (id) => {
          const el = (globalThis as any).document.querySelector(
            `[data-testid="teacher-today"] [data-appointment-id="${id}"]`,
          );
          return el && /Menunggu/.test(el.textContent ?? "");
        },
        created.appointment.id,
        { timeout: 15_000 },
      );
      const badge = await tpage.locator(".notify-count").textContent();
      assert.equal(badge?.trim(), "1");

      // The same code again (still in front of the camera) is not checked in twice.
      const again = await rpage.evaluate(async (code) => {
        const r = await fetch("/api/appointments/check-in", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ code }),
        });
        return { status: r.status, body: await r.json() };
      }, created.qrCode);
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, "qr_already_checked_in");

      // A look-alike code on another host is refused on the tablet at once, without asking the server.
      const checkIns: string[] = [];
      rpage.on("request", (r) => {
        if (r.url().includes("/api/appointments/check-in")) checkIns.push(r.url());
      });
      await rpage.waitForSelector('[data-testid="scan-result"]:not(.is-visible)', { state: "attached" });
      const foreign = created.qrCode.replace(/^https?:\/\/[^/]+/, "https://tamu-sekolah.example");
      await rpage.fill('[data-testid="manual-code"]', foreign);
      await rpage.press('[data-testid="manual-code"]', "Enter");
      const refused = rpage.locator('[data-testid="scan-result"].is-visible[data-status="error"]');
      await refused.waitFor({ timeout: 5000 });
      assert.match((await refused.textContent()) ?? "", /bukan kode QR buku tamu kami/);
      assert.deepEqual(checkIns, []);
    } finally {
      await camera.close();
      await plain.close();
      await server.stop();
      await Deno.remove(video).catch(() => {});
    }
  },
});
