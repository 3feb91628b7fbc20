/**
 * The consultation chat API through the app's handler with a real `:memory:`
 * KV: who may read and write (every endpoint × client, psychologist, other
 * client, other psychologist, admin, anonymous), exactly once under retries and
 * concurrent senders, gapless per-room sequence, text rules, the conversation
 * window and its end, receipts, the rate limit, and text encrypted at rest.
 */
import assert from "node:assert/strict";
import { appHandler, freshKv, get, type Handler, post } from "./helpers.ts";
import { chatCast, makeChatBooking, setBookingStatus } from "./chat_fixtures.ts";
import { CHAT_PREFIXES } from "@/lib/chat/keys.ts";
import type { StoredMessage } from "@/lib/chat/model.ts";
import { open } from "@/lib/crypto/data_key.ts";

const OPTS = { sanitizeResources: false, sanitizeOps: false };

let h: Handler;
async function setup(opts: Parameters<typeof chatCast>[0] = {}) {
  await freshKv();
  h = await appHandler();
  return await chatCast(opts);
}

const send = (id: string, token: string, body: unknown) => post(h, `/api/bookings/${id}/messages`, body, { token });
const json = async (res: Response) => ({ status: res.status, body: await res.json().catch(() => null), res });
const cid = () => crypto.randomUUID();

async function chatKeys(kv: Deno.Kv): Promise<number> {
  let n = 0;
  for (const p of CHAT_PREFIXES) for await (const _ of kv.list({ prefix: [p] })) n++;
  return n;
}

Deno.test("send, history, and a retry with the same clientId stores nothing new", OPTS, async () => {
  const { client, psy, booking } = await setup();
  const kv = await freshKvOf();
  const clientId = cid();
  const first = await json(await send(booking.id, client.token, { clientId, text: "  Halo, Bu 🙂  " }));
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const m = first.body.message;
  assert.equal(m.seq, 1);
  assert.equal(m.text, "Halo, Bu 🙂", "trimmed");
  assert.equal(m.senderId, client.id);
  assert.equal(m.clientId, clientId);
  assert.equal(m.deliveredAt, null);
  const keysAfterFirst = await chatKeys(kv);
  for (let i = 0; i < 3; i++) {
    const again = await json(await send(booking.id, client.token, { clientId, text: "Halo, Bu 🙂" }));
    assert.equal(again.status, 200);
    assert.deepEqual(again.body.message, m);
  }
  assert.equal(await chatKeys(kv), keysAfterFirst, "a retry writes no key");
  const reply = await json(await send(booking.id, psy.token, { clientId: cid(), text: "Halo juga. Apa kabar?" }));
  assert.equal(reply.status, 201);
  assert.equal(reply.body.message.seq, 2);
  for (const who of [client, psy]) {
    const hist = await json(await get(h, `/api/bookings/${booking.id}/messages`, { token: who.token }));
    assert.equal(hist.status, 200);
    assert.deepEqual(hist.body.items.map((x: { seq: number }) => x.seq), [1, 2], "both see the same order");
    assert.equal(hist.body.items[1].text, "Halo juga. Apa kabar?");
    assert.equal(hist.body.cursor, null);
  }
});

let currentKv: Deno.Kv | null = null;
async function freshKvOf(): Promise<Deno.Kv> {
  const { getKv } = await import("@/lib/db/kv.ts");
  currentKv = await getKv();
  return currentKv;
}

