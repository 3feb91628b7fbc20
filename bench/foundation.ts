/**
 * Foundation benchmark:
 * - requests/s of `GET /about` against a bare `Deno.serve` hello-world measured in
 *   the same run in alternating rounds, and their ratio (median and range);
 * - sign-in latency p50/p99 (`POST /api/auth/login`, argon2id verification included);
 * - bytes of JavaScript sent by `/about` (must be 0) and by the home pages
 *   (anonymous landing, and a signed-in teacher home with the notification island).
 * Loopback only, bounded in time.
 */
import { cpuMs, load, median, percentile, round, spawnServer } from "./lib.ts";
import { useKv } from "@/lib/db/kv.ts";
import { buildApp } from "@/main.ts";
import { createUser } from "@/lib/auth/users.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** Sums the bytes of every script a page loads: inline module code plus bundles and their static imports. */
export async function javascriptBytes(fetchPath: (path: string) => Promise<Response>, path: string): Promise<number> {
  const html = await (await fetchPath(path)).text();
  let bytes = 0;
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const m of html.matchAll(/<script(?![^>]*type="application\/json")[^>]*>([\s\S]*?)<\/script>/g)) {
    bytes += new TextEncoder().encode(m[1]).length;
    for (const imp of m[1].matchAll(/from\s*"([^"]+\.js)"/g)) queue.push(imp[1]);
  }
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) queue.push(m[1]);
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const body = await (await fetchPath(url)).text();
    bytes += new TextEncoder().encode(body).length;
    const dir = url.slice(0, url.lastIndexOf("/") + 1);
    for (const imp of body.matchAll(/(?:from|import)\s*"(\.\/[^"]+\.js)"/g)) queue.push(dir + imp[1].slice(2));
  }
  return bytes;
}

/**
 * The security headers a page must keep however fast it gets (docs/architecture.md
 * "Security baseline"); the benchmark refuses to report a ratio without them.
 */
export const PAGE_SECURITY_HEADERS = [
  "content-security-policy",
  "strict-transport-security",
  "x-content-type-options",
  "referrer-policy",
  "x-frame-options",
] as const;

/**
 * Requests/s of the app's `path` and of a bare `Deno.serve` hello-world, each
 * in its own process, measured in alternating rounds (hello first in even
 * rounds, the app first in odd ones) so that load from other processes on
 * the machine hits both alike. Returns the medians and the range of the
 * per-round ratios, and each server's CPU time per request (Linux), whose
 * ratio does not depend on the machine's other load. The warm-up (1 s each)
 * is not counted; a round counts from its first request.
 * @throws Error when the page lacks a security header or its CSP has no nonce.
 */
export async function benchPageRatio(
  opts: { path?: string; rounds?: number; seconds?: number; connections?: number } = {},
) {
  const path = opts.path ?? "/about";
  const rounds = opts.rounds ?? 6;
  const seconds = opts.seconds ?? 2;
  const connections = opts.connections ?? 32;
  const hello = await spawnServer(`${ROOT}bench/hello.ts`);
  const app = await spawnServer(`${ROOT}bench/serve_app.ts`);
  try {
    const probe = await fetch(`${app.url}${path}`);
    await probe.arrayBuffer();
    for (const h of PAGE_SECURITY_HEADERS) {
      if (!probe.headers.has(h)) throw new Error(`${path} lacks ${h}: not a fair comparison`);
    }
    if (!/'nonce-[A-Za-z0-9+/=]{16,}'/.test(probe.headers.get("content-security-policy")!)) {
      throw new Error(`${path}: CSP without a nonce`);
    }
    await load(`${hello.url}/`, connections, 0, 1);
    await load(`${app.url}${path}`, connections, 0, 1);
    const helloRps: number[] = [];
    const appRps: number[] = [];
    const ratios: number[] = [];
    const helloCpu: number[] = [];
    const appCpu: number[] = [];
    let errors = 0;
    for (let r = 0; r < rounds; r++) {
      const measured = async (server: typeof hello, url: string, cpu: number[]) => {
        const before = cpuMs(server.proc.pid);
        const res = await load(url, connections, seconds, 0);
        const after = cpuMs(server.proc.pid);
        if (before !== null && after !== null && res.requests > 0) cpu.push((after - before) * 1000 / res.requests);
        return res;
      };
      const runHello = () => measured(hello, `${hello.url}/`, helloCpu);
      const runApp = () => measured(app, `${app.url}${path}`, appCpu);
      let h, a;
      if (r % 2 === 0) {
        h = await runHello();
        a = await runApp();
      } else {
        a = await runApp();
        h = await runHello();
      }
      helloRps.push(h.rps);
      appRps.push(a.rps);
      ratios.push(a.rps / h.rps);
      errors += h.errors + a.errors;
    }
    return {
      helloRps: round(median(helloRps), 0),
      appRps: round(median(appRps), 0),
      ratio: round(median(ratios), 3),
      ratioMin: round(Math.min(...ratios), 3),
      ratioMax: round(Math.max(...ratios), 3),
      rounds,
      errors,
      // Server CPU time per request (µs), and hello's over the app's: the same
      // comparison without the noise of other processes taking turns on the cores.
      helloCpuUsPerRequest: round(median(helloCpu), 1),
      appCpuUsPerRequest: round(median(appCpu), 1),
      cpuRatio: round(median(helloCpu) / median(appCpu), 3),
    };
  } finally {
    await hello.stop();
    await app.stop();
  }
}

