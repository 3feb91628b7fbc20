/**
 * Notifications over HTTP through the app (`buildApp().handler()` and a real socket):
 * auth on every endpoint, list/read/delete/read-all, the ownership matrix, the SSE
 * endpoint (live after a real check-in, resume with Last-Event-ID, no buffering over
 * a real connection), and property-based hostile input (no 5xx).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import {
  appHandler,
  freshKv,
  get,
  type Handler,
  laterToday,
  makeUser,
  ORIGIN,
  sendJson,
  signIn,
  type TestUser,
} from "./helpers.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { newId } from "@/lib/db/ids.ts";
import { getKv } from "@/lib/db/kv.ts";
import { createNotification, keys, type Notification, type RenderedNotification } from "@/lib/notify/notifications.ts";
import { SseReader } from "@/lib/notify/sse_client.ts";
import { subscriberCount } from "@/lib/notify/hub.ts";

function arrived(name: string, purpose = "Rapat") {
  return { appointmentId: newId(), guestName: name, purpose, arrivedAt: new Date().toISOString(), late: false };
}

async function bearer(user: TestUser): Promise<string> {
  return (await createSession(user.id, "bearer")).token;
}

function send(handler: Handler, method: string, path: string, token: string, headers: Record<string, string> = {}) {
  return handler(
    new Request(ORIGIN + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(method === "GET" ? {} : { origin: ORIGIN }), ...headers },
    }),
  );
}

/** Reads SSE events until `n` notifications arrived (or the timeout). */
async function notifications(r: SseReader, n: number, timeoutMs = 3000): Promise<RenderedNotification[]> {
  const out: RenderedNotification[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < n) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const e = await Promise.race([
      r.nextOf("notification"),
      new Promise<null>((res) => timer = setTimeout(() => res(null), Math.max(1, deadline - Date.now()))),
    ]);
    clearTimeout(timer);
    if (!e) throw new Error(`only ${out.length} of ${n} notifications arrived`);
    out.push(JSON.parse(e.data));
  }
  return out;
}

/** Opens the stream through the handler and waits until it is live (its first `unread` event). */
async function openStream(
  handler: Handler,
  auth: { token?: string; cookie?: string },
  opts: { lastEventId?: string; query?: string } = {},
) {
  const ac = new AbortController();
  const headers: Record<string, string> = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  if (opts.lastEventId) headers["last-event-id"] = opts.lastEventId;
  const res = await handler(
    new Request(`${ORIGIN}/api/notifications/stream${opts.query ?? ""}`, { headers, signal: ac.signal }),
  );
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  assert.match(res.headers.get("cache-control") ?? "", /no-store/);
  const reader = new SseReader(res.body!);
  const early: RenderedNotification[] = [];
  for (;;) {
    const e = await reader.next();
    assert.ok(e, "stream ended before it was live");
    if (e.event === "unread") return { reader, ac, early, unread: JSON.parse(e.data).unread as number };
    if (e.event === "notification") early.push(JSON.parse(e.data));
  }
}

async function closeStream(s: { reader: SseReader; ac: AbortController }) {
  s.ac.abort();
  await s.reader.cancel();
  await new Promise((r) => setTimeout(r, 5));
}

Deno.test("every notification endpoint requires sign-in (401 JSON)", async () => {
  await freshKv();
  const handler = await appHandler();
  const id = newId();
  for (
    const [method, path] of [
      ["GET", "/api/notifications"],
      ["GET", "/api/notifications/stream"],
      ["GET", `/api/notifications/${id}`],
      ["PUT", `/api/notifications/${id}/read`],
      ["PUT", "/api/notifications/read-all"],
      ["DELETE", `/api/notifications/${id}`],
    ]
  ) {
    const res = await handler(
      new Request(ORIGIN + path, { method, headers: method === "GET" ? {} : { origin: ORIGIN } }),
    );
    assert.equal(res.status, 401, `${method} ${path}`);
    assert.equal((await res.json()).error.code, "unauthorized");
  }
});

