/**
 * The live conversation stream (`GET /api/bookings/{id}/chat/stream`) through
 * the app's handler with a real KV: a reader disconnected 1,000 times at random
 * points while the other side keeps sending gets every message exactly once and
 * in order; receipts, typing (cleared after 5 s), presence and the end reach the
 * other side live.
 */
import assert from "node:assert/strict";
import { appHandler, freshKv, get, type Handler, post } from "./helpers.ts";
import { chatCast } from "./chat_fixtures.ts";
import { type SseEvent, SseReader } from "@/lib/notify/sse_client.ts";
import { TYPING_TIMEOUT_MS } from "@/lib/chat/live.ts";
import { openStreamCount } from "@/lib/notify/hub.ts";

const OPTS = { sanitizeResources: false, sanitizeOps: false };

let h: Handler;

function connect(id: string, token: string, after?: number, header = true) {
  const q = after !== undefined && !header ? `?after=${after}` : "";
  const headers: Record<string, string> = {};
  if (after !== undefined && header) headers["last-event-id"] = String(after);
  return get(h, `/api/bookings/${id}/chat/stream${q}`, { token, headers });
}

/** Next event named `name` within `ms`, or null. */
async function nextOf(r: SseReader, name: string, ms = 3000) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((res) => timer = setTimeout(() => res(null), ms));
  try {
    return await Promise.race([r.nextOf(name), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test(
  "resume: 1,000 random disconnects while the other side sends — every message once, in order",
  OPTS,
  async () => {
    Deno.env.set("RATE_LIMITS", "off");
    try {
      await freshKv();
      h = await appHandler();
      const { client, psy, booking } = await chatCast();
      const TOTAL = 300;
      let sending = true;
      const sender = (async () => {
        for (let i = 1; i <= TOTAL; i++) {
          const res = await post(h, `/api/bookings/${booking.id}/messages`, {
            clientId: `bench-${i}-${crypto.randomUUID().slice(0, 8)}`,
            text: `pesan ${i} 🙂`,
          }, { token: psy.token });
          assert.equal(res.status, 201);
          await res.body?.cancel();
          if (i % 3 === 0) await new Promise((r) => setTimeout(r, 1));
        }
        sending = false;
      })();
      const got: number[] = [];
      const texts: string[] = [];
      let last = 0;
      let reconnects = 0;
      const started = Date.now();
      while ((reconnects < 1000 || got.length < TOTAL) && Date.now() - started < 60_000) {
        const res = await connect(booking.id, client.token, last, reconnects % 2 === 0);
        assert.equal(res.status, 200);
        const r = new SseReader(res.body!);
        // A random point: at once, after 1–3 messages of the catch-up, or after catching up (the first
        // `receipts` event) and maybe one live message. After 1,000 rounds: read to the end.
        const final = reconnects >= 1000;
        const take = final ? TOTAL : Math.floor(Math.random() * 4);
        let caughtUp = false;
        for (let k = 0; k < take;) {
          const e: SseEvent | null = caughtUp ? await nextOf(r, "message", final ? 3000 : 5) : await r.next();
          if (!e) break;
          if (e.event === "receipts") {
            caughtUp = true;
            if (!final && Math.random() < 0.5) break;
            continue;
          }
          if (e.event !== "message") continue;
          k++;
          const m = JSON.parse(e.data);
          assert.equal(Number(e.id), m.seq, "id: is the seq");
          got.push(m.seq);
          texts.push(m.text);
          last = m.seq;
          if (got.length >= TOTAL) break;
        }
        await r.cancel();
        reconnects++;
      }
      await sender;
      assert.equal(sending, false);
      assert.ok(reconnects >= 1000, `reconnected ${reconnects} times`);
      assert.deepEqual(got, Array.from({ length: TOTAL }, (_, i) => i + 1), "every message exactly once, in order");
      assert.equal(texts[TOTAL - 1], `pesan ${TOTAL} 🙂`);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(openStreamCount(client.id), 0, "every stream released its slot");
    } finally {
      Deno.env.delete("RATE_LIMITS");
    }
  },
);

Deno.test(
  "live: messages both ways, receipts to the sender, typing clears after 5 s, presence, end",
  OPTS,
  async () => {
    await freshKv();
    h = await appHandler();
    const { client, psy, booking } = await chatCast();
    const id = booking.id;
    const cRes = await connect(id, client.token);
    const c = new SseReader(cRes.body!);
    const state = JSON.parse((await nextOf(c, "state"))!.data);
    assert.equal(state.writable, true);
    const pres0 = JSON.parse((await nextOf(c, "presence"))!.data);
    assert.deepEqual([pres0.userId, pres0.online], [psy.id, false]);
    const pRes = await connect(id, psy.token);
    const p = new SseReader(pRes.body!);
    const pres1 = JSON.parse((await nextOf(c, "presence"))!.data);
    assert.deepEqual([pres1.userId, pres1.online], [psy.id, true], "the client sees the psychologist come online");

    // typing
    assert.equal(
      (await post(h, `/api/bookings/${id}/chat/typing`, { typing: true }, { token: psy.token })).status,
      200,
    );
    const t1 = JSON.parse((await nextOf(c, "typing"))!.data);
    assert.deepEqual(t1, { userId: psy.id, typing: true });
    const t0 = Date.now();
    const t2 = JSON.parse((await nextOf(c, "typing", TYPING_TIMEOUT_MS + 2000))!.data);
    assert.deepEqual(t2, { userId: psy.id, typing: false });
    const waited = Date.now() - t0;
    assert.ok(waited >= TYPING_TIMEOUT_MS - 300 && waited < TYPING_TIMEOUT_MS + 1500, `cleared after ${waited} ms`);

    // a message from the client reaches the psychologist (and the client's own stream)
    const sent = await post(
      h,
      `/api/bookings/${id}/messages`,
      { clientId: crypto.randomUUID(), text: "Selamat sore" },
      {
        token: client.token,
      },
    );
    assert.equal(sent.status, 201);
    const pm = await nextOf(p, "message");
    assert.equal(JSON.parse(pm!.data).text, "Selamat sore");
    assert.equal(pm!.id, "1");
    const own = await nextOf(c, "message");
    assert.equal(JSON.parse(own!.data).seq, 1);
    // delivered then read: the client's stream gets receipts
    await post(h, `/api/bookings/${id}/chat/delivered`, { upTo: 1 }, { token: psy.token });
    let rc = JSON.parse((await nextOf(c, "receipts"))!.data);
    while (rc.receipts[psy.id]?.deliveredUpTo !== 1) rc = JSON.parse((await nextOf(c, "receipts"))!.data);
    assert.equal(rc.receipts[psy.id].readUpTo, 0);
    await post(h, `/api/bookings/${id}/chat/read`, { upTo: 1 }, { token: psy.token });
    rc = JSON.parse((await nextOf(c, "receipts"))!.data);
    assert.equal(rc.receipts[psy.id].readUpTo, 1);
    assert.ok(rc.receipts[psy.id].readAt);
    // a reply the other way
    await post(h, `/api/bookings/${id}/messages`, { clientId: crypto.randomUUID(), text: "Sore juga" }, {
      token: psy.token,
    });
    assert.equal(JSON.parse((await nextOf(c, "message"))!.data).text, "Sore juga");

    // the psychologist leaves: offline with a last-seen time
    await p.cancel();
    const pres2 = JSON.parse((await nextOf(c, "presence"))!.data);
    assert.equal(pres2.online, false);
    assert.ok(pres2.lastSeen && Date.now() - Date.parse(pres2.lastSeen) < 5000);

    // the end reaches the open stream as a state event
    assert.equal((await post(h, `/api/bookings/${id}/chat/end`, {}, { token: psy.token })).status, 200);
    const ended = JSON.parse((await nextOf(c, "state"))!.data);
    assert.equal(ended.writable, false);
    assert.equal(ended.reason, "ended");
    await c.cancel();
  },
);

Deno.test("stream without a resume point starts at the head; a bad Last-Event-ID is ignored", OPTS, async () => {
  await freshKv();
  h = await appHandler();
  const { client, psy, booking } = await chatCast();
  for (const text of ["satu", "dua"]) {
    await post(h, `/api/bookings/${booking.id}/messages`, { clientId: crypto.randomUUID(), text }, {
      token: psy.token,
    });
  }
  for (const after of [undefined, "abc", "-1", "9".repeat(20)]) {
    const res = await get(h, `/api/bookings/${booking.id}/chat/stream`, {
      token: client.token,
      headers: after === undefined ? {} : { "last-event-id": after },
    });
    assert.equal(res.status, 200);
    const r = new SseReader(res.body!);
    assert.equal(await nextOf(r, "message", 300), null, `nothing old for ${after}`);
    await r.cancel();
  }
  const res = await get(h, `/api/bookings/${booking.id}/chat/stream?after=1`, { token: client.token });
  const r = new SseReader(res.body!);
  assert.equal(JSON.parse((await nextOf(r, "message"))!.data).text, "dua");
  await r.cancel();
});

Deno.test("the conversation list is live: unread counts move with messages and reads", OPTS, async () => {
  await freshKv();
  h = await appHandler();
  const { client, psy, admin, booking } = await chatCast();
  assert.equal((await get(h, "/api/chat/stream", { token: admin.token })).status, 403);
  assert.equal((await get(h, "/api/chat/stream")).status, 401);
  const res = await get(h, "/api/chat/stream", { token: psy.token });
  assert.equal(res.status, 200);
  const r = new SseReader(res.body!);
  const first = JSON.parse((await nextOf(r, "conversations"))!.data);
  assert.deepEqual(first.items.map((c: { bookingId: string; unread: number }) => [c.bookingId, c.unread]), [
    [booking.id, 0],
  ]);
  await post(h, `/api/bookings/${booking.id}/messages`, { clientId: crypto.randomUUID(), text: "halo" }, {
    token: client.token,
  });
  const second = JSON.parse((await nextOf(r, "conversations"))!.data);
  assert.equal(second.items[0].unread, 1);
  await post(h, `/api/bookings/${booking.id}/chat/read`, { upTo: 1 }, { token: psy.token });
  const third = JSON.parse((await nextOf(r, "conversations"))!.data);
  assert.equal(third.items[0].unread, 0);
  await r.cancel();
});
