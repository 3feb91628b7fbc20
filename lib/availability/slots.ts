/**
 * The one slot function: which start times of a service are free. Pure (no KV,
 * no clock): the directory, the profile page, the editor's preview and the
 * booking path all call {@link freeSlots} / {@link isBookableStart}, so a start
 * the booking API accepts is always one the calendar showed (Cal.com's booking
 * API skipped the minimum-notice check the slot list applied: calcom #14465).
 *
 * Calendar math is done per local date in the psychologist's IANA zone, with
 * the zone's real offset on that date (Temporal), never with "today's" offset
 * carried into other dates (calcom #2102, #10517: slots an hour off after a DST
 * change; #30021: ranges across a DST change). Rules: docs/domain-rules.md
 * "Availability".
 */
import type { Availability, LocalRange } from "./model.ts";
import { AVAILABILITY_DEFAULTS } from "./model.ts";
import { CELL_MS, type Interval } from "@/lib/booking/cells.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Offsets of one zone differ by less than this (UTC−12 … UTC+14 is 26 h). */
const OFFSET_SPAN = 27 * 3_600_000;

/** A free slot: the session's UTC interval `[startsAt, endsAt)` in epoch ms. */
export interface Slot {
  startsAt: number;
  endsAt: number;
}

/** The parts of {@link Availability} the slot function reads (a missing weekday is a day off). */
export type SlotSettings =
  & { weekly: Partial<Availability["weekly"]> }
  & Pick<
    Availability,
    | "timeZone"
    | "overrides"
    | "bufferBeforeMinutes"
    | "bufferAfterMinutes"
    | "minimumNoticeMinutes"
    | "horizonDays"
    | "slotIntervalMinutes"
  >;

/** Everything {@link freeSlots} needs; all instants are epoch ms (UTC). */
export interface SlotInput {
  settings: SlotSettings;
  /** Session length of the service, minutes (> 0). */
  durationMinutes: number;
  /**
   * Taken intervals, already widened by the buffers of the bookings that hold
   * them (`readBusy` in lib/booking/cells.ts); any order, may overlap.
   */
  busy: readonly Interval[];
  /** The current instant. */
  nowMs: number;
  /** Only slots starting at or after this instant … */
  fromMs: number;
  /** … and strictly before this one. */
  toMs: number;
  /**
   * Stop once this many slots are certain to be the earliest ones (≥ 1;
   * absent = all). The result then equals the first `maxCount` of the full
   * list, without computing up to a year of slots to show a handful.
   */
  maxCount?: number;
}

// ---------------------------------------------------------------- zone offsets

interface Segment {
  /** First instant with this offset (inclusive; -Infinity when none before). */
  start: number;
  /** First instant after it with another offset (exclusive; Infinity when none). */
  end: number;
  /** Local wall time minus UTC, ms. */
  offset: number;
}

/** Per zone, the offset segments looked up so far (sorted, disjoint). A cache of a pure lookup. */
const segmentCache = new Map<string, Segment[]>();
const MAX_CACHED_ZONES = 64;
const MAX_SEGMENTS_PER_ZONE = 2_000;

function lookupSegment(timeZone: string, ms: number): Segment {
  const zdt = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
  const next = zdt.getTimeZoneTransition("next");
  // From ms + 1 so that a transition exactly at `ms` counts as this segment's start.
  const prev = Temporal.Instant.fromEpochMilliseconds(ms + 1).toZonedDateTimeISO(timeZone)
    .getTimeZoneTransition("previous");
  return {
    start: prev ? prev.epochMilliseconds : -Infinity,
    end: next ? next.epochMilliseconds : Infinity,
    offset: zdt.offsetNanoseconds / 1e6,
  };
}

/** The constant-offset segment of `timeZone` containing instant `ms`. */
function segmentAt(timeZone: string, ms: number): Segment {
  let list = segmentCache.get(timeZone);
  if (!list) {
    if (segmentCache.size >= MAX_CACHED_ZONES) segmentCache.clear();
    list = [];
    segmentCache.set(timeZone, list);
  }
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].end <= ms) lo = mid + 1;
    else hi = mid;
  }
  if (lo < list.length && list[lo].start <= ms) return list[lo];
  const seg = lookupSegment(timeZone, ms);
  if (list.length >= MAX_SEGMENTS_PER_ZONE) list.length = 0;
  list.splice(lo, 0, seg);
  return seg;
}

/** Offset (local minus UTC, ms) of `timeZone` at instant `ms`. */
export function offsetAt(timeZone: string, ms: number): number {
  return segmentAt(timeZone, ms).offset;
}

/** The local calendar date `YYYY-MM-DD` of instant `ms` in `timeZone`. */
export function localDateOfMs(timeZone: string, ms: number): string {
  return new Date(ms + offsetAt(timeZone, ms)).toISOString().slice(0, 10);
}

/**
 * The local date of instant `ms` in `timeZone` and the first instant after it
 * that may lie on another local date (exactly the next local midnight when no
 * offset change comes first; otherwise `ms + 1`, so the caller asks again).
 * Lets a sorted walk over instants compute each date once.
 */