Deno.test("list, mark read, mark all read, delete (bearer) with unread counts", async () => {
  await freshKv();
  const handler = await appHandler();
  const teacher = await makeUser("teacher");
  const token = await bearer(teacher);
  const ns: Notification[] = [];
  for (let i = 0; i < 3; i++) {
    ns.push(await createNotification({ userId: teacher.id, kind: "guest_arrived", data: arrived(`Tamu${i}`) }));
  }

  let res = await send(handler, "GET", "/api/notifications?limit=2", token, { "accept-language": "en" });
  assert.equal(res.status, 200);
  let body = await res.json();
  assert.equal(body.unread, 3);
  assert.deepEqual(body.items.map((n: Notification) => n.id), [ns[2].id, ns[1].id]);
  assert.equal(body.items[0].text, "Guest Tamu2 has arrived for Rapat");
  assert.ok(body.cursor);
  res = await send(handler, "GET", `/api/notifications?limit=2&cursor=${encodeURIComponent(body.cursor)}`, token);
  body = await res.json();
  assert.deepEqual(body.items.map((n: Notification) => n.id), [ns[0].id]);
  assert.equal(body.items[0].text, "Tamu Tamu0 telah tiba untuk Rapat", "Indonesian by default");
  assert.equal(body.cursor, null);

  res = await send(handler, "PUT", `/api/notifications/${ns[0].id}/read`, token);
  assert.equal(res.status, 200);
  body = await res.json();
  assert.ok(body.notification.readAt);
  assert.equal(body.unread, 2);
  res = await send(handler, "DELETE", `/api/notifications/${ns[1].id}`, token);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { deleted: true, unread: 1 });
  res = await send(handler, "PUT", "/api/notifications/read-all", token);
  assert.deepEqual(await res.json(), { updated: 1, unread: 0 });
  res = await send(handler, "GET", `/api/notifications/${ns[2].id}`, token);
  assert.ok((await res.json()).notification.readAt);
  res = await send(handler, "DELETE", `/api/notifications/${ns[1].id}`, token);
  assert.equal(res.status, 404);
  res = await send(handler, "GET", "/api/notifications?limit=0", token);
  assert.equal(res.status, 400);
  res = await send(handler, "GET", "/api/notifications?cursor=%%%bad", token);
  assert.equal(res.status, 400);
});

Deno.test("ownership: user B can neither read, mark, delete nor stream A's notifications", async () => {
  const kv = await freshKv();
  const handler = await appHandler();
  const a = await makeUser("teacher");
  const b = await makeUser("teacher");
  const tb = await bearer(b);
  const n = await createNotification({ userId: a.id, kind: "guest_arrived", data: arrived("Rahasia") });
  for (
    const [method, path] of [["GET", `/api/notifications/${n.id}`], ["PUT", `/api/notifications/${n.id}/read`], [
      "DELETE",
      `/api/notifications/${n.id}`,
    ]]
  ) {
    const res = await send(handler, method, path, tb);
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.equal((await res.json()).error.code, "notification_not_found");
  }
  let res = await send(handler, "GET", "/api/notifications", tb);
  assert.deepEqual((await res.json()).items, []);
  res = await send(handler, "PUT", "/api/notifications/read-all", tb);
  assert.equal((await res.json()).updated, 0);
  const stored = (await kv.get<Notification>(keys.notification(a.id, n.id))).value!;
  assert.equal(stored.readAt, null, "A's notification untouched");

  const s = await openStream(handler, { token: tb }, { lastEventId: n.id });
  assert.deepEqual(s.early, []);
  await createNotification({ userId: a.id, kind: "guest_arrived", data: arrived("Lagi") });
  const own = await createNotification({ userId: b.id, kind: "guest_arrived", data: arrived("Untuk B") });
  const [got] = await notifications(s.reader, 1);
  assert.equal(got.id, own.id, "B's stream carries only B's notification");
  await closeStream(s);
});

