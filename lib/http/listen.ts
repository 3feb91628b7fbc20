/**
 * The HTTP listener of the running server: our own TCP accept loop that hands
 * each connection to Deno's HTTP/1.1 + HTTP/2 engine, so that the process
 * survives descriptor exhaustion and idle or slow clients are cut off.
 *
 * Why not plain `Deno.serve`: in Deno 2.9 it has no timeout options (a client
 * that opens a socket and sends nothing keeps it forever), and when `accept()`
 * fails with EMFILE ("Too many open files") its `finished` promise rejects,
 * the server stops and the rejection ends the process (denoland/deno#10148).
 * `node:http` does honour socket timeouts in Deno 2.9.5, but its listener
 * silently stops accepting after an EMFILE (measured), so it is no better.
 *
 * What this does instead (each rule measured by tests/server_resilience_test.ts):
 * - `accept()` errors (EMFILE, ENFILE, ECONNABORTED…) are logged and retried
 *   after a back-off of 5 ms doubling to 1 s, like hyper's `sleep_on_errors`;
 *   waiting clients stay in the kernel's listen queue meanwhile.
 * - At most `maxConnections` connections are open. When a new one would pass
 *   the cap, the oldest idle connection (no request in progress) is closed to
 *   make room, as nginx does with keep-alive connections; if every connection
 *   is busy, the new one is closed at once.
 * - A connection with no request in progress (a new one whose request head has
 *   not arrived, a trickled head, or keep-alive between requests) is closed
 *   after `idleTimeoutMs`.
 * - A request whose handler has not produced a response `requestTimeoutMs`
 *   after its head arrived (for example a body trickled byte by byte) gets
 *   `408 Request Timeout` with `Connection: close`.
 *
 * Each connection is served by `serveHttpOnConnection`, the function
 * `Deno.serve` itself uses per listener (exposed on `Deno[Deno.internal]` in
 * Deno 2.x, not in the public typings). When it is missing (another Deno
 * version), `listenAndServe` falls back to `Deno.serve` without timeouts and
 * restarts it after accept failures; a warning says so.
 */
import { log } from "@/lib/log.ts";

/** Handler of one request, as for `Deno.serve`. */
export type ConnHandler = (
  req: Request,
  info: Deno.ServeHandlerInfo<Deno.NetAddr>,
) => Response | Promise<Response>;

/** Options of {@link listenAndServe}. Times in milliseconds. */
export interface ListenOptions {
  hostname: string;
  /** TCP port; 0 = any free port (see `addr.port`). */
  port: number;
  handler: ConnHandler;
  /** Close a connection that has no request in progress after this long. */
  idleTimeoutMs: number;
  /** Answer 408 when a handler has not responded this long after the request head. */
  requestTimeoutMs: number;
  /** Cap on open connections (see the module comment for what happens at the cap). */
  maxConnections: number;
  onListen?: (addr: Deno.NetAddr) => void;
}

/** A running listener. */
export interface RunningServer {
  addr: Deno.NetAddr;
  /** Resolves once the listener is closed and every connection has ended. */
  finished: Promise<void>;
  /** Open connections right now. */
  connections(): number;
  /**
   * Stops accepting, closes idle connections, lets in-flight requests finish
   * (waits at most `graceMs`, then closes the rest) and resolves when all ended.
   */
  shutdown(graceMs?: number): Promise<void>;
}

interface ServeOnConnection {
  finished: Promise<void>;
  shutdown(): Promise<void>;
}

type ServeHttpOnConnection = (
  conn: Deno.Conn,
  signal: AbortSignal | undefined,
  handler: ConnHandler,
  onError: (error: unknown) => Response | Promise<Response>,
  onListen: () => void,
) => ServeOnConnection;

/** Deno's per-connection HTTP server, or null when this Deno lacks it. */
function serveHttpOnConnection(): ServeHttpOnConnection | null {
  const d = Deno as unknown as Record<symbol, Record<string, unknown> | undefined> & { internal?: symbol };
  const fn = d.internal ? d[d.internal]?.serveHttpOnConnection : undefined;
  return typeof fn === "function" ? fn as ServeHttpOnConnection : null;
}

const BACKOFF_FIRST_MS = 5;
const BACKOFF_MAX_MS = 1000;
/** At most one "accept failed" / "connection dropped" log line per this many ms. */
const LOG_EVERY_MS = 5000;

/** Transport-level answer; the app's error pages need a request head and a handler. */
function requestTimeout(): Response {
  return new Response("408 Request Timeout\n", {
    status: 408,
    headers: { "connection": "close", "content-type": "text/plain; charset=utf-8" },
  });
}

