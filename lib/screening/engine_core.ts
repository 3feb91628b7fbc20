/**
 * The part of the on-device emotion engine that runs wherever Human runs — inside the Worker
 * (`./engine_worker.ts`) or, where a Worker with OffscreenCanvas is not available, on the page's main
 * thread (`./engine.ts`). Browser-only code, no Deno APIs.
 *
 * Backend order (docs/screening-engine.md): WebGPU when `navigator.gpu.requestAdapter()` gives an adapter, else
 * WebGL, else WASM, else CPU. A backend counts as working only when Human initialised it (tfjs reports
 * it as the active backend), loaded both models, and ran one detection on a blank frame.
 *
 * @module
 */
import { type Backend, BACKENDS, type FrameResult, HUMAN_JS_URL, humanConfig, toProbs } from "./engine_config.ts";

/** A loaded engine: the backend that works and a per-frame detector. */
export interface HumanRunner {
  backend: Backend;
  /** Runs face detection + emotion on one frame (ImageBitmap, ImageData, video or canvas). */
  detect(input: unknown): Promise<FrameResult>;
}

/** Minimal structural view of a Human instance (the package ships no types Deno's checker follows). */
interface HumanLike {
  init(): Promise<void>;
  load(): Promise<void>;
  detect(
    input: unknown,
  ): Promise<{ error?: string | null; face?: { score?: number; emotion?: { score: number; emotion: string }[] }[] }>;
  tf: { getBackend(): string; engine(): { reset?(): void } };
}

/** True when WebGPU is present and gives an adapter. */
export async function hasWebGpuAdapter(): Promise<boolean> {
  // deno-lint-ignore no-explicit-any
  const gpu = (globalThis.navigator as any)?.gpu;
  if (!gpu?.requestAdapter) return false;
  try {
    return (await gpu.requestAdapter()) != null;
  } catch {
    return false;
  }
}

/**
 * The WebGL renderer string when it is a software rasteriser (SwiftShader, llvmpipe, softpipe), else null.
 * Software WebGL runs the GPU shaders on the CPU and is many times slower than WASM (docs/benchmarks.md
 * "Emotion screening"), so the engine skips it unless asked for it (the bench measures it on purpose).
 */
export function softwareWebGlRenderer(): string | null {
  try {
    const canvas = typeof OffscreenCanvas !== "undefined"
      ? new OffscreenCanvas(1, 1)
      : (globalThis as unknown as { document: Document }).document.createElement("canvas");
    const gl = (canvas.getContext("webgl2") ?? canvas.getContext("webgl")) as WebGLRenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? "");
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return /swiftshader|llvmpipe|softpipe|software/i.test(renderer) ? renderer : null;
  } catch {
    return null;
  }
}

function blankFrame(): unknown {
  const w = 64, h = 64;
  if (typeof ImageData !== "undefined") return new ImageData(w, h);
  return { data: new Uint8ClampedArray(w * h * 4), width: w, height: h };
}

/**
 * Loads Human from `origin` and returns the first backend of `order` that works.
 * @param origin absolute origin the engine, models and wasm files are served from.
 * @param order backends to try (default {@link BACKENDS}); the bench passes one at a time.
 * @param opts `allowSoftwareWebGl`: also use WebGL when it is a software rasteriser (default false);
 *   `humanUrl`: URL of `human.esm.js` (default `origin` + {@link HUMAN_JS_URL}).
 * @throws Error `no_backend: …` listing each backend's failure when none works.
 */
export async function createHumanRunner(
  origin: string,
  order: readonly Backend[] = BACKENDS,
  opts: { allowSoftwareWebGl?: boolean; humanUrl?: string } = {},
): Promise<HumanRunner> {
  const mod = await import(opts.humanUrl ?? origin + HUMAN_JS_URL);
  const HumanClass = mod.Human ?? mod.default;
  const failures: string[] = [];
  for (const backend of order) {
    if (backend === "webgpu" && !(await hasWebGpuAdapter())) {
      failures.push("webgpu: no adapter");
      continue;
    }
    if (backend === "webgl" && !opts.allowSoftwareWebGl) {
      const soft = softwareWebGlRenderer();
      if (soft) {
        failures.push(`webgl: software renderer (${soft})`);
        continue;
      }
    }
    try {
      const human = new HumanClass(humanConfig(backend, origin)) as HumanLike;
      await human.init();
      const active = human.tf.getBackend();
      if (active !== backend) throw new Error(`tfjs chose ${active}`);
      await human.load();
      const probe = await human.detect(blankFrame());
      if (probe.error) throw new Error(probe.error);
      return { backend, detect: (input) => detectFrame(human, input) };
    } catch (e) {
      failures.push(`${backend}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`no_backend: ${failures.join("; ")}`);
}

async function detectFrame(human: HumanLike, input: unknown): Promise<FrameResult> {
  const t0 = performance.now();
  const res = await human.detect(input);
  const ms = performance.now() - t0;
  if (res.error) throw new Error(res.error);
  const face = res.face?.[0];
  if (!face) return { face: false, probs: null, ms };
  return { face: true, probs: toProbs(face.emotion), ms };
}
