/**
 * Real-time notification benchmark:
 *
 * 1. Check-in → notification latency with `teachers` (default 200) teachers connected:
 *    the app (`buildApp().handler()`) served by `Deno.serve` on 127.0.0.1 (random port)
 *    in this process, one SSE stream per teacher opened with `fetch` over real loopback
 *    HTTP (bearer tokens), a local KV file (the embedded default). Each measured event is a
 *    real guest-book `checkIn()` of a prepared appointment of a random teacher (the
 *    notification is written in the check-in commit); latency = from calling `checkIn` to
 *    that teacher's client having parsed the SSE event. Measured one at a time
 *    (`events`), then in bursts of `burst` concurrent check-ins.
 * 2. Server memory with `streams` (default 1,000) open streams of as many users (one KV
 *    watch each — the worst case): the app runs in a child process (so the numbers are
 *    the server's alone) that reports `Deno.memoryUsage()` after a forced GC, before and
 *    with the streams open, and after they closed (leak check).
 *
 * Loopback only; every wait is bounded; it ends by itself (default ~20–40 s).
 * `deno run -A bench/notify.ts` prints the result; `benchNotify()` returns it.
 */
import { percentile, round } from "./lib.ts";
import { useKv } from "@/lib/db/kv.ts";
import { createUser } from "@/lib/auth/users.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { SseReader } from "@/lib/notify/sse_client.ts";
import { addNotificationOps } from "@/lib/notify/notifications.ts";
import { closeAllStreams, watchCount } from "@/lib/notify/hub.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Options; defaults are the numbers docs/benchmarks.md reports. */
export interface NotifyBenchOptions {
  /** Teachers with an open stream during the latency run (default 200). */
  teachers?: number;
  /** Sequential check-ins measured (default 300). */
  events?: number;
  /** Concurrent check-ins per burst, and bursts (default 20 × 10). */
  burst?: number;
  bursts?: number;
  /** Open streams for the memory run (default 1000). */
  streams?: number;
  /** Print progress and the result (default true when run as a script). */
  log?: boolean;
}

/** What the benchmark measured. Times in ms, memory in MB (10^6 bytes). */
export interface NotifyBenchResult {
  /** "checkIn" (guest-book check-in commit) or "commit" (addNotificationOps in a bare commit, fallback). */
  mode: "checkIn" | "commit";
  teachersConnected: number;
  events: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  burstConcurrency: number;
  burstEvents: number;
  burstLatencyP50Ms: number;
  burstLatencyP99Ms: number;
  /** Check-ins per second through the burst runs (each one delivered). */
  burstCheckInsPerSecond: number;
  lost: number;
  duplicates: number;
  streamsOpen: number;
  /** Time to open all streams (each until its first event), ms. */
  streamsOpenMs: number;
  serverRssBeforeMB: number;
  serverRssWithStreamsMB: number;
  serverRssDeltaMB: number;
  serverHeapUsedBeforeMB: number;
  serverHeapUsedWithStreamsMB: number;
  serverHeapDeltaMB: number;
  /** (RSS delta) / streams, KB. */
  rssPerStreamKB: number;
  heapPerStreamKB: number;
  watchesWithStreams: number;
  /** After every client disconnected: watches left (0 = no leak) and heap, MB. */
  watchesAfterClose: number;
  /** How long the server took to notice every disconnect and drop its watches, ms. */
  cleanupMs: number;
  serverHeapUsedAfterCloseMB: number;
}

const MB = 1e6;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, rej) => timer = setTimeout(() => rej(new Error(`bench/notify: timeout: ${what}`)), ms)),
  ]).finally(() => clearTimeout(timer));
}

/** One client SSE connection; every notification's arrival time is recorded. */
interface Client {
  ac: AbortController;
  reader: SseReader;
  done: Promise<void>;
}

/**
 * Opens `/api/notifications/stream` with `token` and resolves once the stream is live
 * (first `unread` event). `onNotification(id, t)` is called for each notification.
 */
