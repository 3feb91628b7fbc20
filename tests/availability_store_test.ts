/**
 * Availability in KV: saving settings (validation, nothing half-written), the
 * booking check over real cells (reschedule ignores its own), next free slots
 * and the directory summary cache (recomputed when the version changes).
 */
import assert from "node:assert/strict";
import { ValidationError } from "@/lib/errors.ts";
import { cellKey, cellsCovering } from "@/lib/booking/cells.ts";
import type { Psychologist } from "@/lib/psychologists/model.ts";
import { psychologistKey } from "@/lib/psychologists/keys.ts";
import { availabilityKey, availabilityVersionKey } from "@/lib/availability/keys.ts";
import {
  availabilitySummary,
  bumpAvailabilityVersion,
  checkBookableStart,
  clearSummaryCache,
  getAvailability,
  loadSlotInput,
  nextFreeSlots,
  putAvailability,
  summaryStats,
} from "@/lib/availability/store.ts";
import { freeSlots } from "@/lib/availability/slots.ts";
import fc from "fast-check";
import { freshKv } from "./helpers.ts";
import { fuzz } from "./fuzz.ts";

const H = 3_600_000;
const TZ = "Asia/Jakarta";
const at = (s: string, tz = TZ) => Temporal.PlainDateTime.from(s).toZonedDateTime(tz).epochMilliseconds;
const NOW = at("2026-11-30T06:00"); // a Monday

/** A psychologist record in the shared contract's shape (lib/psychologists/model.ts). */
export function psychologist(id: string, over: Partial<Psychologist> = {}): Psychologist {
  return {
    schemaVersion: 1,
    id,
    name: `Psikolog ${id}`,
    title: "M.Psi., Psikolog",
    photoFileId: null,
    specialisations: ["anxiety"],
    education: [],
    licenceNumber: "SIPP-0001",
    practicePlace: "Jakarta",
    yearsOfExperience: 5,
    languages: ["id"],
    bio: "",
    services: [{ id: "video60", type: "video", durationMinutes: 60, priceIdr: 250_000 }, {
      id: "chat30",
      type: "chat",
      durationMinutes: 30,
      priceIdr: 100_000,
    }],
    verification: "verified",
    verifiedAt: new Date(0).toISOString(),
    active: true,
    ratingSum: 0,
    ratingCount: 0,
    createdAt: new Date(0).toISOString(),
    updatedAt: new Date(0).toISOString(),
    ...over,
  };
}

const weekdays = {
  timeZone: TZ,
  weekly: { "1": [{ start: "09:00", end: "12:00" }], "2": [{ start: "09:00", end: "12:00" }] },
  overrides: {},
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 15,
  minimumNoticeMinutes: 120,
  horizonDays: 30,
  slotIntervalMinutes: null,
};

