/**
 * The on-device emotion screening in real Chromium with a fake camera (docs/screening-engine.md): the camera plays
 * a `.y4m` video made from REAL face photos (tests/fixtures/face_y4m.ts: crops of
 * `@vladmandic/human`'s assets/screenshot-facematch.jpg), a client on a phone in landscape goes through
 * the intro dialogs and consent, the engine finds a face and recognises emotions, the 14 pictures finish
 * (SCREENING_STIMULUS_SECONDS shortened to 1 s), and the result page appears.
 *
 * Every request the page makes during the run is recorded and checked: none carries image or video data
 * (no image/*, video/*, multipart or octet-stream request bodies; every request body < 16 KB), and the
 * one `POST /api/screenings` body holds only the documented fields and integer counts — the frames
 * stayed on the device. Model and picture downloads (GET) are fine.
 *
 * A second run without camera permission ends on the translated "camera access denied" message and submits nothing.
 */
import assert from "node:assert/strict";
import type { Request as PwRequest } from "playwright-core";
import { config } from "@/lib/config.ts";
import { makeUser } from "../helpers.ts";
import { writeFacesY4m } from "../fixtures/face_y4m.ts";
import { hasChromium, launchBrowser, startServer } from "./harness.ts";

/** Largest request body the page may send (the screening submission is ~2–3 KB). */
const MAX_BODY = 16 * 1024;
const MEDIA_TYPE = /^(image|video|audio)\/|multipart\/|application\/octet-stream/i;