Deno.test("text is encrypted at rest with its key id, bound to its record", OPTS, async () => {
  const { client, booking } = await setup();
  const kv = await freshKvOf();
  const secret = "rahasia-konseling-" + crypto.randomUUID();
  assert.equal((await send(booking.id, client.token, { clientId: cid(), text: secret })).status, 201);
  const e = await kv.get<StoredMessage>(["chat_msgs", booking.id, 1]);
  const stored = e.value!;
  assert.match(stored.sealed.kid, /^[0-9a-f]{16}$/);
  assert.equal(stored.sealed.iv.length, 12);
  const raw = new TextDecoder("latin1").decode(stored.sealed.ct);
  assert.ok(!raw.includes("rahasia"), "no plain text in the stored value");
  assert.ok(!JSON.stringify(stored).includes("rahasia"));
  assert.equal(await open(stored.sealed, `chat:${booking.id}:${stored.id}`), secret);
  await assert.rejects(open(stored.sealed, `chat:${booking.id}:OTHER`), "another record's aad does not open it");
  const flipped = { ...stored.sealed, ct: stored.sealed.ct.map((b, i) => (i === 0 ? b ^ 1 : b)) };
  await assert.rejects(open(flipped, `chat:${booking.id}:${stored.id}`), "a changed byte does not open");
});

Deno.test("exactly once: 40 concurrent retries of one clientId store one message", OPTS, async () => {
  const { client, booking } = await setup();
  const kv = await freshKvOf();
  const clientId = cid();
  const burst = () =>
    Promise.all(
      Array.from({ length: 40 }, () => send(booking.id, client.token, { clientId, text: "sekali saja" }).then(json)),
    );
  // With the rate limit on, part of a 40-request burst may be refused (429), never stored twice.
  const limited = await burst();
  assert.equal(limited.filter((r) => r.status === 201).length, 1, "one 201");
  for (const r of limited) {
    assert.ok(r.status === 201 || r.status === 200 || r.status === 429, String(r.status));
    if (r.status === 429) assert.ok(Number(r.res.headers.get("retry-after")) >= 1);
  }
  const ok = limited.filter((r) => r.status !== 429);
  assert.equal(new Set(ok.map((r) => r.body.message.id)).size, 1, "all return the same message");
  Deno.env.set("RATE_LIMITS", "off");
  let all: Awaited<ReturnType<typeof burst>>;
  try {
    all = await burst();
  } finally {
    Deno.env.delete("RATE_LIMITS");
  }
  assert.equal(all.filter((r) => r.status === 200).length, 40, "every later retry 200");
  assert.equal(new Set(all.map((r) => r.body.message.id)).size, 1);
  assert.equal(all[0].body.message.id, ok[0].body.message.id);
  let n = 0;
  for await (const _ of kv.list({ prefix: ["chat_msgs", booking.id] })) n++;
  assert.equal(n, 1);
  assert.equal(Number((await kv.get<Deno.KvU64>(["chat_head", booking.id])).value!.value), 1);
});

Deno.test("concurrent senders on both sides: gapless seqs, each message once, retries in between", OPTS, async () => {
  Deno.env.set("RATE_LIMITS", "off");
  try {
    const { client, psy, booking } = await setup();
    const kv = await freshKvOf();
    const ids = Array.from({ length: 60 }, (_, i) => ({ who: i % 2 ? psy : client, clientId: cid(), text: `m${i}` }));
    // every message sent twice at once (a retry racing its original)
    const res = await Promise.all(
      [...ids, ...ids].map((m) => send(booking.id, m.who.token, { clientId: m.clientId, text: m.text }).then(json)),
    );
    assert.ok(res.every((r) => r.status === 201 || r.status === 200), JSON.stringify(res.find((r) => r.status > 201)));
    const stored: StoredMessage[] = [];
    for await (const e of kv.list<StoredMessage>({ prefix: ["chat_msgs", booking.id] })) stored.push(e.value);
    assert.deepEqual(stored.map((m) => m.seq), Array.from({ length: 60 }, (_, i) => i + 1), "seqs 1…60, no gap");
    assert.equal(new Set(stored.map((m) => m.clientId)).size, 60, "each clientId once");
    for (const m of ids) {
      const mine = res.filter((r) => r.body.message.clientId === m.clientId);
      assert.equal(new Set(mine.map((r) => r.body.message.seq)).size, 1, "both answers name the same message");
    }
  } finally {
    Deno.env.delete("RATE_LIMITS");
  }
});