function internalError(error: unknown): Response {
  log("error", "request failed", { error: error instanceof Error ? error.message : String(error) });
  return new Response("500 Internal Server Error\n", {
    status: 500,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Logs at most once per {@link LOG_EVERY_MS}, with the number of events since the last line. */
function throttledLog(msg: string) {
  let last = 0;
  let count = 0;
  return (fields: Record<string, unknown>) => {
    count++;
    const now = Date.now();
    if (now - last < LOG_EVERY_MS) return;
    log("warn", msg, { ...fields, count });
    last = now;
    count = 0;
  };
}

interface Connection {
  busy: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  close: AbortController;
  server: ServeOnConnection | null;
}

/**
 * Listens on `hostname:port` and serves `handler` under the rules of the
 * module comment. Throws like `Deno.listen` when the address is taken.
 */
export function listenAndServe(opts: ListenOptions): RunningServer {
  const serveOn = serveHttpOnConnection();
  if (!serveOn) return fallbackServe(opts);

  const listener = Deno.listen({ hostname: opts.hostname, port: opts.port });
  const addr = listener.addr;
  const open = new Set<Connection>();
  let closing = false;
  const acceptFailed = throttledLog("accept failed, retrying");
  const dropped = throttledLog("connection limit reached");
  let drained: (() => void) | null = null;

  const arm = (c: Connection) => {
    clearTimeout(c.timer);
    c.timer = setTimeout(() => c.close.abort(), opts.idleTimeoutMs);
  };

  const serveConnection = (conn: Deno.Conn) => {
    const c: Connection = { busy: 0, timer: undefined, close: new AbortController(), server: null };
    open.add(c);
    arm(c);
    const handler: ConnHandler = (req, info) => {
      c.busy++;
      clearTimeout(c.timer);
      let late = false;
      const done = () => {
        // After a 408 the client is not sending on schedule: close. (Deno 2.9.5
        // ignores an abort raised inside this very callback: measured.)
        if (late) setTimeout(() => c.close.abort(), 10);
        else if (--c.busy === 0 && !c.close.signal.aborted) arm(c);
      };
      info.completed.then(done, done);
      let deadline: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<Response>((resolve) => {
        deadline = setTimeout(() => {
          late = true;
          resolve(requestTimeout());
        }, opts.requestTimeoutMs);
      });
      const answer = Promise.resolve().then(() => opts.handler(req, info));
      return Promise.race([answer, timedOut]).finally(() => clearTimeout(deadline));
    };
    c.server = serveOn(conn, c.close.signal, handler, internalError, () => {});
    c.server.finished
      .catch((error) => log("debug", "connection ended with an error", { error: String(error) }))
      .finally(() => {
        clearTimeout(c.timer);
        open.delete(c);
        try {
          conn.close();
        } catch { /* already closed by the HTTP engine */ }
        if (closing && open.size === 0) drained?.();
      });
  };

  /** Makes room for one more connection; false when every connection is busy. */
  const makeRoom = (): boolean => {
    if (open.size < opts.maxConnections) return true;
    for (const c of open) {
      if (c.busy === 0 && !c.close.signal.aborted) {
        c.close.abort();
        return true;
      }
    }
    return false;
  };

  const acceptLoop = (async () => {
    let backoff = 0;
    while (!closing) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
        backoff = 0;
      } catch (error) {
        if (closing || error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted) break;
        backoff = backoff ? Math.min(BACKOFF_MAX_MS, backoff * 2) : BACKOFF_FIRST_MS;
        acceptFailed({ error: error instanceof Error ? error.message : String(error), retryInMs: backoff });
        await sleep(backoff);
        continue;
      }
      if (!makeRoom()) {
        dropped({ open: open.size, max: opts.maxConnections });
        try {
          conn.close();
        } catch { /* gone */ }
        continue;
      }
      serveConnection(conn);
    }
  })();

  const allEnded = () =>
    open.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => {
      drained = resolve;
    });

  const finished = acceptLoop.then(allEnded);
  opts.onListen?.(addr);
  return {
    addr,
    finished,
    connections: () => open.size,
    async shutdown(graceMs = 10_000) {
      closing = true;
      try {
        listener.close();
      } catch { /* already closed */ }
      for (const c of open) {
        clearTimeout(c.timer);
        if (c.busy === 0) c.close.abort();
        else c.server?.shutdown().catch(() => {});
      }
      const grace = setTimeout(() => {
        for (const c of open) c.close.abort();
      }, graceMs);
      await finished;
      clearTimeout(grace);
    },
  };
}

/**
 * `Deno.serve` without connection timeouts, restarted (same address) when it
 * stops after an accept failure. Only used when Deno lacks
 * `serveHttpOnConnection`.
 */
function fallbackServe(opts: ListenOptions): RunningServer {
  log("warn", "per-connection serving unavailable in this Deno: no idle/request timeouts", {
    deno: Deno.version.deno,
  });
  let ac = new AbortController();
  let closing = false;
  const start = (port: number) =>
    Deno.serve({ hostname: opts.hostname, port, signal: ac.signal, onListen: () => {} }, opts.handler);
  let server = start(opts.port);
  const addr = server.addr;
  const finished = (async () => {
    let backoff = 0;
    while (true) {
      try {
        await server.finished;
        if (closing) return;
      } catch (error) {
        if (closing) return;
        log("warn", "server stopped, restarting", { error: error instanceof Error ? error.message : String(error) });
      }
      backoff = backoff ? Math.min(BACKOFF_MAX_MS, backoff * 2) : BACKOFF_FIRST_MS;
      await sleep(backoff);
      try {
        ac = new AbortController();
        server = start(addr.port);
        backoff = 0;
      } catch { /* still out of descriptors: next round */ }
    }
  })();
  opts.onListen?.(addr);
  return {
    addr,
    finished,
    connections: () => -1,
    async shutdown() {
      closing = true;
      ac.abort();
      await finished;
    },
  };
}

/**
 * The process's open-files limit (`RLIMIT_NOFILE`) from `/proc/self/limits`
 * (Linux); null elsewhere. `hard` is null when unlimited.
 */
export function openFileLimit(): { soft: number; hard: number | null } | null {
  try {
    const text = Deno.readTextFileSync("/proc/self/limits");
    const m = text.match(/^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m);
    if (!m || m[1] === "unlimited") return null;
    return { soft: Number(m[1]), hard: m[2] === "unlimited" ? null : Number(m[2]) };
  } catch {
    return null;
  }
}

/** Descriptors kept free for KV, static files and the runtime itself. */
export const FD_RESERVE = 64;

/**
 * Default connection cap: the soft open-files limit minus {@link FD_RESERVE}
 * (at least 16), or 1024 when the limit is unknown.
 */
export function defaultMaxConnections(): number {
  const limit = openFileLimit();
  return limit ? Math.max(16, limit.soft - FD_RESERVE) : 1024;
}