async function connect(base: string, token: string, onNotification: (id: string, t: number) => void): Promise<Client> {
  const ac = new AbortController();
  const res = await fetch(`${base}/api/notifications/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: ac.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`stream: HTTP ${res.status}`);
  const reader = new SseReader(res.body);
  let live!: () => void;
  const isLive = new Promise<void>((r) => live = r);
  const done = (async () => {
    try {
      for (;;) {
        const e = await reader.next();
        if (!e) return;
        if (e.event === "unread") live();
        else if (e.event === "notification") onNotification(e.id, performance.now());
      }
    } catch { /* aborted */ }
  })();
  await withTimeout(isLive, 10_000, "stream did not become live");
  return { ac, reader, done };
}

async function closeAll(clients: Client[]): Promise<void> {
  // Cancelling the body is what closes the connection (aborting alone leaves it open in Deno 2.9).
  for (const c of clients) {
    c.ac.abort();
    c.reader.cancel();
  }
  await withTimeout(Promise.all(clients.map((c) => c.done)), 10_000, "closing streams").catch(() => {});
}

/** Part 1: latency with `teachers` connected, in this process. */
async function latencyRun(o: Required<NotifyBenchOptions>, say: (s: string) => void) {
  const dir = await Deno.makeTempDir({ prefix: "rp-bench-notify-" });
  const kv = await Deno.openKv(`${dir}/kv.sqlite3`);
  useKv(kv);
  const { buildApp } = await import("@/main.ts");
  const handler = (await buildApp()).handler();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const clients: Client[] = [];
  try {
    const teachers: { id: string; role: "teacher" }[] = [];
    const tokens: string[] = [];
    for (let i = 0; i < o.teachers; i++) {
      const u = await createUser({ role: "teacher", name: `Guru Bench ${i}`, email: `guru.bench${i}@bench.test` });
      teachers.push({ id: u.id, role: "teacher" });
      tokens.push((await createSession(u.id, "bearer")).token);
    }
    const desk = await createUser({ role: "receptionist", name: "Resepsionis Bench", email: "desk.bench@bench.test" });
    const deskActor = { id: desk.id, role: "receptionist" as const };

    // Arrival bookkeeping: id → time; waiters by id.
    const arrivals = new Map<string, number>();
    const waiters = new Map<string, (t: number) => void>();
    let duplicates = 0;
    const onNotification = (id: string, t: number) => {
      if (arrivals.has(id)) {
        duplicates++;
        return;
      }
      arrivals.set(id, t);
      waiters.get(id)?.(t);
    };
    const arrival = (id: string) => {
      const t = arrivals.get(id);
      if (t !== undefined) return Promise.resolve(t);
      return withTimeout(new Promise<number>((r) => waiters.set(id, r)), 5_000, `notification ${id} not delivered`);
    };

    say(`notify bench: opening ${o.teachers} teacher streams…`);
    for (let i = 0; i < tokens.length; i += 50) {
      clients.push(...await Promise.all(tokens.slice(i, i + 50).map((t) => connect(base, t, onNotification))));
    }

    // The event source: a real check-in (guest book) when available, else a bare commit.
    const total = 1 + o.events + o.burst * o.bursts; // warm-up + sequential + bursts
    let mode: "checkIn" | "commit" = "checkIn";
    const codes: { code: string; teacher: number }[] = [];
    let fire: (i: number) => Promise<string>;
    try {
      const gb = await import("@/lib/guestbook/mod.ts");
      const startsAt = new Date(Date.now() + 10 * 60_000).toISOString();
      say(`notify bench: preparing ${total} appointments…`);
      for (let i = 0; i < total; i++) {
        const t = Math.floor(Math.random() * teachers.length);
        const created = await gb.createAppointment(
          {
            guestName: `Tamu ${i}`,
            guestPhone: `0812000000${String(i % 5).padStart(2, "0")}`,
            purpose: "Rapat orang tua",
            startsAt,
          },
          teachers[t],
          new Date(),
          { email: false },
        );
        codes.push({ code: created.qrCode, teacher: t });
      }
      fire = async (i) => (await gb.checkIn(codes[i].code, deskActor)).notificationId;
      await fire(0).then((id) => arrival(id)); // warm-up + proves the path works
    } catch (err) {
      say(`notify bench: guest-book check-in unavailable (${String(err).slice(0, 120)}); measuring bare commits`);
      mode = "commit";
      fire = async () => {
        const op = kv.atomic();
        const t = teachers[Math.floor(Math.random() * teachers.length)];
        const { id } = addNotificationOps(op, {
          userId: t.id,
          kind: "guest_arrived",
          data: {
            appointmentId: "bench",
            guestName: "Tamu",
            purpose: "Rapat",
            arrivedAt: new Date().toISOString(),
            late: false,
          },
        });
        if (!(await op.commit()).ok) throw new Error("commit failed");
        return id;
      };
      await fire(0).then((id) => arrival(id));
    }

    say(`notify bench: ${o.events} sequential check-ins…`);
    const seq: number[] = [];
    for (let i = 1; i <= o.events; i++) {
      const t0 = performance.now();
      const id = await fire(i);
      seq.push((await arrival(id)) - t0);
    }
    say(`notify bench: ${o.bursts} bursts of ${o.burst} concurrent check-ins…`);
    const burstLat: number[] = [];
    let next = o.events + 1;
    const burstStart = performance.now();
    let burstEvents = 0;
    for (let b = 0; b < o.bursts; b++) {
      const idx = Array.from({ length: o.burst }, () => next++);
      await Promise.all(idx.map(async (i) => {
        const t0 = performance.now();
        const id = await fire(i);
        burstLat.push((await arrival(id)) - t0);
        burstEvents++;
      }));
    }
    const burstSeconds = (performance.now() - burstStart) / 1000;
    return {
      mode,
      teachersConnected: clients.length,
      events: seq.length,
      latencyP50Ms: round(percentile(seq, 50), 2),
      latencyP99Ms: round(percentile(seq, 99), 2),
      latencyMaxMs: round(Math.max(...seq), 2),
      burstConcurrency: o.burst,
      burstEvents,
      burstLatencyP50Ms: round(percentile(burstLat, 50), 2),
      burstLatencyP99Ms: round(percentile(burstLat, 99), 2),
      burstCheckInsPerSecond: round(burstEvents / burstSeconds, 0),
      lost: Math.max(0, total - arrivals.size),
      duplicates,
    };
  } finally {
    await closeAll(clients);
    closeAllStreams();
    await withTimeout(server.shutdown(), 10_000, "server shutdown").catch(() => {});
    kv.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Part 2: server memory with `streams` open streams, measured in a child server process. */
async function memoryRun(o: Required<NotifyBenchOptions>, say: (s: string) => void) {
  const port = (() => {
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const p = (l.addr as Deno.NetAddr).port;
    l.close();
    return p;
  })();
  const proc = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--expose-gc", `${ROOT}/bench/notify.ts`, "--serve", "--port", String(port)],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
    env: { LOG_LEVEL: "error", APP_ENV: "test" },
  }).spawn();
  const out = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  const clients: Client[] = [];
  try {
    await withTimeout(
      (async () => {
        while (!buf.includes("ready")) {
          const { value, done } = await out.read();
          if (done) throw new Error("bench server exited");
          buf += value;
        }
      })(),
      60_000,
      "bench server start",
    );
    (async () => {
      try {
        while (!(await out.read()).done) { /* drain */ }
      } catch { /* closed */ }
    })();
    const base = `http://127.0.0.1:${port}`;
    const control = async (path: string) => {
      const res = await withTimeout(fetch(base + path, { method: "POST", headers: { "x-bench": "1" } }), 60_000, path);
      return await res.json();
    };
    const { tokens } = await control(`/__bench/users?n=${o.streams}`) as { tokens: string[] };
    const before = await control("/__bench/mem");
    say(`notify bench: opening ${o.streams} streams against a child server…`);
    const t0 = performance.now();
    for (let i = 0; i < tokens.length; i += 100) {
      clients.push(...await Promise.all(tokens.slice(i, i + 100).map((t) => connect(base, t, () => {}))));
    }
    const openMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 500));
    const during = await control("/__bench/mem");
    await closeAll(clients);
    clients.length = 0;
    const closedAt = performance.now();
    let after = await control("/__bench/mem");
    while (after.watches > 0 && performance.now() - closedAt < 30_000) {
      await new Promise((r) => setTimeout(r, 250));
      after = await control("/__bench/mem");
    }
    const cleanupMs = performance.now() - closedAt;
    const rssDelta = during.rss - before.rss;
    const heapDelta = during.heapUsed - before.heapUsed;
    return {
      streamsOpen: tokens.length,
      streamsOpenMs: round(openMs, 0),
      serverRssBeforeMB: round(before.rss / MB),
      serverRssWithStreamsMB: round(during.rss / MB),
      serverRssDeltaMB: round(rssDelta / MB),
      serverHeapUsedBeforeMB: round(before.heapUsed / MB),
      serverHeapUsedWithStreamsMB: round(during.heapUsed / MB),
      serverHeapDeltaMB: round(heapDelta / MB),
      rssPerStreamKB: round(rssDelta / tokens.length / 1000),
      heapPerStreamKB: round(heapDelta / tokens.length / 1000),
      watchesWithStreams: during.watches as number,
      watchesAfterClose: after.watches as number,
      cleanupMs: round(cleanupMs, 0),
      serverHeapUsedAfterCloseMB: round(after.heapUsed / MB),
    };
  } finally {
    await closeAll(clients);
    try {
      proc.kill("SIGTERM");
    } catch { /* gone */ }
    await withTimeout(proc.status, 10_000, "bench server exit").catch(() => {
      try {
        proc.kill("SIGKILL");
      } catch { /* gone */ }
    });
  }
}

