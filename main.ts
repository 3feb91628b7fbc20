/**
 * Builds the app (middleware, routes, islands) and, when run directly, serves it.
 * `deno task start` runs `tasks/start.ts`, which builds the manifest and island
 * bundles first and then imports this module.
 */
import { App, loadBuild, staticFiles } from "fresh";
import type { BuildInfo } from "fresh";
import manifest from "./fresh.gen.ts";
import type { State } from "./lib/state.ts";
import type { RunningServer } from "./lib/http/listen.ts";
import { securityHeaders } from "./lib/http/security.ts";

/** Repository root (where routes/, static/ and _fresh/ live). */
export const ROOT: string = new URL(".", import.meta.url).pathname.replace(/\/$/, "");

/**
 * Creates the application. `build` = island bundles to serve (default: the
 * last `deno task build` output, or none).
 */
export async function buildApp(options: { build?: BuildInfo | null } = {}): Promise<App<State>> {
  const build = options.build !== undefined ? options.build : await loadBuild(ROOT);
  const app = new App<State>({ build, nonce: (s) => s.nonce });
  app.use(securityHeaders()); // first: every response, static files and bundles included
  app.use(staticFiles(`${ROOT}/static`));
  app.fsRoutes(manifest);
  return app;
}

/**
 * Serves the app on `hostname:port` through `lib/http/listen.ts` (idle and
 * request timeouts, connection cap, survives descriptor exhaustion; see
 * README "Production"), with graceful shutdown on SIGINT/SIGTERM (stops
 * accepting, closes live streams, finishes in-flight requests for up to 10 s,
 * closes KV, exits 0). Starts the daily jobs and prints the console link of
 * the mail outbox when mail goes there. Unhandled promise rejections are
 * logged instead of ending the process.
 */
export async function serve(port: number, hostname = "0.0.0.0"): Promise<RunningServer> {
  const { log } = await import("./lib/log.ts");
  const { config } = await import("./lib/config.ts");
  const { closeKv, getKv } = await import("./lib/db/kv.ts");
  const { defaultMaxConnections, listenAndServe } = await import("./lib/http/listen.ts");
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    const reason = e.reason instanceof Error ? `${e.reason.name}: ${e.reason.message}` : String(e.reason);
    log("error", "unhandled rejection", { reason });
  });
  await getKv();
  // Load (or, on first start, create) the data-encryption key now: a bad key stops the start, not a request.
  const { currentKeyId } = await import("./lib/crypto/data_key.ts");
  log("info", "data encryption key", { kid: await currentKeyId() });
  const { startBackgroundJobs } = await import("./lib/jobs.ts");
  startBackgroundJobs();
  const app = await buildApp();
  const server = listenAndServe({
    port,
    hostname,
    handler: app.handler(),
    idleTimeoutMs: config.httpIdleTimeoutMs,
    requestTimeoutMs: config.httpRequestTimeoutMs,
    maxConnections: config.maxConnections ?? defaultMaxConnections(),
    onListen: ({ port, hostname }) =>
      log("info", "listening", {
        url: `http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}`,
        pid: Deno.pid,
      }),
  });
  const { outboxConsoleUrl } = await import("./lib/mail/mod.ts");
  const outboxUrl = outboxConsoleUrl();
  // The link is a credential: printed on the console only, never written to the JSON logs.
  if (outboxUrl) console.log(`Mail outbox (no SMTP_URL): ${outboxUrl}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log("info", "shutting down");
    // Exits even when a connection refuses to end.
    setTimeout(() => Deno.exit(0), 12_000);
    const { closeAllStreams } = await import("./lib/notify/hub.ts");
    closeAllStreams(); // SSE responses never end by themselves
    const { closeAllChatStreams } = await import("./lib/chat/live.ts");
    closeAllChatStreams();
    await server.shutdown(10_000);
    closeKv();
    Deno.exit(0);
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    try {
      Deno.addSignalListener(sig, stop);
    } catch { /* not supported on this platform */ }
  }
  return server;
}

if (import.meta.main) {
  const { config } = await import("./lib/config.ts");
  await serve(config.port);
}
