/**
 * The scan screen's calls to the guest-book API (same-origin, cookies):
 * `POST /api/appointments/check-in` and, for a finished meeting,
 * `GET /api/appointments/qr/{code}` (verify only).
 */
import { type ApptRow, toRow } from "@/components/frontdesk/format.ts";

/** What a check-in call came back with. */
export type CheckInAnswer =
  | { kind: "checked_in"; row: ApptRow | null; late: boolean; appointment: unknown }
  | { kind: "review" }
  | { kind: "signed_out" }
  | { kind: "refused"; message: string | null }
  | { kind: "network" };

/** Posts one code to the check-in API and sorts the answer. */
export async function postCheckIn(code: string): Promise<CheckInAnswer> {
  let res: Response;
  try {
    res = await fetch("/api/appointments/check-in", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ code }),
    });
  } catch {
    return { kind: "network" };
  }
  const body = await res.json().catch(() => null) as Record<string, any> | null;
  if (res.ok && body?.appointment) {
    const row = toRow(body.appointment);
    return { kind: "checked_in", row, late: body.late === true || row?.late === true, appointment: body.appointment };
  }
  if (res.status === 401) return { kind: "signed_out" };
  const err = body?.error as { code?: string; message?: string } | undefined;
  if (err?.code === "qr_review_available") return { kind: "review" };
  return { kind: "refused", message: err?.message ?? null };
}

/** Looks a finished appointment up by code (nothing is changed); nulls when it cannot. */
export async function lookupReview(code: string): Promise<{ row: ApptRow | null; reviewed: boolean }> {
  try {
    const res = await fetch(`/api/appointments/qr/${encodeURIComponent(code)}`, {
      credentials: "same-origin",
      headers: { accept: "application/json" },
    });
    const body = await res.json().catch(() => null) as Record<string, any> | null;
    if (res.ok && body) {
      return {
        row: toRow(body.appointment),
        reviewed: body.reviewed === true || (body.appointment?.rating ?? null) !== null,
      };
    }
  } catch { /* show what we know */ }
  return { row: null, reviewed: false };
}
