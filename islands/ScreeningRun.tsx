/**
 * The on-device emotion screening run (docs/screening-engine.md), for a phone in landscape:
 *
 * 1. two intro dialogs (landscape hint; instructions) and the consent step → `POST /api/screening/consent`;
 * 2. preparing: `GET /api/screening/stimuli` (the active pictures and the versions to quote), the front
 *    camera (`getUserMedia`), the engine (`lib/screening/engine.ts`: a Worker with OffscreenCanvas, main
 *    thread as the fallback; WebGPU → WebGL → WASM → CPU), every picture preloaded;
 * 3. running: each picture for `seconds`, an overall progress bar and a per-picture timer, a camera
 *    preview with a live "face found" indicator; no face for 3 s or a hidden tab pauses
 *    (`lib/screening/run.ts` stepClock). Frames are analysed one at a time as fast as the device
 *    sustains (measured fps shown), capped at {@link MAX_FPS}; each adds to the picture's tally;
 * 4. more than 3 pictures with a face in < 50 % of their frames → a repeat offer, nothing sent;
 *    else `POST /api/screenings` with counts only, then `/screening/{id}`.
 *
 * Only numbers leave the page: camera frames go to the engine Worker on this device, never to the network.
 *
 * Test hooks: root `data-testid="screening-run"` with `data-step` (intro1 | intro2 | consent | preparing |
 * running | repeat | submitting | error), `data-backend`, `data-face` (1 | 0), `data-index` (picture
 * index), `data-face-frames` (face frames so far); `data-testid` = `srun-next`, `srun-agree`, `srun-start`.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { type Backend, MODEL_VERSION } from "@/lib/screening/engine_config.ts";
import { type Engine, startEngine } from "@/lib/screening/engine.ts";
import { hasEnoughFace, MAX_NOT_ENOUGH_FACE } from "@/lib/screening/result.ts";
import {
  addFrame,
  newTally,
  overallProgress,
  type PictureTally,
  type RunClock,
  startClock,
  stepClock,
  toSubmission,
} from "@/lib/screening/run.ts";

/** Frames per second the sampling never exceeds (battery; the classifier gains nothing above it). */
export const MAX_FPS = 15;

/** Keys of the strings the page passes in (lib/i18n/screening_run.ts). */
export const SCREENING_RUN_KEYS = [
  "srun.step",
  "srun.next",
  "srun.back",
  "srun.intro1.title",
  "srun.intro1.body",
  "srun.intro2.title",
  "srun.intro2.body1",
  "srun.intro2.body2",
  "srun.intro2.body3",
  "srun.consent.title",
  "srun.consent.device",
  "srun.consent.stored",
  "srun.consent.access",
  "srun.consent.not_diagnosis",
  "srun.consent.delete",
  "srun.consent.agree",
  "srun.consent.start",
  "srun.consent.saving",
  "srun.preparing",
  "srun.privacy_badge",
  "srun.face_found",
  "srun.face_missing",
  "srun.engine",
  "srun.mode.worker",
  "srun.mode.main",
  "srun.picture",
  "srun.seconds_left",
  "srun.progress",
  "srun.paused.no_face",
  "srun.paused.hidden",
  "srun.rotate",
  "srun.cancel",
  "srun.submitting",
  "srun.repeat.title",
  "srun.repeat.body",
  "srun.repeat.again",
  "srun.retry",
  "srun.err.unsupported",
  "srun.err.camera_denied",
  "srun.err.no_camera",
  "srun.err.camera_busy",
  "srun.err.engine",
  "srun.err.stimuli",
  "srun.err.consent",
  "srun.err.consent_expired",
  "srun.err.submit",
  "srun.err.changed",
] as const;

/** One picture of `GET /api/screening/stimuli`. */
interface StimulusItem {
  id: string;
  theme: string;
  imageUrl: string;
  seconds: number;
  caption: string;
}

interface StimuliResponse {
  version: number;
  mappingVersion: number;
  items: StimulusItem[];
}

type Step = "intro1" | "intro2" | "consent" | "preparing" | "running" | "repeat" | "submitting" | "error";