Deno.test("settings: defaults without any, saved normalised, bad input refused with field keys and nothing written", async () => {
  const kv = await freshKv();
  const d = await getAvailability("p1", NOW);
  assert.equal(d.timeZone, "Asia/Jakarta");
  assert.deepEqual(d.weekly["1"], []);
  assert.equal(d.minimumNoticeMinutes, 120);
  assert.equal(d.horizonDays, 30);

  const saved = await putAvailability("p1", {
    ...weekdays,
    weekly: { "1": [{ start: "13:00", end: "15:00" }, { start: "09:00", end: "12:00" }] },
    overrides: { "2026-12-25": [], "2026-12-01": [{ start: "10:00", end: "11:00" }] },
  }, NOW);
  assert.deepEqual(saved.weekly["1"].map((r) => r.start), ["09:00", "13:00"]);
  assert.deepEqual(saved.weekly["7"], []);
  assert.deepEqual(Object.keys(saved.overrides), ["2026-12-01", "2026-12-25"]);
  assert.deepEqual(await getAvailability("p1", NOW), saved);
  const v1 = (await kv.get(availabilityVersionKey("p1"))).versionstamp;
  assert.ok(v1);

  const bad = async (input: unknown) => {
    const err = await putAvailability("p1", input, NOW).catch((e) => e);
    assert.ok(err instanceof ValidationError, String(err));
    return err.fields;
  };
  assert.deepEqual(await bad({ ...weekdays, timeZone: "Mars/Olympus" }), { timeZone: "avail.error.time_zone" });
  assert.deepEqual(
    await bad({ ...weekdays, weekly: { "1": [{ start: "09:00", end: "12:00" }, { start: "11:00", end: "13:00" }] } }),
    { "weekly.1.1.start": "avail.error.overlap" },
  );
  assert.deepEqual(await bad({ ...weekdays, weekly: { "1": [{ start: "12:00", end: "09:00" }] } }), {
    "weekly.1.0.end": "avail.error.range_order",
  });
  assert.deepEqual(await bad({ ...weekdays, weekly: { "1": [{ start: "09:03", end: "10:00" }] } }), {
    "weekly.1.0.start": "avail.error.time",
  });
  assert.deepEqual(await bad({ ...weekdays, overrides: { "2026-11-01": [] } }), {
    "overrides.2026-11-01": "avail.error.override_date",
  });
  assert.deepEqual(await bad({ ...weekdays, bufferAfterMinutes: 7 }), { bufferAfterMinutes: "avail.error.buffer" });
  assert.deepEqual(await bad({ ...weekdays, horizonDays: 366 }), { horizonDays: "avail.error.horizon" });
  assert.deepEqual(await bad({ ...weekdays, slotIntervalMinutes: 0 }), { slotIntervalMinutes: "avail.error.interval" });
  const many = Object.fromEntries(
    Array.from({ length: 121 }, (_, i) => [new Date(NOW + i * 24 * H).toISOString().slice(0, 10), []]),
  );
  assert.deepEqual(await bad({ ...weekdays, overrides: many }), { overrides: "avail.error.too_many_overrides" });
  // Nothing changed by the refused saves.
  assert.deepEqual(await getAvailability("p1", NOW), saved);
  assert.equal((await kv.get(availabilityVersionKey("p1"))).versionstamp, v1);
  // Overrides from before yesterday are not answered (so GET → PUT round-trips).
  assert.deepEqual(Object.keys((await getAvailability("p1", NOW + 5 * 24 * H)).overrides), ["2026-12-25"]);
  kv.close();
});

Deno.test("checkBookableStart: the calendar's rules over real cells; reschedule ignores its own booking", async () => {
  const kv = await freshKv();
  const p = psychologist("p1");
  await kv.set(psychologistKey("p1"), p);
  await putAvailability("p1", weekdays, NOW);
  const video = p.services[0];
  // Notice: 06:00 + 2 h → 08:00 is the earliest; the Monday 09:00 slot is fine.
  assert.equal(await checkBookableStart(p, video, at("2026-11-30T09:00"), NOW), true);
  assert.equal(await checkBookableStart(p, video, at("2026-11-30T09:00"), at("2026-11-30T07:30")), false);
  assert.equal(await checkBookableStart(p, video, at("2026-11-30T09:30"), NOW), false); // off the grid
  assert.equal(await checkBookableStart(p, video, at("2026-12-02T09:00"), NOW), false); // Wednesday: off
  assert.equal(
    await checkBookableStart(p, { ...video, id: "other" }, at("2026-11-30T09:00"), NOW),
    false,
    "a service the psychologist does not offer",
  );
  assert.equal(await checkBookableStart({ ...p, active: false }, video, at("2026-11-30T09:00"), NOW), false);
  assert.equal(await checkBookableStart({ ...p, verification: "pending" }, video, at("2026-11-30T09:00"), NOW), false);

  // A booking 10:00–11:00 with its 15-minute after-buffer holds 10:00–11:15.
  const held = cellsCovering(at("2026-11-30T10:00"), at("2026-11-30T11:15"));
  const op = kv.atomic();
  for (const c of held) op.set(cellKey("p1", c), { bookingId: "B1", holdUntil: null });
  bumpAvailabilityVersion(op, "p1");
  await op.commit();
  assert.equal(
    await checkBookableStart(p, video, at("2026-11-30T09:00"), NOW),
    false,
    "09:00 + 15 min buffer hits 10:00",
  );
  assert.equal(await checkBookableStart(p, video, at("2026-11-30T10:00"), NOW), false);
  assert.equal(await checkBookableStart(p, video, at("2026-11-30T10:00"), NOW, { ignoreBookingId: "B1" }), true);
  assert.equal(
    await checkBookableStart(p, video, at("2026-11-30T11:00"), NOW),
    false,
    "11:00 is the cut: 11:00–11:15 held",
  );
  // An expired unpaid hold does not block.
  const op2 = kv.atomic();
  for (const c of held) op2.set(cellKey("p1", c), { bookingId: "B1", holdUntil: NOW - 1 });
  await op2.commit();
  assert.equal(await checkBookableStart(p, video, at("2026-11-30T10:00"), NOW), true);

  const next = await nextFreeSlots(p, p.services[1], NOW, { limit: 3 });
  assert.deepEqual(next.map((s) => new Date(s.startsAt).toISOString()), [
    "2026-11-30T02:00:00.000Z",
    "2026-11-30T02:30:00.000Z",
    "2026-11-30T03:00:00.000Z",
  ]);
  assert.deepEqual(await nextFreeSlots({ ...p, active: false }, p.services[1], NOW), []);
  kv.close();
});

