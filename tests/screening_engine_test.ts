/**
 * The on-device engine's server side and pure parts: the model files are served from our own origin
 * with immutable caching (and nothing else is), the Human configuration never points at a CDN and
 * turns off every model we do not ship, and Human's class names map onto the API's seven emotions.
 */
import assert from "node:assert/strict";
import { appHandler, freshKv, get } from "./helpers.ts";
import {
  HUMAN_VERSION,
  humanConfig,
  MODEL_FILES,
  MODELS_URL,
  toProbs,
  VENDOR_FILES,
  VENDOR_URL,
} from "@/lib/screening/engine_config.ts";
import { EMOTIONS } from "@/lib/screening/model.ts";
import { vendorScreeningAssets } from "@/tasks/vendor_screening.ts";

const ROOT = new URL("..", import.meta.url).pathname;

Deno.test("vendor step: copies the four model files and the engine files, byte for byte", async () => {
  const files = await vendorScreeningAssets(ROOT);
  assert.equal(files.length, MODEL_FILES.length + Object.keys(VENDOR_FILES).length);
  for (const f of MODEL_FILES) {
    const a = await Deno.readFile(`${ROOT}models/${f}`);
    const b = await Deno.readFile(`${ROOT}node_modules/@vladmandic/human/models/${f}`);
    assert.deepEqual(a, b, f);
  }
  const again = await vendorScreeningAssets(ROOT);
  assert.ok(again.every((f) => !f.written), "a second run rewrites nothing");
});

Deno.test("GET /models/{version}/{file}: the shipped models, immutable; anything else 404", async () => {
  await freshKv();
  const h = await appHandler();
  const res = await get(h, `${MODELS_URL}emotion.json`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal(res.headers.get("content-type"), "application/json");
  const json = await res.json();
  assert.deepEqual(json.weightsManifest[0].paths, ["emotion.bin"], "weights resolve next to the json");
  const bin = await get(h, `${MODELS_URL}emotion.bin`);
  assert.equal(bin.status, 200);
  assert.equal((await bin.arrayBuffer()).byteLength, Number(bin.headers.get("content-length")));
  const etag = bin.headers.get("etag")!;
  const again = await get(h, `${MODELS_URL}emotion.bin`, { headers: { "if-none-match": etag } });
  assert.equal(again.status, 304);
  await again.body?.cancel();
  for (const path of ["/models/0.0.1/emotion.json", `${MODELS_URL}facemesh.json`, `${MODELS_URL}..%2Fdeno.json`]) {
    const r = await get(h, path);
    assert.equal(r.status, 404, path);
    await r.body?.cancel();
  }
});

Deno.test("Human configuration: own origin only, face detector + emotion only, no caching between frames", () => {
  const cfg = humanConfig("wasm", "https://ruangpulih.example") as Record<string, any>;
  assert.equal(cfg.modelBasePath, `https://ruangpulih.example/models/${HUMAN_VERSION}/`);
  assert.equal(cfg.wasmPath, `https://ruangpulih.example${VENDOR_URL}`);
  assert.ok(!JSON.stringify(cfg).includes("cdn"), "no CDN anywhere");
  assert.equal(cfg.face.detector.modelPath, "blazeface.json");
  assert.equal(cfg.face.emotion.modelPath, "emotion.json");
  for (const off of ["mesh", "iris", "description", "antispoof", "liveness", "attention", "gear"]) {
    assert.equal(cfg.face[off].enabled, false, off);
  }
  for (const off of ["body", "hand", "object", "segmentation", "gesture", "filter"]) {
    assert.equal(cfg[off].enabled, false, off);
  }
  assert.equal(cfg.skipAllowed, false);
  assert.equal(cfg.cacheSensitivity, 0);
  assert.equal(cfg.warmup, "none");
});

Deno.test("toProbs: Human's FER2013 names → the API's seven emotions, missing ones 0, clamped", () => {
  const p = toProbs([
    { emotion: "happy", score: 0.7 },
    { emotion: "fear", score: 0.2 },
    { emotion: "disgust", score: 0.05 },
    { emotion: "surprise", score: 1.5 },
    { emotion: "unknown", score: 0.9 },
  ]);
  assert.deepEqual(Object.keys(p).sort(), [...EMOTIONS].sort());
  assert.equal(p.happy, 0.7);
  assert.equal(p.fearful, 0.2);
  assert.equal(p.disgusted, 0.05);
  assert.equal(p.surprised, 1);
  assert.equal(p.neutral, 0);
});
