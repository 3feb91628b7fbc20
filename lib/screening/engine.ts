/**
 * Page side of the on-device emotion engine (docs/screening-engine.md). {@link startEngine} runs the
 * engine in a Worker (`./engine_worker.ts`, frames sent as transferred `ImageBitmap`s) when the browser
 * has Workers, `createImageBitmap` and OffscreenCanvas; when that is missing or the Worker cannot start
 * a backend, it runs Human on the main thread instead. Nothing here sends a frame anywhere but to the
 * Worker: no camera image ever leaves the device.
 *
 * @module
 */
import type { Backend, FrameResult } from "./engine_config.ts";
import { createHumanRunner } from "./engine_core.ts";
import type { EngineRequest, EngineResponse } from "./engine_worker.ts";

/** A running engine. */
export interface Engine {
  /** The tfjs backend in use (shown on screen and sent with the result). */
  backend: Backend;
  /** Where inference runs. */
  mode: "worker" | "main";
  /** Analyses the current frame of `video` (one call at a time). */
  analyze(video: HTMLVideoElement): Promise<FrameResult>;
  /** Stops the Worker (if any). */
  close(): void;
}

/** Options of {@link startEngine}. */
export interface StartEngineOptions {
  /** URL of the `screening_worker` bundle; null → main thread. */
  workerUrl: string | null;
  /** Backends to try, in order (default: WebGPU, WebGL, WASM, CPU). */
  order?: Backend[];
  /** How long the Worker may take to load models and pick a backend (ms, default 60 000). */
  initTimeoutMs?: number;
}

/** True when this browser can run the engine in a Worker with OffscreenCanvas. */
export function workerSupported(): boolean {
  return typeof Worker !== "undefined" && typeof OffscreenCanvas !== "undefined" &&
    typeof createImageBitmap === "function";
}

/**
 * Starts the engine: Worker first, main thread as the fallback.
 * @throws Error `no_backend: …` when no backend works in either place.
 */
export async function startEngine(opts: StartEngineOptions): Promise<Engine> {
  const origin = location.origin;
  if (opts.workerUrl && workerSupported()) {
    try {
      return await startWorker(opts.workerUrl, origin, opts.order, opts.initTimeoutMs ?? 60_000);
    } catch {
      // fall through to the main thread
    }
  }
  const runner = await createHumanRunner(origin, opts.order);
  return {
    backend: runner.backend,
    mode: "main",
    analyze: (video) => runner.detect(video),
    close() {},
  };
}

function startWorker(url: string, origin: string, order: Backend[] | undefined, timeoutMs: number): Promise<Engine> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { type: "module" });
    let nextId = 1;
    const pending = new Map<number, { resolve: (r: FrameResult) => void; reject: (e: Error) => void }>();
    const timer = setTimeout(() => {
      worker.terminate();
      reject(new Error("worker init timeout"));
    }, timeoutMs);
    worker.onerror = (e) => {
      clearTimeout(timer);
      worker.terminate();
      const err = new Error(`worker error: ${e.message}`);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      reject(err);
    };
    worker.onmessage = (event: MessageEvent<EngineResponse>) => {
      const msg = event.data;
      if (msg.type === "ready") {
        clearTimeout(timer);
        resolve({
          backend: msg.backend,
          mode: "worker",
          async analyze(video) {
            const frame = await createImageBitmap(video);
            const id = nextId++;
            return await new Promise<FrameResult>((res, rej) => {
              pending.set(id, { resolve: res, reject: rej });
              const req: EngineRequest = { type: "frame", id, frame };
              worker.postMessage(req, [frame]);
            });
          },
          close() {
            worker.terminate();
            for (const p of pending.values()) p.reject(new Error("engine closed"));
            pending.clear();
          },
        });
      } else if (msg.type === "init_error") {
        clearTimeout(timer);
        worker.terminate();
        reject(new Error(msg.message));
      } else {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.type === "result") p.resolve(msg.result);
        else p.reject(new Error(msg.message));
      }
    };
    const init: EngineRequest = { type: "init", origin, order };
    worker.postMessage(init);
  });
}
