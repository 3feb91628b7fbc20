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
import { directoryVersionKey, psychologistKey } from "@/lib/psychologists/keys.ts";
import {
  type Availability,
  AVAILABILITY_DEFAULTS,
  type AvailabilityInput,
  availabilityInputSchema,
  type LocalRange,
  WEEKDAYS,
} from "./model.ts";
import {
  freeSlots,
  isBookableStart,
  localDateOfMs,
  localDayOf,
  type Slot,
  type SlotInput,
  type SlotSettings,
} from "./slots.ts";
import * as K from "./keys.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How long change-log entries are kept. */
const CHANGE_LOG_TTL_MS = 60 * 60_000;
/** Commits land a little after the time their log entry carries: the summary re-reads the log this far back. */
const CHANGE_LOG_MARGIN_MS = 60_000;

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
  // Blind writes: concurrent commits never conflict on the counter or the log.
  return op.sum(K.availabilityVersionKey(psychologistId), 1n)
    .set(K.availabilityChangeKey(Date.now(), psychologistId), psychologistId, { expireIn: CHANGE_LOG_TTL_MS });
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
  return freeSlots({ ...input, maxCount: limit });
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
  computedAt: number;
  /** Versionstamp of the psychologist's version counter, read before the cells the entry was computed from. */
  version: string | null;
  /** Versionstamp of the profile it was computed from. */
  profile: string | null;
  expiresAt: number;
  timeZone: string;
  noticeMs: number;
  /** Every free slot start of any service within the horizon at `computedAt`, sorted, unique. */
  starts: number[];
  /** Local date (`timeZone`) of each start. */
  dates: string[];
  /** The summary last derived, and the index of the first start it counted. */
  view: { from: number; summary: AvailabilitySummary } | null;
}

/**
 * A cached summary is recomputed at the latest after this long (plus up to a
 * third more, spread per entry so recomputations do not come all at once):
 * only days entering at the horizon's end are missed meanwhile, since free
 * starts that pass "now + notice" are dropped at every call.
 */
export const SUMMARY_MAX_AGE_MS = 15 * 60_000;
const summaryCache = new Map<string, CachedSummary>();
const MAX_CACHED_SUMMARIES = 20_000;
/** What the cache has seen: the directory version, and the real time up to which the change log was read. */
const seen: { directory: string | null; logUntil: number | null; kv: Deno.Kv | null } = {
  directory: null,
  logUntil: null,
  kv: null,
};

/**
 * Summaries being computed now, per psychologist id (single-flight): a caller
 * that needs an id another call is already computing awaits that computation
 * instead of starting its own, so N concurrent directory requests after a
 * change compute each psychologist once (docs/domain-rules.md "Availability").
 * Resolves to null for an unknown id.
 */
const inFlight = new Map<string, Promise<CachedSummary | null>>();

/**
 * How many per-psychologist summaries this process has computed (each one a
 * year of slots of every service): lets tests and benchmarks see that
 * concurrent callers share one computation. Only ever incremented.
 */
export const summaryStats = { computations: 0 };

/** Forgets every cached summary (tests, benchmarks). */
export function clearSummaryCache(): void {
  summaryCache.clear();
  inFlight.clear();
  seen.directory = seen.logUntil = seen.kv = null;
}

const EMPTY: AvailabilitySummary = Object.freeze({ nextFreeAt: null, freeDates: new Set<string>() });

/** The free starts (any service) over the horizon, with their local dates in `timeZone`. */
async function computeStarts(
  p: Psychologist,
  settings: Availability,
  nowMs: number,
  timeZone: string,
): Promise<{ starts: number[]; dates: string[] }> {
  if (!isBookable(p) || p.services.length === 0) return { starts: [], dates: [] };
  const durations = [...new Set(p.services.map((s) => s.durationMinutes))];
  const longest = Math.max(...durations);
  const base = await loadSlotInput(p.id, { durationMinutes: longest }, nowMs, nowMs, nowMs + 366 * DAY, { settings });
  const all = new Set<number>();
  for (const d of durations) for (const s of freeSlots({ ...base, durationMinutes: d })) all.add(s.startsAt);
  const starts = [...all].sort((a, b) => a - b);
  const dates: string[] = [];
  let day = { date: "", end: -Infinity };
  for (const t of starts) {
    if (t >= day.end) day = localDayOf(timeZone, t);
    dates.push(day.date);
  }
  return { starts, dates };
}

