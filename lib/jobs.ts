/**
 * Background jobs of the running server (not started in tests): the daily
 * retention/backup cron of the guest book and its queue listeners.
 */
import { log } from "./log.ts";

/** Starts every scheduled job. Safe to call once per process. */
export function startBackgroundJobs(): void {
  import("./guestbook/retention.ts").then((m) => {
    if (typeof m.registerDailyJobs === "function") m.registerDailyJobs();
  }).catch((err) => log("warn", "retention jobs not started", { error: String(err) }));
}
