/**
 * Benchmark helper: serves the app on `--port` with an in-memory KV, logs off.
 * Prints "ready" when listening. Run by bench/foundation.ts as a subprocess.
 */
import { useKv } from "@/lib/db/kv.ts";
import { buildApp } from "@/main.ts";

const port = Number(Deno.args[Deno.args.indexOf("--port") + 1] ?? 0);
useKv(await Deno.openKv(":memory:"));
const app = await buildApp();
Deno.serve({ hostname: "127.0.0.1", port, onListen: () => console.log("ready") }, app.handler());