/** The summary of a cached entry at `nowMs`: starts before now + notice no longer count. */
function viewOf(e: CachedSummary, nowMs: number): AvailabilitySummary {
  const eff = nowMs + e.noticeMs;
  let lo = 0, hi = e.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (e.starts[mid] < eff) lo = mid + 1;
    else hi = mid;
  }
  if (lo === e.starts.length) return EMPTY;
  // Dates only drop off the front: the set is unchanged while the first counted date is.
  if (e.view && e.dates[e.view.from] === e.dates[lo]) {
    if (e.view.from !== lo) {
      e.view = { from: lo, summary: { nextFreeAt: e.starts[lo], freeDates: e.view.summary.freeDates } };
    }
    return e.view.summary;
  }
  const summary = { nextFreeAt: e.starts[lo], freeDates: new Set(e.dates.slice(lo)) };
  e.view = { from: lo, summary };
  return summary;
}

/**
 * Drops the cached entries that may be stale: those the change log names
 * since the last look whose version moved, those whose profile changed (when
 * the psychologists' directory version moved), or all of them when the log
 * cannot tell (first call, another KV, the last look older than the log keeps).
 */
async function invalidateChanged(kv: Deno.Kv): Promise<void> {
  const realNow = Date.now();
  const dir = (await kv.get(directoryVersionKey())).versionstamp;
  const lookFrom = seen.logUntil === null ? null : seen.logUntil - CHANGE_LOG_MARGIN_MS;
  if (seen.kv !== kv || lookFrom === null || realNow - lookFrom > CHANGE_LOG_TTL_MS - MINUTE) {
    summaryCache.clear();
  } else {
    // A profile changed somewhere (services, verification, deactivation): re-check every cached profile's stamp.
    if (dir !== seen.directory) await dropWhereChanged([...summaryCache.keys()], psychologistKey, "profile");
    // Entries computed after a logged change include it: their version stamp already is the new one.
    const named = new Set<string>();
    for await (const e of kv.list<string>(K.availabilityChangesSince(lookFrom))) {
      if (summaryCache.has(e.value)) named.add(e.value);
    }
    await dropWhereChanged([...named], K.availabilityVersionKey, "version");
  }
  seen.kv = kv;
  seen.directory = dir;
  seen.logUntil = realNow;

  async function dropWhereChanged(ids: string[], key: (id: string) => Deno.KvKey, field: "profile" | "version") {
    for (let i = 0; i < ids.length; i += 10) {
      const group = ids.slice(i, i + 10);
      const stamps = await kv.getMany(group.map(key));
      group.forEach((id, j) => {
        if (summaryCache.get(id)?.[field] !== stamps[j].versionstamp) summaryCache.delete(id);
      });
    }
  }
}

/**
 * For each id, when its psychologist is next free and on which local dates
 * (`config.timeZone`) they have a free slot — the directory's "available on
 * date" filter and "soonest free slot" sort. Not bookable or unknown ids map
 * to `{nextFreeAt: null, freeDates: ∅}`.
 *
 * Cached per process, as the free starts of each psychologist (so slots that
 * pass now + notice drop out at every call without recomputing). Each call
 * reads the change log written by {@link bumpAvailabilityVersion} (every
 * settings save and booking commit) since its last call and recomputes only
 * the psychologists named there, those not cached yet, and entries older than
 * {@link SUMMARY_MAX_AGE_MS}; when a profile changed (the psychologists'
 * directory version moved) every cached profile's versionstamp is re-checked
 * and only the changed ones are recomputed. An unpaid hold that expires without a commit is
 * seen at the entry's next recomputation; booking itself always re-checks.
 * Concurrent calls share the computation of an id (single-flight, see
 * `inFlight`): a caller arriving while another computes it awaits that result;
 * a change committed meanwhile is seen at the next call (the entry keeps the
 * version read before its inputs).
 * The returned sets are shared with the cache: do not mutate them.
 */
