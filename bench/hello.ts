/** Benchmark baseline: the bare `Deno.serve` hello-world. Prints "ready" when listening. */
const port = Number(Deno.args[Deno.args.indexOf("--port") + 1] ?? 0);
Deno.serve({ hostname: "127.0.0.1", port, onListen: () => console.log("ready") }, () => new Response("Hello, world"));
