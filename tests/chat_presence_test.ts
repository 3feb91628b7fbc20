/**
 * Typing crosses isolates: a Worker with its own copy of lib/chat/live.ts
 * (another isolate, as on Deno Deploy) signals typing over BroadcastChannel, and
 * the stream served by this isolate delivers it — nothing is written to KV.
 */
import assert from "node:assert/strict";
import { appHandler, freshKv, get } from "./helpers.ts";
import { chatCast } from "./chat_fixtures.ts";
import { SseReader } from "@/lib/notify/sse_client.ts";
import { CHAT_PREFIXES } from "@/lib/chat/keys.ts";

Deno.test("typing from another isolate reaches this isolate's stream over BroadcastChannel", {
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const { client, psy, booking } = await chatCast();
  const res = await get(h, `/api/bookings/${booking.id}/chat/stream`, { token: client.token });
  const r = new SseReader(res.body!);
  while ((await r.next())?.event !== "receipts") { /* until caught up */ }
  const worker = new Worker(new URL("./fixtures/chat_isolate.ts", import.meta.url), { type: "module" });
  try {
    await new Promise<void>((ok) => worker.onmessage = (e) => e.data === "ready" && ok());
    worker.postMessage({ typing: [booking.id, psy.id, true] });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const e = await Promise.race([
      r.nextOf("typing"),
      new Promise<null>((ok) => timer = setTimeout(() => ok(null), 5000)),
    ]);
    clearTimeout(timer);
    assert.ok(e, "typing arrived from the other isolate");
    assert.deepEqual(JSON.parse(e.data), { userId: psy.id, typing: true });
    let n = 0;
    for (const p of CHAT_PREFIXES) for await (const _ of kv.list({ prefix: [p] })) n++;
    assert.equal(n, 0, "typing wrote nothing to KV");
  } finally {
    worker.terminate();
    await r.cancel();
  }
});

Deno.test("a flood of typing signals reaches the other side as one event", {
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await freshKv();
  const h = await appHandler();
  const { client, psy, booking } = await chatCast();
  const res = await get(h, `/api/bookings/${booking.id}/chat/stream`, { token: client.token });
  const r = new SseReader(res.body!);
  while ((await r.next())?.event !== "receipts") { /* until caught up */ }
  const { post } = await import("./helpers.ts");
  await Promise.all(
    Array.from(
      { length: 30 },
      () => post(h, `/api/bookings/${booking.id}/chat/typing`, { typing: true }, { token: psy.token }),
    ),
  );
  const got: unknown[] = [];
  const until = Date.now() + 800;
  while (Date.now() < until) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const e = await Promise.race([
      r.next(),
      new Promise<null>((ok) => timer = setTimeout(() => ok(null), until - Date.now())),
    ]);
    clearTimeout(timer);
    if (e?.event === "typing") got.push(JSON.parse(e.data));
  }
  assert.deepEqual(got, [{ userId: psy.id, typing: true }]);
  await r.cancel();
});