Deno.test("availabilitySummary: next free slot and free dates, recomputed after a version bump or a settings change", async () => {
  const kv = await freshKv();
  clearSummaryCache();
  await kv.set(psychologistKey("p1"), psychologist("p1"));
  await kv.set(psychologistKey("p2"), psychologist("p2"));
  await kv.set(psychologistKey("p3"), psychologist("p3", { verification: "pending" }));
  await putAvailability("p1", weekdays, NOW);
  await putAvailability("p2", { ...weekdays, weekly: { "5": [{ start: "19:00", end: "20:00" }] } }, NOW);
  await putAvailability("p3", weekdays, NOW);
  const s = await availabilitySummary(["p1", "p2", "p3", "nobody"], NOW);
  assert.equal(new Date(s.get("p1")!.nextFreeAt!).toISOString(), "2026-11-30T02:00:00.000Z");
  assert.ok(s.get("p1")!.freeDates.has("2026-11-30") && s.get("p1")!.freeDates.has("2026-12-01"));
  assert.ok(!s.get("p1")!.freeDates.has("2026-12-02"));
  assert.equal(s.get("p1")!.freeDates.size, 10); // 5 Mondays and 5 Tuesdays before 30 Dec 06:00
  assert.deepEqual([...s.get("p2")!.freeDates].slice(0, 2), ["2026-12-04", "2026-12-11"]);
  assert.equal(s.get("p3")!.nextFreeAt, null);
  assert.equal(s.get("nobody")!.freeDates.size, 0);

  // Take every Monday-30-Nov slot (09:00–12:15 with buffer) in a commit that bumps the version, as
  // booking commits do: the summary follows.
  const op = kv.atomic();
  for (const c of cellsCovering(at("2026-11-30T09:00"), at("2026-11-30T12:15"))) {
    op.set(cellKey("p1", c), { bookingId: "B1", holdUntil: null });
  }
  await bumpAvailabilityVersion(op, "p1").commit();
  const s2 = await availabilitySummary(["p1"], NOW + 2);
  assert.ok(!s2.get("p1")!.freeDates.has("2026-11-30"));
  assert.equal(new Date(s2.get("p1")!.nextFreeAt!).toISOString(), "2026-12-01T02:00:00.000Z");
  // Time passing drops starts inside the notice without any write: at 08:30 (notice 2 h) the 30-minute
  // service's 10:30 is the first.
  const later = await availabilitySummary(["p2", "p1"], at("2026-12-01T08:30"));
  assert.equal(new Date(later.get("p1")!.nextFreeAt!).toISOString(), "2026-12-01T03:30:00.000Z");
  assert.ok(!later.get("p1")!.freeDates.has("2026-11-30"));
  // A profile change (deactivated) is seen through the directory version; only that profile is recomputed
  // (the others' cached sets are the very same objects).
  const p1Before = (await availabilitySummary(["p1"], NOW + 3)).get("p1")!;
  await kv.atomic().set(psychologistKey("p2"), psychologist("p2", { active: false }))
    .set(["psychologist_directory_version"], "x").commit();
  const afterProfile = await availabilitySummary(["p1", "p2"], NOW + 3);
  assert.equal(afterProfile.get("p2")!.nextFreeAt, null);
  assert.equal(afterProfile.get("p1")!.freeDates, p1Before.freeDates);
  // A settings change recomputes too.
  await putAvailability("p1", { ...weekdays, weekly: { "3": [{ start: "09:00", end: "10:00" }] } }, NOW);
  const s3 = await availabilitySummary(["p1"], NOW + 3);
  assert.ok(s3.get("p1")!.freeDates.has("2026-12-02"));
  assert.ok(!s3.get("p1")!.freeDates.has("2026-12-01"));
  assert.ok((await kv.get(availabilityKey("p1"))).value);
  kv.close();
});

