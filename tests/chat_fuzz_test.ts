/**
 * Property tests of every chat endpoint (fast-check through tests/fuzz.ts,
 * which prints each seed): hostile bodies, query strings and headers from both
 * participants and strangers. Never a 5xx, always a JSON error with a code for
 * a 4xx, and a refused request stores nothing (no message, no client-id key,
 * no head change, no receipt).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import { appHandler, freshKv, ORIGIN } from "./helpers.ts";
import { chatCast } from "./chat_fixtures.ts";
import { CHAT_PREFIXES } from "@/lib/chat/keys.ts";

const OPTS = { sanitizeResources: false, sanitizeOps: false };

async function snapshot(kv: Deno.Kv): Promise<string> {
  const rows: string[] = [];
  for (const p of CHAT_PREFIXES) {
    for await (const e of kv.list({ prefix: [p] })) rows.push(`${JSON.stringify(e.key)}@${e.versionstamp}`);
  }
  return rows.join("\n");
}

const hostile = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\ud800",
    "🙂".repeat(1001),
    "a".repeat(5000),
    "<script>alert(1)</script>",
    "00000000",
    "-1",
    "1e9",
    "NaN",
    "Infinity",
    "99999999999999999999",
    "__proto__",
  ),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

Deno.test("chat fuzz: every endpoint, hostile input — no 5xx, a refusal stores nothing", OPTS, async (t) => {
  Deno.env.set("RATE_LIMITS", "off");
  try {
    const kv = await freshKv();
    const h = await appHandler();
    const { client, psy, otherClient, admin, booking } = await chatCast();
    const id = booking.id;
    const tokens = [client.token, psy.token, otherClient.token, admin.token, "bogus", null];
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom("clientId", "text", "upTo", "typing", "__proto__", "x"), hostile, { maxKeys: 4 }),
      fc.record({ clientId: fc.string({ minLength: 8, maxLength: 64 }), text: hostile }),
      fc.record({ upTo: hostile }),
      fc.anything().map((v) => v as unknown),
      fc.constantFrom("{", "[]", "null", '"text"', '{"text":', ""),
    );
    const path = fc.constantFrom(
      `/api/bookings/${id}/messages`,
      `/api/bookings/${id}/chat/read`,
      `/api/bookings/${id}/chat/delivered`,
      `/api/bookings/${id}/chat/typing`,
      `/api/bookings/${id}/chat/end`,
      `/api/bookings/not-an-id/messages`,
      `/api/bookings/${id.slice(0, 25)}Z/chat/read`,
    );
    await fuzz(
      t,
      fc.asyncProperty(path, body, fc.constantFrom(...tokens), async (p, b, token) => {
        const before = await snapshot(kv);
        const res = await h(
          new Request(ORIGIN + p, {
            method: "POST",
            headers: {
              origin: ORIGIN,
              "content-type": "application/json",
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
            body: typeof b === "string" ? b : JSON.stringify(b) ?? "null",
          }),
        );
        assert.ok(res.status < 500, `${p} → ${res.status}`);
        const json = await res.json();
        if (res.status >= 400) {
          assert.ok(typeof json.error?.code === "string", "a JSON error with a code");
          if (!p.endsWith("/end")) assert.equal(await snapshot(kv), before, `${p} ${res.status} stored nothing`);
        }
      }),
      { numRuns: 150, label: "POST" },
    );
    const query = fc.dictionary(
      fc.constantFrom("before", "after", "limit", "cursor", "x"),
      fc.string({ maxLength: 20 }),
      {
        maxKeys: 4,
      },
    );
    await fuzz(
      t,
      fc.asyncProperty(
        fc.constantFrom(`/api/bookings/${id}/messages`, "/api/chat/conversations", `/api/bookings/${id}/chat`),
        query,
        fc.constantFrom(...tokens),
        async (p, q, token) => {
          const before = await snapshot(kv);
          const res = await h(
            new Request(`${ORIGIN}${p}?${new URLSearchParams(q)}`, {
              headers: token ? { authorization: `Bearer ${token}` } : {},
            }),
          );
          assert.ok(res.status < 500, `${p}?${new URLSearchParams(q)} → ${res.status}`);
          const json = await res.json();
          if (res.status >= 400) assert.ok(typeof json.error?.code === "string");
          else if (p.endsWith("/messages")) assert.ok(Array.isArray(json.items) && json.items.length <= 100);
          assert.equal(await snapshot(kv), before, "a read stores nothing");
        },
      ),
      { numRuns: 150, label: "GET" },
    );
    await fuzz(
      t,
      fc.asyncProperty(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), async (lastId, after) => {
        const res = await h(
          new Request(`${ORIGIN}/api/bookings/${id}/chat/stream?after=${encodeURIComponent(after)}`, {
            headers: { authorization: `Bearer ${client.token}`, "last-event-id": lastId.replace(/[\r\n\0]/g, "") },
          }),
        );
        assert.equal(res.status, 200);
        await res.body?.cancel();
      }),
      { numRuns: 60, label: "stream" },
    );
  } finally {
    Deno.env.delete("RATE_LIMITS");
  }
});
