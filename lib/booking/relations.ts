/**
 * Care relationships: whether a client has booked a psychologist, the rule behind a psychologist's
 * access to a client's patient details and screening history (docs/domain-rules.md "Psychologist workspace" and
 * "Emotion screening").
 */
import { getKv } from "@/lib/db/kv.ts";
import type { Booking, BookingStatus } from "./model.ts";
import * as K from "./keys.ts";

/**
 * Booking states that make a care relationship: the client paid and the session was (or is) real.
 * Bookings that were only reserved, expired, rejected or cancelled do not count.
 */
export const RELATIONSHIP_STATUSES: readonly BookingStatus[] = [
  "paid",
  "confirmed",
  "in_session",
  "completed",
  "no_show",
];

/** Most bookings of one client read to answer the question (a client's own history is small). */
const MAX_SCAN = 2000;

/**
 * Whether `clientId` has at least one booking with `psychologistId` in a {@link RELATIONSHIP_STATUSES}
 * state. Reads at most {@link MAX_SCAN} of the client's bookings (newest first). Never throws for
 * unknown ids: it answers `false`.
 */
export async function hasCareRelationship(clientId: string, psychologistId: string): Promise<boolean> {
  if (!clientId || !psychologistId) return false;
  const kv = await getKv();
  let seen = 0;
  const ids: string[] = [];
  for await (const e of kv.list<string>({ prefix: K.byClientPrefix(clientId) }, { reverse: true })) {
    ids.push(e.value);
    if (++seen >= MAX_SCAN) break;
  }
  for (let i = 0; i < ids.length; i += 10) {
    const entries = await kv.getMany<Booking[]>(ids.slice(i, i + 10).map((id) => K.bookingKey(id)));
    for (const e of entries) {
      const b = e.value;
      if (b && b.psychologistId === psychologistId && RELATIONSHIP_STATUSES.includes(b.status)) return true;
    }
  }
  return false;
}