export function localDayOf(timeZone: string, ms: number): { date: string; end: number } {
  const seg = segmentAt(timeZone, ms);
  const day = Math.floor((ms + seg.offset) / DAY);
  const end = (day + 1) * DAY - seg.offset;
  return { date: new Date(day * DAY).toISOString().slice(0, 10), end: end < seg.end ? end : ms + 1 };
}

/**
 * The instants at which the wall clock of `timeZone` reads local time `wall`
 * (local epoch ms: the wall date-time read as if it were UTC). Empty in a
 * spring-forward gap, two in a fall-back repeated hour, else one. Fast path
 * with the cached offset; Temporal near a transition.
 */
function occurrences(timeZone: string, wall: number): number[] {
  const seg = segmentAt(timeZone, wall - offsetAt(timeZone, wall));
  const i = wall - seg.offset;
  if (i - OFFSET_SPAN >= seg.start && i + OFFSET_SPAN < seg.end) return [i];
  const d = new Date(wall);
  const pdt = new Temporal.PlainDateTime(
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
  );
  const earlier = pdt.toZonedDateTime(timeZone, { disambiguation: "earlier" });
  const later = pdt.toZonedDateTime(timeZone, { disambiguation: "later" });
  const out: number[] = [];
  if (earlier.toPlainDateTime().equals(pdt)) out.push(earlier.epochMilliseconds);
  if (later.toPlainDateTime().equals(pdt) && later.epochMilliseconds !== earlier.epochMilliseconds) {
    out.push(later.epochMilliseconds);
  }
  return out;
}

/** In a gap: the instant of the jump that skipped `wall`. */
function gapTransition(timeZone: string, wall: number): number {
  const d = new Date(wall);
  const later = new Temporal.PlainDateTime(
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
  ).toZonedDateTime(timeZone, { disambiguation: "later" });
  // From one ms later, so that a wall time at the very start of the gap finds its own jump.
  return Temporal.Instant.fromEpochMilliseconds(later.epochMilliseconds + 1).toZonedDateTimeISO(timeZone)
    .getTimeZoneTransition("previous")!.epochMilliseconds;
}

/**
 * The UTC interval of one local working range on local day `day` (days since
 * 1970-01-01 in local time), or null when it is empty there. The range runs
 * from the **last** moment the clock shows its start to the **first** moment
 * after that the clock shows its end; a wall time skipped by a spring-forward
 * gap is read as the moment of the jump. So every instant of the interval has a
 * local time inside the range, whatever DST does (docs/domain-rules.md
 * "Availability": DST).
 */
export function rangeInterval(timeZone: string, day: number, range: LocalRange): Interval | null {
  const sWall = day * DAY + minutesOf(range.start) * MINUTE;
  const eWall = day * DAY + minutesOf(range.end) * MINUTE;
  const so = occurrences(timeZone, sWall);
  const start = so.length ? so[so.length - 1] : gapTransition(timeZone, sWall);
  const eo = occurrences(timeZone, eWall);
  const end = eo.length ? (eo.find((x) => x > start) ?? eo[eo.length - 1]) : gapTransition(timeZone, eWall);
  return end > start ? { start, end } : null;
}

/** `HH:MM` → minutes after midnight ("24:00" → 1440). */
export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** ISO weekday "1" (Monday) … "7" (Sunday) of local day number `day` (1970-01-01 was a Thursday). */
function weekdayOf(day: number): "1" | "2" | "3" | "4" | "5" | "6" | "7" {
  return String((((day + 3) % 7) + 7) % 7 + 1) as "1";
}

/** The ranges of local day `day`: its override when there is one (empty = day off), else its weekday's. */
export function rangesOfDay(settings: Pick<SlotSettings, "weekly" | "overrides">, day: number): LocalRange[] {
  const date = new Date(day * DAY).toISOString().slice(0, 10);
  const o = Object.hasOwn(settings.overrides, date) ? settings.overrides[date] : undefined;
  return o ?? settings.weekly[weekdayOf(day)] ?? [];
}

// ---------------------------------------------------------------- busy lookup

/** Sorted, merged copy of `busy`. */
function normaliseBusy(busy: readonly Interval[]): Interval[] {
  const sorted = busy.filter((b) => b.end > b.start).map((b) => ({ start: b.start, end: b.end }))
    .sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && b.start <= last.end) last.end = Math.max(last.end, b.end);
    else out.push(b);
  }
  return out;
}