/** Props from `routes/screening/index.tsx`. */
export interface ScreeningRunProps {
  strings: Record<string, string>;
  /** URL of the `screening_worker` bundle (null → main thread). */
  workerUrl: string | null;
  /**
   * Version of the consent text the consent step shows (the `srun.consent.*` strings), i.e.
   * lib/screening/consent.ts `CONSENT_TEXT_VERSION`.
   */
  consentTextVersion: number;
  /** Pictures in a run and seconds each (for the instructions; the run uses the API's values). */
  pictureCount: number;
  seconds: number;
}

function fmt(s: string, params: Record<string, string | number>): string {
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

async function postJson(url: string, body: unknown): Promise<Response> {
  return await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
}

/** Maps a getUserMedia failure to a message key. */
function cameraError(e: unknown): string {
  const name = (e as { name?: string })?.name ?? "";
  if (name === "NotAllowedError" || name === "SecurityError") return "srun.err.camera_denied";
  if (name === "NotFoundError" || name === "OverconstrainedError") return "srun.err.no_camera";
  return "srun.err.camera_busy";
}

class KeyedError extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

export default function ScreeningRun(props: ScreeningRunProps) {
  const s = props.strings;
  const [step, setStep] = useState<Step>("intro1");
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errorKey, setErrorKey] = useState<string | null>(null);
  const [items, setItems] = useState<StimulusItem[]>([]);
  const [clock, setClock] = useState<RunClock | null>(null);
  const [face, setFace] = useState(false);
  const [faceFrames, setFaceFrames] = useState(0);
  const [fps, setFps] = useState(0);
  const [engineInfo, setEngineInfo] = useState<{ backend: Backend; mode: "worker" | "main" } | null>(null);
  const [repeatCount, setRepeatCount] = useState(0);

  const videoRef = useRef<HTMLVideoElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const run = useRef<{
    engine: Engine | null;
    stream: MediaStream | null;
    stimuli: StimuliResponse | null;
    tallies: PictureTally[];
    clock: RunClock | null;
    lastFaceMs: number;
    active: boolean;
    timer: number | null;
  }>({
    engine: null,
    stream: null,
    stimuli: null,
    tallies: [],
    clock: null,
    lastFaceMs: -Infinity,
    active: false,
    timer: null,
  });

  function stopAll() {
    const r = run.current;
    r.active = false;
    if (r.timer !== null) clearInterval(r.timer);
    r.timer = null;
    r.stream?.getTracks().forEach((t) => t.stop());
    r.stream = null;
    r.engine?.close();
    r.engine = null;
  }

  useEffect(() => stopAll, []);

  function fail(key: string) {
    stopAll();
    setErrorKey(key);
    setStep("error");
  }

  async function giveConsent() {
    setBusy(true);
    try {
      const res = await postJson("/api/screening/consent", { textVersion: props.consentTextVersion });
      if (res.status !== 201) throw new KeyedError("srun.err.consent");
      await prepare();
    } catch (e) {
      fail(e instanceof KeyedError ? e.key : "srun.err.consent");
    } finally {
      setBusy(false);
    }
  }

  async function prepare() {
    setStep("preparing");
    const r = run.current;
    if (!navigator.mediaDevices?.getUserMedia) throw new KeyedError("srun.err.unsupported");
    const stimuliP = (async () => {
      const res = await fetch("/api/screening/stimuli", {
        credentials: "same-origin",
        headers: { accept: "application/json" },
      });
      if (!res.ok) throw new KeyedError("srun.err.stimuli");
      const body = await res.json() as StimuliResponse;
      if (!Array.isArray(body.items) || body.items.length === 0) throw new KeyedError("srun.err.stimuli");
      await Promise.all(body.items.map(async (it) => {
        const img = new Image();
        img.src = it.imageUrl;
        await img.decode().catch(() => {
          throw new KeyedError("srun.err.stimuli");
        });
      }));
      return body;
    })();
    const streamP = navigator.mediaDevices.getUserMedia({
      video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } },
      audio: false,
    }).catch((e) => {
      throw new KeyedError(cameraError(e));
    });
    const engineP = startEngine({ workerUrl: props.workerUrl }).catch(() => {
      throw new KeyedError("srun.err.engine");
    });
    const results = await Promise.allSettled([stimuliP, streamP, engineP]);
    const failed = results.find((x) => x.status === "rejected") as PromiseRejectedResult | undefined;
    if (results[1].status === "fulfilled") r.stream = results[1].value;
    if (results[2].status === "fulfilled") r.engine = results[2].value;
    if (failed) throw failed.reason;
    r.stimuli = (results[0] as PromiseFulfilledResult<StimuliResponse>).value;
    setItems(r.stimuli.items);
    setEngineInfo({ backend: r.engine!.backend, mode: r.engine!.mode });
    const video = videoRef.current!;
    video.srcObject = r.stream;
    await video.play().catch(() => {});
    start();
  }

  function start() {
    const r = run.current;
    const list = r.stimuli!.items;
    r.tallies = list.map((it) => newTally(it.id));
    r.clock = startClock(performance.now());
    r.lastFaceMs = performance.now(); // 3 s to find the face first
    r.active = true;
    setClock(r.clock);
    setFaceFrames(0);
    setStep("running");
    // The consent step is long: bring the stage to the top of the screen.
    requestAnimationFrame(() => {
      const el = rootRef.current;
      if (!el) return;
      // The site header is sticky (static/base.css .site-header): keep the stage below it.
      const bar = document.querySelector(".site-header");
      const offset = bar && getComputedStyle(bar).position === "sticky" ? bar.getBoundingClientRect().height : 0;
      scrollTo({ top: Math.max(0, el.getBoundingClientRect().top + scrollY - offset - 8) });
    });
    const pictureMs = Math.max(500, (list[0]?.seconds ?? props.seconds) * 1000);
    r.timer = setInterval(() => {
      if (!r.active || !r.clock) return;
      r.clock = stepClock(
        r.clock,
        performance.now(),
        { hidden: document.hidden, lastFaceMs: r.lastFaceMs },
        pictureMs,
        list.length,
      );
      setClock(r.clock);
      if (r.clock.finished) finish();
    }, 100) as unknown as number;
    void analyseLoop();
  }

  async function analyseLoop() {
    const r = run.current;
    const video = videoRef.current!;
    let ema = 0;
    let last = performance.now();
    while (r.active && r.engine) {
      if (document.hidden || video.readyState < 2) {
        await new Promise((res) => setTimeout(res, 200));
        continue;
      }
      const t0 = performance.now();
      let result;
      try {
        result = await r.engine.analyze(video);
      } catch {
        if (!r.active) return;
        await new Promise((res) => setTimeout(res, 200));
        continue;
      }
      if (!r.active) return;
      const now = performance.now();
      if (result.face) r.lastFaceMs = now;
      setFace(result.face);
      const c = r.clock;
      if (c && !c.finished && c.pause === null && c.index < r.tallies.length) {
        addFrame(r.tallies[c.index], result);
        if (result.face) setFaceFrames((n) => n + 1);
      }
      const dt = now - last;
      last = now;
      ema = ema === 0 ? dt : ema * 0.8 + dt * 0.2;
      setFps(Math.round(10000 / ema) / 10);
      // Adapt: never above MAX_FPS; on the main thread leave at least a third of the time to the page.
      const took = now - t0;
      const minGap = Math.max(1000 / MAX_FPS, r.engine.mode === "main" ? took * 1.5 : 0);
      await new Promise((res) => setTimeout(res, Math.max(0, minGap - took)));
    }
  }

  async function finish() {
    const r = run.current;
    if (!r.active) return;
    const tallies = r.tallies;
    const stimuli = r.stimuli!;
    const backend = r.engine!.backend;
    stopAll();
    const notEnough = tallies.filter((t) => !hasEnoughFace(t.frames, t.faceFrames)).length;
    if (notEnough > MAX_NOT_ENOUGH_FACE) {
      setRepeatCount(notEnough);
      setStep("repeat");
      return;
    }
    setStep("submitting");
    try {
      const res = await postJson("/api/screenings", {
        stimulusSetVersion: stimuli.version,
        mappingVersion: stimuli.mappingVersion,
        modelVersion: MODEL_VERSION,
        backend,
        stimuli: toSubmission(tallies),
      });
      if (res.status === 201) {
        const body = await res.json();
        location.assign(`/screening/${encodeURIComponent(body.screening.id)}`);
        return;
      }
      const err = await res.json().catch(() => ({}));
      const code = err?.error?.code ?? err?.code;
      if (res.status === 422 && code === "not_enough_face") {
        setRepeatCount(notEnough);
        setStep("repeat");
      } else if (res.status === 409 && code === "consent_required") {
        setAgreed(false);
        setErrorKey("srun.err.consent_expired");
        setStep("consent");
      } else if (res.status === 409 || res.status === 400) {
        fail("srun.err.changed");
      } else fail("srun.err.submit");
    } catch {
      fail("srun.err.submit");
    }
  }

  function restart() {
    stopAll();
    setErrorKey(null);
    setAgreed(false);
    setStep("consent");
  }

  const total = items.length;
  const pictureMs = Math.max(500, (items[0]?.seconds ?? props.seconds) * 1000);
  const current = clock && !clock.finished ? items[clock.index] : null;
  const progress = clock ? overallProgress(clock, pictureMs, total) : 0;
  const left = clock ? Math.max(0, Math.ceil((pictureMs - clock.elapsedMs) / 1000)) : 0;
  const liveCamera = step === "preparing" || step === "running";

  return (
    <div
      ref={rootRef}
      class={`srun srun-${step}`}
      data-testid="screening-run"
      data-step={step}
      data-backend={engineInfo?.backend ?? ""}
      data-face={face ? "1" : "0"}
      data-index={clock?.index ?? -1}
      data-face-frames={faceFrames}
    >
      {step === "intro1" && (
        <section class="card srun-dialog" role="dialog" aria-labelledby="srun-intro1">
          <p class="muted">{fmt(s["srun.step"], { n: 1 })}</p>
          <h2 id="srun-intro1">{s["srun.intro1.title"]}</h2>
          <div class="srun-rotate-art" aria-hidden="true">
            <svg viewBox="0 0 120 70" width="120" height="70">
              <rect x="8" y="14" width="28" height="46" rx="4" fill="none" stroke="currentColor" stroke-width="3" />
              <path d="M46 38h22m-6-6 6 6-6 6" fill="none" stroke="currentColor" stroke-width="3" />
              <rect x="74" y="22" width="42" height="28" rx="4" fill="none" stroke="currentColor" stroke-width="3" />
            </svg>
          </div>
          <p>{s["srun.intro1.body"]}</p>
          <div class="actions">
            <button type="button" class="btn" data-testid="srun-next" onClick={() => setStep("intro2")}>
              {s["srun.next"]}
            </button>
          </div>
        </section>
      )}
      {step === "intro2" && (
        <section class="card srun-dialog" role="dialog" aria-labelledby="srun-intro2">
          <p class="muted">{fmt(s["srun.step"], { n: 2 })}</p>
          <h2 id="srun-intro2">{s["srun.intro2.title"]}</h2>
          <p>{fmt(s["srun.intro2.body1"], { count: props.pictureCount, seconds: props.seconds })}</p>
          <p>{s["srun.intro2.body2"]}</p>
          <p>{s["srun.intro2.body3"]}</p>
          <div class="actions">
            <button type="button" class="btn btn-secondary" onClick={() => setStep("intro1")}>{s["srun.back"]}</button>
            <button type="button" class="btn" data-testid="srun-next" onClick={() => setStep("consent")}>
              {s["srun.next"]}
            </button>
          </div>
        </section>
      )}
      {step === "consent" && (
        <section class="card srun-dialog" role="dialog" aria-labelledby="srun-consent">
          <p class="muted">{fmt(s["srun.step"], { n: 3 })}</p>
          <h2 id="srun-consent">{s["srun.consent.title"]}</h2>
          {errorKey && <p class="alert alert-error" role="alert">{s[errorKey]}</p>}
          <ul class="srun-consent-list">
            <li>{s["srun.consent.device"]}</li>
            <li>{s["srun.consent.stored"]}</li>
            <li>{s["srun.consent.access"]}</li>
            <li>{s["srun.consent.not_diagnosis"]}</li>
            <li>{s["srun.consent.delete"]}</li>
          </ul>
          <label class="srun-agree">
            <input
              type="checkbox"
              data-testid="srun-agree"
              checked={agreed}
              onChange={(e) => setAgreed((e.currentTarget as HTMLInputElement).checked)}
            />{" "}
            {s["srun.consent.agree"]}
          </label>
          <div class="actions">
            <button type="button" class="btn btn-secondary" onClick={() => setStep("intro2")}>{s["srun.back"]}</button>
            <button
              type="button"
              class="btn"
              data-testid="srun-start"
              disabled={!agreed || busy}
              onClick={() => {
                setErrorKey(null);
                void giveConsent();
              }}
            >
              {busy ? s["srun.consent.saving"] : s["srun.consent.start"]}
            </button>
          </div>
        </section>
      )}
      {step === "preparing" && <p class="srun-status" role="status">{s["srun.preparing"]}</p>}
      {step === "running" && (
        <div class="srun-stage">
          <div
            class="srun-bar"
            role="progressbar"
            aria-label={s["srun.progress"]}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progress * 100)}
          >
            <span style={{ width: `${(progress * 100).toFixed(1)}%` }} />
          </div>
          <div class="srun-meta">
            <span>{fmt(s["srun.picture"], { n: Math.min(total, (clock?.index ?? 0) + 1), total })}</span>
            <span class="srun-timer" aria-live="off">{fmt(s["srun.seconds_left"], { seconds: left })}</span>
          </div>
          {current && (
            <figure class="srun-picture">
              <img src={current.imageUrl} alt={current.caption} />
              <figcaption>{current.caption}</figcaption>
            </figure>
          )}
          {clock?.pause && (
            <p class="srun-paused alert" role="alert">
              {s[clock.pause === "hidden" ? "srun.paused.hidden" : "srun.paused.no_face"]}
            </p>
          )}
          <p class="srun-rotate muted">{s["srun.rotate"]}</p>
        </div>
      )}
      <div class={`srun-camera${liveCamera ? "" : " srun-hidden"}`}>
        <video ref={videoRef} muted playsInline autoPlay aria-hidden="true" />
        <p class={`srun-face ${face ? "is-on" : "is-off"}`} aria-live="polite">
          <span class="srun-dot" aria-hidden="true" /> {face ? s["srun.face_found"] : s["srun.face_missing"]}
        </p>
        {engineInfo && (
          <p class="srun-engine muted">
            {fmt(s["srun.engine"], { backend: engineInfo.backend, mode: s[`srun.mode.${engineInfo.mode}`], fps })}
          </p>
        )}
        <p class="srun-privacy muted">{s["srun.privacy_badge"]}</p>
        {step === "running" && (
          <button type="button" class="btn btn-secondary btn-sm" onClick={restart}>{s["srun.cancel"]}</button>
        )}
      </div>
      {step === "submitting" && <p class="srun-status" role="status">{s["srun.submitting"]}</p>}
      {step === "repeat" && (
        <section class="card srun-dialog" role="alertdialog" aria-labelledby="srun-repeat">
          <h2 id="srun-repeat">{s["srun.repeat.title"]}</h2>
          <p>{fmt(s["srun.repeat.body"], { count: repeatCount, total })}</p>
          <div class="actions">
            <button type="button" class="btn" onClick={restart}>{s["srun.repeat.again"]}</button>
          </div>
        </section>
      )}
      {step === "error" && (
        <section class="card srun-dialog" role="alertdialog">
          <p class="alert alert-error" role="alert">{errorKey ? s[errorKey] : s["srun.err.submit"]}</p>
          <div class="actions">
            <button type="button" class="btn" onClick={restart}>{s["srun.retry"]}</button>
          </div>
        </section>
      )}
    </div>
  );
}
