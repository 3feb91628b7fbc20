/**
 * Availability benchmark:
 *
 * 1. `freeSlots` over a 30-day horizon (pure, no KV): Mon–Sat 08:00–12:00 and
 *    13:00–20:00, 60-minute service every 15 minutes, 10/10-minute buffers, 60
 *    existing bookings; in Asia/Jakarta and in Europe/Berlin across the March
 *    DST change. `runs` (default 300) timed calls each → p50 / p95 ms.
 * 2. `availabilitySummary` for `psychologists` (default 2,000) in a `:memory:`
 *    KV, each with 2 services, a weekly schedule and 5 bookings' cells: cold
 *    (everything computed), warm (all cached; once with every psychologist in
 *    the last minute's change log, once with a quiet log), and after 5 % of them
 *    got a booking (version bumped → those recomputed).
 *
 * `deno run -A bench/availability.ts` prints it; `benchAvailability()` returns it.
 */
import { percentile, round } from "./lib.ts";
import { useKv } from "@/lib/db/kv.ts";
import { freeSlots, type SlotSettings } from "@/lib/availability/slots.ts";
import {
  availabilitySummary,
  bumpAvailabilityVersion,
  clearSummaryCache,
  putAvailability,
} from "@/lib/availability/store.ts";
import { cellKey, cellsCovering, type Interval } from "@/lib/booking/cells.ts";
import { psychologistKey } from "@/lib/psychologists/keys.ts";
import type { Psychologist } from "@/lib/psychologists/model.ts";

const MIN = 60_000;
const DAY = 86_400_000;

/** Options; defaults are the numbers docs/benchmarks.md reports. */
export interface AvailabilityBenchOptions {
  runs?: number;
  psychologists?: number;
}

/** What {@link benchAvailability} measured (ms). */
export interface AvailabilityBenchResult {
  runs: number;
  slotsPerCall: number;
  jakartaP50Ms: number;
  jakartaP95Ms: number;
  berlinDstP50Ms: number;
  berlinDstP95Ms: number;
  psychologists: number;
  summaryColdMs: number;
  summaryWarmMs: number;
  summaryWarmRecentMs: number;
  summaryChangedMs: number;
  summaryProfileEditMs: number;
  changed: number;
}

const weekly = Object.fromEntries(
  ["1", "2", "3", "4", "5", "6"].map((d) => [d, [{ start: "08:00", end: "12:00" }, { start: "13:00", end: "20:00" }]]),
) as SlotSettings["weekly"];

function settings(timeZone: string): SlotSettings {
  return {
    timeZone,
    weekly,
    overrides: {},
    bufferBeforeMinutes: 10,
    bufferAfterMinutes: 10,
    minimumNoticeMinutes: 120,
    horizonDays: 30,
    slotIntervalMinutes: 15,
  };
}

/** 60 one-hour bookings (with buffers) spread over the 30 days after `nowMs`. */
function bookings(nowMs: number): Interval[] {
  const out: Interval[] = [];
  for (let i = 0; i < 60; i++) {
    const start = Math.floor((nowMs + (i * 30 * DAY) / 60 + 9 * 3_600_000) / (5 * MIN)) * 5 * MIN;
    out.push({ start: start - 10 * MIN, end: start + 70 * MIN });
  }
  return out;
}

function timeSlots(timeZone: string, nowMs: number, runs: number): { p50: number; p95: number; slots: number } {
  const input = {
    settings: settings(timeZone),
    durationMinutes: 60,
    busy: bookings(nowMs),
    nowMs,
    fromMs: nowMs,
    toMs: nowMs + 30 * DAY,
  };
  let slots = 0;
  for (let i = 0; i < 20; i++) slots = freeSlots(input).length; // warm-up (JIT, offset cache)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    freeSlots({ ...input, nowMs: nowMs + i * MIN, fromMs: nowMs + i * MIN });
    times.push(performance.now() - t);
  }
  return { p50: round(percentile(times, 50), 3), p95: round(percentile(times, 95), 3), slots };
}

function profile(id: string): Psychologist {
  const at = new Date(0).toISOString();
  return {
    schemaVersion: 1,
    id,
    name: `Psikolog ${id}`,
    title: "M.Psi., Psikolog",
    photoFileId: null,
    specialisations: ["anxiety"],
    education: [],
    licenceNumber: "SIPP",
    practicePlace: "Jakarta",
    yearsOfExperience: 3,
    languages: ["id"],
    bio: "",
    services: [
      { id: "chat", type: "chat", durationMinutes: 30, priceIdr: 100_000 },
      { id: "video", type: "video", durationMinutes: 60, priceIdr: 250_000 },
    ],
    verification: "verified",
    verifiedAt: at,
    active: true,
    ratingSum: 0,
    ratingCount: 0,
    createdAt: at,
    updatedAt: at,
  };
}

