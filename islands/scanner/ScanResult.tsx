/**
 * The body of the scan screen's full-screen result: green (on time), amber
 * (late), red (refused, with the reason), blue (meeting finished: review link).
 */
import type { Strings } from "./WalkInForm.tsx";

/** One scan's result as the overlay shows it. */
export type ScanResult =
  | {
    kind: "ok" | "late";
    guest: string;
    teacher: string;
    purpose: string;
    scheduled: string;
    arrived: string;
    /** On time but more than EARLY_MINUTES before the start. */
    early?: boolean;
  }
  | { kind: "error"; message: string }
  | { kind: "review"; guest: string; teacher: string; purpose: string; href: string | null; reviewed: boolean };

/** The overlay's content for `r`. */
export function ResultBody({ r, s }: { r: ScanResult; s: Strings }) {
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
      <p class="result-title">
        {s(r.kind === "late" ? "fd.scan.late" : r.early ? "fd.scan.early" : "fd.scan.ok")}
      </p>
      <p class="result-guest">{r.guest}</p>
      <p class="result-line">{s("fd.scan.teacher")}: {r.teacher}</p>
      <p class="result-line">{s("fd.scan.purpose")}: {r.purpose}</p>
      <p class="result-line">
        {s("fd.scan.scheduled", { time: r.scheduled })} · {s("fd.scan.arrived", { time: r.arrived })}
      </p>
    </div>
  );
}
