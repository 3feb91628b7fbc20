/**
 * The real server (`serve()` from main.ts, in a subprocess with a `:memory:`
 * KV on a random 127.0.0.1 port) under a low open-files limit (256): idle
 * and slow connections are closed after the configured timeouts, more idle
 * connections than the limit do not kill it, it keeps answering and recovers,
 * and SIGTERM stops it cleanly. Every loop is bounded; loopback only.
 */
import assert from "node:assert/strict";

const FD_LIMIT = 256;
const IDLE_MS = 1500;
const REQUEST_MS = 2000;
const FLOOD = 400; // more connections than descriptors

interface Child {
  port: number;
  /** Resolves when every process holding the output pipes has ended. */
  outputClosed: Promise<void>;
  output(): string;
  alive(): boolean;
  status: Promise<Deno.CommandStatus>;
  kill(sig?: Deno.Signal): void;
}

/** `prlimit` when installed, else `sh -c 'ulimit -n …; exec …'`. */
function limited(cmd: string[]): [string, string[]] {
  try {
    new Deno.Command("prlimit", { args: ["--version"], stdout: "null", stderr: "null" }).outputSync();
    return ["prlimit", [`--nofile=${FD_LIMIT}`, ...cmd]];
  } catch {
    return ["sh", ["-c", `ulimit -n ${FD_LIMIT} && exec "$0" "$@"`, ...cmd]];
  }
}

const ENTRY = new URL("./fixtures/serve_entry.ts", import.meta.url).pathname;

