/**
 * Patient details for a psychologist: a client's profile basics, their
 * bookings with this psychologist, their screening history (lib/screening) and
 * progress over time, only when a care relationship exists
 * (`hasCareRelationship`, lib/booking/relations.ts: a paid-or-later booking).
 * Every read is written to the audit log (docs/domain-rules.md "Psychologist workspace", "Emotion screening";
 * docs/domain-rules.md "Psychologist workspace").
 */
import { getKv } from "@/lib/db/kv.ts";
import { audit } from "@/lib/audit.ts";
import { NotFound } from "@/lib/errors.ts";
import type { User } from "@/lib/auth/users.ts";
import { getUser } from "@/lib/auth/users.ts";
import { hasCareRelationship, RELATIONSHIP_STATUSES } from "@/lib/booking/relations.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { bookingKey, byClientPrefix } from "@/lib/booking/keys.ts";
import { localDateOf } from "@/lib/guestbook/time.ts";
import { listScreeningsForPsychologist, type Screening } from "@/lib/screening/store.ts";
import { ageOn } from "./people.ts";
import { SESSION_STATUSES } from "./stats.ts";
import { monthOf } from "./stats_index.ts";

/** Most of a client's bookings read to find those with one psychologist. */
const MAX_SCAN = 2000;

/** What a psychologist sees of a client. */
export interface PatientDetails {
  client: {
    id: string;
    name: string;
    /** Whole years; null when the birth date is unknown. */
    age: number | null;
    birthDate: string | null;
    gender: "female" | "male" | null;
    phone: string | null;
    email: string | null;
    lang: string;
  };
  /** The client's bookings with this psychologist, newest first (every state). */
  bookings: Booking[];
  /** The client's screening history, newest first (at most {@link MAX_SCREENINGS}). */
  screenings: ScreeningPoint[];
  /** Sessions held with this psychologist (`completed`, `in_session`), and the first and latest start. */
  summary: { held: number; first: string | null; last: string | null };
  /**
   * Progress over time, newest month first: per month (`YYYY-MM` in `TIME_ZONE`) of a real session
   * (paid or later), how many sessions ended in each state.
   */
  timeline: TimelineMonth[];
}

/** One month of the progress timeline. */
export interface TimelineMonth {
  month: string;
  /** Sessions per state (`completed`, `no_show`, `confirmed` …), only states that occur. */
  sessions: Partial<Record<Booking["status"], number>>;
  /** The screenings taken that month, oldest first. */
  screenings: ScreeningPoint[];
}

/** One screening as the patient details show it (its page: `/screening/{id}`). */
export interface ScreeningPoint {
  id: string;
  /** UTC ISO instant. */
  createdAt: string;
  result: Screening["result"];
  counts: Screening["counts"];
}

/** Most screenings shown (the newest). */
export const MAX_SCREENINGS = 100;

const ULID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * The details of client `clientId` for `viewer`, who must be a psychologist with a
 * care relationship to the client; writes `patient.read` to the audit log
 * (actor the psychologist, target `user:<clientId>`), and the screening module
 * writes its own `screening.list` entry for the screening history.
 * @throws NotFound `patient_not_found` for anyone else, an unknown id, or no relationship
 *   (one answer, so a stranger learns nothing about who is a client)
 */
export async function patientDetails(viewer: User, clientId: string, nowMs = Date.now()): Promise<PatientDetails> {
  const notFound = new NotFound("patient_not_found", "workspace.error.patient_not_found");
  if (viewer.role !== "psychologist" || !ULID_RE.test(clientId)) throw notFound;
  const client = await getUser(clientId);
  if (!client || client.role !== "client" || !(await hasCareRelationship(clientId, viewer.id))) throw notFound;
  const kv = await getKv();
  const ids: string[] = [];
  for await (const e of kv.list<string>({ prefix: byClientPrefix(clientId) }, { reverse: true, limit: MAX_SCAN })) {
    ids.push(e.value);
  }
  const bookings: Booking[] = [];
  for (let i = 0; i < ids.length; i += 10) {
    const entries = await kv.getMany<Booking[]>(ids.slice(i, i + 10).map((id) => bookingKey(id)));
    for (const e of entries) if (e.value && e.value.psychologistId === viewer.id) bookings.push(e.value);
  }
  await audit(viewer.id, "patient.read", `user:${clientId}`, { bookings: bookings.length });
  // The screening module checks the relationship itself and audits its read (`screening.list`).
  const screenings: ScreeningPoint[] =
    (await listScreeningsForPsychologist(viewer, clientId, { limit: MAX_SCREENINGS }))
      .items.map((x) => ({ id: x.id, createdAt: x.createdAt, result: x.result, counts: x.counts }));
  const real = bookings.filter((b) => RELATIONSHIP_STATUSES.includes(b.status));
  const held = bookings.filter((b) => SESSION_STATUSES.includes(b.status));
  const byMonth = new Map<string, TimelineMonth>();
  for (const b of real) {
    const month = monthOf(b.startsAt);
    const m = byMonth.get(month) ?? { month, sessions: {}, screenings: [] };
    m.sessions[b.status] = (m.sessions[b.status] ?? 0) + 1;
    byMonth.set(month, m);
  }
  for (const x of [...screenings].reverse()) {
    const month = monthOf(x.createdAt);
    const m = byMonth.get(month) ?? { month, sessions: {}, screenings: [] };
    m.screenings.push(x);
    byMonth.set(month, m);
  }
  const timeline = [...byMonth.values()].sort((a, b) => b.month.localeCompare(a.month));
  return {
    client: {
      id: client.id,
      name: client.name,
      age: ageOn(client.birthDate, localDateOf(new Date(nowMs))),
      birthDate: client.birthDate ?? null,
      gender: client.gender ?? null,
      phone: client.phone ?? null,
      email: client.email ?? null,
      lang: client.lang ?? "id",
    },
    bookings,
    screenings,
    summary: { held: held.length, first: held.at(-1)?.startsAt ?? null, last: held[0]?.startsAt ?? null },
    timeline,
  };
}
