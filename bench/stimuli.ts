/**
 * Screening stimuli benchmark (docs/benchmarks.md "Screening stimuli"): the app in process over
 * real loopback HTTP, KV file in a temp directory, rate limits off.
 * - `GET /api/screening/stimuli` as a signed-in client (bearer token): `requests` (default 1,000)
 *   with `concurrency` (default 8) in flight → requests/s, p50/p99 latency, body bytes;
 * - bytes of the fourteen shipped SVGs (what one run downloads for its pictures);
 * - `saveStimulusSet` (admin edit = new version + audit entry), `saves` (default 100) one after
 *   another → p50/p99 ms; then 20 concurrent saves from the same base version → exactly one
 *   must win (the others 409 `stale_version`).
 * Bounded; ends by itself in a few seconds.
 */
import { useKv } from "@/lib/db/kv.ts";
import { createUser } from "@/lib/auth/users.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { buildApp } from "@/main.ts";
import { THEMES } from "@/lib/screening/model.ts";
import { getActiveStimulusSet, saveStimulusSet } from "@/lib/screening/stimuli.ts";
import { Conflict } from "@/lib/errors.ts";
import { percentile, round } from "./lib.ts";

/** What the benchmark measured (ms, bytes). */
export interface StimuliBenchResult {
  requests: number;
  concurrency: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  responseBytes: number;
  svgBytesTotal: number;
  svgBytesLargest: number;
  saves: number;
  saveP50Ms: number;
  saveP99Ms: number;
  concurrentSaves: number;
  concurrentWinners: number;
  concurrentConflicts: number;
}

/** Runs the benchmark. */
export async function benchStimuli(
  opts: { requests?: number; concurrency?: number; saves?: number } = {},
): Promise<StimuliBenchResult> {
  const requests = opts.requests ?? 1000;
  const concurrency = opts.concurrency ?? 8;
  const saves = opts.saves ?? 100;
  const dir = await Deno.makeTempDir({ prefix: "rp-bench-stimuli-" });
  const kv = await Deno.openKv(`${dir}/kv.sqlite3`);
  useKv(kv);
  Deno.env.set("RATE_LIMITS", "off");
  const ac = new AbortController();
  const app = await buildApp();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} }, app.handler());
  const url = `http://127.0.0.1:${server.addr.port}/api/screening/stimuli`;
  try {
    const client = await createUser({
      role: "client",
      name: "Bench Client",
      email: "bench-client@test.local",
      phone: null,
      gender: "female",
      birthDate: "1995-06-15",
      status: "active",
      password: "correct-horse-battery",
    });
    const admin = await createUser({
      role: "admin",
      name: "Bench Admin",
      email: "bench-admin@test.local",
      phone: null,
      status: "active",
      password: "correct-horse-battery",
    });
    const { token } = await createSession(client.id, "bearer");
    const headers = { authorization: `Bearer ${token}`, "accept-language": "id" };
    let responseBytes = 0;
    const warm = await fetch(url, { headers });
    responseBytes = (await warm.arrayBuffer()).byteLength;
    if (!warm.ok) throw new Error(`stimuli API answered ${warm.status}`);
    const times: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next++ < requests) {
        const s = performance.now();
        const r = await fetch(url, { headers });
        await r.arrayBuffer();
        if (!r.ok) throw new Error(`stimuli API answered ${r.status}`);
        times.push(performance.now() - s);
      }
    }));
    const elapsed = (performance.now() - t0) / 1000;
    let svgBytesTotal = 0;
    let svgBytesLargest = 0;
    for (const t of THEMES) {
      const n = (await Deno.stat(new URL(`../static/stimuli/${t}.svg`, import.meta.url))).size;
      svgBytesTotal += n;
      svgBytesLargest = Math.max(svgBytesLargest, n);
    }
    const editOf = (set: Awaited<ReturnType<typeof getActiveStimulusSet>>, i: number) => ({
      baseVersion: set.version,
      items: set.items.map((s, j) => ({
        id: s.id,
        theme: s.theme,
        order: s.order,
        active: s.active,
        captionId: s.caption.id,
        captionEn: j === 0 ? `Edit ${i}` : s.caption.en,
      })),
    });
    const saveTimes: number[] = [];
    for (let i = 0; i < saves; i++) {
      const set = await getActiveStimulusSet();
      const s = performance.now();
      await saveStimulusSet(admin, editOf(set, i));
      saveTimes.push(performance.now() - s);
    }
    const base = await getActiveStimulusSet();
    const concurrentSaves = 20;
    const results = await Promise.allSettled(
      Array.from({ length: concurrentSaves }, (_, i) => saveStimulusSet(admin, editOf(base, 1000 + i))),
    );
    const winners = results.filter((r) => r.status === "fulfilled").length;
    const conflicts = results.filter((r) => r.status === "rejected" && r.reason instanceof Conflict).length;
    return {
      requests,
      concurrency,
      rps: round(requests / elapsed, 0),
      p50Ms: round(percentile(times, 50), 2),
      p99Ms: round(percentile(times, 99), 2),
      responseBytes,
      svgBytesTotal,
      svgBytesLargest,
      saves,
      saveP50Ms: round(percentile(saveTimes, 50), 2),
      saveP99Ms: round(percentile(saveTimes, 99), 2),
      concurrentSaves,
      concurrentWinners: winners,
      concurrentConflicts: conflicts,
    };
  } finally {
    ac.abort();
    await server.finished.catch(() => {});
    kv.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** The result as report lines. */
export function formatStimuli(r: StimuliBenchResult): string[] {
  return [
    `GET /api/screening/stimuli (client, ${r.concurrency} in flight, ${r.requests} requests): ${r.rps} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, body ${r.responseBytes} bytes`,
    `shipped pictures: 14 SVGs, ${r.svgBytesTotal} bytes in all (largest ${r.svgBytesLargest} bytes)`,
    `admin set save (new version + audit), ${r.saves} in a row: p50 ${r.saveP50Ms} ms, p99 ${r.saveP99Ms} ms`,
    `${r.concurrentSaves} concurrent saves from one base version: ${r.concurrentWinners} won, ${r.concurrentConflicts} got 409 stale_version`,
  ];
}

if (import.meta.main) {
  for (const l of formatStimuli(await benchStimuli())) console.log(l);
}
