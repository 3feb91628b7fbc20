/**
 * Guest-book retention, one step of the daily job (`lib/jobs.ts`):
 * - past `scheduled` appointments become `no_show`;
 * - appointments whose local day is more than `ARCHIVE_AFTER_DAYS` days ago are
 *   archived (removed from the teacher/guest listings, kept in the day index
 *   with `archived: true`, so reports still count them);
 * - notifications read more than 30 days ago are deleted (through lib/notify,
 *   which owns their keys). Rules: `docs/domain-rules.md` "Retention".
 */
import { config } from "@/lib/config.ts";
import { getKv } from "@/lib/db/kv.ts";
import { log } from "@/lib/log.ts";
import { ARCHIVE_MARKER_KEY, BY_DAY_PREFIX, byDayPrefix } from "./keys.ts";
import type { Appointment } from "./model.ts";
import { markNoShows } from "./status.ts";
import { updateAppointmentRecord } from "./store.ts";
import { deleteReadOlderThan } from "@/lib/notify/notifications.ts";
import { addDays, compareLocalDates, isLocalDate, todayLocal } from "./time.ts";

/** Read notifications older than this many days are deleted. */
export const NOTIFICATION_KEEP_DAYS = 30;

/**
 * Archives appointments whose local date is before today − `config.archiveAfterDays`.
 * Resumes after the last archived day (`["settings","archive_through"]`).
 * @returns how many appointments were archived
 */
export async function archiveOldAppointments(
  now: Date = new Date(),
): Promise<number> {
  const kv = await getKv();
  const cutoff = addDays(todayLocal(now), -config.archiveAfterDays); // first day kept active
  const markerKey = ARCHIVE_MARKER_KEY;
  const through = (await kv.get<string>(markerKey)).value;
  const start: Deno.KvKey = through && isLocalDate(through) ? byDayPrefix(addDays(through, 1)) : BY_DAY_PREFIX;
  const ids: string[] = [];
  for await (
    const e of kv.list<Appointment>({
      start,
      end: byDayPrefix(cutoff),
    })
  ) {
    if (!e.value.archived) ids.push(e.value.id);
  }
  let n = 0;
  let failed = 0;
  const iso = now.toISOString();
  for (const id of ids) {
    try {
      await updateAppointmentRecord(
        id,
        (a) => ({ ...a, archived: true, updatedAt: iso }),
      );
      n++;
    } catch (err) {
      failed++;
      log("warn", "archive failed", { appointmentId: id, error: String(err) });
    }
  }
  // Move the marker only when every appointment up to it is archived (else retry tomorrow).
  if (!failed && (through === null || !isLocalDate(through) || compareLocalDates(addDays(cutoff, -1), through) > 0)) {
    await kv.set(markerKey, addDays(cutoff, -1));
  }
  return n;
}

/**
 * Deletes notifications read more than `keepDays` days before `now`, through
 * `lib/notify` (which owns the notification keys and their indexes).
 * @returns how many were deleted
 */
export async function deleteOldReadNotifications(
  now: Date = new Date(),
  keepDays = NOTIFICATION_KEEP_DAYS,
): Promise<number> {
  return await deleteReadOlderThan(keepDays, now);
}

/** Result of one retention run. */
export interface RetentionResult {
  noShows: number;
  archived: number;
  notificationsDeleted: number;
}

/** Runs no-show marking, archiving and notification clean-up. */
export async function runRetention(
  now: Date = new Date(),
): Promise<RetentionResult> {
  const noShows = await markNoShows(now);
  const archived = await archiveOldAppointments(now);
  const notificationsDeleted = await deleteOldReadNotifications(now);
  return { noShows, archived, notificationsDeleted };
}
