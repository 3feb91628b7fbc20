/**
 * Background jobs of the running server (not started in tests): the daily
 * retention/backup cron of the guest book.
 */
import { registerDailyJobs } from "./guestbook/retention.ts";

/** Starts every scheduled job. Call once per process. */
export function startBackgroundJobs(): void {
  registerDailyJobs();
}