/** Runs both parts and returns (and with `log`, prints) the numbers. */
export async function benchNotify(opts: NotifyBenchOptions = {}): Promise<NotifyBenchResult> {
  const prevLogLevel = Deno.env.get("LOG_LEVEL");
  Deno.env.set("LOG_LEVEL", "error"); // one log line per request would dominate the in-process run
  try {
    return await run(opts);
  } finally {
    if (prevLogLevel === undefined) Deno.env.delete("LOG_LEVEL");
    else Deno.env.set("LOG_LEVEL", prevLogLevel);
  }
}

async function run(opts: NotifyBenchOptions): Promise<NotifyBenchResult> {
  const o: Required<NotifyBenchOptions> = {
    teachers: opts.teachers ?? 200,
    events: opts.events ?? 300,
    burst: opts.burst ?? 20,
    bursts: opts.bursts ?? 10,
    streams: opts.streams ?? 1000,
    log: opts.log ?? false,
  };
  const say = (s: string) => {
    if (o.log) console.error(s);
  };
  const latency = await latencyRun(o, say);
  const memory = await memoryRun(o, say);
  const result: NotifyBenchResult = { ...latency, ...memory };
  if (o.log) {
    console.log(
      `notifications: check-in → SSE event with ${result.teachersConnected} teachers connected (${result.mode}): ` +
        `p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms, max ${result.latencyMaxMs} ms over ${result.events}; ` +
        `bursts of ${result.burstConcurrency}: p50 ${result.burstLatencyP50Ms} ms, p99 ${result.burstLatencyP99Ms} ms, ` +
        `${result.burstCheckInsPerSecond} check-ins/s; lost ${result.lost}, duplicates ${result.duplicates}`,
    );
    console.log(
      `notifications: ${result.streamsOpen} open streams: server RSS ${result.serverRssBeforeMB} → ${result.serverRssWithStreamsMB} MB ` +
        `(+${result.serverRssDeltaMB} MB, ${result.rssPerStreamKB} KB/stream), heap ${result.serverHeapUsedBeforeMB} → ` +
        `${result.serverHeapUsedWithStreamsMB} MB (+${result.serverHeapDeltaMB} MB, ${result.heapPerStreamKB} KB/stream); ` +
        `${result.watchesWithStreams} KV watches; after the clients left: ${result.watchesAfterClose} watches within ${result.cleanupMs} ms, ` +
        `heap ${result.serverHeapUsedAfterCloseMB} MB`,
    );
  }
  return result;
}

