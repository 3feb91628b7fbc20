/**
 * Consultation chat benchmark (docs/benchmarks.md "Chat"):
 *
 * The app runs in a child process (`--serve`, in-memory KV, rate limits off) that
 * prepares `rooms` (default 200) confirmed bookings in session, each with its client
 * and psychologist and a bearer token for both. This process opens both participants'
 * streams (`GET /api/bookings/{id}/chat/stream`, 2 × rooms SSE connections over real
 * loopback HTTP) and then sends messages with `POST /api/bookings/{id}/messages` from a
 * random participant of a random room:
 * - one at a time (`sequential`, default 400), then in bursts of `burst` concurrent sends
 *   (default 50 × 8), each burst over different rooms and both sides;
 * - latency = from starting the POST to the *other* participant's client having parsed the
 *   `event: message` (send → delivered);
 * - every stream checks that it receives each message of its room exactly once, in seq
 *   order: lost (never arrived within 5 s) and duplicated must be 0.
 * Server memory: `Deno.memoryUsage()` after a forced GC in the child, before the streams
 * were opened and with them open → extra RSS and heap per open stream.
 *
 * Loopback only; every wait is bounded; it ends by itself (~15–40 s on 2 busy cores).
 * `deno run -A bench/chat.ts` prints the result; `benchChat()` returns it.
 */
import { percentile, round } from "./lib.ts";
import { SseReader } from "@/lib/notify/sse_client.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const MB = 1e6;

/** Options; defaults are the numbers docs/benchmarks.md reports. */
export interface ChatBenchOptions {
  rooms?: number;
  sequential?: number;
  burst?: number;
  bursts?: number;
  log?: boolean;
}

/** What the benchmark measured. Times in ms, memory in MB / KB (10^3 bytes). */
export interface ChatBenchResult {
  rooms: number;
  streams: number;
  streamsOpenMs: number;
  messages: number;
  sequentialP50Ms: number;
  sequentialP99Ms: number;
  burstConcurrency: number;
  burstP50Ms: number;
  burstP99Ms: number;
  burstMessagesPerSecond: number;
  /** Messages that never reached the other side (or a sender's own other stream). */
  lost: number;
  duplicated: number;
  outOfOrder: number;
  serverRssBeforeMB: number;
  serverRssWithStreamsMB: number;
  rssPerStreamKB: number;
  heapPerStreamKB: number;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, rej) => timer = setTimeout(() => rej(new Error(`bench/chat: timeout: ${what}`)), ms)),
  ]).finally(() => clearTimeout(timer));
}

// ------------------------------------------------------------ child server

interface Room {
  id: string;
  client: { id: string; token: string };
  psy: { id: string; token: string };
}

async function serve(port: number, n: number): Promise<void> {
  Deno.env.set("RATE_LIMITS", "off");
  const { useKv } = await import("@/lib/db/kv.ts");
  const kv = await Deno.openKv(":memory:");
  useKv(kv);
  const { createUser } = await import("@/lib/auth/users.ts");
  const { createSession } = await import("@/lib/auth/sessions.ts");
  const { newId } = await import("@/lib/db/ids.ts");
  const { putBookingOps } = await import("@/lib/booking/store.ts");
  const { buildApp } = await import("@/main.ts");
  const rooms: Room[] = [];
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const c = await createUser({ role: "client", name: `Klien ${i}`, email: `klien.chat${i}@bench.test` });
    const p = await createUser({ role: "psychologist", name: `Psikolog ${i}`, email: `psi.chat${i}@bench.test` });
    const start = now - 5 * 60_000;
    const at = new Date(now).toISOString();
    const id = newId();
    await putBookingOps(kv.atomic(), null, {
      schemaVersion: 1,
      id,
      clientId: c.id,
      clientName: c.name,
      psychologistId: p.id,
      psychologistName: p.name,
      serviceId: "bench",
      serviceType: "chat",
      durationMinutes: 120,
      priceIdr: 150_000,
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + 120 * 60_000).toISOString(),
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      timeZone: "Asia/Jakarta",
      status: "in_session",
      holdUntil: null,
      orderId: `RP-${id}`,
      refund: null,
      rescheduleCount: 0,
      history: [],
      createdAt: at,
      updatedAt: at,
    }).commit();
    rooms.push({
      id,
      client: { id: c.id, token: (await createSession(c.id, "bearer")).token },
      psy: { id: p.id, token: (await createSession(p.id, "bearer")).token },
    });
  }
  const handler = (await buildApp()).handler();
  const gc = (globalThis as { gc?: () => void }).gc;
  Deno.serve({ hostname: "127.0.0.1", port, onListen: () => console.log("ready") }, (req, info) => {
    const url = new URL(req.url);
    if (url.pathname === "/__bench/rooms") return Response.json({ rooms });
    if (url.pathname === "/__bench/mem") {
      gc?.();
      gc?.();
      return Response.json(Deno.memoryUsage());
    }
    return handler(req, info);
  });
}

