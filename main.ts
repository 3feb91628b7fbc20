/**
 * Builds the app (middleware, routes, islands) and, when run directly, serves it.
 * `deno task start` runs `tasks/start.ts`, which builds the manifest and island
 * bundles first and then imports this module.
 */
import { App, loadBuild, staticFiles } from "fresh";
import type { BuildInfo } from "fresh";
import manifest from "./fresh.gen.ts";
import type { State } from "./lib/state.ts";

/** Repository root (where routes/, static/ and _fresh/ live). */
export const ROOT: string = new URL(".", import.meta.url).pathname.replace(/\/$/, "");

/**
 * Creates the application. `build` = island bundles to serve (default: the
 * last `deno task build` output, or none).
 */
export async function buildApp(options: { build?: BuildInfo | null } = {}): Promise<App<State>> {
  const build = options.build !== undefined ? options.build : await loadBuild(ROOT);
  const app = new App<State>({ build, nonce: (s) => s.nonce });
  app.use(staticFiles(`${ROOT}/static`));
  app.fsRoutes(manifest);
  return app;
}

/**
 * Serves the app on `port` with graceful shutdown on SIGINT/SIGTERM (stops
 * accepting, finishes in-flight requests, closes KV). Starts the daily jobs.
 */
export async function serve(port: number, hostname = "0.0.0.0"): Promise<Deno.HttpServer<Deno.NetAddr>> {
  const { log } = await import("./lib/log.ts");
  const { closeKv, getKv } = await import("./lib/db/kv.ts");
  await getKv();
  const { startBackgroundJobs } = await import("./lib/jobs.ts");
  startBackgroundJobs();
  const app = await buildApp();
  const ac = new AbortController();
  const server = Deno.serve({
    port,
    hostname,
    signal: ac.signal,
    onListen: ({ port, hostname }) =>
      log("info", "listening", { url: `http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}` }),
  }, app.handler());
  const stop = async () => {
    log("info", "shutting down");
    ac.abort();
    const { closeAllStreams } = await import("./lib/notify/hub.ts");
    closeAllStreams(); // SSE responses never end by themselves
    await server.finished;
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
