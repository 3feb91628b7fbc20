/**
 * Browser-safe helpers shared by the front-desk pages and islands: the
 * appointment row shape the lists use, status tones, time formatting in the
 * configured zone (re-exported from `lib/i18n/format.ts`, the one formatter of
 * the app), and string interpolation for island strings.
 */
import { formatDate, formatLongDate, formatTime } from "@/lib/i18n/format.ts";

export { formatRating } from "@/lib/i18n/format.ts";

/** Appointment statuses (docs/domain-rules.md "Statuses"); mirrors `AppointmentStatus` in lib/guestbook. */
export type Status = "scheduled" | "waiting" | "in_meeting" | "finished" | "cancelled" | "no_show";

/** The fields of an appointment that the live lists show (serializable island prop). */
export interface ApptRow {
  id: string;
  guestName: string;
  teacherName: string;
  purpose: string;
  /** UTC ISO instant. */
  startsAt: string;
  status: Status;
  late: boolean | null;
  /** Arrived more than `EARLY_MINUTES` before the start; null when unknown or not checked in. */
  early: boolean | null;
  checkedInAt: string | null;
  pickedUpAt: string | null;
  finishedAt: string | null;
  walkIn: boolean;
}

const STATUSES: readonly Status[] = ["scheduled", "waiting", "in_meeting", "finished", "cancelled", "no_show"];

/** Projects anything appointment-shaped (a KV record or an API object) to an {@link ApptRow}; null when unusable. */
export function toRow(a: unknown): ApptRow | null {
  if (!a || typeof a !== "object") return null;
  const o = a as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === "string" ? o[k] as string : null);
  const id = str("id");
  const status = str("status") as Status | null;
  if (!id || !status || !STATUSES.includes(status)) return null;
  return {
    id,
    guestName: str("guestName") ?? "",
    teacherName: str("teacherName") ?? "",
    purpose: str("purpose") ?? "",
    startsAt: str("startsAt") ?? "",
    status,
    late: typeof o.late === "boolean" ? o.late : null,
    early: typeof o.early === "boolean" ? o.early : null,
    checkedInAt: str("checkedInAt"),
    pickedUpAt: str("pickedUpAt"),
    finishedAt: str("finishedAt"),
    walkIn: o.walkIn === true,
  };
}

/** Badge tone per status: what needs attention stands out (waiting = amber). */
export function statusTone(s: Status): "neutral" | "info" | "success" | "warning" | "danger" {
  switch (s) {
    case "waiting":
      return "warning";
    case "in_meeting":
      return "info";
    case "finished":
      return "success";
    case "no_show":
      return "danger";
    default:
      return "neutral";
  }
}

/** i18n key of a row's punctuality label ("late", "early", "on time"), null before check-in. */
export function punctualityLabelKey(r: Pick<ApptRow, "late" | "early" | "checkedInAt">): string | null {
  if (!r.checkedInAt || r.late === null) return null;
  return r.late ? "guestbook.late" : r.early ? "guestbook.early" : "guestbook.on_time";
}

/** i18n key of a status label (keys owned by lib/i18n/guestbook.ts). */
export function statusKey(s: Status): string {
  return `guestbook.status.${s}`;
}

/**
 * Wall-clock time of an instant in `timeZone`: `09.15` (id) / `09:15` (en), 24-hour;
 * "" for an empty or bad value. The one time format of the UI: {@link formatTime}.
 */
export const fmtTime = formatTime;

/** Short date, e.g. "Sab, 21 Nov 2026"; "" for an empty or bad value ({@link formatDate}). */
export const fmtDate = formatDate;

/** Long date, e.g. "Sabtu, 21 November 2026" ({@link formatLongDate}). */
export const fmtLongDate = formatLongDate;

/** Whole minutes between two instants (b − a), or null. */
export function minutesBetween(a: string | null, b: string | null | Date): number | null {
  if (!a || !b) return null;
  const ms = (b instanceof Date ? b.getTime() : Date.parse(b)) - Date.parse(a);
  return Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 60_000)) : null;
}

/** Replaces `{name}` placeholders (island strings are passed already translated). */
export function fill(s: string, params?: Record<string, string | number>): string {
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

/** A phone in canonical `62…` form shown as `+62 812-3456-7890`. */
export function fmtPhone(p: string | null | undefined): string {
  if (!p) return "";
  const d = p.replace(/\D/g, "");
  if (!d.startsWith("62") || d.length < 9) return p;
  const rest = d.slice(2);
  const parts = [rest.slice(0, 3), rest.slice(3, 7), rest.slice(7)].filter(Boolean);
  return `+62 ${parts.join("-")}`;
}
