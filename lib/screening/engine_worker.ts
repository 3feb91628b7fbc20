/**
 * Module Worker running the emotion engine off the main thread (docs/screening-engine.md), so the run's progress
 * bar and timers never wait for an inference. Bundled by the build as entry `screening_worker`
 * (tasks/build.ts) and started by `./engine.ts` with `new Worker(url, { type: "module" })`.
 *
 * Protocol (one frame in flight; the page sends the next frame after the previous answer):
 * - page → worker {@link EngineRequest}: `{type: "init", origin, order?, allowSoftwareWebGl?}` once, then
 *   `{type: "frame", id, frame}` with an `ImageBitmap` of the camera frame (transferred, closed here);
 * - worker → page {@link EngineResponse}: `{type: "ready", backend}` or `{type: "init_error", message}`,
 *   then `{type: "result", id, result}` or `{type: "frame_error", id, message}` per frame.
 *
 * Inside the Worker Human draws frames on an OffscreenCanvas (WebGL and WebGPU work there in Chromium).
 *
 * @module
 */
import type { Backend, FrameResult } from "./engine_config.ts";
import { createHumanRunner, type HumanRunner } from "./engine_core.ts";

/** A message to the Worker. */
export type EngineRequest =
  | { type: "init"; origin: string; order?: Backend[]; allowSoftwareWebGl?: boolean }
  | { type: "frame"; id: number; frame: ImageBitmap };

/** A message from the Worker. */
export type EngineResponse =
  | { type: "ready"; backend: Backend }
  | { type: "init_error"; message: string }
  | { type: "result"; id: number; result: FrameResult }
  | { type: "frame_error"; id: number; message: string };

interface WorkerScope {
  postMessage(message: EngineResponse): void;
  addEventListener(type: "message", listener: (event: MessageEvent<EngineRequest>) => void): void;
}

function start(scope: WorkerScope): void {
  let runner: HumanRunner | null = null;
  scope.addEventListener("message", async (event) => {
    const msg = event.data;
    if (msg.type === "init") {
      try {
        if (typeof OffscreenCanvas === "undefined") throw new Error("no OffscreenCanvas in this Worker");
        runner = await createHumanRunner(msg.origin, msg.order, { allowSoftwareWebGl: msg.allowSoftwareWebGl });
        scope.postMessage({ type: "ready", backend: runner.backend });
      } catch (e) {
        scope.postMessage({ type: "init_error", message: e instanceof Error ? e.message : String(e) });
      }
      return;
    }
    if (msg.type === "frame") {
      try {
        if (!runner) throw new Error("not initialised");
        const result = await runner.detect(msg.frame);
        scope.postMessage({ type: "result", id: msg.id, result });
      } catch (e) {
        scope.postMessage({ type: "frame_error", id: msg.id, message: e instanceof Error ? e.message : String(e) });
      } finally {
        msg.frame.close?.();
      }
    }
  });
}

if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined") {
  start(globalThis as unknown as WorkerScope);
}
