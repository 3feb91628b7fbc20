/**
 * The SSE stream logic (lib/notify/stream.ts) read directly as a ReadableStream:
 * live delivery after a commit, resume with Last-Event-ID (no gap, no duplicate),
 * commits landing out of id order, unread updates across tabs, ownership, heartbeat,
 * and clean shutdown (the shared per-user watch goes away with its last stream).
 */
import assert from "node:assert/strict";
import { useKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import {
  addNotificationOps,
  createNotification,
  deleteNotification,
  markRead,
  type RenderedNotification,
} from "@/lib/notify/notifications.ts";
import { notificationStream, ulidFloor, ulidTime } from "@/lib/notify/stream.ts";
import { closeAllStreams, subscriberCount, watchCount } from "@/lib/notify/hub.ts";
import { type SseEvent, SseReader } from "@/lib/notify/sse_client.ts";

const kv = await Deno.openKv(":memory:");
useKv(kv);
globalThis.addEventListener("unload", () => kv.close());

function arrived(name: string) {
  return {
    appointmentId: newId(),
    guestName: name,
    purpose: "Rapat",
    arrivedAt: new Date().toISOString(),
    late: false,
  };
}

/** Opens a stream and waits until it is live (its first `unread` event; replayed notifications come before it). */
async function open(
  userId: string,
  lastEventId: string | null = null,
  opts: { heartbeatMs?: number; lang?: "id" | "en" } = {},
) {
  const ac = new AbortController();
  const reader = new SseReader(notificationStream(userId, lastEventId, ac.signal, opts));
  const early: SseEvent[] = [];
  for (;;) {
    const e = await reader.next();
    assert.ok(e, "stream ended before its first unread event");
    if (e.event === "unread") {
      return { reader: new Buffered(reader, early), ac, unread: JSON.parse(e.data).unread as number };
    }
    early.push(e);
  }
}

/** An SseReader with events already read put back in front. */
class Buffered {
  constructor(readonly inner: SseReader, readonly early: SseEvent[]) {}
  get retry() {
    return this.inner.retry;
  }
  get comments() {
    return this.inner.comments;
  }
  get lastEventId() {
    return this.inner.lastEventId;
  }
  #pending: Promise<SseEvent | null> | null = null;
  /** Next event. A read abandoned by a timeout stays pending and is reused, so no event is lost. */
  async next(): Promise<SseEvent | null> {
    const e = this.early.shift();
    if (e) return e;
    if (!this.#pending) this.#pending = this.inner.next().finally(() => this.#pending = null);
    return await this.#pending;
  }
  async nextOf(name: string): Promise<SseEvent | null> {
    for (;;) {
      const e = await this.next();
      if (!e || e.event === name) return e;
    }
  }
  cancel() {
    return this.inner.cancel();
  }
}

async function nextNotification(r: Buffered, timeoutMs = 3000): Promise<RenderedNotification> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, rej) =>
    timer = setTimeout(() => rej(new Error("timeout waiting for a notification")), timeoutMs)
  );
  try {
    const e = await Promise.race([r.nextOf("notification"), timeout]);
    assert.ok(e, "stream ended early");
    const n = JSON.parse(e.data) as RenderedNotification;
    assert.equal(e.id, n.id, "SSE id is the notification id");
    return n;
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves with the events that arrive within `ms` (to prove nothing more comes). */
async function drain(r: Buffered, ms: number, name = "notification"): Promise<string[]> {
  const got: string[] = [];
  const stop = Date.now() + ms;
  while (Date.now() < stop) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const e = await Promise.race([
      r.nextOf(name),
      new Promise<null>((res) => timer = setTimeout(() => res(null), stop - Date.now())),
    ]);
    clearTimeout(timer);
    if (!e) break;
    got.push(e.id);
  }
  return got;
}

async function close(s: { reader: Buffered; ac: AbortController }) {
  s.ac.abort();
  await s.reader.cancel();
  await new Promise((r) => setTimeout(r, 10));
}

Deno.test("a notification committed with addNotificationOps is delivered live", async () => {
  const teacher = newId();
  const s = await open(teacher, null, { lang: "en" });
  assert.equal(s.unread, 0);
  assert.equal(s.reader.retry, 2000);
  const t0 = performance.now();
  const op = kv.atomic().set(["appointments_test", newId()], { status: "waiting" });
  const { id } = addNotificationOps(op, { userId: teacher, kind: "guest_arrived", data: arrived("Ani") });
  assert.ok((await op.commit()).ok);
  const n = await nextNotification(s.reader);
  const ms = performance.now() - t0;
  assert.equal(n.id, id);
  assert.equal(n.text, "Guest Ani has arrived for Rapat");
  assert.match(n.detail, /^Arrived at \d\d:\d\d · On time$/);
  assert.ok(ms < 1000, `delivered in ${ms} ms`);
  const u = await s.reader.nextOf("unread");
  assert.equal(JSON.parse(u!.data).unread, 1);
  await close(s);
  assert.equal(watchCount(kv), 0, "the shared watch stops with its last stream");
});