/** Runs both parts; bounded (a few seconds at the defaults). */
export async function benchAvailability(opts: AvailabilityBenchOptions = {}): Promise<AvailabilityBenchResult> {
  const runs = opts.runs ?? 300;
  const n = opts.psychologists ?? 2_000;
  const jkt = timeSlots("Asia/Jakarta", Date.parse("2026-12-01T01:00:00Z"), runs);
  const ber = timeSlots("Europe/Berlin", Date.parse("2026-03-15T08:00:00Z"), runs);

  const kv = await Deno.openKv(":memory:");
  useKv(kv);
  clearSummaryCache();
  const nowMs = Date.now();
  const ids = Array.from({ length: n }, (_, i) => `psy${String(i).padStart(5, "0")}`);
  for (const [i, id] of ids.entries()) {
    await kv.set(psychologistKey(id), profile(id));
    const days = ["1", "2", "3", "4", "5", "6", "7"].filter((_, k) => (k + i) % 7 < 5);
    await putAvailability(id, {
      timeZone: "Asia/Jakarta",
      weekly: Object.fromEntries(days.map((d) => [d, [{ start: "09:00", end: "17:00" }]])),
      overrides: {},
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      minimumNoticeMinutes: 120,
      horizonDays: 30,
      slotIntervalMinutes: null,
    }, nowMs);
    const op = kv.atomic();
    for (let b = 0; b < 5; b++) {
      const start = Math.floor((nowMs + (b * 5 + 1) * DAY) / (5 * MIN)) * 5 * MIN;
      for (const c of cellsCovering(start, start + 70 * MIN)) {
        op.set(cellKey(id, c), { bookingId: `${id}-${b}`, holdUntil: null });
      }
    }
    await op.commit();
  }
  let t = performance.now();
  const cold = await availabilitySummary(ids, nowMs);
  const summaryColdMs = round(performance.now() - t, 1);
  if (cold.size !== n || [...cold.values()].some((s) => s.nextFreeAt === null)) throw new Error("summary incomplete");
  t = performance.now();
  await availabilitySummary(ids, nowMs + 1_000);
  const summaryWarmRecentMs = round(performance.now() - t, 1);
  // The setup's log entries are under a minute old, so each call re-checks those versions. Drop them, as
  // if the setup had happened more than a minute ago: the steady state of a quiet minute.
  for await (const e of kv.list({ prefix: ["availability_change_log"] })) await kv.delete(e.key);
  await availabilitySummary(ids, nowMs + 1_500);
  t = performance.now();
  await availabilitySummary(ids, nowMs + 1_600);
  const summaryWarmMs = round(performance.now() - t, 1);
  const changed = Math.round(n * 0.05);
  for (const id of ids.slice(0, changed)) {
    const start = Math.floor((nowMs + 2 * DAY) / (5 * MIN)) * 5 * MIN;
    const op = kv.atomic();
    for (const c of cellsCovering(start, start + 70 * MIN)) {
      op.set(cellKey(id, c), { bookingId: `${id}-new`, holdUntil: null });
    }
    bumpAvailabilityVersion(op, id);
    await op.commit();
  }
  t = performance.now();
  await availabilitySummary(ids, nowMs + 2_000);
  const summaryChangedMs = round(performance.now() - t, 1);
  // One profile edited (the directory version moves): every cached profile stamp is re-checked.
  await kv.atomic().set(psychologistKey(ids[0]), { ...profile(ids[0]), bio: "edited" })
    .set(["psychologist_directory_version"], "edited").commit();
  t = performance.now();
  await availabilitySummary(ids, nowMs + 3_000);
  const summaryProfileEditMs = round(performance.now() - t, 1);
  kv.close();
  return {
    summaryProfileEditMs,
    runs,
    slotsPerCall: jkt.slots,
    jakartaP50Ms: jkt.p50,
    jakartaP95Ms: jkt.p95,
    berlinDstP50Ms: ber.p50,
    berlinDstP95Ms: ber.p95,
    psychologists: n,
    summaryColdMs,
    summaryWarmMs,
    summaryWarmRecentMs,
    summaryChangedMs,
    changed,
  };
}

/** The printed lines of a result. */
export function formatAvailability(r: AvailabilityBenchResult): string[] {
  return [
    `freeSlots, 30-day horizon, 60 bookings, ${r.slotsPerCall} slots a call (${r.runs} runs): Asia/Jakarta p50 ${r.jakartaP50Ms} ms, p95 ${r.jakartaP95Ms} ms; Europe/Berlin across DST p50 ${r.berlinDstP50Ms} ms, p95 ${r.berlinDstP95Ms} ms`,
    `availabilitySummary, ${r.psychologists} psychologists (:memory: KV): cold ${r.summaryColdMs} ms; warm ${r.summaryWarmMs} ms (no change in the last minute), ${r.summaryWarmRecentMs} ms (all ${r.psychologists} changed in the last minute); after ${r.changed} new bookings ${r.summaryChangedMs} ms; after a profile edit ${r.summaryProfileEditMs} ms`,
  ];
}

if (import.meta.main) {
  for (const l of formatAvailability(await benchAvailability())) console.log(l);
}
