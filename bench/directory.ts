/**
 * Directory query over `count` psychologists (default 2,000): verified profiles
 * with 1–3 services, nine categories, ratings, and weekly schedules, in a KV file
 * (the embedded default's engine). Times `searchPsychologists` (the function
 * behind `GET /psychologists` and `GET /api/psychologists`) for several query
 * shapes, `runs` times each, and prints p50/p95 in ms:
 * - the first query of a process (every card read from KV),
 * - default (rating), name search, category + service + price range, page 3 by price,
 * - "available on" and "soonest" with the availability summaries cold (first
 *   computation for every psychologist), with every psychologist's availability
 *   version re-checked (past the directory's 10 s reuse), and warm (reused).
 */
import { useKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { config } from "@/lib/config.ts";
import { CATEGORIES, type Psychologist, SERVICE_TYPES } from "@/lib/psychologists/model.ts";
import { addProfileWrites, newProfile } from "@/lib/psychologists/store.ts";
import { clearDirectorySummaries, directoryQuerySchema, searchPsychologists } from "@/lib/psychologists/directory.ts";
import { clearSummaryCache, putAvailability } from "@/lib/availability/store.ts";
import { parseInput } from "@/lib/validation.ts";
import { seededRandom } from "@/lib/seed/random.ts";
import { percentile, round } from "./lib.ts";

const FIRST = ["Sari", "Dimas", "Ayu", "Rizky", "Nurul", "Bagus", "Putri", "Hendra", "Dewi", "Fajar", "Intan", "Yusuf"];
const LAST = ["Wulandari", "Prasetyo", "Kartika", "Hidayat", "Aini", "Santoso", "Maharani", "Gunawan", "Anggraini"];

/** One query shape: its parameters. */
const SHAPES: Record<string, Record<string, string>> = {
  default: {},
  "name search": { q: "sari" },
  "category+service+price": { category: "anxiety", service: "video", minPrice: "150000", maxPrice: "350000" },
  "rating ≥ 4, sort price": { minRating: "4", sort: "price" },
};

/** Runs the benchmark; returns ms per shape (p50/p95) and the set-up size. */
export async function benchDirectory(opts: { count?: number; runs?: number } = {}) {
  const count = opts.count ?? 2000;
  const runs = opts.runs ?? 40;
  const dir = await Deno.makeTempDir({ prefix: "rp-bench-directory-" });
  const kv = await Deno.openKv(`${dir}/kv.sqlite3`);
  useKv(kv);
  const rnd = seededRandom(8);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
  try {
    const weekly = Object.fromEntries(["1", "2", "3", "4", "5"].map((d) => [d, [{ start: "09:00", end: "17:00" }]]));
    for (let i = 0; i < count; i++) {
      const id = newId();
      const services = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ({
        type: pick(SERVICE_TYPES),
        durationMinutes: pick([30, 45, 50, 60]),
        priceIdr: 50_000 + Math.floor(rnd() * 40) * 10_000,
      }));
      const p: Psychologist = newProfile(id, {
        name: `${pick(FIRST)} ${pick(LAST)} ${i}`,
        title: "M.Psi., Psikolog",
        specialisations: [pick(CATEGORIES), pick(CATEGORIES)].filter((c, j, a) => a.indexOf(c) === j),
        education: [],
        licenceNumber: `SIPP ${i}`,
        practicePlace: "",
        yearsOfExperience: Math.floor(rnd() * 30),
        languages: ["id"],
        bio: "",
        services,
      }, "verified");
      const n = Math.floor(rnd() * 40);
      p.ratingCount = n;
      p.ratingSum = Math.round(n * (3 + rnd() * 2));
      await addProfileWrites(kv.atomic(), p, null).commit();
      await putAvailability(id, {
        timeZone: config.timeZone,
        weekly: rnd() < 0.7 ? weekly : {},
        overrides: {},
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 10,
        minimumNoticeMinutes: 120,
        horizonDays: 30,
        slotIntervalMinutes: null,
      });
    }
    const now = Date.now();
    const q = (params: Record<string, string>) => parseInput(directoryQuerySchema, params);
    const time = async (params: Record<string, string>) => {
      const t0 = performance.now();
      const r = await searchPsychologists(q(params), now);
      return { ms: performance.now() - t0, r };
    };
    const out: Record<string, { p50: number; p95: number }> = {};
    const first = await time({});
    out["first query (cards from KV)"] = { p50: round(first.ms), p95: round(first.ms) };
    for (const [name, params] of Object.entries(SHAPES)) {
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) ms.push((await time(params)).ms);
      out[name] = { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)) };
    }
    // Page 3 by price: follow the cursor twice, time the third page.
    {
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const p1 = await searchPsychologists(q({ sort: "price" }), now);
        const p2 = await searchPsychologists(q({ sort: "price", cursor: p1.cursor! }), now);
        ms.push((await time({ sort: "price", cursor: p2.cursor! })).ms);
      }
      out["page 3, sort price"] = { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)) };
    }
    const day = Temporal.Now.plainDateISO(config.timeZone).add({ days: 7 }).toString();
    for (
      const [name, params] of [["available on date", { availableOn: day }], ["sort soonest", {
        sort: "soonest",
      }]] as const
    ) {
      clearSummaryCache();
      await clearDirectorySummaries();
      const cold = await time(params);
      out[`${name}, cold`] = { p50: round(cold.ms), p95: round(cold.ms) };
      // Past the reuse window: every psychologist's availability version is checked again (cached summaries).
      const recheck: number[] = [];
      for (let i = 0; i < 5; i++) {
        await clearDirectorySummaries();
        recheck.push((await time(params)).ms);
      }
      out[`${name}, versions re-checked`] = {
        p50: round(percentile(recheck, 50)),
        p95: round(percentile(recheck, 95)),
      };
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) ms.push((await time(params)).ms);
      out[`${name}, warm`] = { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)) };
    }
    return { count, runs, shapes: out };
  } finally {
    kv.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const r = await benchDirectory({ count: Number(Deno.args[0] ?? 2000) });
  console.log(r);
}