Deno.test("availabilitySummary: concurrent calls after a change compute each psychologist once (single-flight)", async () => {
  const kv = await freshKv();
  clearSummaryCache();
  await kv.set(psychologistKey("p1"), psychologist("p1"));
  await kv.set(psychologistKey("p2"), psychologist("p2"));
  await putAvailability("p1", weekdays, NOW);
  await putAvailability("p2", weekdays, NOW);
  const first = await availabilitySummary(["p1", "p2"], NOW);
  await bumpAvailabilityVersion(kv.atomic(), "p1").commit();
  const before = summaryStats.computations;
  const all = await Promise.all(
    Array.from({ length: 10 }, (_, i) => availabilitySummary(i % 2 ? ["p1", "p2"] : ["p2", "p1", "nobody"], NOW + 1)),
  );
  assert.equal(summaryStats.computations - before, 1, "only p1 changed, computed once for 10 callers");
  for (const s of all) {
    assert.equal(s.get("p1")!.nextFreeAt, first.get("p1")!.nextFreeAt);
    assert.equal(s.get("p2")!.freeDates, first.get("p2")!.freeDates); // p2 still cached
  }
  // Both changed and nothing cached: each computed once, every caller gets the same sets.
  clearSummaryCache();
  const again = await Promise.all(Array.from({ length: 10 }, () => availabilitySummary(["p1", "p2"], NOW + 2)));
  assert.equal(summaryStats.computations - before, 3);
  for (const s of again) assert.equal(s.get("p2")!.freeDates, again[0].get("p2")!.freeDates);
  kv.close();
});

Deno.test("property: the summary agrees with freeSlots (next start over all services, local dates of free starts)", async (t) => {
  const kv = await freshKv();
  const p = psychologist("pp");
  await kv.set(psychologistKey("pp"), p);
  const hhmm = (u: number) => `${String(Math.floor(u / 12)).padStart(2, "0")}:${String((u % 12) * 5).padStart(2, "0")}`;
  const day = fc.uniqueArray(fc.integer({ min: 0, max: 287 }), { maxLength: 4 }).map((c) => {
    const s = [...c].sort((a, b) => a - b);
    const out = [];
    for (let i = 0; i + 1 < s.length; i += 2) out.push({ start: hhmm(s[i]), end: hhmm(s[i + 1]) });
    return out;
  });
  await fuzz(
    t,
    fc.asyncProperty(
      fc.constantFrom("Asia/Jakarta", "Europe/Berlin", "America/New_York", "Asia/Kolkata"),
      fc.array(day, { minLength: 7, maxLength: 7 }),
      fc.integer({ min: 0, max: 24 }).map((n) => n * 30),
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 0, max: 40 * 24 }).map((h) => Date.parse("2026-03-01T00:00:00Z") + h * H),
      async (timeZone, week, notice, horizonDays, nowMs) => {
        await putAvailability("pp", {
          ...weekdays,
          timeZone,
          weekly: Object.fromEntries(week.map((r, i) => [String(i + 1), r])),
          minimumNoticeMinutes: notice,
          horizonDays,
        }, nowMs);
        const s = (await availabilitySummary(["pp"], nowMs)).get("pp")!;
        const starts: number[] = [];
        for (const svc of p.services) {
          starts.push(
            ...freeSlots(await loadSlotInput("pp", svc, nowMs, nowMs, nowMs + 400 * 24 * H)).map((x) => x.startsAt),
          );
        }
        const dates = new Set(
          starts.map((ms) =>
            Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO("Asia/Jakarta").toPlainDate().toString()
          ),
        );
        assert.equal(s.nextFreeAt, starts.length ? Math.min(...starts) : null);
        assert.deepEqual([...s.freeDates].sort(), [...dates].sort());
      },
    ),
    { numRuns: 40 },
  );
  kv.close();
});
