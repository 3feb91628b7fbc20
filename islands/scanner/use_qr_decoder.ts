/**
 * Decoding the camera picture off the main thread: frames drawn to a canvas
 * downscaled to ≤ {@link MAX_FRAME_WIDTH} px wide, their RGBA `ArrayBuffer`
 * transferred to the decoding Worker (`lib/qr/worker.ts`, bundle entry
 * `qr_worker`), at most one frame in flight and one every
 * {@link FRAME_INTERVAL_MS}; paused while the page is hidden.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { RefObject } from "preact";
import { useLatest } from "./use_latest.ts";

/** Frames are downscaled to at most this width before decoding (px). */
export const MAX_FRAME_WIDTH = 640;
/** Minimum time between two decoded frames (ms); keeps the tablet cool. */
export const FRAME_INTERVAL_MS = 120;
/** A frame whose answer has not come back after this long is given up (ms). */
const LOST_FRAME_MS = 3000;

export interface QrDecoderOptions {
  /** URL of the decoding Worker bundle (null: camera decoding unavailable). */
  workerUrl: string | null;
  /** Same-origin path of zxing's WebAssembly (handed to the Worker as `?wasm=`). */
  wasmUrl: string;
  videoRef: RefObject<HTMLVideoElement>;
  /** Decode while true (the camera is on). */
  running: boolean;
  /** Called with the text of each decoded code. */
  onText: (text: string) => void;
}

/** Runs the frame loop while `running`; returns whether the decoder failed. */
export function useQrDecoder(opts: QrDecoderOptions): { failed: boolean } {
  const [failed, setFailed] = useState(false);
  const workerRef = useRef<Worker | null>(null);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const frameId = useRef(0);
  const inFlight = useRef(false);
  const loopTimer = useRef<number | null>(null);
  const runningRef = useRef(false);
  const latest = useLatest(opts);

  function ensureWorker() {
    const { workerUrl, wasmUrl } = latest.current;
    if (workerRef.current || !workerUrl) {
      if (!workerUrl) setFailed(true);
      return;
    }
    try {
      const w = new Worker(`${workerUrl}?wasm=${encodeURIComponent(wasmUrl)}`, { type: "module" });
      w.onmessage = (e: MessageEvent<{ id: number; text: string | null; error?: string }>) => {
        inFlight.current = false;
        if (e.data.error) setFailed(true);
        if (e.data.text) latest.current.onText(e.data.text);
      };
      w.onerror = () => {
        inFlight.current = false;
        setFailed(true);
      };
      workerRef.current = w;
    } catch {
      setFailed(true);
    }
  }

  function stopLoop() {
    if (loopTimer.current) clearTimeout(loopTimer.current);
    loopTimer.current = null;
  }

  function scheduleFrame(delay = FRAME_INTERVAL_MS) {
    stopLoop();
    loopTimer.current = setTimeout(grabFrame, delay) as unknown as number;
  }

  function grabFrame() {
    loopTimer.current = null;
    const v = latest.current.videoRef.current;
    if (!runningRef.current || !v) return;
    const w = workerRef.current;
    if (w && !inFlight.current && document.visibilityState === "visible" && v.readyState >= 2 && v.videoWidth > 0) {
      const scale = Math.min(1, MAX_FRAME_WIDTH / v.videoWidth);
      const width = Math.round(v.videoWidth * scale);
      const height = Math.round(v.videoHeight * scale);
      const c = canvasRef.current ?? (canvasRef.current = document.createElement("canvas"));
      if (c.width !== width) c.width = width;
      if (c.height !== height) c.height = height;
      const g = c.getContext("2d", { willReadFrequently: true });
      if (g) {
        g.drawImage(v, 0, 0, width, height);
        const img = g.getImageData(0, 0, width, height);
        inFlight.current = true;
        const id = ++frameId.current;
        w.postMessage({ id, width, height, data: img.data.buffer }, [img.data.buffer]);
        // A lost answer must not stop scanning forever.
        setTimeout(() => {
          if (inFlight.current && frameId.current === id) inFlight.current = false;
        }, LOST_FRAME_MS);
      }
    }
    scheduleFrame();
  }

  useEffect(() => {
    runningRef.current = opts.running;
    if (!opts.running) {
      stopLoop();
      return;
    }
    ensureWorker();
    scheduleFrame(0);
    const onVis = () => {
      if (document.visibilityState === "visible" && runningRef.current) scheduleFrame(0);
    };
    document.addEventListener("visibilitychange", onVis);
    return () => {
      document.removeEventListener("visibilitychange", onVis);
      stopLoop();
    };
  }, [opts.running]);

  useEffect(() => () => {
    runningRef.current = false;
    workerRef.current?.terminate();
    workerRef.current = null;
  }, []);

  return { failed };
}