Deno.test("authorization matrix: every chat endpoint × every kind of caller", OPTS, async () => {
  const { client, psy, otherClient, otherPsy, admin, booking } = await setup();
  const id = booking.id;
  // one message so history and receipts have something to show
  assert.equal((await send(id, client.token, { clientId: cid(), text: "hai" })).status, 201);
  type Call = { name: string; run: (token: string | null) => Promise<Response>; ok: number };
  const tk = (token: string | null) => token ? { token } : {};
  const calls: Call[] = [
    { name: "GET messages", run: (t) => get(h, `/api/bookings/${id}/messages`, tk(t)), ok: 200 },
    {
      name: "POST messages",
      run: (t) => post(h, `/api/bookings/${id}/messages`, { clientId: cid(), text: "x" }, tk(t)),
      ok: 201,
    },
    { name: "GET chat", run: (t) => get(h, `/api/bookings/${id}/chat`, tk(t)), ok: 200 },
    { name: "POST read", run: (t) => post(h, `/api/bookings/${id}/chat/read`, { upTo: 1 }, tk(t)), ok: 200 },
    { name: "POST delivered", run: (t) => post(h, `/api/bookings/${id}/chat/delivered`, { upTo: 1 }, tk(t)), ok: 200 },
    { name: "POST typing", run: (t) => post(h, `/api/bookings/${id}/chat/typing`, { typing: true }, tk(t)), ok: 200 },
    { name: "GET stream", run: (t) => get(h, `/api/bookings/${id}/chat/stream`, tk(t)), ok: 200 },
  ];
  const expect: [string, string | null, number | "ok"][] = [
    ["client", client.token, "ok"],
    ["psychologist", psy.token, "ok"],
    ["other client", otherClient.token, 404],
    ["other psychologist", otherPsy.token, 404],
    ["admin", admin.token, 403],
    ["anonymous", null, 401],
  ];
  for (const c of calls) {
    for (const [who, token, want] of expect) {
      const res = await c.run(token);
      const status = res.status;
      if (res.headers.get("content-type")?.includes("event-stream")) await res.body?.cancel();
      else {
        const body = await res.json();
        if (status >= 400) {
          assert.ok(body.error?.code, `${c.name} as ${who}: error body`);
          if (want === 404) assert.equal(body.error.code, "booking_not_found");
          if (want === 403) assert.equal(body.error.code, "chat_private");
          if (c.name === "GET messages" && status >= 400) assert.ok(!JSON.stringify(body).includes("hai"));
        }
      }
      assert.equal(status, want === "ok" ? c.ok : want, `${c.name} as ${who}`);
    }
  }
  // end last (it closes the conversation), then the matrix for it
  for (const [who, token, want] of expect.slice(2)) {
    const res = await post(h, `/api/bookings/${id}/chat/end`, {}, token ? { token } : {});
    await res.body?.cancel();
    assert.equal(res.status, want, `POST end as ${who}`);
  }
  assert.equal((await post(h, `/api/bookings/${id}/chat/end`, {}, { token: psy.token })).status, 200);
  // the conversation list shows only one's own
  const list = await json(await get(h, "/api/chat/conversations", { token: psy.token }));
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.items.map((c: { bookingId: string }) => c.bookingId), [id]);
  const others = await json(await get(h, "/api/chat/conversations", { token: otherPsy.token }));
  assert.deepEqual(others.body.items, []);
  assert.equal((await get(h, "/api/chat/conversations", { token: admin.token })).status, 403);
  assert.equal((await get(h, "/api/chat/conversations")).status, 401);
  // a malformed or unknown booking id is a 404 like another's
  for (const bad of ["nope", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "%00"]) {
    assert.equal((await get(h, `/api/bookings/${bad}/messages`, { token: client.token })).status, 404);
  }
});

