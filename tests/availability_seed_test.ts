/**
 * The demo schedules: every seeded psychologist is bookable within two weeks,
 * the special dates (leave, holidays, a short day) are in place, and seeding
 * twice changes nothing.
 */
import assert from "node:assert/strict";
import { seedPsychologists } from "@/lib/seed/psychologists.ts";
import { seedAvailability } from "@/lib/seed/availability.ts";
import { availabilityKey } from "@/lib/availability/keys.ts";
import { availabilitySummary, clearSummaryCache, getAvailability } from "@/lib/availability/store.ts";
import { freshKv } from "./helpers.ts";

Deno.test("seedAvailability: realistic schedules for every seeded psychologist, idempotent", async () => {
  const kv = await freshKv();
  clearSummaryCache();
  const now = new Date();
  const { ids } = await seedPsychologists(now);
  assert.ok(ids.length >= 12);
  assert.deepEqual(await seedAvailability(ids, now), [`availability  ${ids.length} schedules created, 0 kept`]);
  const zones = new Set<string>();
  for (const id of ids) {
    const a = await getAvailability(id, now.getTime());
    zones.add(a.timeZone);
    const workdays = Object.values(a.weekly).filter((r) => r.length > 0).length;
    assert.ok(workdays >= 3, `${id} works ${workdays} days a week`);
    const offs = Object.values(a.overrides).filter((r) => r.length === 0).length;
    const custom = Object.values(a.overrides).filter((r) => r.length > 0).length;
    assert.ok(offs >= 1 && custom === 1, `${id}: ${offs} days off, ${custom} custom days`);
  }
  assert.ok(zones.size >= 2, "more than one Indonesian zone");
  const summary = await availabilitySummary(ids, now.getTime());
  for (const id of ids) {
    const s = summary.get(id)!;
    assert.ok(s.nextFreeAt !== null && s.nextFreeAt < now.getTime() + 14 * 86_400_000, `${id} free within 2 weeks`);
    assert.ok(s.freeDates.size >= 8, `${id} free on ${s.freeDates.size} dates`);
  }
  const stamps = await Promise.all(ids.map(async (id) => (await kv.get(availabilityKey(id))).versionstamp));
  assert.deepEqual(await seedAvailability(ids, now), [`availability  0 schedules created, ${ids.length} kept`]);
  assert.deepEqual(await Promise.all(ids.map(async (id) => (await kv.get(availabilityKey(id))).versionstamp)), stamps);
  kv.close();
});