/** True when `[start, end)` meets any interval of the sorted, merged `busy`. */
function intersects(busy: Interval[], start: number, end: number): boolean {
  let lo = 0, hi = busy.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (busy[mid].end <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < busy.length && busy[lo].start < end;
}

// ---------------------------------------------------------------- the slot function

/** The step between slot starts, minutes: the interval setting or the service duration. */
export function slotStepMinutes(settings: Pick<SlotSettings, "slotIntervalMinutes">, durationMinutes: number): number {
  return settings.slotIntervalMinutes ?? durationMinutes;
}

/**
 * The free slots of a service, sorted by start. A start `t` is a slot when:
 * - `[t, t + duration)` lies wholly inside one working range of a local date in
 *   `settings.timeZone` (the date's override replaces its weekly ranges; an
 *   empty override is a day off), see {@link rangeInterval} for DST;
 * - `t` = the range's start + k × step (step = `slotIntervalMinutes` ??
 *   duration, in elapsed minutes);
 * - `t ≥ nowMs + minimumNoticeMinutes` and `t < nowMs + horizonDays × 24 h`
 *   (horizon capped at 365 days, so the work is bounded);
 * - `fromMs ≤ t < toMs`;
 * - `[t − bufferBefore, t + duration + bufferAfter)`, widened outward to the
 *   5-minute cell grid as the booking's cells are (lib/booking/cells.ts), meets
 *   no busy interval.
 * With `input.maxCount`, the walk over local days stops as soon as the
 * earliest `maxCount` slots are known (a later local day cannot start before
 * its own midnight minus the widest zone offset) and only those are returned.
 * @returns slots as epoch ms; `[]` when nothing is free
 * @throws RangeError for an unknown time zone or a duration/step ≤ 0 (or `maxCount` < 1)
 */
export function freeSlots(input: SlotInput): Slot[] {
  const { settings, durationMinutes, nowMs } = input;
  const step = slotStepMinutes(settings, durationMinutes);
  if (!(durationMinutes > 0) || !(step > 0)) throw new RangeError("duration and step must be positive");
  const maxCount = input.maxCount ?? Infinity;
  if (!(maxCount >= 1)) throw new RangeError("maxCount must be at least 1");
  const horizonDays = Math.min(Math.max(settings.horizonDays, 0), AVAILABILITY_DEFAULTS.maxHorizonDays);
  const earliest = Math.max(input.fromMs, nowMs + settings.minimumNoticeMinutes * MINUTE);
  const latest = Math.min(input.toMs, nowMs + horizonDays * DAY); // exclusive
  if (!(latest > earliest)) return [];
  const tz = settings.timeZone;
  const busy = normaliseBusy(input.busy);
  const before = settings.bufferBeforeMinutes * MINUTE;
  const after = settings.bufferAfterMinutes * MINUTE;
  const dur = durationMinutes * MINUTE;
  const stepMs = step * MINUTE;
  // Local days that can hold a range overlapping [earliest, latest): one day of slack each side.
  const firstDay = Math.floor((earliest + offsetAt(tz, earliest)) / DAY) - 1;
  const lastDay = Math.floor((latest + offsetAt(tz, latest)) / DAY) + 1;
  let out: Slot[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const ranges = rangesOfDay(settings, day);
    for (const r of ranges) {
      const iv = rangeInterval(tz, day, r);
      if (!iv || iv.end <= earliest || iv.start >= latest) continue;
      const k0 = Math.max(0, Math.ceil((earliest - iv.start) / stepMs));
      for (let t = iv.start + k0 * stepMs; t + dur <= iv.end && t < latest; t += stepMs) {
        const from = Math.floor((t - before) / CELL_MS) * CELL_MS;
        const to = Math.ceil((t + dur + after) / CELL_MS) * CELL_MS;
        if (!intersects(busy, from, to)) out.push({ startsAt: t, endsAt: t + dur });
      }
    }
    if (out.length >= maxCount) {
      out = sortedUnique(out);
      // Every range of a later local day starts at or after its local midnight, ≥ this bound in UTC.
      if (out.length >= maxCount && out[maxCount - 1].startsAt < (day + 1) * DAY - OFFSET_SPAN) break;
    }
  }
  out = sortedUnique(out);
  return out.length > maxCount ? out.slice(0, maxCount) : out;
}

/** Sorted by start, duplicates dropped (ranges of one date never overlap once stored; all the same). */
function sortedUnique(slots: Slot[]): Slot[] {
  slots.sort((a, b) => a.startsAt - b.startsAt);
  return slots.filter((s, i) => i === 0 || s.startsAt !== slots[i - 1].startsAt);
}

/**
 * True when `startsAtMs` is a start {@link freeSlots} offers: the same
 * function over a one-instant window, so booking and calendar cannot disagree
 * (calcom #14465).
 */
export function isBookableStart(input: Omit<SlotInput, "fromMs" | "toMs">, startsAtMs: number): boolean {
  if (!Number.isFinite(startsAtMs)) return false;
  return freeSlots({ ...input, fromMs: startsAtMs, toMs: startsAtMs + 1 }).some((s) => s.startsAt === startsAtMs);
}

/** Widest window of busy intervals that can affect a slot starting at `startsAtMs` (for `readBusy`). */
export function busyWindowFor(
  settings: Pick<SlotSettings, "bufferBeforeMinutes" | "bufferAfterMinutes">,
  durationMinutes: number,
  startsAtMs: number,
): Interval {
  return {
    start: Math.floor((startsAtMs - settings.bufferBeforeMinutes * MINUTE) / CELL_MS) * CELL_MS,
    end: Math.ceil((startsAtMs + (durationMinutes + settings.bufferAfterMinutes) * MINUTE) / CELL_MS) * CELL_MS,
  };
}