Deno.test("text rules: 1–1000 code points after trimming, emoji count as one", OPTS, async () => {
  const { client, booking } = await setup();
  const kv = await freshKvOf();
  const cases: [unknown, number, string?][] = [
    ["", 400, "chat.error.empty"],
    ["   \n\t  ", 400, "chat.error.empty"],
    ["🙂".repeat(1000), 201],
    ["a".repeat(1000), 201],
    ["  " + "b".repeat(1000) + "  ", 201],
    ["🙂".repeat(1001), 400, "chat.error.too_long"],
    ["a".repeat(1001), 400, "chat.error.too_long"],
    ["\ud800 lone", 400],
    [42, 400],
    [null, 400],
  ];
  for (const [text, status, key] of cases) {
    const r = await json(await send(booking.id, client.token, { clientId: cid(), text }));
    assert.equal(r.status, status, `text ${JSON.stringify(text)?.slice(0, 40)}`);
    if (status === 400) {
      assert.equal(r.body.error.code, "validation_failed");
      assert.ok(r.body.error.fields.text);
      if (key) assert.ok(typeof r.body.error.message === "string");
    }
  }
  const hist = await json(await get(h, `/api/bookings/${booking.id}/messages`, { token: client.token }));
  assert.equal(hist.body.items.length, 3);
  assert.equal([...hist.body.items[0].text].length, 1000);
  for (const bad of ["short", "x".repeat(65), "has space!", ""]) {
    assert.equal((await send(booking.id, client.token, { clientId: bad, text: "ok" })).status, 400, bad);
  }
  let n = 0;
  for await (const _ of kv.list({ prefix: ["chat_msgs"] })) n++;
  assert.equal(n, 3, "nothing stored from bad input");
});

Deno.test("the window: not open yet, open, session over; booking states; ended refuses writes", OPTS, async () => {
  const { client, psy, booking } = await setup({ startOffsetMin: 30 });
  const early = await json(await send(booking.id, client.token, { clientId: cid(), text: "terlalu awal" }));
  assert.equal(early.status, 409);
  assert.equal(early.body.error.code, "chat_not_open");
  // 9 minutes before the start: open (CHAT_OPENS_MINUTES_BEFORE = 10)
  const soon = await makeChatBooking(client, psy, { startOffsetMin: 9 });
  assert.equal((await send(soon.id, client.token, { clientId: cid(), text: "sudah boleh" })).status, 201);
  // ended 9 minutes ago: still in grace (CHAT_GRACE_MINUTES = 10); 11 minutes ago: over
  const grace = await makeChatBooking(client, psy, { startOffsetMin: -39, durationMin: 30 });
  assert.equal((await send(grace.id, psy.token, { clientId: cid(), text: "masih" })).status, 201);
  const over = await makeChatBooking(client, psy, { startOffsetMin: -41, durationMin: 30 });
  const late = await json(await send(over.id, psy.token, { clientId: cid(), text: "telat" }));
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, "chat_closed");
  for (const status of ["paid", "awaiting_payment"] as const) {
    const b = await makeChatBooking(client, psy, { status });
    assert.equal(
      (await json(await send(b.id, client.token, { clientId: cid(), text: "x" }))).body.error.code,
      "chat_not_open",
    );
  }
  // in_session writes; completed → read-only history for both
  const live = await makeChatBooking(client, psy, { status: "in_session" });
  assert.equal((await send(live.id, client.token, { clientId: cid(), text: "sesi" })).status, 201);
  await setBookingStatus(live.id, "completed");
  for (const who of [client, psy]) {
    const r = await json(await send(live.id, who.token, { clientId: cid(), text: "lagi" }));
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, "chat_closed");
    const hist = await json(await get(h, `/api/bookings/${live.id}/messages`, { token: who.token }));
    assert.deepEqual(hist.body.items.map((m: { text: string }) => m.text), ["sesi"], "history kept");
  }
  // ending: either side, both refused afterwards, idempotent, history kept
  const ending = await makeChatBooking(client, psy);
  assert.equal((await send(ending.id, psy.token, { clientId: cid(), text: "sampai jumpa" })).status, 201);
  const ended = await json(await post(h, `/api/bookings/${ending.id}/chat/end`, {}, { token: client.token }));
  assert.equal(ended.status, 200);
  assert.equal(ended.body.state.reason, "ended");
  assert.equal(ended.body.state.endedBy, client.id);
  for (const who of [client, psy]) {
    const r = await json(await send(ending.id, who.token, { clientId: cid(), text: "masih?" }));
    assert.equal(r.body.error.code, "chat_ended");
  }
  const info = await json(await get(h, `/api/bookings/${ending.id}/chat`, { token: psy.token }));
  assert.equal(info.body.state.writable, false);
  assert.equal(info.body.head, 1);
  assert.equal((await post(h, `/api/bookings/${over.id}/chat/end`, {}, { token: psy.token })).status, 409);
});

