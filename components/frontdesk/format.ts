/**
 * Browser-safe helpers shared by the front-desk pages and islands: the
 * appointment row shape the lists use, status tones, time formatting in the
 * configured zone, and string interpolation for island strings.
 */

/** Appointment statuses (PRODUCT.md §2.5); mirrors `AppointmentStatus` in lib/guestbook. */
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

/** i18n key of a status label (keys owned by lib/i18n/guestbook.ts). */
export function statusKey(s: Status): string {
  return `guestbook.status.${s}`;
}

function locale(lang: string): string {
  return lang === "en" ? "en-GB" : "id-ID";
}

/** Wall-clock `HH.MM` / `HH:MM` of an instant in `timeZone`; "" for an empty or bad value. */
export function fmtTime(iso: string | null | undefined, lang: string, timeZone: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat(locale(lang), { timeZone, hour: "2-digit", minute: "2-digit" }).format(d);
}

/** Short date, e.g. "Sab, 21 Nov 2026"; "" for an empty or bad value. */
export function fmtDate(
  iso: string | null | undefined,
  lang: string,
  timeZone: string,
  opts: { year?: boolean; weekday?: boolean } = {},
): string {
  if (!iso) return "";
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: iso.length === 10 ? "UTC" : timeZone,
    weekday: opts.weekday === false ? undefined : "short",
    day: "numeric",
    month: "short",
    year: opts.year === false ? undefined : "numeric",
  }).format(d);
}

/** Long date, e.g. "Sabtu, 21 November 2026". */
export function fmtLongDate(iso: string, lang: string, timeZone: string): string {
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: iso.length === 10 ? "UTC" : timeZone,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(d);
}

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
