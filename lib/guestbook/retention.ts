/**
 * Daily retention and backup:
 * - past `scheduled` appointments become `no_show`;
 * - appointments whose local day is more than `ARCHIVE_AFTER_DAYS` days ago are
 *   archived (removed from the teacher/guest listings, kept in the day index
 *   with `archived: true`, so reports still count them);
 * - notifications read more than 30 days ago are deleted (via lib/notify);
 * - a backup of the whole KV is written to `BACKUP_DIR` and backups older than
 *   30 days are removed.
 */
import { config } from "@/lib/config.ts";
import { getKv } from "@/lib/db/kv.ts";
import { log } from "@/lib/log.ts";
import { backupKv } from "@/lib/backup.ts";
import { ARCHIVE_MARKER_KEY, BY_DAY_PREFIX, byDayPrefix } from "./keys.ts";
import type { Appointment } from "./model.ts";
import { markNoShows } from "./status.ts";
import { updateAppointmentRecord } from "./store.ts";
import { deleteReadOlderThan } from "@/lib/notify/notifications.ts";
import { addDays, isLocalDate, todayLocal } from "./time.ts";

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
  if (!failed && (through === null || addDays(cutoff, -1) > through)) {
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

/**
 * The daily job: retention, then a backup to `config.backupDir` (which also
 * removes backups older than 30 days). Errors are logged, not thrown, so one
 * failing step does not stop the next ones.
 */
export async function runDailyJobs(
  now: Date = new Date(),
): Promise<{ retention: RetentionResult | null; backup: string | null }> {
  let retention: RetentionResult | null = null;
  let backup: string | null = null;
  try {
    retention = await runRetention(now);
    log("info", "retention done", { ...retention });
  } catch (err) {
    log("error", "retention failed", { error: String(err) });
  }
  try {
    backup = (await backupKv(config.backupDir, { now })).path;
    log("info", "backup written", { path: backup });
  } catch (err) {
    log("error", "backup failed", { error: String(err) });
  }
  return { retention, backup };
}

/**
 * The UTC cron schedule that fires at local midnight in `timeZone`
 * (`Deno.cron` schedules are in UTC). Uses the zone's current UTC offset,
 * e.g. Asia/Jakarta (UTC+7) → `"0 17 * * *"`, Asia/Kolkata (UTC+5:30) → `"30 18 * * *"`.
 * A zone with daylight saving shifts by an hour after a change until restart.
 */
export function midnightCron(timeZone: string = config.timeZone, now: Date = new Date()): string {
  const offsetMinutes = Math.round(
    Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(timeZone).offsetNanoseconds / 60e9,
  );
  const utcMinutes = ((-offsetMinutes % 1440) + 1440) % 1440;
  return `${utcMinutes % 60} ${Math.floor(utcMinutes / 60)} * * *`;
}

/**
 * Registers the daily job with `Deno.cron` at local midnight of `TIME_ZONE`
 * (17:00 UTC for the default Asia/Jakarta). Call once from the server, not under test.
 */
export function registerDailyJobs(): void {
  Deno.cron("retention", midnightCron(), async () => {
    await runDailyJobs();
  });
}
