/**
 * The pure slot function: worked examples and the DST cases Cal.com got wrong
 * (calcom #2102, #10517, #30021), and the booking check (calcom #14465).
 */
import assert from "node:assert/strict";
import { freeSlots, isBookableStart, rangeInterval, type SlotSettings } from "@/lib/availability/slots.ts";

const H = 3_600_000;
const M = 60_000;

function settings(over: Partial<SlotSettings> = {}): SlotSettings {
  return {
    timeZone: "Asia/Jakarta",
    weekly: { "1": [{ start: "09:00", end: "12:00" }], "2": [], "3": [], "4": [], "5": [], "6": [], "7": [] },
    overrides: {},
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    horizonDays: 30,
    slotIntervalMinutes: null,
    ...over,
  };
}

/** Epoch ms of a wall time in a zone (Temporal, "compatible"). */
function at(s: string, tz: string): number {
  return Temporal.PlainDateTime.from(s).toZonedDateTime(tz).epochMilliseconds;
}

function local(ms: number, tz: string): string {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz).toPlainDateTime().toString().slice(0, 16);
}

const iso = (ms: number) => new Date(ms).toISOString();

Deno.test("a Monday 09–12 in Jakarta gives three hour slots at the Jakarta offset", () => {
  const now = Date.parse("2026-11-29T00:00:00Z"); // Sunday
  const slots = freeSlots({
    settings: settings(),
    durationMinutes: 60,
    busy: [],
    nowMs: now,
    fromMs: now,
    toMs: now + 2 * 24 * H,
  });
  assert.deepEqual(slots.map((s) => iso(s.startsAt)), [
    "2026-11-30T02:00:00.000Z",
    "2026-11-30T03:00:00.000Z",
    "2026-11-30T04:00:00.000Z",
  ]);
  assert.ok(slots.every((s) => s.endsAt - s.startsAt === 60 * M));
});

Deno.test("interval, notice, horizon, buffers and busy cells", () => {
  const now = at("2026-11-30T08:00", "Asia/Jakarta");
  const base = { durationMinutes: 45, nowMs: now, fromMs: now, toMs: now + 60 * 24 * H };
  // 30-minute interval: 09:00, 09:30, …, 11:00 (11:15 would end 12:00 but is not on the grid).
  const s1 = freeSlots({ ...base, settings: settings({ slotIntervalMinutes: 30, horizonDays: 1 }), busy: [] });
  assert.deepEqual(s1.map((s) => local(s.startsAt, "Asia/Jakarta")), [
    "2026-11-30T09:00",
    "2026-11-30T09:30",
    "2026-11-30T10:00",
    "2026-11-30T10:30",
    "2026-11-30T11:00",
  ]);
  // Notice of 2 h from 08:00: nothing before 10:00.
  const s2 = freeSlots({
    ...base,
    settings: settings({ slotIntervalMinutes: 30, horizonDays: 1, minimumNoticeMinutes: 120 }),
    busy: [],
  });
  assert.equal(local(s2[0].startsAt, "Asia/Jakarta"), "2026-11-30T10:00");
  // Horizon of 7 days: next Monday (7 days after now + 1 h) is out; with 8 days it is in.
  const mondays = (days: number) =>
    new Set(
      freeSlots({ ...base, settings: settings({ horizonDays: days }), busy: [] })
        .map((s) => local(s.startsAt, "Asia/Jakarta").slice(0, 10)),
    );
  assert.deepEqual([...mondays(7)], ["2026-11-30"]);
  assert.deepEqual([...mondays(8)], ["2026-11-30", "2026-12-07"]);
  // A booking 10:00–10:45 with its 15-min after-buffer (busy 10:00–11:00); our buffers 15/15.
  const busy = [{ start: at("2026-11-30T10:00", "Asia/Jakarta"), end: at("2026-11-30T11:00", "Asia/Jakarta") }];
  const s3 = freeSlots({
    ...base,
    settings: settings({ slotIntervalMinutes: 15, horizonDays: 1, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 }),
    busy,
  });
  // 09:00 widened = 08:45–10:00 fits; 09:15 widened = 09:00–10:15 hits; after: 11:15 widened 11:00–12:15 fits.
  assert.deepEqual(s3.map((s) => local(s.startsAt, "Asia/Jakarta")), ["2026-11-30T09:00", "2026-11-30T11:15"]);
});

