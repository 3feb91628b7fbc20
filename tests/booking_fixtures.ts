/**
 * Test fixtures of bookings: a bookable psychologist with a full-week
 * schedule and instants of future local times.
 */
import { putAvailability } from "@/lib/availability/store.ts";
import { makePsychologist, type TestPsychologist } from "./psychologist_fixtures.ts";

/** Working hours used by {@link bookablePsychologist}: every day 08:00–18:00. */
export const EVERY_DAY = Object.fromEntries(
  ["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [{ start: "08:00", end: "18:00" }]]),
);

/**
 * A verified psychologist (services: chat 30 min Rp150.000, video 50 min
 * Rp300.000) working every day 08:00–18:00 Asia/Jakarta, slots every 30
 * minutes, buffer after 10 min, notice 120 min, horizon 30 days.
 */
export async function bookablePsychologist(
  settings: Record<string, unknown> = {},
  nowMs = Date.now(),
): Promise<TestPsychologist> {
  const psy = await makePsychologist();
  await putAvailability(psy.id, {
    timeZone: "Asia/Jakarta",
    weekly: EVERY_DAY,
    overrides: {},
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 10,
    minimumNoticeMinutes: 120,
    horizonDays: 30,
    slotIntervalMinutes: 30,
    ...settings,
  }, nowMs);
  return psy;
}

/** The UTC ISO instant of local `HH:MM` in Asia/Jakarta `days` days after today (as of `nowMs`). */
export function jakartaAt(days: number, hhmm: string, nowMs = Date.now()): string {
  const [h, m] = hhmm.split(":").map(Number);
  const today = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO("Asia/Jakarta").toPlainDate();
  return today.add({ days }).toZonedDateTime({ timeZone: "Asia/Jakarta", plainTime: new Temporal.PlainTime(h, m) })
    .toInstant().toString();
}
