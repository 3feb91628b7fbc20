/**
 * Fills the statistics index (`booking_stats`, `./keys.ts`) for bookings written
 * before it existed: once per database (the `booking_stats_backfill` marker),
 * started in the background with the other jobs. Each entry is written in a
 * commit checked against the booking's versionstamp, so a booking that moves
 * meanwhile keeps the entry its own commit wrote (docs/domain-rules.md
 * "Psychologist workspace").
 */
import { getKv } from "@/lib/db/kv.ts";
import { log } from "@/lib/log.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { backfillMarkerKey, type BookingStat, statKey } from "./keys.ts";
import { monthOf, statOf } from "./stats_index.ts";

/** Version of the index layout; a new version runs the backfill again. */
export const STATS_INDEX_VERSION = 1;

const same = (a: BookingStat | null, b: BookingStat) =>
  !!a && a.status === b.status && a.serviceType === b.serviceType && a.payoutIdr === b.payoutIdr &&
  a.refund === b.refund;

/**
 * Writes the missing or outdated statistics entries of every stored booking and
 * then the marker; does nothing when the marker says this version already ran.
 * Returns how many entries it wrote. Idempotent; safe to run while bookings change.
 */
export async function backfillBookingStats(): Promise<number> {
  const kv = await getKv();
  if ((await kv.get<number>(backfillMarkerKey)).value === STATS_INDEX_VERSION) return 0;
  let written = 0;
  for await (const e of kv.list<Booking>({ prefix: ["bookings"] }, { batchSize: 500 })) {
    const b = e.value;
    if (!b?.psychologistId || !b.startsAt) continue;
    const key = statKey(b.psychologistId, monthOf(b.startsAt), b.id);
    const want = statOf(b);
    if (same((await kv.get<BookingStat>(key)).value, want)) continue;
    // A lost check means the booking moved and its own commit wrote the entry.
    if ((await kv.atomic().check(e).set(key, want).commit()).ok) written++;
  }
  await kv.set(backfillMarkerKey, STATS_INDEX_VERSION);
  return written;
}

/** Starts the backfill in the background (server only); failures are logged and retried at the next start. */
export function startStatsBackfill(): void {
  backfillBookingStats().then((n) => {
    if (n) log("info", "workspace: booking_stats backfilled", { entries: n });
  }).catch((err) => log("error", "workspace: booking_stats backfill failed", { error: String(err) }));
}
