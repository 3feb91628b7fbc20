/**
 * Background jobs of the running server (not started in tests): the daily job
 * at local midnight, which calls each capability's own step (guest-book
 * retention in `lib/guestbook/retention.ts`, left-over upload chunks in
 * `lib/files/store.ts`, the whole-KV backup in `lib/backup.ts`).
 */
import { backupKv } from "./backup.ts";
import { config } from "./config.ts";
import { log } from "./log.ts";
import { type RetentionResult, runRetention } from "./guestbook/retention.ts";
import { sweepOrphanChunks } from "./files/store.ts";
import { sweepUnreferencedPhotos } from "./psychologists/store.ts";
import { startQueue } from "./queue.ts";
import { registerBookingJobs } from "./booking/jobs.ts";
import { registerPaymentJobs } from "./payments/jobs.ts";
import { registerReminderJobs } from "./reminders/jobs.ts";
import { startStatsBackfill } from "./workspace/backfill.ts";
import { startFinanceBackfill } from "./admin/backfill.ts";

/**
 * The daily job: each capability's step in turn — guest-book retention
 * ({@link runRetention}), removing chunks of interrupted uploads
 * ({@link sweepOrphanChunks}) and psychologist photos no profile uses
 * ({@link sweepUnreferencedPhotos}), then a backup of the whole KV to `config.backupDir`
 * (which also removes backups older than 30 days). Errors are logged, not
 * thrown, so one failing step does not stop the next ones.
 * @returns each step's result, null for a step that failed
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
    const files = await sweepOrphanChunks(now);
    if (files) log("info", "left-over upload chunks removed", { files });
  } catch (err) {
    log("error", "upload chunk sweep failed", { error: String(err) });
  }
  try {
    const photos = await sweepUnreferencedPhotos(now);
    if (photos) log("info", "unreferenced photos removed", { photos });
  } catch (err) {
    log("error", "photo sweep failed", { error: String(err) });
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

/**
 * Starts every scheduled job: the daily job, then the queue listener and the
 * catch-up crons each capability registered with `onJob` / `onCron`
 * (`lib/queue.ts`). Call once per process.
 */
export function startBackgroundJobs(): void {
  registerDailyJobs();
  registerBookingJobs();
  registerPaymentJobs();
  registerReminderJobs();
  startStatsBackfill();
  startFinanceBackfill();
  void startQueue();
}