Deno.test("resume after a dropped connection: exactly the remaining N-k+M, in order", async () => {
  const teacher = newId();
  const N = 6, k = 2, M = 4;
  const s = await open(teacher);
  const written: string[] = [];
  for (let i = 0; i < N; i++) {
    written.push((await createNotification({ userId: teacher, kind: "guest_arrived", data: arrived(`N${i}`) })).id);
  }
  const seen: string[] = [];
  for (let i = 0; i < k; i++) seen.push((await nextNotification(s.reader)).id);
  assert.deepEqual(seen, written.slice(0, k));
  const last = s.reader.lastEventId;
  assert.equal(last, written[k - 1]);
  await close(s); // connection dropped after k events
  for (let i = 0; i < M; i++) {
    written.push((await createNotification({ userId: teacher, kind: "guest_arrived", data: arrived(`M${i}`) })).id);
  }

  const r = await open(teacher, last);
  const resumed: string[] = [];
  for (let i = 0; i < N - k + M; i++) resumed.push((await nextNotification(r.reader)).id);
  assert.deepEqual(resumed, written.slice(k), "no gap, in order");
  assert.deepEqual(await drain(r.reader, 150), [], "no duplicate");
  // Still live after the replay.
  const more = await createNotification({ userId: teacher, kind: "guest_arrived", data: arrived("late one") });
  assert.equal((await nextNotification(r.reader)).id, more.id);
  await close(r);
});

Deno.test("commits that land out of id order are neither lost nor repeated (live and on resume)", async () => {
  const teacher = newId();
  const s = await open(teacher);
  const op1 = kv.atomic();
  const { id: id1 } = addNotificationOps(op1, { userId: teacher, kind: "guest_arrived", data: arrived("first id") });
  const op2 = kv.atomic();
  const { id: id2 } = addNotificationOps(op2, { userId: teacher, kind: "guest_arrived", data: arrived("second id") });
  assert.ok(id1 < id2);
  assert.ok((await op2.commit()).ok); // the later id commits first
  assert.equal((await nextNotification(s.reader)).id, id2);
  await close(s); // the client saw only id2; Last-Event-ID = id2
  assert.ok((await op1.commit()).ok); // then the earlier id commits

  const r = await open(teacher, id2);
  assert.equal((await nextNotification(r.reader)).id, id1, "id1 < Last-Event-ID but committed later: delivered");
  assert.deepEqual(await drain(r.reader, 150), []);
  await close(r);

  // Live: both orders on one connection.
  const live = await open(teacher);
  const a = kv.atomic();
  const ra = addNotificationOps(a, { userId: teacher, kind: "guest_arrived", data: arrived("a") });
  const b = kv.atomic();
  const rb = addNotificationOps(b, { userId: teacher, kind: "guest_arrived", data: arrived("b") });
  await b.commit();
  await a.commit();
  const got = [(await nextNotification(live.reader)).id, (await nextNotification(live.reader)).id];
  assert.deepEqual(got.sort(), [ra.id, rb.id].sort());
  assert.deepEqual(await drain(live.reader, 150), []);
  await close(live);
});

Deno.test("20 concurrent commits for one teacher: each delivered exactly once", async () => {
  const teacher = newId();
  const s = await open(teacher);
  const ops = Array.from({ length: 20 }, (_, i) => {
    const op = kv.atomic();
    return { op, id: addNotificationOps(op, { userId: teacher, kind: "guest_arrived", data: arrived(`C${i}`) }).id };
  });
  await Promise.all(ops.map((o) => o.op.commit()));
  const got = new Set<string>();
  for (let i = 0; i < 20; i++) got.add((await nextNotification(s.reader)).id);
  assert.deepEqual([...got].sort(), ops.map((o) => o.id).sort());
  assert.deepEqual(await drain(s.reader, 150), []);
  await close(s);
});

