/**
 * Availability settings in Deno KV (keys in `./keys.ts`), the calls the booking
 * path makes ({@link checkBookableStart}), the next free slots of a profile and
 * the directory's cached summary ({@link availabilitySummary}). The slot rules
 * themselves are the pure `freeSlots` of `./slots.ts`. Rules:
 * docs/domain-rules.md "Availability".
 */
import { getKv } from "@/lib/db/kv.ts";
import { config } from "@/lib/config.ts";
import { ValidationError } from "@/lib/errors.ts";
import { parseInput } from "@/lib/validation.ts";
import { type Interval, readBusy } from "@/lib/booking/cells.ts";
import { isBookable, type Psychologist, type Service } from "@/lib/psychologists/model.ts";
import { psychologistKey } from "@/lib/psychologists/keys.ts";
import {
  type Availability,
  AVAILABILITY_DEFAULTS,
  type AvailabilityInput,
  availabilityInputSchema,
  type LocalRange,
  WEEKDAYS,
} from "./model.ts";
import { freeSlots, isBookableStart, localDateOfMs, type Slot, type SlotInput, type SlotSettings } from "./slots.ts";
import * as K from "./keys.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Settings of a psychologist who never saved any: `config.timeZone`, no working hours (so no slots), defaults. */
export function defaultAvailability(psychologistId: string): Availability {
  return {
    schemaVersion: 1,
    psychologistId,
    timeZone: config.timeZone,
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, []])) as unknown as Availability["weekly"],
    overrides: {},
    bufferBeforeMinutes: AVAILABILITY_DEFAULTS.bufferBeforeMinutes,
    bufferAfterMinutes: AVAILABILITY_DEFAULTS.bufferAfterMinutes,
    minimumNoticeMinutes: AVAILABILITY_DEFAULTS.minimumNoticeMinutes,
    horizonDays: AVAILABILITY_DEFAULTS.horizonDays,
    slotIntervalMinutes: null,
    updatedAt: new Date(0).toISOString(),
  };
}

/** Today's local date in `timeZone` at `nowMs`, plus `days`. */
function localDatePlus(timeZone: string, nowMs: number, days: number): string {
  return new Date(Date.parse(localDateOfMs(timeZone, nowMs) + "T00:00:00Z") + days * DAY).toISOString().slice(0, 10);
}

/** Drops overrides dated before yesterday (in the settings' zone): they can no longer matter. */
function pruned(a: Availability, nowMs: number): Availability {
  const yesterday = localDatePlus(a.timeZone, nowMs, -1);
  const overrides: Record<string, LocalRange[]> = {};
  for (const [d, r] of Object.entries(a.overrides)) if (d >= yesterday) overrides[d] = r;
  return { ...a, overrides };
}

/**
 * The settings of `psychologistId`, or {@link defaultAvailability} when none
 * were saved. Overrides before yesterday (in the settings' zone) are left out,
 * so what GET answers can be PUT back unchanged.
 */
export async function getAvailability(psychologistId: string, nowMs: number = Date.now()): Promise<Availability> {
  const kv = await getKv();
  const v = (await kv.get<Availability>(K.availabilityKey(psychologistId))).value;
  return v ? pruned(v, nowMs) : defaultAvailability(psychologistId);
}

/**
 * Validates `input` ({@link availabilityInputSchema}) and turns it into the
 * stored record: all seven weekdays present, ranges sorted by start, overrides
 * sorted by date.
 * @throws ValidationError (field keys `avail.error.*`, e.g. `overrides.2026-12-25`
 *   `avail.error.override_date` for a date before yesterday or more than 365 days ahead)
 */
export function normaliseAvailability(
  psychologistId: string,
  input: unknown,
  nowMs: number = Date.now(),
): Availability {
  const v: AvailabilityInput = parseInput(availabilityInputSchema, input);
  const from = localDatePlus(v.timeZone, nowMs, -1);
  const to = localDatePlus(v.timeZone, nowMs, AVAILABILITY_DEFAULTS.maxHorizonDays);
  const bad: Record<string, string> = {};
  for (const d of Object.keys(v.overrides)) if (d < from || d > to) bad[`overrides.${d}`] = "avail.error.override_date";
  if (Object.keys(bad).length) throw new ValidationError(bad);
  const sort = (rs: LocalRange[]) => [...rs].sort((a, b) => (a.start < b.start ? -1 : 1));
  return {
    schemaVersion: 1,
    psychologistId,
    timeZone: v.timeZone,
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, sort(v.weekly[d] ?? [])])) as unknown as Availability["weekly"],
    overrides: Object.fromEntries(Object.keys(v.overrides).sort().map((d) => [d, sort(v.overrides[d])])),
    bufferBeforeMinutes: v.bufferBeforeMinutes,
    bufferAfterMinutes: v.bufferAfterMinutes,
    minimumNoticeMinutes: v.minimumNoticeMinutes,
    horizonDays: v.horizonDays,
    slotIntervalMinutes: v.slotIntervalMinutes,
    updatedAt: new Date(nowMs).toISOString(),
  };
}

