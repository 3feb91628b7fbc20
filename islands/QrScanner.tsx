/**
 * The receptionist's scan screen (docs/domain-rules.md "Arrival", "Walk-in"), kiosk-like, for a
 * tablet in landscape: camera on the left; today's live list and the walk-in
 * form on the right. Never reloads the page. Built from small hooks in
 * `islands/scanner/` (only top-level files of islands/ are islands):
 *
 * - `use_camera.ts`: `getUserMedia`, front/back switch, auto-start when allowed;
 * - `use_qr_decoder.ts`: frames → the decoding Worker (`lib/qr/worker.ts`);
 * - `use_keyboard_wedge.ts`: USB/Bluetooth scanners that type and end with Enter;
 * - `use_scan_queue.ts`: one read at a time, repeats ignored for `REPEAT_MS`;
 * - `use_result_overlay.ts`: the full-screen result, hidden after `RESULT_MS`;
 * - `use_beep.ts`: WebAudio beeps (high = OK, low = error);
 * - `desk_api.ts`: `POST /api/appointments/check-in`, review lookup.
 *
 * Only our own codes are sent: a QR URL of another origin than `BASE_URL` is
 * refused here at once ("not our code", `lib/guestbook/qr_text.ts`) — and by the
 * server as well.
 *
 * Test hooks: `data-testid` = `scan-video`, `start-camera`, `scan-result`
 * (`data-status` = `ok` | `late` | `error` | `review`), `manual-code`,
 * `today-list` (inside TodayGuests), `walkin-form`.
 */
import { useState } from "preact/hooks";
import type { JSX } from "preact";
import TodayGuests from "./TodayGuests.tsx";
import { type ApptRow, fill, fmtTime } from "@/components/frontdesk/format.ts";
import { parseScannedText } from "@/lib/guestbook/qr_text.ts";
import { useBeep } from "./scanner/use_beep.ts";
import { useCamera } from "./scanner/use_camera.ts";
import { useQrDecoder } from "./scanner/use_qr_decoder.ts";
import { useKeyboardWedge } from "./scanner/use_keyboard_wedge.ts";
import { useScanQueue } from "./scanner/use_scan_queue.ts";
import { useResultOverlay } from "./scanner/use_result_overlay.ts";
import { lookupReview, postCheckIn } from "./scanner/desk_api.ts";
import { ResultBody, type ScanResult } from "./scanner/ScanResult.tsx";
import { WalkInForm } from "./scanner/WalkInForm.tsx";

export { REPEAT_MS } from "./scanner/use_scan_queue.ts";
export { RESULT_MS } from "./scanner/use_result_overlay.ts";
export { MAX_FRAME_WIDTH } from "./scanner/use_qr_decoder.ts";