/** Runs the foundation benchmark and returns its numbers. */
export async function benchFoundation(opts: { seconds?: number; connections?: number; logins?: number } = {}) {
  const page = await benchPageRatio({ seconds: opts.seconds, connections: opts.connections });

  // In-process for latency and bytes.
  useKv(await Deno.openKv(":memory:"));
  const handler = (await buildApp()).handler();
  const call = (path: string, init?: RequestInit) => handler(new Request(`http://localhost${path}`, init));
  const logins = opts.logins ?? 60;
  const password = "bench-password-123";
  const latencies: number[] = [];
  // One account per few sign-ins keeps the per-identity rate limit out of the measurement.
  let user = await createUser({ role: "teacher", name: "Bench", email: "bench0@bench.test", password });
  for (let i = 0; i < logins; i++) {
    if (i % 4 === 0) {
      user = await createUser({ role: "teacher", name: "Bench", email: `bench${i + 1}@bench.test`, password });
    }
    const t0 = performance.now();
    const res = await call("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": `10.0.${i >> 8}.${i & 255}` },
      body: JSON.stringify({ email: user.email, password }),
    });
    await res.arrayBuffer();
    latencies.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`login failed in benchmark: ${res.status}`);
  }
  const teacher = await createUser({ role: "teacher", name: "Guru Bench", email: "guru.bench@bench.test", password });
  const tok = await (await call("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: teacher.email, password }),
  })).json() as { token: string };
  const authed = (path: string) => call(path, { headers: { authorization: `Bearer ${tok.token}` } });
  const anon = (path: string) => call(path);
  const jsAbout = await javascriptBytes(anon, "/about");
  const jsLanding = await javascriptBytes(anon, "/");
  const jsTeacherHome = await javascriptBytes(authed, "/teacher");
  return {
    helloRps: page.helloRps,
    aboutRps: page.appRps,
    ratio: page.ratio,
    ratioMin: page.ratioMin,
    ratioMax: page.ratioMax,
    ratioRounds: page.rounds,
    helloCpuUsPerRequest: page.helloCpuUsPerRequest,
    appCpuUsPerRequest: page.appCpuUsPerRequest,
    cpuRatio: page.cpuRatio,
    loadErrors: page.errors,
    signInP50Ms: round(percentile(latencies, 50)),
    signInP99Ms: round(percentile(latencies, 99)),
    jsBytesAbout: jsAbout,
    jsBytesLanding: jsLanding,
    jsBytesTeacherHome: jsTeacherHome,
  };
}

if (import.meta.main) {
  // `deno run -A bench/foundation.ts ratio [rounds]`: only the page/hello ratio.
  if (Deno.args[0] === "ratio") console.log(await benchPageRatio({ rounds: Number(Deno.args[1] ?? 6) }));
  else console.log(await benchFoundation());
}
