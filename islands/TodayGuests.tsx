/**
 * Today's guests, live: for a teacher their own guests with "Dijemput"
 * (picked up) and "Selesai" (finished) buttons; for the front desk everyone's,
 * with the teacher's name and the desk's actions: open the appointment, check
 * in without QR (the form on the appointment page) and mark a no-show once the
 * scheduled time has passed.
 *
 * Live without reload:
 * - a `guest_arrived` notification (window event `ruangpulih:notification`
 *   dispatched by the header's NotificationBell) updates the row at once;
 * - `ruangpulih:appointments-changed` (dispatched by the scanner after a
 *   check-in or walk-in, `detail` = the appointment) does the same;
 * - `GET /api/appointments/today` is polled every `pollMs` while the tab is
 *   visible, so the list also follows changes made elsewhere.
 *
 * Test hooks: `data-testid="teacher-today"` (teacher) / `"today-list"` (desk) on
 * the list, `data-appointment-id` and `data-status` on rows.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  type ApptRow,
  fill,
  fmtTime,
  minutesBetween,
  punctualityLabelKey,
  type Status,
  statusKey,
  statusTone,
  toRow,
} from "@/components/frontdesk/format.ts";

export interface TodayGuestsProps {
  mode: "teacher" | "desk";
  initial: ApptRow[];
  /** Translated strings by key (see `TODAY_GUESTS_KEYS`). */
  strings: Record<string, string>;
  lang: string;
  timeZone: string;
  /** Poll interval in ms (default 5000). */
  pollMs?: number;
  /** Show only rows that still need attention first and hide finished/cancelled beyond this many (desk, compact). */
  compact?: boolean;
}

/** Keys the island needs; the page passes them translated. */
export const TODAY_GUESTS_KEYS = [
  "guestbook.status.scheduled",
  "guestbook.status.waiting",
  "guestbook.status.in_meeting",
  "guestbook.status.finished",
  "guestbook.status.cancelled",
  "guestbook.status.no_show",
  "guestbook.late",
  "guestbook.on_time",
  "guestbook.early",
  "guestbook.walk_in",
  "fd.today.empty",
  "fd.today.scheduled_at",
  "fd.today.arrived_at",
  "fd.today.waiting_for",
  "fd.today.picked_up_at",
  "fd.today.finished_at",
  "fd.today.teacher",
  "fd.today.pick_up",
  "fd.today.finish",
  "fd.today.details",
  "fd.today.updated",
  "fd.today.offline",
  "fd.today.arrived_announce",
  "fd.today.action_failed",
  "fd.today.count",
  "fd.today.open",
  "fd.today.manual_check_in",
  "fd.today.no_show",
] as const;

const ORDER: Record<Status, number> = {
  waiting: 0,
  in_meeting: 1,
  scheduled: 2,
  finished: 3,
  no_show: 4,
  cancelled: 5,
};

function sortRows(rows: ApptRow[], compact: boolean): ApptRow[] {
  const copy = [...rows];
  copy.sort((a, b) =>
    compact && ORDER[a.status] !== ORDER[b.status]
      ? ORDER[a.status] - ORDER[b.status]
      : a.startsAt < b.startsAt
      ? -1
      : a.startsAt > b.startsAt
      ? 1
      : a.id < b.id
      ? -1
      : 1
  );
  return copy;
}

/** Reads `{ appointments: [...] }`, `{ items: [...] }` or a bare array. */
function rowsFrom(body: unknown): ApptRow[] | null {
  const list = Array.isArray(body)
    ? body
    : body && typeof body === "object"
    ? ((body as Record<string, unknown>).appointments ?? (body as Record<string, unknown>).items)
    : null;
  if (!Array.isArray(list)) return null;
  return list.map(toRow).filter((r): r is ApptRow => r !== null);
}

