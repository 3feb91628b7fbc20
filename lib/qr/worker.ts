/**
 * Module Worker that decodes QR codes off the main thread for the front-desk scan
 * screen. Bundled for the browser by the build
 * (`deno bundle --platform browser --format esm --minify lib/qr/worker.ts`) and started
 * with `new Worker(url, { type: "module" })`.
 *
 * Protocol:
 * - page → worker: {@link QrDecodeRequest} `{ id, width, height, data }`, `data` being
 *   the `ArrayBuffer` of a canvas `ImageData` (RGBA; transfer it, don't copy);
 * - worker → page: {@link QrDecodeResponse} `{ id, text, ms }` — `text` is the decoded
 *   string or `null`, `ms` the decode time; `error` is set when decoding failed (e.g.
 *   the WebAssembly file could not be loaded), with `text: null`.
 *
 * Send the next frame only after the answer to the previous one (one in flight):
 * frames then never queue up behind a slow decode.
 *
 * The decoder is {@link QR_DECODER} (zxing-wasm, see `docs/qr-decoders.md`). Its
 * WebAssembly is fetched from our own server, never a CDN: by default from
 * {@link ZXING_WASM_PUBLIC_URL} (`/vendor/zxing_reader.wasm`, i.e.
 * `static/vendor/zxing_reader.wasm`); a different same-origin path can be given in the
 * worker's own URL, URL-encoded, e.g.
 * `new Worker("/…/qr_worker.js?wasm=" + encodeURIComponent(asset("/vendor/zxing_reader.wasm")))`.
 * The page's CSP must allow `'wasm-unsafe-eval'` in `script-src` and the worker
 * script in `worker-src`.
 *
 * In Deno (tests) the worker reads the binary from `node_modules` instead.
 *
 * @module
 */

import { configureZxingWasm, decodeQr, initZxing, QR_DECODER, ZXING_WASM_PUBLIC_URL } from "./decode.ts";

/** A frame to decode. */
export interface QrDecodeRequest {
  /** Caller's id, echoed back. */
  id: number;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** RGBA pixels, `width * height * 4` bytes (an `ImageData`'s buffer). */
  data: ArrayBuffer;
}

/** The answer to one {@link QrDecodeRequest}. */
export interface QrDecodeResponse {
  id: number;
  /** Decoded text, or `null` when the frame holds no readable QR code. */
  text: string | null;
  /** Decode time in milliseconds. */
  ms: number;
  /** Set when decoding threw (bad request, WebAssembly not loadable). */
  error?: string;
}

interface WorkerScope {
  location: { href: string; origin: string };
  postMessage(message: QrDecodeResponse): void;
  addEventListener(
    type: "message",
    listener: (event: MessageEvent<QrDecodeRequest>) => void,
  ): void;
}

/**
 * The `.wasm` URL to use: `?wasm=` from the worker's own URL when it is a same-origin
 * absolute path, else {@link ZXING_WASM_PUBLIC_URL}.
 */
export function wasmUrlFor(workerHref: string): string {
  const url = new URL(workerHref);
  const param = url.searchParams.get("wasm");
  const path = param && param.startsWith("/") && !param.startsWith("//") ? param : ZXING_WASM_PUBLIC_URL;
  return new URL(path, url.origin).href;
}

function isWorkerScope(scope: unknown): scope is WorkerScope {
  return typeof (globalThis as { WorkerGlobalScope?: unknown })
        .WorkerGlobalScope !== "undefined" &&
    typeof (scope as { postMessage?: unknown }).postMessage === "function";
}

function start(scope: WorkerScope): void {
  const inDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
  if (QR_DECODER === "zxing-wasm" && !inDeno) {
    configureZxingWasm({ wasmUrl: wasmUrlFor(scope.location.href) });
  }
  if (QR_DECODER === "zxing-wasm") {
    // Start fetching and compiling now so the first frame is not slow; a failure
    // is reported with the first answer.
    initZxing().catch(() => {});
  }
  scope.addEventListener("message", async (event) => {
    const { id, width, height, data } = event.data;
    const t0 = performance.now();
    try {
      if (
        !(data instanceof ArrayBuffer) || !(width > 0) || !(height > 0) ||
        data.byteLength !== width * height * 4
      ) {
        throw new Error(
          "expected { id, width, height, data: ArrayBuffer of width*height*4 }",
        );
      }
      const text = await decodeQr({
        data: new Uint8ClampedArray(data),
        width,
        height,
      });
      scope.postMessage({ id, text, ms: performance.now() - t0 });
    } catch (e) {
      scope.postMessage({
        id,
        text: null,
        ms: performance.now() - t0,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  });
}

if (isWorkerScope(globalThis)) start(globalThis);
