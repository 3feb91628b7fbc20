/**
 * Psychologist workspace: monthly statistics over 10,000 bookings of one
 * psychologist (12 and 36 months, read from the `booking_stats` index with one
 * `kv.list`; p50/p99 ms), against reading the same bookings in full one by one
 * (what the index avoids), and the queue page `/psychologist/queue` signed in
 * over real HTTP on loopback (requests/s, `connections` closed loops). KV file
 * in a temporary directory; bookings are written through `putBookingOps`, the
 * booking code's one writer, 100 per commit.
 */
import { getKv, useKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { createUser } from "@/lib/auth/users.ts";
import { createSession, SESSION_COOKIE } from "@/lib/auth/sessions.ts";
import { putBookingOps } from "@/lib/booking/store.ts";
import { byPsychologistPrefix } from "@/lib/booking/keys.ts";
import type { Booking, BookingStatus } from "@/lib/booking/model.ts";
import { monthlyStats } from "@/lib/workspace/stats.ts";
import { buildApp } from "@/main.ts";
import { percentile, round } from "./lib.ts";

const STATUSES: BookingStatus[] = ["completed", "completed", "completed", "no_show", "cancelled", "confirmed"];

function booking(psychologistId: string, clientId: string, startsMs: number, status: BookingStatus): Booking {
  const id = newId(startsMs);
  const at = new Date(startsMs).toISOString();
  return {
    schemaVersion: 1,
    id,
    clientId,
    clientName: "Bench Klien",
    psychologistId,
    psychologistName: "Bench Psikolog",
    serviceId: "svc",
    serviceType: "video",
    durationMinutes: 50,
    priceIdr: 300_000,
    startsAt: at,
    endsAt: new Date(startsMs + 50 * 60_000).toISOString(),
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 10,
    timeZone: "Asia/Jakarta",
    status,
    holdUntil: null,
    orderId: `RP-${id}`,
    refund: null,
    rescheduleCount: 0,
    history: [{ status, at, by: "system", reason: null }],
    createdAt: at,
    updatedAt: at,
  };
}

async function timed(n: number, f: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  return { p50: round(percentile(ms, 50), 1), p99: round(percentile(ms, 99), 1) };
}

/** Runs the benchmark (bounded: about 30 s on 2 cores). */
export async function benchWorkspace(opts: { bookings?: number; connections?: number; seconds?: number } = {}) {
  const total = opts.bookings ?? 10_000;
  const connections = opts.connections ?? 16;
  const seconds = opts.seconds ?? 5;
  const dir = await Deno.makeTempDir({ prefix: "rp-bench-workspace-" });
  const kv = await Deno.openKv(`${dir}/kv.sqlite3`);
  useKv(kv);
  const ac = new AbortController();
  try {
    const psy = await createUser({ role: "psychologist", name: "Bench Psikolog", email: "psy@bench.test" });
    const clients = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) =>
          createUser({ role: "client", name: `Klien ${i}`, email: `c${i}@bench.test`, birthDate: "1990-01-01" }),
      ),
    );
    // 10,000 bookings spread over the last three years (about 9 a day), plus 30 in the coming days.
    const now = Date.now();
    const span = 3 * 365 * 86_400_000;
    const list: Booking[] = [];
    for (let i = 0; i < total; i++) {
      const t = now - span + Math.floor((span / total) * i);
      list.push(booking(psy.id, clients[i % clients.length].id, t - (t % 300_000), STATUSES[i % STATUSES.length]));
    }
    for (let i = 0; i < 30; i++) {
      const t = now + 3600_000 + i * 6 * 3600_000;
      list.push(booking(psy.id, clients[i % clients.length].id, t - (t % 300_000), "confirmed"));
    }
    const w0 = performance.now();
    for (let i = 0; i < list.length; i += 100) {
      const op = (await getKv()).atomic();
      for (const b of list.slice(i, i + 100)) putBookingOps(op, null, b);
      if (!(await op.commit()).ok) throw new Error("seed commit failed");
    }
    const writeMs = performance.now() - w0;

    const to = new Date(now).toISOString().slice(0, 7);
    const from12 = Temporal.PlainYearMonth.from(to).subtract({ months: 11 }).toString();
    const from36 = Temporal.PlainYearMonth.from(to).subtract({ months: 35 }).toString();
    await monthlyStats(psy.id, from12, to);
    const stats12 = await timed(30, () => monthlyStats(psy.id, from12, to));
    const stats36 = await timed(30, () => monthlyStats(psy.id, from36, to));
    const check = (await monthlyStats(psy.id, from36, to)).reduce((s, m) => s + m.sessions, 0);
    // The naive way: every booking value, read one by one.
    const naive = await timed(3, async () => {
      for await (const e of kv.list<string>({ prefix: byPsychologistPrefix(psy.id) })) {
        await kv.get(["bookings", e.value]);
      }
    });

    const app = await buildApp({ build: null });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} }, app.handler());
    const url = `http://127.0.0.1:${server.addr.port}/psychologist/queue`;
    const cookie = `${SESSION_COOKIE}=${(await createSession(psy.id, "cookie")).token}`;
    let stopAt = Date.now() + 1000;
    let counting = false;
    let requests = 0;
    let errors = 0;
    const worker = async () => {
      while (Date.now() < stopAt) {
        try {
          const r = await fetch(url, { headers: { cookie } });
          await r.arrayBuffer();
          if (counting) r.status === 200 ? requests++ : errors++;
        } catch {
          if (counting) errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: connections }, worker));
    counting = true;
    const t0 = performance.now();
    stopAt = Date.now() + seconds * 1000;
    await Promise.all(Array.from({ length: connections }, worker));
    const elapsed = (performance.now() - t0) / 1000;
    ac.abort();
    await server.finished;
    return {
      bookings: list.length,
      writeMs: round(writeMs, 0),
      stats12,
      stats36,
      sessions36: check,
      naive,
      queueRps: round(requests / elapsed, 0),
      queueErrors: errors,
      connections,
    };
  } finally {
    ac.abort();
    kv.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) console.log(await benchWorkspace());
