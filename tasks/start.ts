/**
 * `deno task start`: raises the soft open-files limit to the hard one (Linux,
 * `lib/launcher.ts`), builds what is missing (manifest, island bundles), then
 * serves the app on `PORT` (default 8000) with the embedded defaults: local
 * KV file, built-in mail outbox, built-in payment sandbox. Stops gracefully on
 * Ctrl-C, on SIGTERM, and when the `npx`/`deno task` process that launched it
 * ends.
 */
import { build } from "./build.ts";
import { raiseOpenFileLimit, stopWhenLauncherExits } from "@/lib/launcher.ts";
import { log } from "@/lib/log.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const openFiles = await raiseOpenFileLimit();
if (openFiles !== null) log("info", "open files limit", { soft: openFiles });
await build(root);
const { serve } = await import("@/main.ts");
const { config } = await import("@/lib/config.ts");
await serve(config.port);
// serve() shuts down gracefully on SIGTERM: send it to ourselves.
stopWhenLauncherExits(() => Deno.kill(Deno.pid, "SIGTERM"));
