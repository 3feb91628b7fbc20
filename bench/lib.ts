/** Small statistics and process helpers shared by the benchmarks. */

/** The p-th percentile (0–100) of `values` by nearest rank; NaN for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank];
}

/** The median of `values` (NaN for none). */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Rounds to `d` decimals. */
export function round(x: number, d = 1): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

/**
 * CPU time (user + system, ms) a process has used so far, from Linux's
 * `/proc/<pid>/stat` (fields 14–15, in clock ticks of 10 ms); null elsewhere.
 * Unlike requests/s it does not depend on what else the machine is running.
 */
export function cpuMs(pid: number): number | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return null;
  }
}

/** A free loopback TCP port. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Starts `deno run -A script --port N` and resolves once it prints "ready". */
export async function spawnServer(
  script: string,
  env: Record<string, string> = {},
): Promise<{ url: string; proc: Deno.ChildProcess; stop(): Promise<void> }> {
  const port = freePort();
  const proc = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, "--port", String(port)],
    stdout: "piped",
    stderr: "inherit",
    env: { LOG_LEVEL: "error", APP_ENV: "test", ...env },
  }).spawn();
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  const deadline = Date.now() + 60_000;
  while (!buf.includes("ready")) {
    if (Date.now() > deadline) throw new Error(`${script} did not start`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`${script} exited before ready`);
    buf += value;
  }
  (async () => {
    try {
      while (!(await reader.read()).done) { /* drain */ }
    } catch { /* closed */ }
  })();
  return {
    url: `http://127.0.0.1:${port}`,
    proc,
    async stop() {
      try {
        proc.kill("SIGTERM");
      } catch { /* gone */ }
      await proc.status;
    },
  };
}

/**
 * Closed-loop load: `connections` concurrent fetch loops against `url` for
 * `seconds` (after a warm-up of `warmupSeconds`, default 1 s). Returns requests
 * per second and errors.
 */
export async function load(
  url: string,
  connections: number,
  seconds: number,
  warmupSeconds = 1,
): Promise<{ rps: number; requests: number; errors: number }> {
  let stopAt = Date.now() + warmupSeconds * 1000;
  let counting = false;
  let requests = 0;
  let errors = 0;
  const worker = async () => {
    while (Date.now() < stopAt) {
      try {
        const r = await fetch(url);
        await r.arrayBuffer();
        if (counting) r.ok ? requests++ : errors++;
      } catch {
        if (counting) errors++;
      }
    }
  };
  const warm = Array.from({ length: connections }, worker);
  await Promise.all(warm);
  counting = true;
  const started = performance.now();
  stopAt = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  return { rps: requests / elapsed, requests, errors };
}