export default function TodayGuests(props: TodayGuestsProps) {
  const { mode, strings, lang, timeZone, compact = false } = props;
  const s = (k: string, p?: Record<string, string | number>) => fill(strings[k] ?? k, p);
  const [rows, setRows] = useState<ApptRow[]>(props.initial);
  const [busy, setBusy] = useState<string | null>(null);
  const [offline, setOffline] = useState(false);
  const [announce, setAnnounce] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [flash, setFlash] = useState<Record<string, number>>({});
  const [now, setNow] = useState(() => new Date());
  const inFlight = useRef(false);

  const merge = useCallback((row: ApptRow) => {
    setRows((
      cur,
    ) => (cur.some((r) => r.id === row.id) ? cur.map((r) => (r.id === row.id ? { ...r, ...row } : r)) : [...cur, row]));
    setFlash((f) => ({ ...f, [row.id]: Date.now() }));
  }, []);

  const refresh = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const res = await fetch("/api/appointments/today", {
        credentials: "same-origin",
        headers: { accept: "application/json" },
        cache: "no-store",
      });
      if (!res.ok) throw new Error(String(res.status));
      const next = rowsFrom(await res.json());
      if (next) {
        setRows((cur) => {
          // Announce guests who just arrived (the notification may not have reached this tab).
          const before = new Map(cur.map((r) => [r.id, r.status]));
          const arrived = next.filter((r) =>
            r.status === "waiting" && before.has(r.id) && before.get(r.id) === "scheduled"
          );
          if (arrived.length) {
            setAnnounce(arrived.map((r) => s("fd.today.arrived_announce", { name: r.guestName })).join(" "));
            setFlash((f) => ({ ...f, ...Object.fromEntries(arrived.map((r) => [r.id, Date.now()])) }));
          }
          return next;
        });
      }
      setOffline(false);
    } catch {
      setOffline(true);
    } finally {
      inFlight.current = false;
    }
  }, []);

  // Polling while visible, plus a refresh whenever the tab comes back.
  useEffect(() => {
    const every = props.pollMs ?? 5000;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") refresh();
    }, every);
    const tick = setInterval(() => setNow(new Date()), 30_000);
    const onVis = () => document.visibilityState === "visible" && refresh();
    document.addEventListener("visibilitychange", onVis);
    return () => {
      clearInterval(timer);
      clearInterval(tick);
      document.removeEventListener("visibilitychange", onVis);
    };
  }, [refresh]);

  // Live events from the notification bell and the scanner.
  useEffect(() => {
    const onNotification = (e: Event) => {
      const n = (e as CustomEvent).detail as { kind?: string; data?: Record<string, unknown> } | null;
      if (!n || n.kind !== "guest_arrived" || !n.data) return;
      const id = String(n.data.appointmentId ?? "");
      const guestName = String(n.data.guestName ?? "");
      setRows((cur) =>
        cur.map((r) =>
          r.id === id && (r.status === "scheduled" || r.status === "waiting")
            ? {
              ...r,
              status: "waiting",
              checkedInAt: String(n.data!.arrivedAt ?? r.checkedInAt ?? ""),
              late: n.data!.late === true,
              early: n.data!.early === true,
            }
            : r
        )
      );
      setFlash((f) => ({ ...f, [id]: Date.now() }));
      setAnnounce(s("fd.today.arrived_announce", { name: guestName }));
      refresh();
    };
    const onChanged = (e: Event) => {
      const row = toRow((e as CustomEvent).detail);
      if (row) merge(row);
      refresh();
    };
    addEventListener("ruangpulih:notification", onNotification);
    addEventListener("ruangpulih:appointments-changed", onChanged);
    return () => {
      removeEventListener("ruangpulih:notification", onNotification);
      removeEventListener("ruangpulih:appointments-changed", onChanged);
    };
  }, [refresh, merge]);

  async function setStatus(row: ApptRow, status: "in_meeting" | "finished") {
    setBusy(row.id);
    setError(null);
    try {
      const res = await fetch(`/api/appointments/${encodeURIComponent(row.id)}/status`, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ status }),
      });
      const body = await res.json().catch(() => null);
      if (!res.ok) {
        setError(body?.error?.message ?? s("fd.today.action_failed"));
        refresh();
        return;
      }
      const updated = toRow(body?.appointment ?? body);
      if (updated) merge(updated);
      else refresh();
    } catch {
      setError(s("fd.today.action_failed"));
    } finally {
      setBusy(null);
    }
  }

  const sorted = useMemo(() => sortRows(rows, compact), [rows, compact]);
  const time = (iso: string | null) => fmtTime(iso, lang, timeZone);
  const testId = mode === "teacher" ? "teacher-today" : "today-list";

  return (
    <div class={`today-guests mode-${mode}${compact ? " is-compact" : ""}`}>
      <p class="sr-only" role="status" aria-live="polite">{announce}</p>
      {error ? <p class="alert alert-error" role="alert">{error}</p> : null}
      {offline ? <p class="today-offline" role="status">{s("fd.today.offline")}</p> : null}
      {sorted.length === 0
        ? <p class="empty" data-testid={testId}>{s("fd.today.empty")}</p>
        : (
          <ul class="today-list" data-testid={testId} aria-label={s("fd.today.count", { count: rows.length })}>
            {sorted.map((r) => {
              const waited = r.status === "waiting" ? minutesBetween(r.checkedInAt, now) : null;
              const fresh = flash[r.id] && Date.now() - flash[r.id] < 8000;
              return (
                <li
                  class={`today-row status-${r.status}${fresh ? " is-fresh" : ""}`}
                  data-appointment-id={r.id}
                  data-status={r.status}
                  key={r.id}
                >
                  <div class="today-time">
                    <span class="today-clock">{time(r.startsAt)}</span>
                    {r.walkIn ? <span class="today-walkin">{s("guestbook.walk_in")}</span> : null}
                  </div>
                  <div class="today-main">
                    <p class="today-guest">
                      {mode === "teacher" ? <a href={`/teacher/appointments/${r.id}`}>{r.guestName}</a> : r.guestName}
                    </p>
                    <p class="today-purpose">{r.purpose}</p>
                    {mode === "desk"
                      ? <p class="today-teacher">{s("fd.today.teacher", { name: r.teacherName })}</p>
                      : null}
                    <p class="today-when">
                      {r.checkedInAt && r.status !== "scheduled"
                        ? (
                          <span>
                            {s("fd.today.arrived_at", { time: time(r.checkedInAt) })}
                            {" · "}
                            <span class={r.late ? "txt-late" : r.early ? "txt-early" : "txt-ontime"}>
                              {s(punctualityLabelKey(r) ?? "guestbook.on_time")}
                            </span>
                          </span>
                        )
                        : null}
                      {waited !== null
                        ? <span class="today-wait">{" · " + s("fd.today.waiting_for", { minutes: waited })}</span>
                        : null}
                      {r.status === "in_meeting" && r.pickedUpAt
                        ? <span>{" · " + s("fd.today.picked_up_at", { time: time(r.pickedUpAt) })}</span>
                        : null}
                      {r.status === "finished" && r.finishedAt
                        ? <span>{" · " + s("fd.today.finished_at", { time: time(r.finishedAt) })}</span>
                        : null}
                    </p>
                  </div>
                  <div class="today-side">
                    <span class={`badge badge-${statusTone(r.status)} status-${r.status}`}>
                      {s(statusKey(r.status))}
                    </span>
                    {mode === "teacher" && r.status === "waiting"
                      ? (
                        <button
                          type="button"
                          class="btn btn-sm"
                          disabled={busy === r.id}
                          onClick={() => setStatus(r, "in_meeting")}
                          data-action="pick-up"
                        >
                          {s("fd.today.pick_up")}
                        </button>
                      )
                      : null}
                    {mode === "desk"
                      ? (
                        <a class="btn btn-sm btn-ghost" href={`/frontdesk/appointments/${r.id}`} data-action="open">
                          {s("fd.today.open")}
                        </a>
                      )
                      : null}
                    {mode === "desk" && r.status === "scheduled"
                      ? (
                        <a
                          class="btn btn-sm btn-secondary"
                          href={`/frontdesk/appointments/${r.id}#manual-check-in`}
                          data-action="manual-check-in"
                        >
                          {s("fd.today.manual_check_in")}
                        </a>
                      )
                      : null}
                    {mode === "desk" && r.status === "scheduled" && Date.parse(r.startsAt) <= now.getTime()
                      ? (
                        <a
                          class="btn btn-sm btn-ghost"
                          href={`/frontdesk/appointments/${r.id}?confirm=no_show#confirm`}
                          data-action="no-show"
                        >
                          {s("fd.today.no_show")}
                        </a>
                      )
                      : null}
                    {mode === "teacher" && r.status === "in_meeting"
                      ? (
                        <button
                          type="button"
                          class="btn btn-sm btn-secondary"
                          disabled={busy === r.id}
                          onClick={() => setStatus(r, "finished")}
                          data-action="finish"
                        >
                          {s("fd.today.finish")}
                        </button>
                      )
                      : null}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
    </div>
  );
}
