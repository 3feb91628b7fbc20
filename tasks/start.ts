/**
 * `deno task start`: builds what is missing (manifest, island bundles), then
 * serves the app on `PORT` (default 8000) with the embedded defaults: local
 * KV file, built-in mail outbox, built-in payment sandbox.
 */
import { build } from "./build.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
await build(root);
const { serve } = await import("@/main.ts");
const { config } = await import("@/lib/config.ts");
await serve(config.port);