Deno.test("SSE: a real check-in reaches the teacher's open stream (cookie session), then resume by Last-Event-ID", async () => {
  await freshKv();
  const handler = await appHandler();
  const teacher = await makeUser("teacher");
  const desk = await makeUser("receptionist");
  const { cookie } = await signIn(handler, teacher.email!, teacher.password);
  const s = await openStream(handler, { cookie });
  assert.equal(s.unread, 0);
  assert.equal(subscriberCount(await getKv(), teacher.id), 1);

  const { createAppointment, checkIn } = await import("@/lib/guestbook/mod.ts");
  const created = await createAppointment(
    {
      guestName: "Siti Aminah",
      guestPhone: "081298765432",
      purpose: "Konsultasi wali kelas",
      startsAt: laterToday(5),
    },
    { id: teacher.id, role: "teacher" },
    new Date(),
    { email: false },
  );
  const t0 = performance.now();
  const result = await checkIn(created.qrCode, { id: desk.id, role: "receptionist" });
  const [n] = await notifications(s.reader, 1);
  const ms = performance.now() - t0;
  assert.equal(n.id, result.notificationId);
  assert.equal(n.kind, "guest_arrived");
  assert.equal(n.data.appointmentId, created.appointment.id);
  assert.equal(n.text, "Tamu Siti Aminah telah tiba untuk Konsultasi wali kelas");
  assert.match(n.detail, /^Tiba pukul \d\d\.\d\d · Tepat waktu$/);
  assert.ok(ms < 1000, `check-in → event ${ms.toFixed(1)} ms`);
  assert.equal(JSON.parse((await s.reader.nextOf("unread"))!.data).unread, 1);
  const last = s.reader.lastEventId;
  await closeStream(s);

  const missed = [];
  for (let i = 0; i < 3; i++) {
    missed.push((await createNotification({ userId: teacher.id, kind: "guest_arrived", data: arrived(`M${i}`) })).id);
  }
  const r = await openStream(handler, { cookie }, { lastEventId: last });
  assert.deepEqual(r.early.map((x) => x.id), missed, "exactly the missed ones, in order");
  assert.equal(r.unread, 4);
  await closeStream(r);
  // First connection of a page: ?lastEventId= works the same (header wins when both are sent).
  const q = await openStream(handler, { cookie }, { query: `?lastEventId=${missed[0]}` });
  assert.deepEqual(q.early.map((x) => x.id), missed.slice(1));
  await closeStream(q);
});

