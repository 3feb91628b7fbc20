/**
 * The receptionist's scan screen (PRODUCT.md §2.3, §2.6; issue 3 §3), kiosk-like,
 * for a tablet in landscape: camera on the left; today's live list and the
 * walk-in form on the right. Never reloads the page.
 *
 * Reading codes:
 * - camera: `getUserMedia` (front/back switch by facing mode or by cycling the
 *   video inputs), frames drawn to a canvas downscaled to ≤ 640 px wide, their
 *   RGBA `ArrayBuffer` transferred to the decoding Worker (`lib/qr/worker.ts`,
 *   bundle entry `qr_worker`); at most one frame in flight;
 * - keyboard-wedge scanners (USB/Bluetooth, they type fast and end with Enter):
 *   a window keydown buffer used when no text field has focus;
 * - the manual code box.
 * The same code is ignored for {@link REPEAT_MS} after a read (a sliding
 * window: a code held in front of the camera stays ignored until it has been
 * away that long).
 *
 * A read posts `POST /api/appointments/check-in {code}` (same-origin, cookies)
 * and shows a full-screen result — green (on time), amber (late), red (refused,
 * with the server's translated `error.message`), blue (meeting finished: review
 * link) — with a WebAudio beep (high = OK, low = error), hidden again after
 * {@link RESULT_MS} so the desk is ready for the next guest.
 *
 * Test hooks: `data-testid` = `scan-video`, `start-camera`, `scan-result`
 * (`data-status` = `ok` | `late` | `error` | `review`), `manual-code`,
 * `today-list` (inside TodayGuests), `walkin-form`.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { JSX } from "preact";
import TodayGuests from "./TodayGuests.tsx";
import { type ApptRow, fill, fmtTime, toRow } from "@/components/frontdesk/format.ts";

/** A repeated read of the same code within this many ms is ignored. */
export const REPEAT_MS = 5000;
/** How long the result overlay stays (ms): OK/late, refused, review. */
export const RESULT_MS = { ok: 1200, late: 1500, error: 2500, review: 8000 } as const;
/** Frames are downscaled to at most this width before decoding (px). */
export const MAX_FRAME_WIDTH = 640;
/** Minimum time between two decoded frames (ms); keeps the tablet cool. */
const FRAME_INTERVAL_MS = 120;

export interface QrScannerProps {
  /** URL of the decoding Worker bundle (null: camera decoding unavailable, wedge/manual only). */
  workerUrl: string | null;
  /** Same-origin path of zxing's WebAssembly (handed to the Worker as `?wasm=`). */
  wasmUrl: string;
  strings: Record<string, string>;
  todayStrings: Record<string, string>;
  lang: string;
  timeZone: string;
  teachers: { id: string; name: string }[];
  initial: ApptRow[];
}

/** Keys of the scanner strings (translated by the page). */
export const QR_SCANNER_KEYS = [
  "fd.scan.camera",
  "fd.scan.start_camera",
  "fd.scan.stop_camera",
  "fd.scan.switch_camera",
  "fd.scan.fullscreen",
  "fd.scan.camera_starting",
  "fd.scan.camera_idle",
  "fd.scan.scanning",
  "fd.scan.err.not_allowed",
  "fd.scan.err.not_found",
  "fd.scan.err.not_readable",
  "fd.scan.err.insecure",
  "fd.scan.err.other",
  "fd.scan.err.decoder",
  "fd.scan.manual_label",
  "fd.scan.manual_hint",
  "fd.scan.manual_submit",
  "fd.scan.wedge_hint",
  "fd.scan.checking",
  "fd.scan.ok",
  "fd.scan.late",
  "fd.scan.refused",
  "fd.scan.review",
  "fd.scan.review_open",
  "fd.scan.review_done",
  "fd.scan.network_error",
  "fd.scan.signed_out",
  "fd.scan.scheduled",
  "fd.scan.arrived",
  "fd.scan.teacher",
  "fd.scan.purpose",
  "fd.scan.last",
  "fd.scan.today",
  "fd.scan.tap_to_close",
  "fd.walkin.title",
  "fd.walkin.intro",
  "fd.walkin.guest_name",
  "fd.walkin.guest_phone",
  "fd.walkin.guest_email",
  "fd.walkin.purpose",
  "fd.walkin.teacher",
  "fd.walkin.teacher_filter",
  "fd.walkin.teacher_choose",
  "fd.walkin.teacher_none",
  "fd.walkin.submit",
  "fd.walkin.done",
  "fd.walkin.password",
  "fd.walkin.error",
  "field.required",
  "common.close",
] as const;