Deno.test("Last-Event-ID of a deleted notification: everything with a greater id", async () => {
  const teacher = newId();
  const a = await createNotification({ userId: teacher, kind: "guest_arrived", data: arrived("a") });
  const b = await createNotification({ userId: teacher, kind: "guest_arrived", data: arrived("b") });
  const c = await createNotification({ userId: teacher, kind: "guest_arrived", data: arrived("c") });
  await deleteNotification(teacher, b.id);
  const s = await open(teacher, b.id);
  assert.equal((await nextNotification(s.reader)).id, c.id);
  assert.deepEqual(await drain(s.reader, 100), []);
  await close(s);
  // A floor id from "before a" (what a page may pass as ?lastEventId=) replays a and c.
  const f = await open(teacher, ulidFloor(ulidTime(a.id) - 1));
  assert.deepEqual([(await nextNotification(f.reader)).id, (await nextNotification(f.reader)).id], [a.id, c.id]);
  await close(f);
});

Deno.test("no Last-Event-ID or a hostile one: only new notifications", async () => {
  const teacher = newId();
  await createNotification({ userId: teacher, kind: "guest_arrived", data: arrived("old") });
  for (
    const hostile of [
      null,
      "",
      "x",
      "'; DROP",
      "0".repeat(26),
      "ZZZZZZZZZZZZZZZZZZZZZZZZZZ",
      "7ZZZZZZZZZZZZZZZZZZZZZZZZZ",
      "\u0000\n\nid: 1",
    ]
  ) {
    const s = await open(teacher, hostile);
    if (hostile === "0".repeat(26)) {
      // A valid ULID at time 0 that is not found: everything after it (the "old" one).
      assert.equal((await nextNotification(s.reader)).data.guestName, "old");
    }
    assert.deepEqual(await drain(s.reader, 60), [], `nothing replayed for ${JSON.stringify(hostile)}`);
    await close(s);
  }
});

Deno.test("ownership: a stream only carries its own user's notifications, even with another's id", async () => {
  const a = newId();
  const b = newId();
  const na = await createNotification({ userId: a, kind: "guest_arrived", data: arrived("for a") });
  const sb = await open(b, ulidFloor(0)); // B asks for "everything"
  const sb2 = await open(b, na.id); // B passes A's id
  await createNotification({ userId: a, kind: "guest_arrived", data: arrived("for a again") });
  assert.deepEqual(await drain(sb.reader, 150), []);
  assert.deepEqual(await drain(sb2.reader, 50), []);
  const nb = await createNotification({ userId: b, kind: "guest_arrived", data: arrived("for b") });
  assert.equal((await nextNotification(sb.reader)).id, nb.id);
  await close(sb);
  await close(sb2);
});

Deno.test("unread count follows across tabs (mark read in one, the other's badge updates)", async () => {
  const teacher = newId();
  const n1 = await createNotification({ userId: teacher, kind: "guest_arrived", data: arrived("a") });
  await createNotification({ userId: teacher, kind: "guest_arrived", data: arrived("b") });
  const tab1 = await open(teacher);
  const tab2 = await open(teacher);
  assert.equal(tab1.unread, 2);
  assert.equal(tab2.unread, 2);
  assert.equal(subscriberCount(kv, teacher), 2, "two tabs share one watch");
  assert.equal(watchCount(kv), 1);
  await markRead(teacher, n1.id);
  for (const t of [tab1, tab2]) assert.equal(JSON.parse((await t.reader.nextOf("unread"))!.data).unread, 1);
  await close(tab1);
  assert.equal(subscriberCount(kv, teacher), 1);
  await close(tab2);
  assert.equal(watchCount(kv), 0);
});

Deno.test("heartbeat comments and abort", async () => {
  const teacher = newId();
  const s = await open(teacher, null, { heartbeatMs: 20 });
  await new Promise((r) => setTimeout(r, 90));
  // Reading pulls the queued comments through the parser.
  const p = s.reader.next();
  s.ac.abort();
  assert.equal(await p, null, "stream ends when the request is aborted");
  assert.ok(s.reader.comments >= 2, `heartbeats seen: ${s.reader.comments}`);
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(subscriberCount(kv, teacher), 0);
});

Deno.test("closeAllStreams ends every open stream (graceful shutdown) and stops the watches", async () => {
  const a = await open(newId());
  const b = await open(newId());
  assert.equal(watchCount(kv), 2);
  assert.equal(closeAllStreams(), 2);
  assert.equal(await a.reader.next(), null);
  assert.equal(await b.reader.next(), null);
  assert.equal(watchCount(kv), 0);
  a.ac.abort();
  b.ac.abort();
  await new Promise((r) => setTimeout(r, 10));
});
