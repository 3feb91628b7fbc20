/**
 * `deno task bench screening` — the on-device emotion engine in headless Chromium on this machine
 * (docs/screening-engine.md, docs/benchmarks.md "Emotion screening"):
 * - per backend (WASM; CPU; WebGL through SwiftShader, `--use-angle=swiftshader --enable-unsafe-swiftshader`;
 *   WebGPU when an adapter exists — none here): per-frame inference ms (p50/p95, measured inside the
 *   engine Worker around Human's `detect`) and frames/s of the Worker loop, one frame in flight,
 *   on 320 × 240 frames with a real face (`tests/fixtures/face_y4m.ts` crops);
 * - model bytes downloaded (the `/models/…` responses of a run), the screening page's own JS bytes
 *   (island + boot bundles of `/screening`) and the engine's (worker bundle, `human.esm.js`, `.wasm`);
 * - agreement of the emotion model with our labels on {@link LABELLED} faces of
 *   `@vladmandic/human`'s `assets/screenshot-facematch.jpg` (labelled by us, by eye: 12 broad smiles
 *   "happy", 4 without a smile "neutral"; faces we could not call were left out).
 * Bounded: ≤ 40 frames per backend and 25 s of frames; backend start ≤ 30 s (SwiftShader WebGL ≤ 90 s:
 * compiling its shaders in software is slow).
 */
import { Buffer } from "node:buffer";
import type { Page } from "playwright-core";
import { hasChromium, launchBrowser, startServer } from "@/tests/browser/harness.ts";
import { cellRect } from "@/tests/fixtures/face_y4m.ts";
import { entryUrl } from "@/lib/fresh_assets.ts";
import { type Backend, MODEL_FILES } from "@/lib/screening/engine_config.ts";

/** Our by-eye labels of grid cells of screenshot-facematch.jpg: [col, row, label]. */
export const LABELLED: [number, number, "happy" | "neutral"][] = [
  [3, 2, "happy"],
  [6, 2, "happy"],
  [12, 2, "happy"],
  [2, 3, "happy"],
  [7, 3, "happy"],
  [13, 3, "happy"],
  [1, 4, "happy"],
  [5, 4, "happy"],
  [2, 5, "happy"],
  [8, 5, "happy"],
  [9, 5, "happy"],
  [15, 3, "happy"],
  [13, 0, "neutral"],
  [4, 1, "neutral"],
  [4, 3, "neutral"],
  [8, 4, "neutral"],
];

/** One backend's numbers. */
export interface BackendNumbers {
  backend: Backend | "webgl (SwiftShader)";
  ok: boolean;
  error?: string;
  frames: number;
  faceFrames: number;
  p50Ms: number;
  p95Ms: number;
  fps: number;
  initMs: number;
}

/** Everything the bench prints. */
export interface ScreeningBench {
  backends: BackendNumbers[];
  modelBytes: number;
  pageJsBytes: number;
  engineJsBytes: number;
  engineWasmBytes: number;
  agreement: {
    correct: number;
    total: number;
    happyHit: number;
    happyTotal: number;
    neutralHit: number;
    neutralTotal: number;
    facesFound: number;
    backend: string;
  };
}

const FACE_JPG = new URL("../node_modules/@vladmandic/human/assets/screenshot-facematch.jpg", import.meta.url);

function pct(list: number[], p: number): number {
  if (!list.length) return 0;
  const s = [...list].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 10) / 10;
}

async function facePage(page: Page, base: string): Promise<void> {
  const jpg = await Deno.readFile(FACE_JPG);
  await page.route("**/__bench/faces.jpg", (r) => r.fulfill({ body: Buffer.from(jpg), contentType: "image/jpeg" }));
  await page.goto(`${base}/about`);
}

