import { decodeTime, monotonicFactory, ulid as ulidAt } from "ulid";

const ulid = monotonicFactory();

/**
 * A new time-ordered id (ULID, 26 Crockford base32 characters), so `kv.list`
 * returns entities in creation order. Monotonic within the process.
 * Source: https://github.com/ulid/spec
 */
export function newId(now: number = Date.now()): string {
  return ulid(now);
}

/**
 * The ULID of a given past instant `ms` (not monotonic, so an earlier instant
 * gives an earlier id even after later ones), for records dated in the past
 * such as demo data. Never pass a future instant: the id would sort after
 * records created later (and `newId()`'s monotonic clock would follow it).
 * @throws RangeError when `ms` is after now
 */
export function idAt(ms: number): string {
  if (ms > Date.now()) throw new RangeError("idAt: instant in the future");
  return ulidAt(ms);
}

/** Milliseconds since epoch encoded in a ULID. */
export function idTime(id: string): number {
  return decodeTime(id);
}

/** True when `s` has the shape of a ULID (used to reject hostile ids early). */
export function isId(s: unknown): s is string {
  return typeof s === "string" && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(s);
}