/**
 * Saves the settings of `psychologistId` (whole replacement) and bumps its
 * availability version in the same commit. Existing bookings keep their cells.
 * @throws ValidationError as {@link normaliseAvailability}
 */
export async function putAvailability(
  psychologistId: string,
  input: unknown,
  nowMs: number = Date.now(),
): Promise<Availability> {
  const a = normaliseAvailability(psychologistId, input, nowMs);
  const kv = await getKv();
  const op = kv.atomic().set(K.availabilityKey(psychologistId), a);
  bumpAvailabilityVersion(op, psychologistId);
  await op.commit();
  return a;
}

/**
 * Adds to `op` the bump of `psychologistId`'s availability version. Call it in
 * every commit that claims or frees time cells (booking created, rescheduled,
 * cancelled, expired…), so cached summaries see the change.
 */
export function bumpAvailabilityVersion(op: Deno.AtomicOperation, psychologistId: string): Deno.AtomicOperation {
  return op.sum(K.availabilityVersionKey(psychologistId), 1n);
}

/** Options of {@link loadSlotInput}. */
export interface LoadOptions {
  /** Leave this booking's own cells out of `busy` (reschedule). */
  ignoreBookingId?: string;
  /** Settings already read (skips the KV read). */
  settings?: SlotSettings;
}

/**
 * Everything `freeSlots` needs for slots of `service` starting in
 * `[fromMs, toMs)`: the psychologist's settings and the busy intervals that
 * can touch such slots (read from the cells; expired holds do not count).
 * The window is clamped to now + notice … now + horizon first.
 */
export async function loadSlotInput(
  psychologistId: string,
  service: Pick<Service, "durationMinutes">,
  nowMs: number,
  fromMs: number,
  toMs: number,
  opts: LoadOptions = {},
): Promise<SlotInput> {
  const settings = opts.settings ?? await getAvailability(psychologistId, nowMs);
  const horizon = Math.min(settings.horizonDays, AVAILABILITY_DEFAULTS.maxHorizonDays);
  const from = Math.max(fromMs, nowMs + settings.minimumNoticeMinutes * MINUTE);
  const to = Math.min(toMs, nowMs + horizon * DAY);
  let busy: Interval[] = [];
  if (to > from) {
    busy = await readBusy(
      psychologistId,
      from - settings.bufferBeforeMinutes * MINUTE,
      to + (service.durationMinutes + settings.bufferAfterMinutes) * MINUTE,
      nowMs,
      { ignoreBookingId: opts.ignoreBookingId },
    );
  }
  return { settings, durationMinutes: service.durationMinutes, busy, nowMs, fromMs, toMs };
}

/**
 * The booking path's one check (and the reschedule's): true when `startsAtMs`
 * is a free slot of `service` for `psychologist` now — bookable (verified,
 * active), the service one of theirs, and the start offered by the same
 * `freeSlots` the calendar shows (minimum notice, horizon, working ranges,
 * buffers, busy cells; calcom #14465). The cells' `check(null)` in the booking
 * commit still decides races.
 * @param opts.ignoreBookingId a reschedule's own booking, whose cells do not block it
 */
export async function checkBookableStart(
  psychologist: Psychologist,
  service: Service,
  startsAtMs: number,
  nowMs: number,
  opts: { ignoreBookingId?: string } = {},
): Promise<boolean> {
  if (!isBookable(psychologist) || !Number.isFinite(startsAtMs)) return false;
  if (!psychologist.services.some((s) => s.id === service.id && s.durationMinutes === service.durationMinutes)) {
    return false;
  }
  const input = await loadSlotInput(psychologist.id, service, nowMs, startsAtMs, startsAtMs + 1, opts);
  return isBookableStart(input, startsAtMs);
}

/**
 * The next free slots of `service` from now on (epoch ms, sorted): at most
 * `limit` (default 6, ≤ 200) within `days` (default: the horizon). `[]` for a
 * psychologist who is not bookable.
 */
export async function nextFreeSlots(
  psychologist: Psychologist,
  service: Pick<Service, "durationMinutes">,
  nowMs: number,
  opts: { limit?: number; days?: number } = {},
): Promise<Slot[]> {
  if (!isBookable(psychologist)) return [];
  const limit = Math.min(Math.max(opts.limit ?? 6, 1), 200);
  const days = Math.min(
    Math.max(opts.days ?? AVAILABILITY_DEFAULTS.maxHorizonDays, 1),
    AVAILABILITY_DEFAULTS.maxHorizonDays,
  );
  const input = await loadSlotInput(psychologist.id, service, nowMs, nowMs, nowMs + days * DAY);
  return freeSlots(input).slice(0, limit);
}