/** Child-process mode: the app on `--port` with a :memory: KV and two bench-only control routes. */
async function serveForBench(port: number): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  useKv(kv);
  const { buildApp } = await import("@/main.ts");
  const app = (await buildApp()).handler();
  const gc = (globalThis as { gc?: () => void }).gc;
  const mem = () => {
    for (let i = 0; i < 3; i++) gc?.();
    const m = Deno.memoryUsage();
    return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, watches: watchCount(kv) };
  };
  Deno.serve({ hostname: "127.0.0.1", port, onListen: () => console.log("ready") }, async (req, info) => {
    const url = new URL(req.url);
    if (url.pathname === "/__bench/users" && req.headers.get("x-bench") === "1") {
      const n = Math.min(5000, Math.max(1, Number(url.searchParams.get("n")) || 1));
      const tokens: string[] = [];
      for (let i = 0; i < n; i++) {
        const u = await createUser({ role: "teacher", name: `Guru ${i}`, email: `guru${i}@bench.test` });
        tokens.push((await createSession(u.id, "bearer")).token);
      }
      return Response.json({ tokens });
    }
    if (url.pathname === "/__bench/mem" && req.headers.get("x-bench") === "1") return Response.json(mem());
    return await app(req, info);
  });
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--port");
  if (Deno.args.includes("--serve")) await serveForBench(Number(Deno.args[i + 1]));
  else console.log(JSON.stringify(await benchNotify({ log: true })));
}