// ------------------------------------------------------------ client side

interface Stream {
  ac: AbortController;
  reader: SseReader;
  done: Promise<void>;
}

/** Per (room, receiver): seqs received, in order. */
type Seen = Map<string, number[]>;

async function open(
  base: string,
  room: Room,
  who: "client" | "psy",
  onMessage: (room: string, receiver: string, m: { seq: number; clientId: string }, t: number) => void,
): Promise<Stream> {
  const ac = new AbortController();
  const res = await fetch(`${base}/api/bookings/${room.id}/chat/stream`, {
    headers: { authorization: `Bearer ${room[who].token}` },
    signal: ac.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`stream HTTP ${res.status}`);
  const reader = new SseReader(res.body);
  let live!: () => void;
  const isLive = new Promise<void>((r) => live = r);
  const done = (async () => {
    try {
      for (;;) {
        const e = await reader.next();
        if (!e) return;
        if (e.event === "receipts") live();
        else if (e.event === "message") onMessage(room.id, room[who].id, JSON.parse(e.data), performance.now());
      }
    } catch { /* closed */ }
  })();
  await withTimeout(isLive, 15_000, "stream not live");
  return { ac, reader, done };
}

async function run(o: Required<ChatBenchOptions>): Promise<ChatBenchResult> {
  const say = (s: string) => o.log && console.log(s);
  const port = (() => {
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const p = (l.addr as Deno.NetAddr).port;
    l.close();
    return p;
  })();
  const proc = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      `${ROOT}/bench/chat.ts`,
      "--serve",
      "--port",
      String(port),
      "--rooms",
      String(o.rooms),
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
    env: { LOG_LEVEL: "error", APP_ENV: "test", RATE_LIMITS: "off" },
  }).spawn();
  const out = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const streams: Stream[] = [];
  try {
    let buf = "";
    await withTimeout(
      (async () => {
        while (!buf.includes("ready")) {
          const { value, done } = await out.read();
          if (done) throw new Error("bench server exited");
          buf += value;
        }
      })(),
      120_000,
      "server start",
    );
    (async () => {
      try {
        while (!(await out.read()).done) { /* drain */ }
      } catch { /* closed */ }
    })();
    const base = `http://127.0.0.1:${port}`;
    const { rooms } = await (await fetch(`${base}/__bench/rooms`)).json() as { rooms: Room[] };
    const mem = async () => await (await fetch(`${base}/__bench/mem`)).json() as Deno.MemoryUsage;
    const before = await mem();

    const seen: Seen = new Map();
    const waiters = new Map<string, (t: number) => void>();
    let duplicated = 0;
    let outOfOrder = 0;
    const onMessage = (room: string, receiver: string, m: { seq: number; clientId: string }, t: number) => {
      const k = `${room}\n${receiver}`;
      const list = seen.get(k) ?? [];
      if (list.includes(m.seq)) duplicated++;
      else {
        if (list.length && m.seq !== list.at(-1)! + 1) outOfOrder++;
        list.push(m.seq);
      }
      seen.set(k, list);
      waiters.get(`${k}\n${m.clientId}`)?.(t);
    };
    say(`chat bench: opening ${rooms.length * 2} streams (${rooms.length} rooms × 2)…`);
    const t0 = performance.now();
    for (let i = 0; i < rooms.length; i += 50) {
      const batch = rooms.slice(i, i + 50);
      streams.push(
        ...await Promise.all(
          batch.flatMap((r) => [open(base, r, "client", onMessage), open(base, r, "psy", onMessage)]),
        ),
      );
    }
    const openMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 300));
    const during = await mem();

    const sent = new Map<string, number>(); // room → messages stored
    let lost = 0;
    const sendOne = async (room: Room, fromClient: boolean): Promise<number> => {
      const from = fromClient ? room.client : room.psy;
      const to = fromClient ? room.psy : room.client;
      const clientId = crypto.randomUUID();
      const arrived = new Promise<number>((r) => waiters.set(`${room.id}\n${to.id}\n${clientId}`, r));
      const t = performance.now();
      const res = await fetch(`${base}/api/bookings/${room.id}/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${from.token}`, "content-type": "application/json", origin: base },
        body: JSON.stringify({ clientId, text: `Pesan uji ${clientId.slice(0, 8)} 🙂` }),
      });
      await res.body?.cancel();
      if (res.status !== 201) throw new Error(`send HTTP ${res.status}`);
      sent.set(room.id, (sent.get(room.id) ?? 0) + 1);
      try {
        const at = await withTimeout(arrived, 5_000, "delivery");
        return at - t;
      } catch {
        return NaN; // counted as lost by the per-stream check below
      } finally {
        waiters.delete(`${room.id}\n${to.id}\n${clientId}`);
      }
    };
    const pick = () => rooms[Math.floor(Math.random() * rooms.length)];
    say(`chat bench: ${o.sequential} sequential sends…`);
    const seq: number[] = [];
    for (let i = 0; i < o.sequential; i++) seq.push(await sendOne(pick(), Math.random() < 0.5));
    say(`chat bench: ${o.bursts} bursts of ${o.burst} concurrent sends…`);
    const burst: number[] = [];
    const tb = performance.now();
    for (let b = 0; b < o.bursts; b++) {
      // Half the burst in distinct rooms, half as both sides of the same rooms at once (seq races).
      const rs = Array.from({ length: Math.ceil(o.burst / 2) }, pick);
      burst.push(...await Promise.all(rs.flatMap((r) => [sendOne(r, true), sendOne(r, false)]).slice(0, o.burst)));
    }
    const burstMs = performance.now() - tb;
    await new Promise((r) => setTimeout(r, 500));
    // Every stream of every room got exactly 1..n of its room (own messages included).
    for (const r of rooms) {
      const n = sent.get(r.id) ?? 0;
      for (const who of [r.client.id, r.psy.id]) {
        const got = seen.get(`${r.id}\n${who}`) ?? [];
        for (let s = 1; s <= n; s++) if (!got.includes(s)) lost++;
      }
    }
    const ok = (xs: number[]) => xs.filter((x) => Number.isFinite(x));
    return {
      rooms: rooms.length,
      streams: streams.length,
      streamsOpenMs: round(openMs, 0),
      messages: seq.length + burst.length,
      sequentialP50Ms: round(percentile(ok(seq), 50), 2),
      sequentialP99Ms: round(percentile(ok(seq), 99), 2),
      burstConcurrency: o.burst,
      burstP50Ms: round(percentile(ok(burst), 50), 2),
      burstP99Ms: round(percentile(ok(burst), 99), 2),
      burstMessagesPerSecond: round(burst.length / (burstMs / 1000), 0),
      lost,
      duplicated,
      outOfOrder,
      serverRssBeforeMB: round(before.rss / MB),
      serverRssWithStreamsMB: round(during.rss / MB),
      rssPerStreamKB: round((during.rss - before.rss) / streams.length / 1000),
      heapPerStreamKB: round((during.heapUsed - before.heapUsed) / streams.length / 1000),
    };
  } finally {
    for (const s of streams) {
      s.ac.abort();
      s.reader.cancel();
    }
    try {
      proc.kill("SIGTERM");
    } catch { /* gone */ }
    await withTimeout(proc.status, 10_000, "server exit").catch(() => {
      try {
        proc.kill("SIGKILL");
      } catch { /* gone */ }
    });
  }
}