// ---------------------------------------------------------------- directory summary

/** What the directory needs of one psychologist's availability. */
export interface AvailabilitySummary {
  /** Earliest free slot start of any of their services (epoch ms), or null. */
  nextFreeAt: number | null;
  /** Local dates (`config.timeZone`) with at least one free slot within the horizon. */
  freeDates: Set<string>;
}

interface CachedSummary {
  /** Versionstamps of the profile, the settings and the version counter it was computed from. */
  stamp: string;
  computedAt: number;
  timeZone: string;
  summary: AvailabilitySummary;
}

/** How long a cached summary is trusted without a version change (slots also drop out as time passes). */
export const SUMMARY_MAX_AGE_MS = 2 * 60_000;
const summaryCache = new Map<string, CachedSummary>();
const MAX_CACHED_SUMMARIES = 20_000;

/** Forgets every cached summary (tests, benchmarks). */
export function clearSummaryCache(): void {
  summaryCache.clear();
}

const EMPTY: AvailabilitySummary = Object.freeze({ nextFreeAt: null, freeDates: new Set<string>() });

/** Computes one summary: every distinct service duration over the horizon. */
async function computeSummary(p: Psychologist, settings: Availability, nowMs: number): Promise<AvailabilitySummary> {
  if (!isBookable(p) || p.services.length === 0) return EMPTY;
  const durations = [...new Set(p.services.map((s) => s.durationMinutes))];
  const longest = Math.max(...durations);
  const base = await loadSlotInput(p.id, { durationMinutes: longest }, nowMs, nowMs, nowMs + 366 * DAY, { settings });
  const freeDates = new Set<string>();
  let nextFreeAt: number | null = null;
  const tz = config.timeZone;
  for (const d of durations) {
    let lastDay = "";
    for (const s of freeSlots({ ...base, durationMinutes: d })) {
      if (nextFreeAt === null || s.startsAt < nextFreeAt) nextFreeAt = s.startsAt;
      const day = localDateOfMs(tz, s.startsAt);
      if (day !== lastDay) freeDates.add(day), lastDay = day;
    }
  }
  return { nextFreeAt, freeDates };
}

/**
 * For each id, when its psychologist is next free and on which local dates
 * (`config.timeZone`) they have a free slot — the directory's "available on
 * date" filter and "soonest free slot" sort. Not bookable or unknown ids map
 * to `{nextFreeAt: null, freeDates: ∅}`.
 *
 * Cached per process: an entry is reused while the versionstamps of the
 * profile, the settings and the availability version (bumped by every
 * booking commit) are unchanged and it is younger than
 * {@link SUMMARY_MAX_AGE_MS}. Each call reads those three keys per id
 * (`getMany`, 9 keys a call) and recomputes only what changed.
 * The returned sets are shared with the cache: do not mutate them.
 */
export async function availabilitySummary(
  psychologistIds: readonly string[],
  nowMs: number = Date.now(),
): Promise<Map<string, AvailabilitySummary>> {
  const kv = await getKv();
  const ids = [...new Set(psychologistIds)];
  const out = new Map<string, AvailabilitySummary>();
  const groups: string[][] = [];
  for (let i = 0; i < ids.length; i += 3) groups.push(ids.slice(i, i + 3));
  const work = async (group: string[]) => {
    const keys = group.flatMap((id) => [psychologistKey(id), K.availabilityKey(id), K.availabilityVersionKey(id)]);
    const entries = await kv.getMany(keys);
    for (let j = 0; j < group.length; j++) {
      const id = group[j];
      const [pe, ae, ve] = entries.slice(j * 3, j * 3 + 3);
      const p = pe.value as Psychologist | null;
      if (!p) {
        out.set(id, EMPTY);
        continue;
      }
      const stamp = `${pe.versionstamp}|${ae.versionstamp}|${ve.versionstamp}`;
      const hit = summaryCache.get(id);
      if (
        hit && hit.stamp === stamp && hit.timeZone === config.timeZone && nowMs - hit.computedAt < SUMMARY_MAX_AGE_MS &&
        nowMs >= hit.computedAt
      ) {
        out.set(id, hit.summary);
        continue;
      }
      const settings = ae.value ? pruned(ae.value as Availability, nowMs) : defaultAvailability(id);
      const summary = await computeSummary(p, settings, nowMs);
      if (summaryCache.size >= MAX_CACHED_SUMMARIES) summaryCache.clear();
      summaryCache.set(id, { stamp, computedAt: nowMs, timeZone: config.timeZone, summary });
      out.set(id, summary);
    }
  };
  const CONCURRENCY = 16;
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, groups.length) }, async () => {
    while (next < groups.length) await work(groups[next++]);
  }));
  return out;
}