Deno.test("SSE over a real socket: events flush at once (no compression), the stream ends when the client leaves", async () => {
  const kv = await freshKv();
  const handler = await appHandler();
  const teacher = await makeUser("teacher");
  const token = await bearer(teacher);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => handler(req));
  try {
    const ac = new AbortController();
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/api/notifications/stream`, {
      headers: { authorization: `Bearer ${token}`, "accept-encoding": "gzip, br" },
      signal: ac.signal,
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-encoding"), null, "event streams are not compressed");
    const reader = new SseReader(res.body!);
    assert.ok(await reader.nextOf("unread"));
    const t0 = performance.now();
    const n = await createNotification({ userId: teacher.id, kind: "guest_arrived", data: arrived("Socket") });
    const [got] = await notifications(reader, 1);
    assert.equal(got.id, n.id);
    assert.ok(performance.now() - t0 < 500);
    assert.equal(subscriberCount(kv, teacher.id), 1);
    ac.abort();
    await reader.cancel();
    for (let i = 0; i < 50 && subscriberCount(kv, teacher.id) > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(subscriberCount(kv, teacher.id), 0, "server side unsubscribed after the client disconnected");
  } finally {
    await server.shutdown();
  }
});

Deno.test("property: hostile ids, queries, headers and bodies on every notification endpoint never give a 5xx", async (t) => {
  await freshKv();
  const handler = await appHandler();
  const a = await makeUser("teacher");
  const b = await makeUser("teacher");
  const ta = await bearer(a);
  const tb = await bearer(b);
  const mine = await createNotification({ userId: a.id, kind: "guest_arrived", data: arrived("A") });
  const theirs = await createNotification({ userId: b.id, kind: "guest_arrived", data: arrived("B") });

  const hostileId = fc.oneof(
    fc.constantFrom(
      mine.id,
      theirs.id,
      newId(),
      "read-all",
      "stream",
      "..",
      "%2e%2e",
      "%00",
      "null",
      "0".repeat(26),
      "Z".repeat(26),
      "a".repeat(3000),
    ),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 30 }),
  );
  const path = fc.oneof(
    fc.constant("/api/notifications"),
    fc.constant("/api/notifications/read-all"),
    fc.constant("/api/notifications/stream"),
    hostileId.map((id) => `/api/notifications/${encodeURIComponent(id)}`),
    hostileId.map((id) => `/api/notifications/${encodeURIComponent(id)}/read`),
  );
  const query = fc.oneof(
    fc.constant(""),
    fc.record({
      cursor: fc.string({ maxLength: 60 }),
      limit: fc.oneof(fc.integer().map(String), fc.string({ maxLength: 8 })),
      lastEventId: hostileId,
    }, { requiredKeys: [] })
      .map((q) => "?" + new URLSearchParams(q as Record<string, string>).toString()),
  );
  const body = fc.oneof(
    fc.constant(undefined),
    fc.json({ maxDepth: 3 }),
    fc.string({ maxLength: 200 }),
    fc.constant("{".repeat(100)),
  );
  const auth = fc.constantFrom<"a" | "b" | "none" | "junk">("a", "b", "none", "junk");
  const method = fc.constantFrom("GET", "PUT", "DELETE", "POST", "PATCH", "HEAD", "OPTIONS");
  const lastEventIdHeader = fc.option(hostileId.map((s) => s.replace(/[\r\n\0]/g, "").slice(0, 200)), {
    nil: undefined,
  });

  await fuzz(
    t,
    fc.asyncProperty(method, path, query, body, auth, lastEventIdHeader, async (m, p, q, bd, who, lei) => {
      const headers = new Headers();
      if (who === "a") headers.set("authorization", `Bearer ${ta}`);
      if (who === "b") headers.set("authorization", `Bearer ${tb}`);
      if (who === "junk") headers.set("authorization", "Bearer " + "x".repeat(43));
      if (m !== "GET" && m !== "HEAD") headers.set("origin", ORIGIN);
      if (bd !== undefined) headers.set("content-type", "application/json");
      try {
        if (lei !== undefined) headers.set("last-event-id", lei);
      } catch { /* not a valid header value: skip */ }
      const ac = new AbortController();
      const res = await handler(
        new Request(ORIGIN + p + q, {
          method: m,
          headers,
          body: m === "GET" || m === "HEAD" || bd === undefined ? undefined : bd,
          signal: ac.signal,
        }),
      );
      ac.abort();
      await res.body?.cancel();
      assert.ok(res.status < 500, `${m} ${p}${q} → ${res.status}`);
    }),
    { numRuns: 300 },
  );
  // Nothing of A's changed through B's hostile calls; A's own calls may have read/deleted only A's.
  assert.ok(
    await (async () => {
      const res = await get(handler, "/api/notifications", { token: tb });
      const items = (await res.json()).items as Notification[];
      return items.every((n) => n.userId === b.id);
    })(),
  );
  await new Promise((r) => setTimeout(r, 20));
});

Deno.test("CSRF: a cross-site PUT with the session cookie is refused", async () => {
  await freshKv();
  const handler = await appHandler();
  const teacher = await makeUser("teacher");
  const { cookie } = await signIn(handler, teacher.email!, teacher.password);
  const n = await createNotification({ userId: teacher.id, kind: "guest_arrived", data: arrived("X") });
  const res = await sendJson(handler, `/api/notifications/${n.id}/read`, {}, {
    method: "PUT",
    cookie,
    headers: { origin: "https://evil.example" },
  });
  assert.equal(res.status, 403);
  await res.body?.cancel();
});
