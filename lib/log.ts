/**
 * Structured JSON logs, one object per line on stdout/stderr
 * (`{"ts","level","msg",...fields}`), filtered by `LOG_LEVEL`.
 */
import { config } from "./config.ts";

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

/** Writes one log line if `level` is at or above `LOG_LEVEL`. */
export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (LEVELS[level] < LEVELS[config.logLevel]) return;
  const line = JSON.stringify({ ts: new Date().toISOString(), level, msg, ...fields });
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}
