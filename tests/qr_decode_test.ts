/**
 * QR decoding: both decoders (jsQR, zxing-wasm) read generated codes exactly — upright,
 * rotated and noisy — and return null on empty frames; the scan Worker answers its
 * protocol; the build copies the WebAssembly locally; the benchmark harness reads the
 * ZXing corpus's expected text exactly (when the corpus is present).
 */

import assert from "node:assert/strict";
import pngjs from "pngjs";
import qrcode from "qrcode-generator";
import { datasetDir, decodePng, emptyFrame, loadDataset, rotateRgba } from "@/bench/qr_decoders.ts";
import {
  configureZxingWasm,
  decodeQr,
  decodeZxing,
  findZxingWasmPath,
  loadZxingWasmBinary,
  QR_DECODER,
  type RgbaImage,
  sha256Hex,
  ZXING_WASM_EXPECTED_SHA256,
  ZXING_WASM_PUBLIC_URL,
} from "@/lib/qr/decode.ts";
import { decodeJsqr } from "@/lib/qr/jsqr.ts";
import type { QrDecodeRequest, QrDecodeResponse } from "@/lib/qr/worker.ts";
import { wasmUrlFor } from "@/lib/qr/worker.ts";
import { vendorQrAssets } from "@/tasks/vendor_qr.ts";

/** A QR token shaped like the appointment tokens (base64url, mixed case). */
const TOKEN = "RP1.01JD3K6QH4Z9XG2M7WB5N8C0TA.x7Hk2mPq9vWbN3sLr8TfYc-_Qe4";

/**
 * Renders `text` as a QR code into RGBA pixels: black modules on white, `scale` pixels
 * per module, a quiet zone of `quiet` modules (the standard asks for 4).
 */