Deno.test("receipts: delivered and read per message, watermarks never move back, unread counts", OPTS, async () => {
  const { client, psy, booking } = await setup();
  const id = booking.id;
  for (let i = 1; i <= 3; i++) await send(id, client.token, { clientId: cid(), text: `c${i}` });
  await send(id, psy.token, { clientId: cid(), text: "p1" });
  const before = await json(await get(h, `/api/bookings/${id}/chat`, { token: psy.token }));
  assert.equal(before.body.unread, 3);
  const d = await json(await post(h, `/api/bookings/${id}/chat/delivered`, { upTo: 2 }, { token: psy.token }));
  assert.equal(d.status, 200);
  assert.equal(d.body.receipt.deliveredUpTo, 2);
  const r = await json(await post(h, `/api/bookings/${id}/chat/read`, { upTo: 99 }, { token: psy.token }));
  assert.equal(r.body.receipt.readUpTo, 4, "clamped to the head");
  const back = await json(await post(h, `/api/bookings/${id}/chat/read`, { upTo: 1 }, { token: psy.token }));
  assert.equal(back.body.receipt.readUpTo, 4, "never back");
  const hist = await json(await get(h, `/api/bookings/${id}/messages`, { token: client.token }));
  const [m1, m2, m3, p1] = hist.body.items;
  for (const m of [m1, m2, m3]) {
    assert.ok(m.deliveredAt && m.readAt, `client message ${m.seq} delivered and read`);
    assert.ok(m.deliveredAt <= m.readAt);
  }
  assert.ok(m1.deliveredAt < m3.deliveredAt || m1.deliveredAt === d.body.receipt.deliveredAt);
  assert.equal(p1.readAt, null, "the reader's own message is not marked by their read");
  const after = await json(await get(h, `/api/bookings/${id}/chat`, { token: psy.token }));
  assert.equal(after.body.unread, 0);
  const cl = await json(await get(h, `/api/bookings/${id}/chat`, { token: client.token }));
  assert.equal(cl.body.unread, 1);
  const list = await json(await get(h, "/api/chat/conversations", { token: client.token }));
  assert.equal(list.body.items[0].unread, 1);
});

Deno.test(
  "sending is rate-limited per user: 429 with Retry-After; retries of a stored message still answer",
  OPTS,
  async () => {
    const { client, booking } = await setup();
    const first = cid();
    let limited: Response | null = null;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await send(booking.id, client.token, { clientId: i === 0 ? first : cid(), text: `spam ${i}` });
      if (res.status === 429) limited = res;
      else assert.equal(res.status, 201);
    }
    assert.ok(limited, "limited within 40 sends");
    assert.ok(Number(limited!.headers.get("retry-after")) >= 1);
    assert.equal((await limited!.json()).error.code, "rate_limited");
    assert.equal((await send(booking.id, client.token, { clientId: first, text: "spam 0" })).status, 200);
  },
);

