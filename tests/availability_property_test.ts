/**
 * Properties of the one slot function (fast-check via tests/fuzz.ts) across
 * Asia/Jakarta, Europe/Berlin, America/New_York (DST) and Asia/Kolkata (+05:30),
 * with random settings, busy intervals and "now" around the 2026 DST changes.
 * Every slot is checked in local time with Temporal independently of the
 * implementation's offset cache.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { freeSlots, isBookableStart, type Slot, type SlotInput, type SlotSettings } from "@/lib/availability/slots.ts";
import type { LocalRange } from "@/lib/availability/model.ts";
import { fuzz } from "./fuzz.ts";

const MIN = 60_000;
const DAY = 86_400_000;
const ZONES = ["Asia/Jakarta", "Europe/Berlin", "America/New_York", "Asia/Kolkata"] as const;
/** 2026 DST changes of Berlin and New York (and ordinary days for the others). */
const ANCHORS = [
  Date.parse("2026-03-08T07:00:00Z"),
  Date.parse("2026-03-29T01:00:00Z"),
  Date.parse("2026-10-25T01:00:00Z"),
  Date.parse("2026-11-01T06:00:00Z"),
  Date.parse("2026-06-15T12:00:00Z"),
];

const hhmm = (units: number) =>
  units === 288
    ? "24:00"
    : `${String(Math.floor(units / 12)).padStart(2, "0")}:${String((units % 12) * 5).padStart(2, "0")}`;

/** Up to 3 non-overlapping ranges of one day on the 5-minute grid. */
const dayRanges: fc.Arbitrary<LocalRange[]> = fc.uniqueArray(fc.integer({ min: 0, max: 288 }), {
  minLength: 0,
  maxLength: 6,
}).map((cuts) => {
  const c = [...cuts].sort((a, b) => a - b);
  const out: LocalRange[] = [];
  for (let i = 0; i + 1 < c.length; i += 2) out.push({ start: hhmm(c[i]), end: hhmm(c[i + 1]) });
  return out;
});

const five = (max: number) => fc.integer({ min: 0, max: max / 5 }).map((n) => n * 5);

