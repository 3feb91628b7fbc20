/**
 * Server-rendered pieces of the front-desk pages: status badges, the QR figure,
 * stat tiles and the helper that hands translated strings to islands.
 */
import type { ComponentChildren } from "preact";
import type { T } from "@/lib/i18n/mod.ts";
import { type Status, statusKey, statusTone } from "./format.ts";

/** A coloured status label ("Menunggu", "Selesai", …) plus the late flag when set. */
export function StatusBadge({ status, late, t }: { status: Status; late?: boolean | null; t: T }) {
  return (
    <span class="status-badges">
      <span class={`badge badge-${statusTone(status)} status-${status}`} data-status={status}>
        {t(statusKey(status))}
      </span>
      {late ? <span class="badge badge-late">{t("guestbook.late")}</span> : null}
    </span>
  );
}

/**
 * The appointment's QR as inline SVG (from `qrSvg`, whose only dynamic text,
 * the title, is escaped there) with a caption.
 */
export function QrFigure({ svg, caption, children }: { svg: string; caption?: string; children?: ComponentChildren }) {
  return (
    <figure class="qr-figure">
      <div class="qr-box" dangerouslySetInnerHTML={{ __html: svg }} />
      {caption ? <figcaption class="muted">{caption}</figcaption> : null}
      {children}
    </figure>
  );
}

/** A number tile of a dashboard. */
export function StatTile(
  { label, value, tone, hint, text }: {
    label: string;
    value: string | number;
    tone?: Status | "late" | "total";
    hint?: string;
    text?: boolean;
  },
) {
  return (
    <div class={`stat-tile${tone ? ` tone-${tone}` : ""}${text ? " is-text" : ""}`}>
      <span class="stat-tile-value">{value}</span>
      <span class="stat-tile-label">{label}</span>
      {hint ? <span class="stat-tile-hint">{hint}</span> : null}
    </div>
  );
}

export { Facts } from "@/components/ui.tsx";

/** Translates `keys` for an island (islands get plain strings, not the translator). */
export function pickStrings(t: T, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, t(k)]));
}