/** Runs `cells` (crop rects) through the Worker engine on `order`; returns per-frame results. */
async function runWorker(
  page: Page,
  workerUrl: string,
  order: Backend[],
  cells: { x: number; y: number; w: number; h: number }[],
  frames: number,
  allowSoftwareWebGl: boolean,
  initTimeoutMs = 30_000,
) {
  return await page.evaluate(async ({ workerUrl, order, cells, frames, allowSoftwareWebGl, initTimeoutMs }) => {
    const img = new Image();
    img.src = "/__bench/faces.jpg";
    await img.decode();
    const w = new Worker(workerUrl, { type: "module" });
    // deno-lint-ignore no-explicit-any
    const next = () => new Promise<any>((res) => (w.onmessage = (e) => res(e.data)));
    const t0 = performance.now();
    w.postMessage({ type: "init", origin: location.origin, order, allowSoftwareWebGl });
    const ready = await Promise.race([
      next(),
      new Promise((r) =>
        setTimeout(() => r({ type: "init_error", message: `no backend after ${initTimeoutMs} ms` }), initTimeoutMs)
      ),
    ]);
    // deno-lint-ignore no-explicit-any
    const r0 = ready as any;
    const initMs = performance.now() - t0;
    if (r0.type !== "ready") {
      w.terminate();
      return { ok: false, error: String(r0.message), initMs, results: [], wallMs: 0, backend: "" };
    }
    // deno-lint-ignore no-explicit-any
    const results: any[] = [];
    const bitmaps: ImageBitmap[] = [];
    const n = Math.max(frames, cells.length);
    const start = performance.now();
    for (let i = 0; i < n && performance.now() - start < 25_000; i++) {
      const c = cells[i % cells.length];
      const cv = new OffscreenCanvas(320, 240);
      const g = cv.getContext("2d")!;
      g.fillStyle = "#767676";
      g.fillRect(0, 0, 320, 240);
      g.drawImage(img, c.x, c.y, c.w, c.h, 95, 50, 130, 135);
      const bm = await createImageBitmap(cv);
      bitmaps.length = 0;
      w.postMessage({ type: "frame", id: i, frame: bm }, [bm]);
      const m = await next();
      results.push(m.type === "result" ? m.result : { face: false, probs: null, ms: NaN, error: m.message });
    }
    const wallMs = performance.now() - start;
    w.terminate();
    return { ok: true, initMs, results, wallMs, backend: r0.backend };
  }, { workerUrl, order, cells, frames, allowSoftwareWebGl, initTimeoutMs });
}

/** Runs the screening bench (needs Chromium and a build). */
export async function benchScreening(): Promise<ScreeningBench | null> {
  if (!hasChromium()) return null;
  const server = await startServer();
  const workerUrl = (await entryUrl("screening_worker"))!;
  const runs: { label: BackendNumbers["backend"]; order: Backend[]; args: string[]; soft: boolean }[] = [
    { label: "webgpu", order: ["webgpu"], args: [], soft: false },
    { label: "wasm", order: ["wasm"], args: [], soft: false },
    { label: "cpu", order: ["cpu"], args: [], soft: false },
    {
      label: "webgl (SwiftShader)",
      order: ["webgl"],
      args: ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
      soft: true,
    },
  ];
  const faceCells = [[0, 0], [1, 0], [2, 0], [3, 0], [4, 0], [5, 0]].map(([c, r]) => cellRect(c, r));
  const backends: BackendNumbers[] = [];
  let agreement: ScreeningBench["agreement"] | null = null;
  let modelBytes = 0;
  try {
    for (const run of runs) {
      const browser = await launchBrowser(run.args);
      try {
        const ctx = await browser.newContext();
        const page = await ctx.newPage();
        let bytes = 0;
        ctx.on("response", (res) => { // context-wide: the Worker's requests too
          if (new URL(res.url()).pathname.startsWith("/models/") && res.status() === 200) {
            bytes += Number(res.headers()["content-length"] ?? 0);
          }
        });
        await facePage(page, server.url);
        const frames = run.label === "wasm" ? 40 : 8;
        const r = await runWorker(page, workerUrl, run.order, faceCells, frames, run.soft, run.soft ? 90_000 : 30_000);
        const ms = r.results.slice(2).map((x: { ms: number }) => x.ms).filter(Number.isFinite); // first two frames warm up
        const measured = r.results.length > 2 ? r.results.length - 2 : r.results.length;
        backends.push({
          backend: run.label,
          ok: r.ok,
          error: r.error,
          frames: r.results.length,
          faceFrames: r.results.filter((x: { face: boolean }) => x.face).length,
          p50Ms: pct(ms, 0.5),
          p95Ms: pct(ms, 0.95),
          fps: r.ok && r.wallMs > 0
            ? Math.round((measured / (ms.reduce((a: number, b: number) => a + b, 0) || 1)) * 10000) / 10
            : 0,
          initMs: Math.round(r.initMs),
        });
        if (r.ok && run.label === "wasm") {
          modelBytes = bytes;
          const cells = LABELLED.map(([c, rr]) => cellRect(c, rr));
          const a = await runWorker(page, workerUrl, ["wasm"], cells, 0, false);
          let correct = 0, happyHit = 0, neutralHit = 0, facesFound = 0;
          a.results.forEach((res: { face: boolean; probs: Record<string, number> | null }, i: number) => {
            if (!res.face || !res.probs) return;
            facesFound++;
            const top = Object.entries(res.probs).sort((x, y) => y[1] - x[1])[0][0];
            const label = LABELLED[i][2];
            if (top === label) {
              correct++;
              if (label === "happy") happyHit++;
              else neutralHit++;
            }
          });
          agreement = {
            correct,
            total: LABELLED.length,
            happyHit,
            happyTotal: LABELLED.filter((l) => l[2] === "happy").length,
            neutralHit,
            neutralTotal: LABELLED.filter((l) => l[2] === "neutral").length,
            facesFound,
            backend: "wasm",
          };
        }
      } finally {
        await browser.close();
      }
    }
    // JS bytes of the screening page: island + boot bundles it loads before the run starts.
    const { pageJsBytes, engineJsBytes, engineWasmBytes } = await pageBytes(server.url, workerUrl);
    return {
      backends,
      modelBytes: modelBytes || await modelFileBytes(),
      pageJsBytes,
      engineJsBytes,
      engineWasmBytes,
      agreement: agreement ??
        {
          correct: 0,
          total: LABELLED.length,
          happyHit: 0,
          happyTotal: 12,
          neutralHit: 0,
          neutralTotal: 4,
          facesFound: 0,
          backend: "none",
        },
    };
  } finally {
    await server.stop();
  }
}