const scenario = fc.record({
  tz: fc.constantFrom(...ZONES),
  anchor: fc.constantFrom(...ANCHORS),
  nowShiftMin: fc.integer({ min: -10 * 1440, max: 2 * 1440 }),
  nowJitterMs: fc.integer({ min: 0, max: 59_999 }),
  weekly: fc.array(dayRanges, { minLength: 7, maxLength: 7 }),
  overrides: fc.array(fc.tuple(fc.integer({ min: -2, max: 20 }), dayRanges), { maxLength: 4 }),
  before: five(60),
  after: five(60),
  notice: five(600),
  horizonDays: fc.integer({ min: 1, max: 21 }),
  interval: fc.option(fc.integer({ min: 1, max: 24 }).map((n) => n * 5), { nil: null }),
  duration: fc.integer({ min: 3, max: 48 }).map((n) => n * 5),
  busy: fc.array(fc.tuple(fc.integer({ min: -300, max: 6_000 }), fc.integer({ min: 1, max: 40 })), { maxLength: 12 }),
  fromShiftMin: fc.integer({ min: -1440, max: 10 * 1440 }),
  spanMin: fc.integer({ min: 0, max: 25 * 1440 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario): SlotInput {
  const nowMs = s.anchor + s.nowShiftMin * MIN + s.nowJitterMs;
  const today = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(s.tz).toPlainDate();
  const settings: SlotSettings = {
    timeZone: s.tz,
    weekly: Object.fromEntries(s.weekly.map((r, i) => [String(i + 1), r])),
    overrides: Object.fromEntries(s.overrides.map(([d, r]) => [today.add({ days: d }).toString(), r])),
    bufferBeforeMinutes: s.before,
    bufferAfterMinutes: s.after,
    minimumNoticeMinutes: s.notice,
    horizonDays: s.horizonDays,
    slotIntervalMinutes: s.interval,
  };
  const cell = 5 * MIN;
  const base = Math.floor(nowMs / cell) * cell;
  const busy = s.busy.map(([at, len]) => ({ start: base + at * cell, end: base + (at + len) * cell }));
  const fromMs = nowMs + s.fromShiftMin * MIN;
  return { settings, durationMinutes: s.duration, busy, nowMs, fromMs, toMs: fromMs + s.spanMin * MIN };
}

const minutes = (r: string) => Number(r.slice(0, 2)) * 60 + Number(r.slice(3, 5));

function rangesOn(settings: SlotSettings, date: Temporal.PlainDate): LocalRange[] {
  const key = date.toString();
  if (Object.hasOwn(settings.overrides, key)) return settings.overrides[key];
  return settings.weekly[String(date.dayOfWeek) as "1"] ?? [];
}

/**
 * The range of its local date a slot lies in, checked in local time (null = none):
 * every instant of `[startsAt, endsAt)` must read a wall time of that date inside the
 * range. Wall time is monotonic between transitions, so it suffices to check the
 * start, the last millisecond, and both sides of each transition inside the slot.
 */
function containingRange(input: SlotInput, slot: Slot): LocalRange | null {
  const tz = input.settings.timeZone;
  const zdt = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz);
  const date = zdt(slot.startsAt).toPlainDate();
  const points = [slot.startsAt, slot.endsAt - 1];
  let tr = zdt(slot.startsAt).getTimeZoneTransition("next");
  while (tr && tr.epochMilliseconds < slot.endsAt) {
    points.push(tr.epochMilliseconds - 1, tr.epochMilliseconds);
    tr = tr.getTimeZoneTransition("next");
  }
  const walls = points.map(zdt);
  if (!walls.every((w) => w.toPlainDate().equals(date))) return null;
  const mins = walls.map((w) => w.hour * 60 + w.minute + (w.second > 0 || w.millisecond > 0 ? 0.5 : 0));
  return rangesOn(input.settings, date).find((r) => mins.every((m) => minutes(r.start) <= m && m < minutes(r.end))) ??
    null;
}

/** True when the zone's offset is the same all over the local day of `ms` (and a day either side). */
function quietDay(tz: string, ms: number): boolean {
  const offs = [-1.5, -1, -0.5, 0, 0.5, 1, 1.5].map((d) =>
    Temporal.Instant.fromEpochMilliseconds(ms + d * DAY).toZonedDateTimeISO(tz).offsetNanoseconds
  );
  return offs.every((o) => o === offs[0]);
}

Deno.test("slot properties: in a working range (local time), free of busy ± buffers, notice, horizon, grid, bookable ⇔ listed", (t) => {
  fuzz(
    t,
    fc.property(scenario, fc.array(fc.integer({ min: -60, max: 30 * 288 }), { maxLength: 20 }), (s, probes) => {
      const input = build(s);
      const slots = freeSlots(input);
      const { settings, nowMs } = input;
      const dur = input.durationMinutes * MIN;
      const step = (settings.slotIntervalMinutes ?? input.durationMinutes) * MIN;
      for (let i = 0; i < slots.length; i++) {
        const sl = slots[i];
        if (i > 0) assert.ok(sl.startsAt > slots[i - 1].startsAt, "sorted, no duplicates");
        assert.equal(sl.endsAt - sl.startsAt, dur);
        assert.ok(sl.startsAt >= nowMs + settings.minimumNoticeMinutes * MIN, "minimum notice");
        assert.ok(sl.startsAt < nowMs + settings.horizonDays * DAY, "horizon");
        assert.ok(sl.startsAt >= input.fromMs && sl.startsAt < input.toMs, "window");
        const lo = sl.startsAt - settings.bufferBeforeMinutes * MIN;
        const hi = sl.endsAt + settings.bufferAfterMinutes * MIN;
        for (const b of input.busy) assert.ok(!(b.start < hi && lo < b.end), "overlaps busy ± buffers");
        const r = containingRange(input, sl);
        assert.ok(r, `slot ${new Date(sl.startsAt).toISOString()} outside every working range in ${settings.timeZone}`);
        // On the grid of its range: the range start + k × step (checked where the day has one offset).
        if (quietDay(settings.timeZone, sl.startsAt)) {
          const z = Temporal.Instant.fromEpochMilliseconds(sl.startsAt).toZonedDateTimeISO(settings.timeZone);
          const sinceStart = (z.hour * 60 + z.minute - minutes(r.start)) * MIN;
          assert.equal(sinceStart % step, 0, "on the interval grid");
        }
      }
      // The booking check agrees with the list (calcom #14465), for listed starts and probes.
      const listed = new Set(slots.map((x) => x.startsAt));
      const inWindow = (t: number) => t >= input.fromMs && t < input.toMs;
      const base = Math.floor(nowMs / (5 * MIN)) * 5 * MIN;
      const candidates = [...slots.map((x) => x.startsAt), ...probes.map((p) => base + p * 5 * MIN)];
      for (const c of candidates) {
        if (!inWindow(c)) continue;
        assert.equal(isBookableStart(input, c), listed.has(c), `isBookableStart(${new Date(c).toISOString()})`);
      }
      // Completeness where the day has one offset: every free aligned start of a range is listed.
      const win = { ...input, fromMs: nowMs - 2 * DAY, toMs: nowMs + 30 * DAY };
      const all = new Set(freeSlots(win).map((x) => x.startsAt));
      const today = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(settings.timeZone).toPlainDate();
      for (let d = 0; d <= Math.min(settings.horizonDays, 21); d++) {
        const date = today.add({ days: d });
        const midnight = date.toZonedDateTime(settings.timeZone).epochMilliseconds;
        if (!quietDay(settings.timeZone, midnight + DAY / 2)) continue;
        for (const r of rangesOn(settings, date)) {
          const rs = midnight + minutes(r.start) * MIN;
          const re = midnight + minutes(r.end) * MIN;
          for (let t = rs; t + dur <= re; t += step) {
            const ok = t >= nowMs + settings.minimumNoticeMinutes * MIN && t < nowMs + settings.horizonDays * DAY &&
              !input.busy.some((b) =>
                b.start < t + dur + settings.bufferAfterMinutes * MIN && t - settings.bufferBeforeMinutes * MIN < b.end
              );
            assert.equal(all.has(t), ok, `complete at ${new Date(t).toISOString()}`);
          }
        }
      }
    }),
    { numRuns: 150 },
  );
});

Deno.test("slot property: a window's slots are the full list's slots inside that window", (t) => {
  fuzz(
    t,
    fc.property(scenario, (s) => {
      const input = build(s);
      const full = freeSlots({ ...input, fromMs: input.nowMs - DAY, toMs: input.nowMs + 400 * DAY });
      const part = freeSlots(input);
      assert.deepEqual(part, full.filter((x) => x.startsAt >= input.fromMs && x.startsAt < input.toMs));
    }),
    { numRuns: 100 },
  );
});

Deno.test("slot property: maxCount gives the full list's first maxCount slots", (t) => {
  fuzz(
    t,
    fc.property(scenario, fc.integer({ min: 1, max: 40 }), (s, maxCount) => {
      const input = build(s);
      const full = freeSlots(input);
      assert.deepEqual(freeSlots({ ...input, maxCount }), full.slice(0, maxCount));
    }),
    { numRuns: 150 },
  );
  // A year of 5-minute slots, 24 h a day (the review's case).
  const always = Array.from({ length: 7 }, () => [{ start: "00:00", end: "24:00" }]);
  const year: SlotInput = {
    settings: {
      timeZone: "Asia/Jakarta",
      weekly: Object.fromEntries(always.map((r, i) => [String(i + 1), r])),
      overrides: {},
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minimumNoticeMinutes: 0,
      horizonDays: 365,
      slotIntervalMinutes: 5,
    },
    durationMinutes: 60,
    busy: [],
    nowMs: ANCHORS[4],
    fromMs: ANCHORS[4],
    toMs: ANCHORS[4] + 365 * DAY,
  };
  const first = freeSlots({ ...year, maxCount: 10 });
  assert.equal(first.length, 10);
  assert.deepEqual(first, freeSlots(year).slice(0, 10));
  assert.throws(() => freeSlots({ ...year, maxCount: 0 }), RangeError);
});