Deno.test({
  name: "browser: a client runs the screening with a fake camera of real faces; only numbers leave the page",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const prevSeconds = Deno.env.get("SCREENING_STIMULUS_SECONDS");
    Deno.env.set("SCREENING_STIMULUS_SECONDS", "1");
    const y4m = await writeFacesY4m(new URL("../.tmp/screening_faces.y4m", import.meta.url).pathname);
    const server = await startServer();
    const browser = await launchBrowser([
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-video-capture=${y4m}`,
    ]);
    try {
      assert.equal(config.screeningStimulusSeconds, 1, "the run is shortened for the test");
      const client = await makeUser("client");
      const ctx = await browser.newContext({ viewport: { width: 844, height: 390 }, locale: "id-ID" });
      await ctx.grantPermissions(["camera"], { origin: server.url });
      const page = await ctx.newPage();
      const requests: { method: string; url: string; type: string; bytes: number; body: string | null }[] = [];
      const record = (r: PwRequest) => {
        const buf = r.postDataBuffer();
        requests.push({
          method: r.method(),
          url: r.url(),
          type: r.headers()["content-type"] ?? "",
          bytes: buf ? buf.length : 0,
          body: buf ? buf.toString("utf8") : null,
        });
      };
      // Context-wide: the page's requests and its Worker's (model and wasm downloads).
      ctx.on("request", record);

      await page.goto(`${server.url}/signin`);
      await page.fill('input[name="identifier"]', client.email!);
      await page.fill('input[name="password"]', client.password);
      await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
      requests.length = 0; // the sign-in form is not part of the run

      await page.goto(`${server.url}/screening`);
      const root = page.locator('[data-testid="screening-run"]');
      await root.locator('[data-testid="srun-next"]').click();
      await root.locator('[data-testid="srun-next"]').click();
      assert.equal(await root.getAttribute("data-step"), "consent");
      assert.ok(await root.locator('[data-testid="srun-start"]').isDisabled(), "start needs the consent box");
      await root.locator('[data-testid="srun-agree"]').check();
      await root.locator('[data-testid="srun-start"]').click();

      await page.waitForSelector('[data-testid="screening-run"][data-step="running"]', { timeout: 60_000 });
      const backend = await root.getAttribute("data-backend");
      assert.ok(backend && ["webgpu", "webgl", "wasm", "cpu"].includes(backend), `backend shown: ${backend}`);
      await page.waitForSelector('[data-testid="screening-run"][data-face="1"]', { timeout: 30_000 });
      assert.ok(await page.getByText("Wajah terlihat").isVisible(), "the live face indicator says a face is found");
      await page.waitForFunction(
        () => Number(document.querySelector('[data-testid="screening-run"]')?.getAttribute("data-face-frames")) >= 3,
        undefined,
        { timeout: 30_000 },
      );

      await page.waitForURL(/\/screening\/[^/]+$/, { timeout: 90_000 });
      const id = new URL(page.url()).pathname.split("/").pop()!;
      assert.notEqual(id, "history");
      assert.equal(await page.locator("h1").count() > 0, true, "the result page renders");

      // What the server stored is what the engine recognised (the server recomputes the result).
      const res = await page.evaluate(async (id) => {
        const r = await fetch(`/api/screenings/${id}`, { headers: { accept: "application/json" } });
        return { status: r.status, body: await r.json() };
      }, id);
      assert.equal(res.status, 200);

      // Every request of the run: no media bodies, all bodies small.
      assert.ok(requests.length > 0);
      for (const r of requests) {
        if (r.bytes > 0) {
          assert.ok(!MEDIA_TYPE.test(r.type), `${r.method} ${r.url} sends ${r.type}`);
          assert.ok(r.bytes < MAX_BODY, `${r.method} ${r.url} sends ${r.bytes} bytes`);
        }
        assert.ok(r.method === "GET" || r.method === "HEAD" || r.bytes < MAX_BODY);
      }
      const posts = requests.filter((r) => r.method !== "GET" && r.method !== "HEAD");
      assert.deepEqual(
        posts.map((r) => new URL(r.url).pathname).sort(),
        ["/api/screening/consent", "/api/screenings"],
        "the run sends exactly the consent and the numbers",
      );
      const submitted = JSON.parse(posts.find((r) => r.url.endsWith("/api/screenings"))!.body!);
      assert.deepEqual(
        Object.keys(submitted).sort(),
        ["backend", "mappingVersion", "modelVersion", "stimuli", "stimulusSetVersion"],
      );
      assert.equal(submitted.backend, backend);
      assert.equal(submitted.stimuli.length, 14);
      let faces = 0;
      for (const s of submitted.stimuli) {
        assert.deepEqual(Object.keys(s).sort(), ["emotions", "faceFrames", "frames", "stimulusId"]);
        for (const v of [s.frames, s.faceFrames, ...Object.values(s.emotions)]) assert.ok(Number.isInteger(v));
        assert.equal(Object.values(s.emotions as Record<string, number>).reduce((a, b) => a + b, 0), s.faceFrames);
        faces += s.faceFrames;
      }
      assert.ok(faces >= 14, `faces recognised in the run: ${faces}`);
      // The models came from our own server.
      assert.ok(requests.some((r) => new URL(r.url).pathname.startsWith("/models/")), "models loaded from /models/");
      assert.ok(requests.every((r) => new URL(r.url).origin === server.url), "no request leaves our origin");
    } finally {
      await browser.close();
      await server.stop();
      if (prevSeconds === undefined) Deno.env.delete("SCREENING_STIMULUS_SECONDS");
      else Deno.env.set("SCREENING_STIMULUS_SECONDS", prevSeconds);
    }
  },
});

Deno.test({
  name: "browser: camera access denied → a clear translated message, nothing submitted",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer();
    // A fake camera exists, but no permission is granted and no fake consent UI answers: access is denied.
    const browser = await launchBrowser(["--use-fake-device-for-media-stream"]);
    try {
      const client = await makeUser("client");
      const ctx = await browser.newContext({ viewport: { width: 844, height: 390 }, locale: "id-ID" });
      const page = await ctx.newPage();
      const posts: string[] = [];
      ctx.on("request", (r) => {
        if (r.method() === "POST") posts.push(new URL(r.url()).pathname);
      });
      await page.goto(`${server.url}/signin`);
      await page.fill('input[name="identifier"]', client.email!);
      await page.fill('input[name="password"]', client.password);
      await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
      posts.length = 0;
      await page.goto(`${server.url}/screening`);
      const root = page.locator('[data-testid="screening-run"]');
      await root.locator('[data-testid="srun-next"]').click();
      await root.locator('[data-testid="srun-next"]').click();
      await root.locator('[data-testid="srun-agree"]').check();
      await root.locator('[data-testid="srun-start"]').click();
      await page.waitForSelector('[data-testid="screening-run"][data-step="error"]', { timeout: 60_000 });
      assert.ok(await page.getByText("Akses kamera ditolak").isVisible(), "the camera-denied message is shown");
      assert.deepEqual(posts, ["/api/screening/consent"], "no screening is submitted");
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