type Result =
  | { kind: "ok" | "late"; guest: string; teacher: string; purpose: string; scheduled: string; arrived: string }
  | { kind: "error"; message: string }
  | { kind: "review"; guest: string; teacher: string; purpose: string; href: string | null; reviewed: boolean };

type CamState = "idle" | "starting" | "on" | "error";

/** The token part of a scanned text (`…/g/<token>` or a bare token); mirrors lib/guestbook/qr_token.ts. */
function tokenOf(text: string): string | null {
  const m = text.trim().match(/\/g\/([A-Za-z0-9_-]+)\/?(?:[?#].*)?$/);
  const c = m ? m[1] : text.trim();
  return /^[A-Za-z0-9_-]{1,128}$/.test(c) ? c : null;
}

/** One beep: `ok` two short high tones, otherwise one long low tone. No audio files. */
function beep(ctx: AudioContext | null, ok: boolean) {
  if (!ctx) return;
  try {
    if (ctx.state === "suspended") ctx.resume().catch(() => {});
    const tones = ok ? [[880, 0, 0.12], [1320, 0.14, 0.16]] : [[220, 0, 0.45]];
    for (const [freq, at, dur] of tones) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = ok ? "sine" : "square";
      osc.frequency.value = freq;
      const t0 = ctx.currentTime + at;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(ok ? 0.3 : 0.15, t0 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + dur);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + dur + 0.02);
    }
  } catch { /* sound is a nicety */ }
}

function isEditable(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT" || (el as HTMLElement).isContentEditable) return true;
  if (tag !== "INPUT") return false;
  const type = (el as HTMLInputElement).type;
  return !["button", "submit", "checkbox", "radio", "reset", "range", "color", "file"].includes(type);
}

export default function QrScanner(props: QrScannerProps) {
  const { strings, lang, timeZone } = props;
  const s = (k: string, p?: Record<string, string | number>) => fill(strings[k] ?? k, p);
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const workerRef = useRef<Worker | null>(null);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const frameId = useRef(0);
  const inFlight = useRef(false);
  const loopTimer = useRef<number | null>(null);
  /** Code → when it was last seen (ms); a code seen within REPEAT_MS is ignored. */
  const recent = useRef(new Map<string, number>());
  const checking = useRef(false);
  const pending = useRef<string | null>(null);
  const audio = useRef<AudioContext | null>(null);
  const hideTimer = useRef<number | null>(null);
  const wedge = useRef<{ buf: string; at: number }>({ buf: "", at: 0 });
  const devices = useRef<MediaDeviceInfo[]>([]);
  const deviceIdx = useRef(-1);

  const [cam, setCam] = useState<CamState>("idle");
  const [camError, setCamError] = useState<string | null>(null);
  const [facing, setFacing] = useState<"environment" | "user">("environment");
  const [canSwitch, setCanSwitch] = useState(true);
  const [decoderError, setDecoderError] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [visible, setVisible] = useState(false);
  const [last, setLast] = useState<string>("");
  const [busy, setBusy] = useState(false);
  const [manual, setManual] = useState("");

  // ------------------------------------------------------------ audio (needs a user gesture on most browsers)
  function ensureAudio() {
    if (audio.current) return;
    try {
      const Ctor = globalThis.AudioContext ??
        (globalThis as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
      if (Ctor) audio.current = new Ctor();
    } catch { /* no audio */ }
  }

  // ------------------------------------------------------------ result overlay
  function show(r: Result) {
    setResult(r);
    setVisible(true);
    if (hideTimer.current) clearTimeout(hideTimer.current);
    const ms = r.kind === "ok"
      ? RESULT_MS.ok
      : r.kind === "late"
      ? RESULT_MS.late
      : r.kind === "review"
      ? RESULT_MS.review
      : RESULT_MS.error;
    hideTimer.current = setTimeout(() => setVisible(false), ms) as unknown as number;
  }

  // ------------------------------------------------------------ check-in
  /** True when `code` was read less than REPEAT_MS ago; marks it as seen now either way. */
  function seenRecently(code: string, now: number): boolean {
    const at = recent.current.get(code);
    recent.current.set(code, now); // sliding: a code held in front of the camera stays ignored
    if (recent.current.size > 50) {
      for (const [c, t] of recent.current) if (now - t > REPEAT_MS) recent.current.delete(c);
    }
    return at !== undefined && now - at < REPEAT_MS;
  }

  /** Handles one read; `force` (typed by hand) skips the repeat filter. */
  async function handleCode(raw: string, force = false) {
    const code = raw.trim();
    if (!code || code.length > 512) return;
    if (seenRecently(code, Date.now()) && !force) return;
    if (checking.current) {
      pending.current = code; // keep the latest read; handled when the current one is done
      return;
    }
    checking.current = true;
    setBusy(true);
    try {
      await checkIn(code);
    } finally {
      checking.current = false;
      setBusy(false);
      recent.current.set(code, Date.now());
      const next = pending.current;
      pending.current = null;
      if (next) handleCode(next, true);
    }
  }

  async function checkIn(code: string) {
    let res: Response;
    try {
      res = await fetch("/api/appointments/check-in", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ code }),
      });
    } catch {
      beep(audio.current, false);
      show({ kind: "error", message: s("fd.scan.network_error") });
      return;
    }
    const body = await res.json().catch(() => null) as Record<string, any> | null;
    if (res.ok && body?.appointment) {
      const a = toRow(body.appointment);
      const late = body.late === true || a?.late === true;
      beep(audio.current, true);
      const r: Result = {
        kind: late ? "late" : "ok",
        guest: a?.guestName ?? "",
        teacher: a?.teacherName ?? "",
        purpose: a?.purpose ?? "",
        scheduled: fmtTime(a?.startsAt, lang, timeZone),
        arrived: fmtTime(a?.checkedInAt ?? new Date().toISOString(), lang, timeZone),
      };
      show(r);
      setLast(`${r.guest} · ${r.arrived} · ${late ? s("fd.scan.late") : s("fd.scan.ok")}`);
      dispatchEvent(new CustomEvent("ruangpulih:appointments-changed", { detail: body.appointment }));
      return;
    }
    const err = body?.error as { code?: string; message?: string } | undefined;
    if (res.status === 401) {
      beep(audio.current, false);
      show({ kind: "error", message: s("fd.scan.signed_out") });
      return;
    }
    if (err?.code === "qr_review_available") {
      await showReview(code);
      return;
    }
    beep(audio.current, false);
    show({ kind: "error", message: err?.message ?? s("fd.scan.network_error") });
    setLast(`${err?.message ?? ""}`);
  }

  /** The meeting is over: look the appointment up (verify only) and offer the review page. */
  async function showReview(code: string) {
    const token = tokenOf(code);
    let appt: ApptRow | null = null;
    let reviewed = false;
    try {
      const res = await fetch(`/api/appointments/qr/${encodeURIComponent(token ?? code)}`, {
        credentials: "same-origin",
        headers: { accept: "application/json" },
      });
      const body = await res.json().catch(() => null) as Record<string, any> | null;
      if (res.ok && body) {
        appt = toRow(body.appointment);
        reviewed = body.reviewed === true || (body.appointment?.rating ?? null) !== null;
      }
    } catch { /* show what we know */ }
    beep(audio.current, true);
    show({
      kind: "review",
      guest: appt?.guestName ?? "",
      teacher: appt?.teacherName ?? "",
      purpose: appt?.purpose ?? "",
      href: token ? `/g/${token}` : null,
      reviewed,
    });
  }

  // ------------------------------------------------------------ camera
  function stopCamera() {
    if (loopTimer.current) clearTimeout(loopTimer.current);
    loopTimer.current = null;
    streamRef.current?.getTracks().forEach((t) => t.stop());
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
    setCam("idle");
  }

  function cameraErrorMessage(e: unknown): string {
    const name = (e as { name?: string })?.name ?? "";
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
      return s("fd.scan.err.not_allowed");
    }
    if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
      return s("fd.scan.err.not_found");
    }
    if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") {
      return s("fd.scan.err.not_readable");
    }
    return s("fd.scan.err.other", { name: name || String(e) });
  }

  async function startCamera(opts: { facing?: "environment" | "user"; deviceId?: string } = {}) {
    ensureAudio();
    if (!navigator.mediaDevices?.getUserMedia) {
      setCam("error");
      setCamError(s("fd.scan.err.insecure"));
      return;
    }
    stopCamera();
    setCam("starting");
    setCamError(null);
    const video: MediaTrackConstraints = opts.deviceId
      ? { deviceId: { exact: opts.deviceId } }
      : { facingMode: { ideal: opts.facing ?? facing }, width: { ideal: 1280 }, height: { ideal: 720 } };
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
      streamRef.current = stream;
      const v = videoRef.current!;
      v.srcObject = stream;
      v.muted = true;
      await v.play().catch(() => {});
      setCam("on");
      try {
        devices.current = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "videoinput");
        const current = stream.getVideoTracks()[0]?.getSettings().deviceId;
        deviceIdx.current = devices.current.findIndex((d) => d.deviceId === current);
        setCanSwitch(devices.current.length !== 1);
      } catch { /* keep the facing-mode switch */ }
      ensureWorker();
      scheduleFrame(0);
    } catch (e) {
      setCam("error");
      setCamError(cameraErrorMessage(e));
    }
  }

  function switchCamera() {
    if (devices.current.length > 1) {
      deviceIdx.current = (deviceIdx.current + 1) % devices.current.length;
      startCamera({ deviceId: devices.current[deviceIdx.current].deviceId });
      return;
    }
    const next = facing === "environment" ? "user" : "environment";
    setFacing(next);
    startCamera({ facing: next });
  }

  function ensureWorker() {
    if (workerRef.current || !props.workerUrl) {
      if (!props.workerUrl) setDecoderError(true);
      return;
    }
    try {
      const w = new Worker(`${props.workerUrl}?wasm=${encodeURIComponent(props.wasmUrl)}`, { type: "module" });
      w.onmessage = (e: MessageEvent<{ id: number; text: string | null; error?: string }>) => {
        inFlight.current = false;
        if (e.data.error) setDecoderError(true);
        if (e.data.text) handleCode(e.data.text);
      };
      w.onerror = () => {
        inFlight.current = false;
        setDecoderError(true);
      };
      workerRef.current = w;
    } catch {
      setDecoderError(true);
    }
  }

  function scheduleFrame(delay = FRAME_INTERVAL_MS) {
    if (loopTimer.current) clearTimeout(loopTimer.current);
    loopTimer.current = setTimeout(grabFrame, delay) as unknown as number;
  }

  function grabFrame() {
    loopTimer.current = null;
    const v = videoRef.current;
    if (!streamRef.current || !v) return;
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
        }, 3000);
      }
    }
    scheduleFrame();
  }

  // Start at once when the permission is already granted (kiosk); stop on leave.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const p = await navigator.permissions?.query({ name: "camera" as PermissionName });
        if (!cancelled && p?.state === "granted") startCamera();
      } catch { /* browser without the camera permission name: wait for the button */ }
    })();
    const onVis = () => {
      if (document.visibilityState === "visible" && streamRef.current) scheduleFrame(0);
    };
    document.addEventListener("visibilitychange", onVis);
    return () => {
      cancelled = true;
      document.removeEventListener("visibilitychange", onVis);
      stopCamera();
      workerRef.current?.terminate();
      workerRef.current = null;
    };
  }, []);

  // Keyboard-wedge scanners: fast keystrokes ending with Enter while no text field has focus.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setVisible(false);
      if (isEditable(document.activeElement) || e.ctrlKey || e.metaKey || e.altKey) return;
      const now = performance.now();
      const st = wedge.current;
      if (now - st.at > 100) st.buf = ""; // people type slower than scanners; start over
      st.at = now;
      if (e.key === "Enter") {
        if (st.buf.length >= 8) {
          e.preventDefault();
          ensureAudio();
          handleCode(st.buf);
        }
        st.buf = "";
      } else if (e.key.length === 1) {
        st.buf += e.key;
        if (st.buf.length > 512) st.buf = "";
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);

  function submitManual(e: JSX.TargetedEvent<HTMLFormElement>) {
    e.preventDefault();
    ensureAudio();
    const code = manual.trim();
    if (!code) return;
    setManual("");
    handleCode(code, true); // a typed code is always sent
  }

  function fullscreen() {
    const el = document.documentElement;
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else el.requestFullscreen?.().catch(() => {});
  }

  const status = result?.kind ?? "idle";
  return (
    <div class="scan-screen">
      <section class="scan-camera" aria-labelledby="scan-camera-title">
        <h2 id="scan-camera-title" class="sr-only">{s("fd.scan.camera")}</h2>
        <div class={`scan-stage cam-${cam}`}>
          <video
            ref={videoRef}
            data-testid="scan-video"
            class={facing === "user" && devices.current.length <= 1 ? "is-mirrored" : ""}
            playsInline
            muted
            autoPlay
            aria-label={s("fd.scan.camera")}
          />
          {cam === "on" ? <div class="scan-frame" aria-hidden="true" /> : null}
          {cam !== "on"
            ? (
              <div class="scan-stage-msg">
                {camError
                  ? <p class="scan-cam-error" role="alert">{camError}</p>
                  : <p>{cam === "starting" ? s("fd.scan.camera_starting") : s("fd.scan.camera_idle")}</p>}
                <button
                  type="button"
                  class="btn btn-lg"
                  data-testid="start-camera"
                  onClick={() => startCamera()}
                  disabled={cam === "starting"}
                >
                  {s("fd.scan.start_camera")}
                </button>
              </div>
            )
            : <p class="scan-live" aria-hidden="true">{busy ? s("fd.scan.checking") : s("fd.scan.scanning")}</p>}
        </div>
        <div class="scan-controls">
          {cam === "on"
            ? (
              <>
                {canSwitch
                  ? (
                    <button type="button" class="btn btn-secondary" onClick={switchCamera}>
                      {s("fd.scan.switch_camera")}
                    </button>
                  )
                  : null}
                <button type="button" class="btn btn-ghost" onClick={stopCamera}>{s("fd.scan.stop_camera")}</button>
              </>
            )
            : null}
          <button type="button" class="btn btn-ghost" onClick={fullscreen}>{s("fd.scan.fullscreen")}</button>
        </div>
        {decoderError && cam === "on" ? <p class="alert alert-error" role="alert">{s("fd.scan.err.decoder")}</p> : null}
        <form class="scan-manual" onSubmit={submitManual} autocomplete="off">
          <label for="manual-code">{s("fd.scan.manual_label")}</label>
          <div class="scan-manual-row">
            <input
              id="manual-code"
              data-testid="manual-code"
              class="input"
              value={manual}
              onInput={(e) => setManual((e.target as HTMLInputElement).value)}
              maxLength={512}
              autocapitalize="off"
              spellcheck={false}
              aria-describedby="manual-code-hint"
            />
            <button type="submit" class="btn" disabled={busy}>{s("fd.scan.manual_submit")}</button>
          </div>
          <p class="hint" id="manual-code-hint">{s("fd.scan.manual_hint")} {s("fd.scan.wedge_hint")}</p>
        </form>
        <p class="scan-last" aria-live="off">{last ? s("fd.scan.last", { text: last }) : ""}</p>
      </section>

      <aside class="scan-side">
        <WalkIn
          teachers={props.teachers}
          s={s}
          onDone={(a) => dispatchEvent(new CustomEvent("ruangpulih:appointments-changed", { detail: a }))}
        />
        <section class="card scan-today" aria-labelledby="scan-today-title">
          <h2 id="scan-today-title" class="card-title">{s("fd.scan.today")}</h2>
          <TodayGuests
            mode="desk"
            compact
            initial={props.initial}
            strings={props.todayStrings}
            lang={lang}
            timeZone={timeZone}
            pollMs={4000}
          />
        </section>
      </aside>

      <div
        class={`scan-result result-${status}${visible ? " is-visible" : ""}`}
        data-testid="scan-result"
        data-status={status}
        role="status"
        aria-live="assertive"
        aria-atomic="true"
        onClick={() => setVisible(false)}
      >
        {result ? <ResultBody r={result} s={s} /> : null}
      </div>
    </div>
  );
}