async function startServer(
  env: Record<string, string> = {},
  command = limited([Deno.execPath(), "run", "-A", ENTRY, "0"]),
): Promise<Child> {
  const [bin, args] = command;
  const child = new Deno.Command(bin, {
    args,
    cwd: new URL("..", import.meta.url).pathname,
    env: {
      DENO_KV_PATH: ":memory:",
      APP_ENV: "development",
      LOG_LEVEL: "info",
      HTTP_IDLE_TIMEOUT_MS: String(IDLE_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    for await (const chunk of stream) out += dec.decode(chunk, { stream: true });
  };
  const outputClosed = Promise.all([pump(child.stdout), pump(child.stderr)]).then(() => {});
  const t0 = Date.now();
  while (!/PORT=(\d+)/.test(out)) {
    if (exited || Date.now() - t0 > 60_000) {
      if (!exited) child.kill("SIGKILL");
      await status;
      throw new Error(`server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port: Number(out.match(/PORT=(\d+)/)![1]),
    outputClosed,
    output: () => out,
    alive: () => !exited,
    status,
    kill: (sig: Deno.Signal = "SIGTERM") => {
      if (!exited) child.kill(sig);
    },
  };
}

const enc = new TextEncoder();

/** Reads until the peer closes (or `maxMs`); returns the text and how long it took. */
async function readUntilClosed(conn: Deno.Conn, maxMs: number): Promise<{ text: string; ms: number; closed: boolean }> {
  const t0 = Date.now();
  const buf = new Uint8Array(16 * 1024);
  let text = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((r) => timer = setTimeout(() => r("timeout"), maxMs));
  try {
    while (true) {
      const n = await Promise.race([conn.read(buf).catch(() => null), timeout]);
      if (n === "timeout") return { text, ms: Date.now() - t0, closed: false };
      if (n === null) return { text, ms: Date.now() - t0, closed: true };
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

/** One `GET path` over a fresh connection; the status code, or null when no answer came. */
async function rawGet(port: number, path: string, maxMs = 5000): Promise<number | null> {
  let conn: Deno.Conn;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
  } catch {
    return null;
  }
  await conn.write(enc.encode(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)).catch(() => {});
  const { text } = await readUntilClosed(conn, maxMs);
  const m = text.match(/^HTTP\/1\.1 (\d{3})/);
  return m ? Number(m[1]) : null;
}

async function stop(child: Child) {
  child.kill("SIGTERM");
  const t0 = Date.now();
  const s = await child.status;
  return { code: s.code, ms: Date.now() - t0 };
}

Deno.test({
  name: "idle, trickled-head and trickled-body connections are closed after the configured timeouts",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const srv = await startServer();
    try {
      assert.equal(await rawGet(srv.port, "/healthz"), 200);

      // Sends nothing at all.
      const silent = await Deno.connect({ hostname: "127.0.0.1", port: srv.port });
      // Sends half a request head.
      const halfHead = await Deno.connect({ hostname: "127.0.0.1", port: srv.port });
      await halfHead.write(enc.encode("GET /healthz HTTP/1.1\r\nHost: localhost\r\n"));
      // Keep-alive connection after one complete request.
      const keepAlive = await Deno.connect({ hostname: "127.0.0.1", port: srv.port });
      await keepAlive.write(enc.encode("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"));
      // A JSON body promised at 100 bytes, 4 sent.
      const slowBody = await Deno.connect({ hostname: "127.0.0.1", port: srv.port });
      await slowBody.write(enc.encode(
        "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
          'Content-Length: 100\r\n\r\n{"em',
      ));

      const [a, b, c, d] = await Promise.all(
        [silent, halfHead, keepAlive, slowBody].map((conn) => readUntilClosed(conn, 10_000)),
      );
      for (const [name, r] of [["silent", a], ["half head", b], ["keep-alive", c]] as const) {
        assert.ok(r.closed, `${name}: closed by the server`);
        assert.ok(r.ms >= IDLE_MS - 300 && r.ms < IDLE_MS + 3000, `${name}: closed after ${r.ms} ms`);
      }
      assert.match(c.text, /^HTTP\/1\.1 200/, "the keep-alive request itself was answered");
      assert.ok(d.closed, "slow body: closed by the server");
      assert.match(d.text, /^HTTP\/1\.1 408/, "slow body: 408 Request Timeout");
      assert.ok(d.ms >= REQUEST_MS - 300 && d.ms < REQUEST_MS + 3000, `slow body: closed after ${d.ms} ms`);
      assert.ok(srv.alive());
    } finally {
      const { code } = await stop(srv);
      assert.equal(code, 0, srv.output());
    }
  },
});

Deno.test({
  name: `${FLOOD} idle connections against an open-files limit of ${FD_LIMIT}: the server lives, answers, recovers`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // Long idle timeout: the flood is still open while we probe.
    const srv = await startServer({ HTTP_IDLE_TIMEOUT_MS: "60000" });
    const conns: Deno.Conn[] = [];
    try {
      for (let i = 0; i < FLOOD; i += 50) {
        const batch = await Promise.allSettled(
          Array.from({ length: 50 }, () => Deno.connect({ hostname: "127.0.0.1", port: srv.port })),
        );
        for (const r of batch) if (r.status === "fulfilled") conns.push(r.value);
      }
      assert.ok(conns.length > FD_LIMIT, `opened ${conns.length} connections`);
      await new Promise((r) => setTimeout(r, 1000));
      assert.ok(srv.alive(), `still running with the flood open:\n${srv.output()}`);

      // Idle connections make room for new ones: answered even while flooded.
      let during: number | null = null;
      for (let i = 0; i < 3 && during !== 200; i++) during = await rawGet(srv.port, "/healthz", 5000);
      assert.equal(during, 200, "answers /healthz during the flood");

      for (const c of conns.splice(0)) {
        try {
          c.close();
        } catch { /* closed by the server already */ }
      }
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(srv.alive());
      let after: number | null = null;
      for (let i = 0; i < 5 && after !== 200; i++) after = await rawGet(srv.port, "/healthz");
      assert.equal(after, 200, "answers /healthz after the flood");
      assert.doesNotMatch(srv.output(), /Uncaught|Too many open files \(os error 24\)\s+at /);
    } finally {
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      const { code, ms } = await stop(srv);
      assert.equal(code, 0, `SIGTERM ends it cleanly (${ms} ms):\n${srv.output()}`);
    }
  },
});

Deno.test({
  name: "the server stops when the process that launched it ends (npx killed with SIGTERM)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // `sh -c '…; :'` stays the parent of deno, as npm's shell and the npm shim do.
    const srv = await startServer({}, ["sh", ["-c", `"$0" run -A "$1" 0; :`, Deno.execPath(), ENTRY]]);
    assert.equal(await rawGet(srv.port, "/healthz"), 200);
    srv.kill("SIGTERM"); // only the shell
    assert.equal((await srv.status).signal, "SIGTERM");
    const t0 = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ended = await Promise.race([
      srv.outputClosed.then(() => true),
      new Promise<false>((r) => timer = setTimeout(() => r(false), 15_000)),
    ]);
    clearTimeout(timer);
    assert.ok(ended, `server still running ${Date.now() - t0} ms after its launcher ended:\n${srv.output()}`);
    assert.match(srv.output(), /"msg":"shutting down"/);
    assert.equal(await rawGet(srv.port, "/healthz", 1000), null, "nothing listens any more");
  },
});
