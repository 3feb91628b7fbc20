/**
 * Demo availability: each seeded psychologist gets a realistic week (office
 * hours, split days, evenings, a Saturday clinic), buffers, notice, and a few
 * special dates — a leave day, the public holidays ahead, one day of custom
 * hours. Idempotent: a psychologist who already has settings keeps them.
 */
import { getKv } from "@/lib/db/kv.ts";
import { availabilityKey } from "@/lib/availability/keys.ts";
import { putAvailability } from "@/lib/availability/store.ts";
import type { AvailabilityInput, LocalRange } from "@/lib/availability/model.ts";

type Week = AvailabilityInput["weekly"];
const r = (start: string, end: string): LocalRange => ({ start, end });
const days = (list: string[], ranges: LocalRange[]): Week => Object.fromEntries(list.map((d) => [d, ranges])) as Week;

/** Weekly patterns the demo psychologists cycle through. */
const PATTERNS: { weekly: Week; buffer: [number, number]; notice: number; interval: number | null; zone: string }[] = [
  { // office hours with a lunch break
    weekly: days(["1", "2", "3", "4", "5"], [r("09:00", "12:00"), r("13:00", "17:00")]),
    buffer: [0, 15],
    notice: 120,
    interval: null,
    zone: "Asia/Jakarta",
  },
  { // long days three times a week and a Saturday morning clinic
    weekly: { ...days(["1", "3", "5"], [r("10:00", "18:00")]), "6": [r("09:00", "13:00")] },
    buffer: [10, 10],
    notice: 240,
    interval: 30,
    zone: "Asia/Jakarta",
  },
  { // afternoons and evenings for working clients
    weekly: days(["2", "3", "4", "5", "6"], [r("13:00", "21:00")]),
    buffer: [0, 10],
    notice: 180,
    interval: null,
    zone: "Asia/Jakarta",
  },
  { // early mornings and evenings around a hospital job
    weekly: days(["1", "2", "3", "4"], [r("07:00", "09:00"), r("18:30", "21:30")]),
    buffer: [5, 5],
    notice: 120,
    interval: 30,
    zone: "Asia/Makassar",
  },
  { // compact practice
    weekly: { "1": [r("09:00", "15:00")], "4": [r("09:00", "15:00")], "7": [r("16:00", "20:00")] },
    buffer: [0, 15],
    notice: 60,
    interval: null,
    zone: "Asia/Jayapura",
  },
];

/** Indonesian public holidays the seed marks as days off (fixed-date ones). */
const HOLIDAYS = ["01-01", "05-01", "06-01", "08-17", "12-25"];

function localToday(zone: string, nowMs: number): Temporal.PlainDate {
  return Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(zone).toPlainDate();
}

/** The settings of the `i`-th demo psychologist at `nowMs`. */
export function demoAvailability(i: number, nowMs: number): AvailabilityInput {
  const p = PATTERNS[i % PATTERNS.length];
  const today = localToday(p.zone, nowMs);
  const overrides: Record<string, LocalRange[]> = {};
  // The fixed-date holidays of this year and next that lie within the next 365 days.
  for (const y of [today.year, today.year + 1]) {
    for (const md of HOLIDAYS) {
      const d = Temporal.PlainDate.from(`${y}-${md}`);
      const ahead = today.until(d).days;
      if (ahead >= 0 && ahead <= 365) overrides[d.toString()] = [];
    }
  }
  overrides[today.add({ days: 8 + (i % 5) }).toString()] = []; // a leave day
  overrides[today.add({ days: 3 + (i % 3) }).toString()] = [r("09:00", "11:00")]; // short day
  return {
    timeZone: p.zone,
    weekly: p.weekly,
    overrides,
    bufferBeforeMinutes: p.buffer[0],
    bufferAfterMinutes: p.buffer[1],
    minimumNoticeMinutes: p.notice,
    horizonDays: i % 4 === 3 ? 60 : 30,
    slotIntervalMinutes: p.interval,
  };
}

/**
 * Gives each psychologist in `psychologistIds` (the seeded verified ones, in
 * order) a schedule, unless they already have one. Returns printable lines.
 */
export async function seedAvailability(psychologistIds: readonly string[], now: Date = new Date()): Promise<string[]> {
  const kv = await getKv();
  let created = 0, kept = 0;
  for (const [i, id] of psychologistIds.entries()) {
    if ((await kv.get(availabilityKey(id))).versionstamp !== null) {
      kept++;
      continue;
    }
    await putAvailability(id, demoAvailability(i, now.getTime()), now.getTime());
    created++;
  }
  return [`availability  ${created} schedules created, ${kept} kept`];
}