function ResultBody({ r, s }: { r: Result; s: (k: string, p?: Record<string, string | number>) => string }) {
  if (r.kind === "error") {
    return (
      <div class="result-card">
        <span class="result-icon" aria-hidden="true">✕</span>
        <p class="result-title">{s("fd.scan.refused")}</p>
        <p class="result-reason">{r.message}</p>
      </div>
    );
  }
  if (r.kind === "review") {
    return (
      <div class="result-card">
        <span class="result-icon" aria-hidden="true">★</span>
        <p class="result-title">{r.reviewed ? s("fd.scan.review_done") : s("fd.scan.review")}</p>
        {r.guest ? <p class="result-guest">{r.guest}</p> : null}
        {r.teacher ? <p class="result-line">{s("fd.scan.teacher")}: {r.teacher}</p> : null}
        {r.href && !r.reviewed
          ? (
            <div class="result-review">
              <img src={`${r.href}?format=png&scale=5`} alt="" width={180} height={180} />
              <a
                class="btn btn-lg btn-secondary"
                href={r.href}
                target="_blank"
                rel="noopener"
                onClick={(e) => e.stopPropagation()}
              >
                {s("fd.scan.review_open")}
              </a>
            </div>
          )
          : null}
        <p class="result-close">{s("fd.scan.tap_to_close")}</p>
      </div>
    );
  }
  return (
    <div class="result-card">
      <span class="result-icon" aria-hidden="true">✓</span>
      <p class="result-title">{r.kind === "late" ? s("fd.scan.late") : s("fd.scan.ok")}</p>
      <p class="result-guest">{r.guest}</p>
      <p class="result-line">{s("fd.scan.teacher")}: {r.teacher}</p>
      <p class="result-line">{s("fd.scan.purpose")}: {r.purpose}</p>
      <p class="result-line">
        {s("fd.scan.scheduled", { time: r.scheduled })} · {s("fd.scan.arrived", { time: r.arrived })}
      </p>
    </div>
  );
}