async function modelFileBytes(): Promise<number> {
  let n = 0;
  for (const f of MODEL_FILES) n += (await Deno.stat(new URL(`../models/${f}`, import.meta.url))).size;
  return n;
}

async function pageBytes(base: string, workerUrl: string) {
  const { makeUser } = await import("@/tests/helpers.ts");
  const client = await makeUser("client");
  const browser = await launchBrowser();
  try {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/signin`);
    await page.fill('input[name="identifier"]', client.email!);
    await page.fill('input[name="password"]', client.password);
    await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
    let js = 0;
    const pending: Promise<void>[] = [];
    ctx.on("response", (res) => {
      const type = res.headers()["content-type"] ?? "";
      if (type.includes("javascript")) {
        pending.push(res.body().then((b) => void (js += b.length), () => {}));
      }
    });
    await page.goto(`${base}/screening`);
    await page.waitForLoadState("networkidle");
    await Promise.all(pending);
    const size = async (path: string) => (await fetch(base + path)).arrayBuffer().then((b) => b.byteLength);
    const engineJsBytes = await size(workerUrl) + await size("/vendor/human/human.esm.js");
    const engineWasmBytes = await size("/vendor/human/tfjs-backend-wasm-simd.wasm");
    return { pageJsBytes: js, engineJsBytes, engineWasmBytes };
  } finally {
    await browser.close();
  }
}

/** The printed lines. */
export function formatScreening(b: ScreeningBench | null): string {
  if (!b) return "skipped: no Chromium";
  const kb = (n: number) => `${Math.round(n / 1024)} KiB`;
  const lines = b.backends.map((x) =>
    x.ok
      ? `${x.backend}: ${x.p50Ms} ms/frame p50, ${x.p95Ms} p95, ${x.fps} fps (${x.faceFrames}/${x.frames} frames with a face; init ${x.initMs} ms)`
      : `${x.backend}: not available (${x.error})`
  );
  const a = b.agreement;
  lines.push(
    `model bytes downloaded: ${b.modelBytes} (${kb(b.modelBytes)}); /screening page JS: ${b.pageJsBytes} bytes (${
      kb(b.pageJsBytes)
    }); engine JS loaded at start: ${kb(b.engineJsBytes)} (Worker + human.esm.js), WASM ${kb(b.engineWasmBytes)}`,
    `emotion agreement (${a.backend}) with our by-eye labels on ${a.total} faces of human/assets/screenshot-facematch.jpg: ${a.correct}/${a.total} top emotion = label (happy ${a.happyHit}/${a.happyTotal}, neutral ${a.neutralHit}/${a.neutralTotal}); faces found ${a.facesFound}/${a.total}`,
  );
  return lines.join("\n");
}

if (import.meta.main) {
  console.log(formatScreening(await benchScreening()));
}