function renderQr(
  text: string,
  { scale = 4, quiet = 4, ecc = "M" as "L" | "M" | "Q" | "H" } = {},
): RgbaImage {
  const qr = qrcode(0, ecc);
  qr.addData(text, "Byte");
  qr.make();
  const modules = qr.getModuleCount();
  const size = (modules + 2 * quiet) * scale;
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  for (let r = 0; r < modules; r++) {
    for (let c = 0; c < modules; c++) {
      if (!qr.isDark(r, c)) continue;
      for (let y = 0; y < scale; y++) {
        const row = ((quiet + r) * scale + y) * size;
        for (let x = 0; x < scale; x++) {
          const i = (row + (quiet + c) * scale + x) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
      }
    }
  }
  return { data, width: size, height: size };
}

/** Deterministic PRNG (mulberry32), values in [0, 1). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Adds noise: every pixel's grey level moves by up to ±`amplitude`, and a fraction
 * `flips` of pixels is replaced by pure black or white (salt and pepper).
 */
function addNoise(
  image: RgbaImage,
  { amplitude = 60, flips = 0.02, seed = 42 } = {},
): RgbaImage {
  const rand = prng(seed);
  const data = new Uint8ClampedArray(image.data);
  for (let i = 0; i < data.length; i += 4) {
    let v: number;
    if (rand() < flips) v = rand() < 0.5 ? 0 : 255;
    else v = data[i] + (rand() * 2 - 1) * amplitude;
    data[i] = data[i + 1] = data[i + 2] = v;
  }
  return { data, width: image.width, height: image.height };
}

const decoders: [string, (image: RgbaImage) => Promise<string | null>][] = [
  ["jsqr", (image) => Promise.resolve(decodeJsqr(image))],
  ["zxing-wasm", (image) => decodeZxing(image)],
];

for (const [name, decode] of decoders) {
  Deno.test(`${name}: reads a generated token exactly`, async () => {
    assert.equal(await decode(renderQr(TOKEN)), TOKEN);
  });

  Deno.test(`${name}: reads it rotated 90°, 180° and 270°`, async () => {
    const image = renderQr(TOKEN, { scale: 3 });
    for (const deg of [90, 180, 270] as const) {
      assert.equal(await decode(rotateRgba(image, deg)), TOKEN, `${deg}°`);
    }
  });

  Deno.test(`${name}: reads it through pixel noise`, async () => {
    const noisy = addNoise(renderQr(TOKEN, { scale: 5 }));
    assert.equal(await decode(noisy), TOKEN);
    assert.equal(await decode(rotateRgba(noisy, 90)), TOKEN);
  });

  Deno.test(`${name}: reads other payloads (numeric, URL, UTF-8)`, async () => {
    assert.equal(await decode(renderQr("0123456789")), "0123456789");
    const url = "https://ruangpulih.example/janji/01JD3K6QH4?lang=id";
    assert.equal(await decode(renderQr(url, { ecc: "H" })), url);
    // qrcode-generator writes char codes as bytes by default; give it UTF-8 bytes.
    const text = "Tamu: Siti Nurhaliza — ruang BK, café ☕";
    const saved = qrcode.stringToBytes;
    qrcode.stringToBytes = (s: string) => [...new TextEncoder().encode(s)];
    try {
      assert.equal(await decode(renderQr(text)), text);
    } finally {
      qrcode.stringToBytes = saved;
    }
  });

  Deno.test(`${name}: returns null on frames without a code`, async () => {
    assert.equal(await decode(emptyFrame("gray", 320, 240)), null);
    assert.equal(
      await decode({
        data: new Uint8ClampedArray(64 * 48 * 4).fill(255),
        width: 64,
        height: 48,
      }),
      null,
    );
    assert.equal(await decode(emptyFrame("noise", 160, 120)), null);
  });
}

Deno.test("decodeQr uses the chosen decoder", async () => {
  assert.equal(QR_DECODER, "zxing-wasm");
  assert.equal(await decodeQr(renderQr(TOKEN)), TOKEN);
});

Deno.test("rotateRgba turns pixels clockwise", () => {
  // 2×1 image: red, green → 90° gives a 1×2 image: red on top, green below.
  const px = (r: number, g: number, b: number) => [r, g, b, 255];
  const image: RgbaImage = {
    data: new Uint8ClampedArray([...px(255, 0, 0), ...px(0, 255, 0)]),
    width: 2,
    height: 1,
  };
  const r90 = rotateRgba(image, 90);
  assert.deepEqual([r90.width, r90.height], [1, 2]);
  assert.deepEqual([...r90.data], [...px(255, 0, 0), ...px(0, 255, 0)]);
  const r180 = rotateRgba(image, 180);
  assert.deepEqual([...r180.data], [...px(0, 255, 0), ...px(255, 0, 0)]);
  const r270 = rotateRgba(image, 270);
  assert.deepEqual([r270.width, r270.height], [1, 2]);
  assert.deepEqual([...r270.data], [...px(0, 255, 0), ...px(255, 0, 0)]);
  // 2×3 → 3×2 and four quarter turns give the original back.
  const rect: RgbaImage = {
    data: new Uint8ClampedArray(Array.from({ length: 24 }, (_, i) => i)),
    width: 2,
    height: 3,
  };
  let r: RgbaImage = rect;
  for (let i = 0; i < 4; i++) r = rotateRgba(r, 90);
  assert.deepEqual([...r.data], [...rect.data]);
  assert.deepEqual([rotateRgba(rect, 90).width, rotateRgba(rect, 90).height], [
    3,
    2,
  ]);
});

Deno.test("the zxing-wasm binary is found locally with the published hash", async () => {
  const path = await findZxingWasmPath();
  assert.equal(
    await sha256Hex(await Deno.readFile(path)),
    ZXING_WASM_EXPECTED_SHA256,
  );
});

Deno.test("vendorQrAssets copies the WebAssembly once and repairs a stale copy", async () => {
  const root = await Deno.makeTempDir({ prefix: "qr_vendor_" });
  try {
    const [first] = await vendorQrAssets(root);
    assert.equal(first.written, true);
    assert.equal(first.path, `${root}/static/vendor/zxing_reader.wasm`);
    assert.equal(
      await sha256Hex(await Deno.readFile(first.path)),
      ZXING_WASM_EXPECTED_SHA256,
    );
    const [second] = await vendorQrAssets(root + "/");
    assert.equal(second.written, false);
    await Deno.writeFile(first.path, new Uint8Array([0, 97, 115, 109]));
    const [third] = await vendorQrAssets(root);
    assert.equal(third.written, true);
    assert.equal(
      await sha256Hex(await Deno.readFile(first.path)),
      ZXING_WASM_EXPECTED_SHA256,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("worker: wasm URL defaults to our static path, accepts same-origin overrides", () => {
  const base = "https://desk.example/_fresh/js/abc/qr_worker.js";
  assert.equal(
    wasmUrlFor(base),
    `https://desk.example${ZXING_WASM_PUBLIC_URL}`,
  );
  assert.equal(ZXING_WASM_PUBLIC_URL, "/vendor/zxing_reader.wasm");
  assert.equal(
    wasmUrlFor(
      `${base}?wasm=${encodeURIComponent("/vendor/zxing_reader.wasm?__frsh_c=b1")}`,
    ),
    "https://desk.example/vendor/zxing_reader.wasm?__frsh_c=b1",
  );
  // Never another origin.
  assert.equal(
    wasmUrlFor(`${base}?wasm=//cdn.example/x.wasm`),
    `https://desk.example${ZXING_WASM_PUBLIC_URL}`,
  );
  assert.equal(
    wasmUrlFor(`${base}?wasm=https://cdn.example/x.wasm`),
    `https://desk.example${ZXING_WASM_PUBLIC_URL}`,
  );
});

Deno.test("worker: answers { id, text, ms } per frame, and an error for a bad one", async () => {
  const worker = new Worker(new URL("../lib/qr/worker.ts", import.meta.url), {
    type: "module",
  });
  const answers = new Map<number, (r: QrDecodeResponse) => void>();
  worker.onmessage = (e: MessageEvent<QrDecodeResponse>) => answers.get(e.data.id)?.(e.data);
  const ask = (req: QrDecodeRequest, transfer: Transferable[] = []) =>
    new Promise<QrDecodeResponse>((resolve) => {
      answers.set(req.id, resolve);
      worker.postMessage(req, transfer);
    });
  try {
    const image = renderQr(TOKEN);
    const data = image.data.slice().buffer;
    const hit = await ask(
      { id: 1, width: image.width, height: image.height, data },
      [data],
    );
    assert.equal(hit.id, 1);
    assert.equal(hit.text, TOKEN);
    assert.equal(typeof hit.ms, "number");
    assert.equal(hit.error, undefined);

    const blank = emptyFrame("gray", 64, 64);
    const miss = await ask({
      id: 2,
      width: 64,
      height: 64,
      data: blank.data.slice().buffer,
    });
    assert.deepEqual([miss.id, miss.text, miss.error], [2, null, undefined]);

    const bad = await ask({
      id: 3,
      width: 10,
      height: 10,
      data: new ArrayBuffer(7),
    });
    assert.equal(bad.id, 3);
    assert.equal(bad.text, null);
    assert.match(bad.error ?? "", /width\*height\*4/);
  } finally {
    worker.terminate();
  }
});

function fileExists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function dirExists(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

const DATASET = datasetDir();
const haveDataset = dirExists(DATASET);

Deno.test({
  name: "dataset: the harness reads expected text exactly (first 5 of qrcode-1)",
  ignore: !haveDataset,
  async fn() {
    const images = await loadDataset(DATASET, { sets: ["qrcode-1"], limit: 5 });
    assert.deepEqual(
      images.map((i) => i.name),
      ["1.png", "2.png", "3.png", "4.png", "5.png"],
    );
    for (const item of images) {
      assert.ok(item.expected.length > 0, item.name);
      assert.equal(
        item.image.data.length,
        item.image.width * item.image.height * 4,
      );
      assert.equal(await decodeZxing(item.image), item.expected, item.name);
      assert.equal(decodeJsqr(item.image), item.expected, item.name);
    }
  },
});

Deno.test({
  name: "dataset: expected text is not trimmed (payloads ending in \\r\\n or \\n)",
  ignore: !haveDataset,
  async fn() {
    const images = await loadDataset(DATASET, {
      sets: ["qrcode-3", "qrcode-5"],
      names: ["qrcode-3/18.png", "qrcode-5/17.png"],
    });
    assert.equal(images.length, 2);
    const [crlf, lf] = images;
    assert.ok(crlf.expected.endsWith("/ \r\n"), JSON.stringify(crlf.expected));
    assert.ok(lf.expected.endsWith("Only it \n"), JSON.stringify(lf.expected));
    for (const item of images) {
      assert.equal(await decodeZxing(item.image), item.expected, item.name);
    }
  },
});

Deno.test("decodePng flattens transparency onto white", () => {
  // 3×1 RGBA: transparent black, half-transparent black, opaque red.
  const png = new pngjs.PNG({ width: 3, height: 1 });
  png.data.set([0, 0, 0, 0, 0, 0, 0, 128, 255, 0, 0, 255]);
  const bytes = new Uint8Array(pngjs.PNG.sync.write(png));
  const image = decodePng(bytes);
  assert.deepEqual([image.width, image.height], [3, 1]);
  assert.deepEqual([...image.data], [
    255,
    255,
    255,
    255,
    127,
    127,
    127,
    255,
    255,
    0,
    0,
    255,
  ]);
});

Deno.test("zxing-wasm: a broken binary is an error, and a good one can be configured after", async () => {
  configureZxingWasm({
    wasmBinary: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 9]),
  });
  const image = renderQr(TOKEN);
  const quiet = console.error;
  console.error = () => {}; // Emscripten logs the failed compile
  try {
    await assert.rejects(decodeZxing(image));
    await assert.rejects(decodeZxing(image)); // fails fast, no reload in between
  } finally {
    console.error = quiet;
  }
  configureZxingWasm({ wasmBinary: await loadZxingWasmBinary() });
  assert.equal(await decodeZxing(image), TOKEN);
});

const CHROMIUM = "/usr/bin/chromium";

Deno.test({
  name: "browser: the bundled worker decodes a canvas frame with our own .wasm, no CDN",
  ignore: !fileExists(CHROMIUM),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { chromium } = await import("playwright-core");
    const dir = await Deno.makeTempDir({ prefix: "qr_worker_" });
    const bundle = `${dir}/qr_worker.js`;
    const built = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--platform",
        "browser",
        "--format",
        "esm",
        "--minify",
        new URL("../lib/qr/worker.ts", import.meta.url).pathname,
        "-o",
        bundle,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.ok(built.success, new TextDecoder().decode(built.stderr));

    const frame = renderQr(TOKEN, { scale: 6 });
    const png = new pngjs.PNG({ width: frame.width, height: frame.height });
    png.data.set(frame.data);
    const files: Record<string, [Uint8Array<ArrayBuffer> | string, string]> = {
      "/": [
        `<!doctype html><script type="module" src="/app.js"></script>`,
        "text/html",
      ],
      "/app.js": [
        `const img = new Image(); img.src = "/frame.png"; await img.decode();
const c = new OffscreenCanvas(img.width, img.height), g = c.getContext("2d");
g.drawImage(img, 0, 0);
const f = g.getImageData(0, 0, img.width, img.height);
const w = new Worker("/qr_worker.js", { type: "module" });
w.onmessage = (e) => { window.result = e.data; };
w.postMessage({ id: 7, width: f.width, height: f.height, data: f.data.buffer }, [f.data.buffer]);`,
        "text/javascript",
      ],
      "/qr_worker.js": [await Deno.readFile(bundle), "text/javascript"],
      "/frame.png": [new Uint8Array(pngjs.PNG.sync.write(png)), "image/png"],
      [ZXING_WASM_PUBLIC_URL]: [
        await Deno.readFile(await findZxingWasmPath()),
        "application/wasm",
      ],
    };
    const served: string[] = [];
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      (req) => {
        const path = new URL(req.url).pathname;
        served.push(path);
        const file = files[path];
        if (!file) return new Response("not found", { status: 404 });
        return new Response(file[0], {
          headers: {
            "content-type": file[1],
            // The policy the app needs: WebAssembly compile allowed, same-origin only.
            "content-security-policy": "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'",
          },
        });
      },
    );
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const page = await browser.newPage();
      const origin = `http://127.0.0.1:${server.addr.port}`;
      const foreign: string[] = [];
      page.on("request", (r) => {
        if (!r.url().startsWith(origin)) foreign.push(r.url());
      });
      await page.goto(origin + "/");
      await page.waitForFunction(() => "result" in globalThis, null, {
        timeout: 15_000,
      });
      const result = await page.evaluate(() => (globalThis as unknown as { result: QrDecodeResponse }).result);
      assert.equal(result.id, 7);
      assert.equal(result.error, undefined);
      assert.equal(result.text, TOKEN);
      assert.ok(served.includes(ZXING_WASM_PUBLIC_URL), served.join(" "));
      assert.deepEqual(foreign, []);
    } finally {
      await browser.close();
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