Deno.test("history paging: before/after/limit and bounds", OPTS, async () => {
  Deno.env.set("RATE_LIMITS", "off");
  try {
    const { client, booking } = await setup();
    const id = booking.id;
    for (let i = 1; i <= 7; i++) await send(id, client.token, { clientId: cid(), text: `m${i}` });
    const page = async (
      q: string,
    ) => (await json(await get(h, `/api/bookings/${id}/messages${q}`, { token: client.token })));
    const seqs = (r: { body: { items: { seq: number }[] } }) => r.body.items.map((m) => m.seq);
    const newest = await page("?limit=3");
    assert.deepEqual(seqs(newest), [5, 6, 7]);
    assert.equal(newest.body.cursor, "5");
    const older = await page(`?limit=3&before=${newest.body.cursor}`);
    assert.deepEqual(seqs(older), [2, 3, 4]);
    const oldest = await page(`?limit=3&before=${older.body.cursor}`);
    assert.deepEqual(seqs(oldest), [1]);
    assert.equal(oldest.body.cursor, null);
    const fwd = await page("?after=2&limit=2");
    assert.deepEqual(seqs(fwd), [3, 4]);
    assert.equal(fwd.body.cursor, "4");
    assert.deepEqual(seqs(await page("?after=2&before=5")), [3, 4]);
    assert.deepEqual(seqs(await page("?after=7")), []);
    for (const q of ["?limit=0", "?limit=101", "?limit=abc", "?before=-1", "?after=1.5", "?after=99999999999"]) {
      assert.equal((await page(q)).status, 400, q);
    }
  } finally {
    Deno.env.delete("RATE_LIMITS");
  }
});

Deno.test(
  "pages: /chat/:id for its two participants only, links from both booking pages, island JS only there",
  OPTS,
  async () => {
    const { client, psy, otherClient, admin, booking } = await setup();
    const { signIn } = await import("./helpers.ts");
    const page = async (who: { email: string | null; password: string }, path: string) => {
      const { cookie } = await signIn(h, who.email!, who.password);
      const res = await get(h, path, { cookie });
      return { status: res.status, html: await res.text() };
    };
    const own = await page(client, `/chat/${booking.id}`);
    assert.equal(own.status, 200);
    assert.match(own.html, /data-island="Chat"/);
    assert.match(own.html, /href="\/help"/, "crisis help link");
    assert.doesNotMatch(own.html, /data-island="ChatInbox"/);
    const psyPage = await page(psy, `/chat/${booking.id}`);
    assert.equal(psyPage.status, 200);
    assert.equal((await page(otherClient, `/chat/${booking.id}`)).status, 404);
    assert.equal((await page(admin, `/chat/${booking.id}`)).status, 403);
    const anon = await get(h, `/chat/${booking.id}`);
    await anon.body?.cancel();
    assert.ok(anon.status === 303 || anon.status === 302 || anon.status === 401, String(anon.status));
    // booking pages: one "Open chat" link, no chat island
    for (
      const [who, path] of [[client, `/client/bookings/${booking.id}`], [
        psy,
        `/psychologist/bookings/${booking.id}`,
      ]] as const
    ) {
      const p = await page(who, path);
      assert.equal(p.status, 200);
      assert.equal(p.html.split(`href="/chat/${booking.id}"`).length - 1, 1, `${path} links the chat once`);
      assert.doesNotMatch(p.html, /data-island="Chat"/, `${path} ships no chat JavaScript`);
    }
    // a booking whose chat is not open yet and has no history: no link
    const later = await makeChatBooking(client, psy, { startOffsetMin: 24 * 60 });
    const lp = await page(client, `/client/bookings/${later.id}`);
    assert.doesNotMatch(lp.html, new RegExp(`href="/chat/${later.id}"`));
    const list = await page(psy, "/chat");
    assert.equal(list.status, 200);
    assert.match(list.html, /data-island="ChatInbox"/);
    assert.match(list.html, new RegExp(`/chat/${booking.id}`));
  },
);