export interface QrScannerProps {
  /** URL of the decoding Worker bundle (null: camera decoding unavailable, wedge/manual only). */
  workerUrl: string | null;
  /** Same-origin path of zxing's WebAssembly (handed to the Worker as `?wasm=`). */
  wasmUrl: string;
  /** The app's `BASE_URL`: only QR URLs of its origin (or bare tokens) are ours. */
  baseUrl: string;
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
  "fd.scan.early",
  "fd.scan.refused",
  "fd.scan.review",
  "fd.scan.review_open",
  "fd.scan.review_done",
  "fd.scan.network_error",
  "guestbook.qr.foreign",
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

/** Tells the page's other islands (today's list) that an appointment changed. */
function announce(appointment: unknown) {
  dispatchEvent(new CustomEvent("ruangpulih:appointments-changed", { detail: appointment }));
}

export default function QrScanner(props: QrScannerProps) {
  const { strings, lang, timeZone } = props;
  const s = (k: string, p?: Record<string, string | number>) => fill(strings[k] ?? k, p);
  const sound = useBeep();
  const camera = useCamera();
  const overlay = useResultOverlay<ScanResult>();
  const [last, setLast] = useState<string>("");
  const [manual, setManual] = useState("");

  /** Checks one code in and shows the outcome. */
  async function checkIn(code: string) {
    const scanned = parseScannedText(code, props.baseUrl);
    if (scanned.kind === "foreign") {
      sound.play(false);
      overlay.show({ kind: "error", message: s("guestbook.qr.foreign") });
      setLast(s("guestbook.qr.foreign"));
      return;
    }
    const answer = await postCheckIn(code);
    if (answer.kind === "checked_in") {
      const a: ApptRow | null = answer.row;
      sound.play(true);
      const r: ScanResult = {
        kind: answer.late ? "late" : "ok",
        early: !answer.late && a?.early === true,
        guest: a?.guestName ?? "",
        teacher: a?.teacherName ?? "",
        purpose: a?.purpose ?? "",
        scheduled: fmtTime(a?.startsAt, lang, timeZone),
        arrived: fmtTime(a?.checkedInAt ?? new Date().toISOString(), lang, timeZone),
      };
      overlay.show(r);
      setLast(
        `${r.guest} · ${r.arrived} · ${s(answer.late ? "fd.scan.late" : r.early ? "fd.scan.early" : "fd.scan.ok")}`,
      );
      announce(answer.appointment);
      return;
    }
    if (answer.kind === "review") {
      await showReview(scanned.kind === "token" ? scanned.token : null, code);
      return;
    }
    sound.play(false);
    if (answer.kind === "network") overlay.show({ kind: "error", message: s("fd.scan.network_error") });
    else if (answer.kind === "signed_out") overlay.show({ kind: "error", message: s("fd.scan.signed_out") });
    else {
      overlay.show({ kind: "error", message: answer.message ?? s("fd.scan.network_error") });
      setLast(answer.message ?? "");
    }
  }

  /** The meeting is over: look the appointment up (verify only) and offer the review page. */
  async function showReview(token: string | null, code: string) {
    const { row, reviewed } = await lookupReview(token ?? code);
    sound.play(true);
    overlay.show({
      kind: "review",
      guest: row?.guestName ?? "",
      teacher: row?.teacherName ?? "",
      purpose: row?.purpose ?? "",
      href: token ? `/g/${token}` : null,
      reviewed,
    });
  }

  const queue = useScanQueue(checkIn);
  const decoder = useQrDecoder({
    workerUrl: props.workerUrl,
    wasmUrl: props.wasmUrl,
    videoRef: camera.videoRef,
    running: camera.state === "on",
    onText: (text) => queue.submit(text),
  });
  useKeyboardWedge({
    onScan: (text) => {
      sound.ensure();
      queue.submit(text);
    },
    onEscape: overlay.hide,
  });

  function startCamera() {
    sound.ensure();
    camera.start();
  }

  function submitManual(e: JSX.TargetedEvent<HTMLFormElement>) {
    e.preventDefault();
    sound.ensure();
    const code = manual.trim();
    if (!code) return;
    setManual("");
    queue.submit(code, true); // a typed code is always sent
  }

  function fullscreen() {
    const el = document.documentElement;
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else el.requestFullscreen?.().catch(() => {});
  }

  const cam = camera.state;
  const camError = camera.error ? s(camera.error.key, camera.error.params) : null;
  const busy = queue.busy;
  const result = overlay.result;
  const visible = overlay.visible;
  const status = result?.kind ?? "idle";
  return (
    <div class="scan-screen">
      <section class="scan-camera" aria-labelledby="scan-camera-title">
        <h2 id="scan-camera-title" class="sr-only">{s("fd.scan.camera")}</h2>
        <div class={`scan-stage cam-${cam}`}>
          <video
            ref={camera.videoRef}
            data-testid="scan-video"
            class={camera.mirrored ? "is-mirrored" : ""}
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
                {camera.canSwitch
                  ? (
                    <button type="button" class="btn btn-secondary" onClick={camera.switchCamera}>
                      {s("fd.scan.switch_camera")}
                    </button>
                  )
                  : null}
                <button type="button" class="btn btn-ghost" onClick={camera.stop}>{s("fd.scan.stop_camera")}</button>
              </>
            )
            : null}
          <button type="button" class="btn btn-ghost" onClick={fullscreen}>{s("fd.scan.fullscreen")}</button>
        </div>
        {decoder.failed && cam === "on"
          ? <p class="alert alert-error" role="alert">{s("fd.scan.err.decoder")}</p>
          : null}
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
        <WalkInForm
          teachers={props.teachers}
          s={s}
          onDone={announce}
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
        onClick={overlay.hide}
      >
        {result ? <ResultBody r={result} s={s} /> : null}
      </div>
    </div>
  );
}