/** Walk-in registration (PRODUCT.md §2.6): `POST /api/appointments/walk-in`, checked in at once. */
function WalkIn(
  { teachers, s, onDone }: {
    teachers: { id: string; name: string }[];
    s: (k: string, p?: Record<string, string | number>) => string;
    onDone: (a: unknown) => void;
  },
) {
  const empty = { guestName: "", guestPhone: "", guestEmail: "", purpose: "", teacherId: "" };
  const [v, setV] = useState(empty);
  const [filter, setFilter] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<{ kind: "success" | "error"; text: string; password?: string } | null>(null);
  const [sending, setSending] = useState(false);
  const f = filter.trim().toLowerCase();
  const shown = f ? teachers.filter((t) => t.name.toLowerCase().includes(f)) : teachers;

  function set(k: keyof typeof empty) {
    return (e: Event) => setV((cur) => ({ ...cur, [k]: (e.target as HTMLInputElement).value }));
  }

  function onFilter(e: Event) {
    const q = (e.target as HTMLInputElement).value;
    setFilter(q);
    const m = teachers.filter((t) => t.name.toLowerCase().includes(q.trim().toLowerCase()));
    if (m.length === 1 || (m.length && !m.some((t) => t.id === v.teacherId))) {
      setV((cur) => ({ ...cur, teacherId: m[0].id }));
    }
  }

  async function submit(e: JSX.TargetedEvent<HTMLFormElement>) {
    e.preventDefault();
    setSending(true);
    setMsg(null);
    setErrors({});
    try {
      const res = await fetch("/api/appointments/walk-in", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ ...v, guestEmail: v.guestEmail.trim() || undefined }),
      });
      const body = await res.json().catch(() => null) as Record<string, any> | null;
      if (res.ok && body?.appointment) {
        const a = toRow(body.appointment);
        setMsg({
          kind: "success",
          text: s("fd.walkin.done", { name: a?.guestName ?? v.guestName, teacher: a?.teacherName ?? "" }),
          password: body.guestPassword ?? undefined,
        });
        setV(empty);
        setFilter("");
        onDone(body.appointment);
        return;
      }
      const err = body?.error as { message?: string; fields?: Record<string, string> } | undefined;
      if (err?.fields) setErrors(err.fields);
      setMsg({ kind: "error", text: err?.message ?? s("fd.walkin.error") });
    } catch {
      setMsg({ kind: "error", text: s("fd.scan.network_error") });
    } finally {
      setSending(false);
    }
  }

  const field = (name: keyof typeof empty, label: string, extra: Record<string, unknown> = {}) => (
    <div class={`field${errors[name] ? " has-error" : ""}`}>
      <label for={`wi-${name}`}>
        {label}
        {extra.required ? <span class="req" aria-hidden="true">*</span> : null}
      </label>
      <input
        id={`wi-${name}`}
        name={name}
        value={v[name]}
        onInput={set(name)}
        aria-invalid={errors[name] ? "true" : undefined}
        aria-describedby={errors[name] ? `wi-${name}-err` : undefined}
        {...extra}
      />
      {errors[name] ? <p class="field-error" id={`wi-${name}-err`}>{errors[name]}</p> : null}
    </div>
  );

  return (
    <section class="card scan-walkin" aria-labelledby="walkin-title">
      <details open={false}>
        <summary>
          <h2 id="walkin-title" class="card-title">{s("fd.walkin.title")}</h2>
        </summary>
        <p class="muted">{s("fd.walkin.intro")}</p>
        <form data-testid="walkin-form" onSubmit={submit} novalidate>
          {msg
            ? (
              <div class={`alert alert-${msg.kind}`} role={msg.kind === "error" ? "alert" : "status"}>
                {msg.text}
                {msg.password
                  ? (
                    <p class="walkin-password">
                      {s("fd.walkin.password")} <strong>{msg.password}</strong>
                    </p>
                  )
                  : null}
              </div>
            )
            : null}
          {field("guestName", s("fd.walkin.guest_name"), { required: true, maxLength: 100, autocomplete: "off" })}
          {field("guestPhone", s("fd.walkin.guest_phone"), {
            required: true,
            type: "tel",
            inputMode: "tel",
            maxLength: 40,
            autocomplete: "off",
          })}
          {field("guestEmail", s("fd.walkin.guest_email"), { type: "email", maxLength: 254, autocomplete: "off" })}
          {field("purpose", s("fd.walkin.purpose"), { required: true, maxLength: 500, autocomplete: "off" })}
          <div class={`field${errors.teacherId ? " has-error" : ""}`}>
            <label for="wi-teacherId">
              {s("fd.walkin.teacher")}
              <span class="req" aria-hidden="true">*</span>
            </label>
            <input
              type="search"
              class="input teacher-filter"
              placeholder={s("fd.walkin.teacher_filter")}
              aria-label={s("fd.walkin.teacher_filter")}
              value={filter}
              onInput={onFilter}
            />
            <select
              id="wi-teacherId"
              name="teacherId"
              value={v.teacherId}
              onChange={set("teacherId")}
              required
              aria-invalid={errors.teacherId ? "true" : undefined}
              aria-describedby={errors.teacherId ? "wi-teacherId-err" : undefined}
            >
              <option value="">{shown.length ? s("fd.walkin.teacher_choose") : s("fd.walkin.teacher_none")}</option>
              {shown.map((t) => <option value={t.id} key={t.id}>{t.name}</option>)}
            </select>
            {errors.teacherId ? <p class="field-error" id="wi-teacherId-err">{errors.teacherId}</p> : null}
          </div>
          <button type="submit" class="btn btn-lg" disabled={sending}>{s("fd.walkin.submit")}</button>
        </form>
      </details>
    </section>
  );
}