export async function availabilitySummary(
  psychologistIds: readonly string[],
  nowMs: number = Date.now(),
): Promise<Map<string, AvailabilitySummary>> {
  const kv = await getKv();
  const tz = config.timeZone;
  await invalidateChanged(kv);
  const ids = [...new Set(psychologistIds)];
  const out = new Map<string, AvailabilitySummary>();
  const toLoad: string[] = [];
  for (const id of ids) {
    const e = summaryCache.get(id);
    if (e && e.timeZone === tz && nowMs >= e.computedAt && nowMs < e.expiresAt) out.set(id, viewOf(e, nowMs));
    else toLoad.push(id);
  }
  const mine = toLoad.filter((id) => !inFlight.has(id));
  const waits = new Map(toLoad.map((id) => [id, inFlight.get(id)]));
  if (mine.length) {
    // Registered before the first await, so concurrent callers find them.
    const resolvers = new Map(mine.map((id) => [id, Promise.withResolvers<CachedSummary | null>()]));
    for (const [id, r] of resolvers) {
      inFlight.set(id, r.promise);
      waits.set(id, r.promise);
      r.promise.catch(() => {}); // a failure is reported to every awaiting caller, never unhandled
    }
    const settle = (id: string, e: CachedSummary | null) => {
      resolvers.get(id)!.resolve(e);
      if (inFlight.get(id) === resolvers.get(id)!.promise) inFlight.delete(id);
    };
    try {
      await computeSummaries(kv, mine, nowMs, tz, settle);
    } catch (err) {
      for (const [id, r] of resolvers) {
        r.reject(err);
        if (inFlight.get(id) === r.promise) inFlight.delete(id);
      }
    }
  }
  for (const [id, wait] of waits) {
    const e = await wait!;
    out.set(id, e ? viewOf(e, Math.max(nowMs, e.computedAt)) : EMPTY);
  }
  return out;
}

/** Computes and caches the summaries of `ids`, handing each to `settle` (null: no such psychologist). */
async function computeSummaries(
  kv: Deno.Kv,
  ids: string[],
  nowMs: number,
  tz: string,
  settle: (id: string, e: CachedSummary | null) => void,
): Promise<void> {
  for (let i = 0; i < ids.length; i += 3) {
    const group = ids.slice(i, i + 3);
    const entries = await kv.getMany(
      group.flatMap((id) => [psychologistKey(id), K.availabilityKey(id), K.availabilityVersionKey(id)]),
    );
    for (let j = 0; j < group.length; j++) {
      const id = group[j];
      const p = entries[j * 3].value as Psychologist | null;
      const a = entries[j * 3 + 1].value as Availability | null;
      if (!p) {
        summaryCache.delete(id);
        settle(id, null);
        continue;
      }
      const settings = a ? pruned(a, nowMs) : defaultAvailability(id);
      summaryStats.computations++;
      const { starts, dates } = await computeStarts(p, settings, nowMs, tz);
      if (summaryCache.size >= MAX_CACHED_SUMMARIES) summaryCache.clear();
      const e: CachedSummary = {
        computedAt: nowMs,
        version: entries[j * 3 + 2].versionstamp,
        profile: entries[j * 3].versionstamp,
        expiresAt: nowMs + SUMMARY_MAX_AGE_MS + Math.floor(Math.random() * SUMMARY_MAX_AGE_MS / 3),
        timeZone: tz,
        noticeMs: settings.minimumNoticeMinutes * MINUTE,
        starts,
        dates,
        view: null,
      };
      summaryCache.set(id, e);
      settle(id, e);
    }
  }
}
