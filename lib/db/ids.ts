import { monotonicFactory } from "ulid";

const ulid = monotonicFactory();

/**
 * A new time-ordered id (ULID, 26 Crockford base32 characters), so `kv.list`
 * returns entities in creation order. Monotonic within the process.
 * Source: https://github.com/ulid/spec
 */
export function newId(now: number = Date.now()): string {
  return ulid(now);
}

/** True when `s` has the shape of a ULID (used to reject hostile ids early). */
export function isId(s: unknown): s is string {
  return typeof s === "string" && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(s);
}