/** Runs the chat benchmark (see the module doc) and returns its numbers. */
export async function benchChat(opts: ChatBenchOptions = {}): Promise<ChatBenchResult> {
  return await run({
    rooms: opts.rooms ?? 200,
    sequential: opts.sequential ?? 400,
    burst: opts.burst ?? 50,
    bursts: opts.bursts ?? 8,
    log: opts.log ?? false,
  });
}

/** One line per number, as `deno task bench` prints them. */
export function formatChat(c: ChatBenchResult): string {
  return [
    `${c.rooms} rooms × 2 participants (${c.streams} SSE streams, opened in ${c.streamsOpenMs} ms), ${c.messages} messages`,
    `send → delivered: one at a time p50 ${c.sequentialP50Ms} ms, p99 ${c.sequentialP99Ms} ms; bursts of ${c.burstConcurrency} concurrent p50 ${c.burstP50Ms} ms, p99 ${c.burstP99Ms} ms (${c.burstMessagesPerSecond} messages/s)`,
    `lost ${c.lost}, duplicated ${c.duplicated}, out of order ${c.outOfOrder}`,
    `server RSS ${c.serverRssBeforeMB} → ${c.serverRssWithStreamsMB} MB with the streams open: +${c.rssPerStreamKB} KB RSS, +${c.heapPerStreamKB} KB heap per stream`,
  ].join("\n");
}

if (import.meta.main) {
  const arg = (name: string) => {
    const i = Deno.args.indexOf(name);
    return i >= 0 ? Deno.args[i + 1] : undefined;
  };
  if (Deno.args.includes("--serve")) {
    await serve(Number(arg("--port")), Number(arg("--rooms") ?? 200));
  } else {
    const r = await benchChat({ log: true });
    console.log(formatChat(r));
  }
}