Deno.test("an override replaces the weekday; an empty override is a day off", () => {
  const now = at("2026-11-29T00:00", "Asia/Jakarta");
  const run = (overrides: SlotSettings["overrides"]) =>
    freeSlots({
      settings: settings({ overrides, horizonDays: 3 }),
      durationMinutes: 60,
      busy: [],
      nowMs: now,
      fromMs: now,
      toMs: now + 3 * 24 * H,
    }).map((s) => local(s.startsAt, "Asia/Jakarta"));
  assert.deepEqual(run({ "2026-11-30": [] }), []);
  assert.deepEqual(
    run({ "2026-11-30": [{ start: "19:00", end: "21:00" }], "2026-12-01": [{ start: "08:00", end: "09:00" }] }),
    [
      "2026-11-30T19:00",
      "2026-11-30T20:00",
      "2026-12-01T08:00",
    ],
  );
});

Deno.test("DST (calcom #2102, #10517): 09:00 stays 09:00 local on both sides of a change, Berlin and New York", () => {
  for (
    const [tz, before, after] of [
      ["Europe/Berlin", "2026-03-23", "2026-03-30"], // CET → CEST on 29 March 2026
      ["Europe/Berlin", "2026-10-19", "2026-10-26"], // CEST → CET on 25 October 2026
      ["America/New_York", "2026-03-02", "2026-03-09"], // EST → EDT on 8 March 2026
      ["America/New_York", "2026-10-26", "2026-11-02"], // EDT → EST on 1 November 2026
    ] as const
  ) {
    const now = at(`${before}T00:00`, tz) - 24 * H;
    const slots = freeSlots({
      settings: settings({ timeZone: tz }),
      durationMinutes: 60,
      busy: [],
      nowMs: now,
      fromMs: now,
      toMs: now + 10 * 24 * H,
    });
    assert.deepEqual(slots.map((s) => local(s.startsAt, tz)), [
      `${before}T09:00`,
      `${before}T10:00`,
      `${before}T11:00`,
      `${after}T09:00`,
      `${after}T10:00`,
      `${after}T11:00`,
    ], tz);
  }
});

Deno.test("DST (calcom #30021): a range across the change holds its real hours; the skipped hour is never offered", () => {
  const tz = "Europe/Berlin";
  // Sunday 29 March 2026: 02:00 CET jumps to 03:00 CEST. Range 00:00–05:00 = 4 real hours.
  const spring = { "7": [{ start: "00:00", end: "05:00" }] };
  const now = at("2026-03-28T00:00", tz);
  const s1 = freeSlots({
    settings: settings({ timeZone: tz, weekly: spring }),
    durationMinutes: 60,
    busy: [],
    nowMs: now,
    fromMs: now,
    toMs: now + 3 * 24 * H,
  });
  assert.deepEqual(s1.map((s) => local(s.startsAt, tz)), [
    "2026-03-29T00:00",
    "2026-03-29T01:00",
    "2026-03-29T03:00",
    "2026-03-29T04:00",
  ]);
  // A range that starts inside the gap starts at the jump (03:00 CEST).
  const iv = rangeInterval(tz, Date.UTC(2026, 2, 29) / 86_400_000, { start: "02:30", end: "04:00" })!;
  assert.equal(local(iv.start, tz), "2026-03-29T03:00");
  assert.equal(iv.end - iv.start, 1 * H);
  // Entirely inside the gap: empty.
  assert.equal(rangeInterval(tz, Date.UTC(2026, 2, 29) / 86_400_000, { start: "02:00", end: "02:55" }), null);
  // Sunday 25 October 2026: 03:00 CEST falls back to 02:00 CET. Range 00:00–05:00 = 6 real hours.
  const s2 = freeSlots({
    settings: settings({ timeZone: tz, weekly: spring }),
    durationMinutes: 60,
    busy: [],
    nowMs: at("2026-10-24T00:00", tz),
    fromMs: at("2026-10-24T00:00", tz),
    toMs: at("2026-10-27T00:00", tz),
  });
  assert.equal(s2.length, 6);
  assert.deepEqual(s2.map((s) => local(s.startsAt, tz)), [
    "2026-10-25T00:00",
    "2026-10-25T01:00",
    "2026-10-25T02:00",
    "2026-10-25T02:00",
    "2026-10-25T03:00",
    "2026-10-25T04:00",
  ]);
  // A range starting in the repeated hour starts at its second occurrence (every instant is inside 02:30–04:00).
  const iv2 = rangeInterval(tz, Date.UTC(2026, 9, 25) / 86_400_000, { start: "02:30", end: "04:00" })!;
  assert.equal(iso(iv2.start), "2026-10-25T01:30:00.000Z");
  assert.equal(iv2.end - iv2.start, 1.5 * H);
});

