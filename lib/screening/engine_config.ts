/**
 * Configuration of the on-device emotion engine (docs/screening-engine.md), shared by the browser
 * Worker (`./engine_worker.ts`), the main-thread fallback (`./engine.ts`), the build step that copies
 * the models (`tasks/vendor_screening.ts`), the model route (`routes/models/[version]/[file].ts`) and
 * the benchmark (`bench/screening.ts`). Pure data and pure functions: no Deno, no DOM.
 *
 * Engine: `@vladmandic/human` {@link HUMAN_VERSION} (MIT), its bundled TensorFlow.js 4.22 with the
 * WebGPU, WebGL, WASM and CPU backends. Models: BlazeFace (face box) and oarriaga's mini-Xception
 * emotion classifier (FER2013's seven classes) — see models/README.md.
 *
 * @module
 */
import type { Emotion } from "./model.ts";

/** Version of the `@vladmandic/human` package whose dist and models we ship (deno.json pins it). */
export const HUMAN_VERSION = "3.3.6";

/** Version of `@tensorflow/tfjs-backend-wasm` whose `.wasm` files we ship (must equal Human's bundled tfjs). */
export const TFJS_VERSION = "4.22.0";

/**
 * The `modelVersion` a screening quotes: engine package, face detector and emotion model.
 * Bounded string (≤ 64 chars), changes whenever a model file or the engine changes.
 */
export const MODEL_VERSION = `human-${HUMAN_VERSION}/blazeface+emotion-fer2013`;

/** The model files we ship in `models/` and serve under {@link MODELS_URL} (json + its weights). */
export const MODEL_FILES = ["blazeface.json", "blazeface.bin", "emotion.json", "emotion.bin"] as const;

/**
 * Public base path of the models (trailing slash). The version is in the path, not in a query, because
 * TensorFlow.js resolves each model's weight file (`*.bin`) relative to its `.json` URL; a versioned
 * path can then be served with `Cache-Control: immutable`.
 */
export const MODELS_URL = `/models/${HUMAN_VERSION}/`;

/** Public base path of the vendored engine: `human.esm.js` and tfjs's `.wasm` files (static/vendor/human/). */
export const VENDOR_URL = "/vendor/human/";

/** The engine module's public URL (copied from node_modules by the build). */
export const HUMAN_JS_URL = `${VENDOR_URL}human.esm.js`;

/** Files copied from node_modules into static/vendor/human/ (source path relative to node_modules → name). */
export const VENDOR_FILES: Record<string, string> = {
  "@vladmandic/human/dist/human.esm.js": "human.esm.js",
  "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm": "tfjs-backend-wasm.wasm",
  "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm": "tfjs-backend-wasm-simd.wasm",
  "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm": "tfjs-backend-wasm-threaded-simd.wasm",
};

/** TensorFlow.js backends, in the order the engine tries them (docs/screening-engine.md). */
export const BACKENDS = ["webgpu", "webgl", "wasm", "cpu"] as const;
/** One of {@link BACKENDS}. */
export type Backend = typeof BACKENDS[number];

/** Human's FER2013 class names → the API's names (lib/screening/model.ts EMOTIONS). */
export const HUMAN_EMOTIONS: Record<string, Emotion> = {
  neutral: "neutral",
  happy: "happy",
  sad: "sad",
  angry: "angry",
  fear: "fearful",
  disgust: "disgusted",
  surprise: "surprised",
};

/** Minimum BlazeFace confidence for "face found" (Human's default is 0.2; stricter keeps false faces out). */
export const FACE_MIN_CONFIDENCE = 0.5;

/**
 * The Human configuration for `backend`: face detector + emotion only (no mesh, iris, description,
 * body, hand, object, gesture, segmentation, filter), no result caching between frames (every frame is
 * a real inference, `skipAllowed: false`, `cacheSensitivity: 0`), models from our own server
 * ({@link MODELS_URL} on `origin`) and the WASM binaries from {@link VENDOR_URL}; nothing from a CDN.
 *
 * @param backend the tfjs backend to request.
 * @param origin absolute origin (e.g. `location.origin`): a Worker resolves relative URLs differently.
 */
export function humanConfig(backend: Backend, origin: string): Record<string, unknown> {
  return {
    backend,
    modelBasePath: origin + MODELS_URL,
    wasmPath: origin + VENDOR_URL,
    wasmPlatformFetch: false,
    cacheModels: false, // the HTTP cache (immutable) keeps them; nothing in IndexedDB
    debug: false,
    async: true,
    warmup: "none",
    cacheSensitivity: 0,
    skipAllowed: false,
    filter: { enabled: false },
    gesture: { enabled: false },
    face: {
      enabled: true,
      detector: {
        modelPath: "blazeface.json",
        rotation: false,
        maxDetected: 1,
        minConfidence: FACE_MIN_CONFIDENCE,
        skipFrames: 0,
        skipTime: 0,
        return: false,
      },
      mesh: { enabled: false },
      attention: { enabled: false },
      iris: { enabled: false },
      emotion: { enabled: true, minConfidence: 0, skipFrames: 0, skipTime: 0, modelPath: "emotion.json" },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      gear: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
  };
}

/** What the engine reports for one frame. */
export interface FrameResult {
  /** A face with confidence ≥ {@link FACE_MIN_CONFIDENCE} was found. */
  face: boolean;
  /** The seven emotion probabilities (0–1) of the face, or null when no face. */
  probs: Record<Emotion, number> | null;
  /** Inference time in milliseconds (detector + classifier, as measured around `detect`). */
  ms: number;
}

/**
 * Converts Human's `face[0].emotion` list (`[{score, emotion}]`, only classes above minConfidence) into
 * all seven probabilities in the API's names (missing classes count 0).
 */
export function toProbs(list: { score: number; emotion: string }[] | undefined): Record<Emotion, number> {
  const probs: Record<Emotion, number> = {
    neutral: 0,
    happy: 0,
    sad: 0,
    angry: 0,
    fearful: 0,
    disgusted: 0,
    surprised: 0,
  };
  for (const e of list ?? []) {
    const name = HUMAN_EMOTIONS[e.emotion];
    if (name && Number.isFinite(e.score)) probs[name] = Math.max(0, Math.min(1, e.score));
  }
  return probs;
}