Deno.test("half-hour offset (Asia/Kolkata): 09:00 IST is 03:30 UTC", () => {
  const tz = "Asia/Kolkata";
  const now = at("2026-11-29T00:00", tz);
  const slots = freeSlots({
    settings: settings({ timeZone: tz }),
    durationMinutes: 50,
    busy: [],
    nowMs: now,
    fromMs: now,
    toMs: now + 2 * 24 * H,
  });
  assert.equal(iso(slots[0].startsAt), "2026-11-30T03:30:00.000Z");
  assert.equal(slots.length, 3);
});

Deno.test("isBookableStart refuses what the calendar does not show (calcom #14465)", () => {
  const now = at("2026-11-30T08:30", "Asia/Jakarta");
  const input = { settings: settings({ minimumNoticeMinutes: 120 }), durationMinutes: 60, busy: [], nowMs: now };
  assert.equal(isBookableStart(input, at("2026-11-30T09:00", "Asia/Jakarta")), false); // inside the notice
  assert.equal(isBookableStart(input, at("2026-11-30T10:00", "Asia/Jakarta")), false); // still < 10:30
  assert.equal(isBookableStart(input, at("2026-11-30T11:00", "Asia/Jakarta")), true);
  assert.equal(isBookableStart(input, at("2026-11-30T11:05", "Asia/Jakarta")), false); // off the grid
  assert.equal(isBookableStart(input, at("2026-11-30T12:00", "Asia/Jakarta")), false); // ends past 12:00
  assert.equal(isBookableStart(input, NaN), false);
  const busy = [{ start: at("2026-11-30T11:30", "Asia/Jakarta"), end: at("2026-11-30T11:35", "Asia/Jakarta") }];
  assert.equal(isBookableStart({ ...input, busy }, at("2026-11-30T11:00", "Asia/Jakarta")), false);
});

Deno.test("work is bounded: a 365-day horizon with 8 ranges a day runs fast and a huge window is clamped", () => {
  const weekly = Object.fromEntries(
    ["1", "2", "3", "4", "5", "6", "7"].map((d) => [
      d,
      Array.from({ length: 8 }, (_, i) => ({
        start: `${String(i * 3).padStart(2, "0")}:00`,
        end: `${String(i * 3 + 2).padStart(2, "0")}:55`,
      })),
    ]),
  ) as SlotSettings["weekly"];
  const now = Date.parse("2026-01-01T00:00:00Z");
  const t0 = performance.now();
  const slots = freeSlots({
    settings: settings({ timeZone: "Europe/Berlin", weekly, horizonDays: 10_000, slotIntervalMinutes: 5 }),
    durationMinutes: 15,
    busy: [],
    nowMs: now,
    fromMs: -8.64e15,
    toMs: 8.64e15,
  });
  const ms = performance.now() - t0;
  assert.ok(slots[slots.length - 1].startsAt < now + 365 * 24 * H);
  assert.ok(slots.length > 300 * 8 * 30);
  assert.ok(ms < 5_000, `took ${ms} ms`);
});
