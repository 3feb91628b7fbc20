/**
 * The screening API over the app's handler: consent → POST → GET list/one → DELETE, the status codes of
 * refusals (400, 401, 403, 404, 409, 413, 422), and a fuzz of every screening endpoint (fast-check via
 * tests/fuzz.ts): whatever arrives, no 5xx and nothing half-written (each record has its index).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { appHandler, freshKv, get, makeUser, sendJson } from "./helpers.ts";
import { asText, fuzz } from "./fuzz.ts";
import { bodyVoting, bookedPsychologist, current, withToken } from "./screening_fixtures.ts";
import { CONSENT_TEXT_VERSION } from "@/lib/screening/consent.ts";

Deno.env.set("APP_ENV", "test");

Deno.test("screening API: consent, store, list, read, delete; refusals with their codes", async () => {
  const kv = await freshKv();
  try {
    const h = await appHandler();
    const client = await withToken("client");
    const { set, table } = await current();
    const { body, expected } = bodyVoting(set, table, "anxious");

    const unauth = await sendJson(h, "/api/screenings", body);
    assert.equal(unauth.status, 401);
    await unauth.body?.cancel();
    const noConsent = await sendJson(h, "/api/screenings", body, { token: client.token });
    assert.equal(noConsent.status, 409);
    assert.equal((await noConsent.json()).error.code, "consent_required");

    const badConsent = await sendJson(h, "/api/screening/consent", { textVersion: "1", extra: 1 }, {
      token: client.token,
    });
    assert.equal(badConsent.status, 400);
    await badConsent.body?.cancel();
    const consent = await sendJson(h, "/api/screening/consent", { textVersion: CONSENT_TEXT_VERSION }, {
      token: client.token,
    });
    assert.equal(consent.status, 201);
    const c = (await consent.json()).consent;
    assert.equal(c.textVersion, CONSENT_TEXT_VERSION);
    assert.match(c.at, /Z$/);

    const bad = await sendJson(h, "/api/screenings", { ...body, result: "secure" }, { token: client.token });
    assert.equal(bad.status, 400);
    assert.ok((await bad.json()).error.fields.result, "the unknown field is named");
    const huge = await sendJson(h, "/api/screenings", { ...body, modelVersion: "x".repeat(20_000) }, {
      token: client.token,
    });
    assert.equal(huge.status, 413);
    await huge.body?.cancel();

    const created = await sendJson(h, "/api/screenings", body, { token: client.token });
    assert.equal(created.status, 201);
    const s = (await created.json()).screening;
    assert.deepEqual(s.counts, expected);
    assert.ok(["secure", "anxious", "avoidant"].includes(s.result));
    assert.equal(typeof s.pdf.required, "boolean");

    const list = await get(h, "/api/screenings", { token: client.token });
    assert.equal(list.status, 200);
    assert.deepEqual((await list.json()).items.map((x: { id: string }) => x.id), [s.id]);
    const one = await get(h, `/api/screenings/${s.id}`, { token: client.token });
    assert.equal(one.status, 200);
    assert.equal((await one.json()).screening.id, s.id);
    const badLimit = await get(h, "/api/screenings?limit=1000", { token: client.token });
    assert.equal(badLimit.status, 400);
    await badLimit.body?.cancel();
    const badCursor = await get(h, "/api/screenings?cursor=%%%", { token: client.token });
    assert.equal(badCursor.status, 400);
    await badCursor.body?.cancel();

    const admin = await withToken("admin");
    const other = await withToken("client");
    const stranger = await withToken("psychologist");
    for (const [who, status] of [[admin, 403], [other, 404], [stranger, 404]] as const) {
      const r = await get(h, `/api/screenings/${s.id}`, { token: who.token });
      assert.equal(r.status, status, who.role);
      await r.body?.cancel();
    }
    const strangerList = await get(h, `/api/screenings?clientId=${client.id}`, { token: stranger.token });
    assert.equal(strangerList.status, 403);
    await strangerList.body?.cancel();
    const otherList = await get(h, `/api/screenings?clientId=${client.id}`, { token: other.token });
    assert.equal(otherList.status, 403, "a client cannot list someone else's");
    await otherList.body?.cancel();
    const psy = await bookedPsychologist(client);
    const psyList = await get(h, `/api/screenings?clientId=${client.id}`, { token: psy.token });
    assert.equal(psyList.status, 200);
    assert.equal((await psyList.json()).items.length, 1);
    const psyPost = await sendJson(h, "/api/screenings", body, { token: psy.token });
    assert.equal(psyPost.status, 403);
    await psyPost.body?.cancel();

    const faceless = structuredClone(body);
    for (let i = 0; i < 5; i++) faceless.stimuli[i].faceFrames = 0;
    for (let i = 0; i < 5; i++) {
      for (const k of Object.keys(faceless.stimuli[i].emotions)) {
        (faceless.stimuli[i].emotions as Record<string, number>)[k] = 0;
      }
    }
    const r422 = await sendJson(h, "/api/screenings", faceless, { token: client.token });
    assert.equal(r422.status, 422);
    assert.equal((await r422.json()).error.code, "not_enough_face");

    const delOther = await sendJson(h, `/api/screenings/${s.id}`, null, { token: other.token, method: "DELETE" });
    assert.equal(delOther.status, 404);
    await delOther.body?.cancel();
    const del = await sendJson(h, `/api/screenings/${s.id}`, null, { token: client.token, method: "DELETE" });
    assert.equal(del.status, 200);
    assert.deepEqual(await del.json(), { ok: true });
    const gone = await get(h, `/api/screenings/${s.id}`, { token: client.token });
    assert.equal(gone.status, 404);
    await gone.body?.cancel();
  } finally {
    kv.close();
  }
});

/** Every screening has exactly its client index, and no index points nowhere. */
async function consistent(kv: Deno.Kv): Promise<number> {
  const ids = new Map<string, string>();
  for await (const e of kv.list<{ id: string; clientId: string }>({ prefix: ["screenings"] })) {
    ids.set(e.value.id, e.value.clientId);
  }
  let idx = 0;
  for await (const e of kv.list<string>({ prefix: ["screenings_by_client"] })) {
    idx++;
    assert.equal(ids.get(e.value), e.key[1], `index ${JSON.stringify(e.key)} without its record`);
  }
  assert.equal(idx, ids.size);
  return ids.size;
}

const nasty = fc.constantFrom(
  "",
  "0",
  "-1",
  "1e308",
  "NaN",
  "<script>",
  "\u0000",
  "\ud800",
  "a".repeat(300),
  "%%%",
  "01ARZ3NDEKTSV4RRFFQ69G5FAV",
);
const value = fc.oneof(
  nasty,
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.integer({ min: -1, max: 10_001 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);

Deno.test("screening API fuzz: no 5xx, nothing half-written", async (t) => {
  const kv = await freshKv();
  try {
    const h = await appHandler();
    const client = await withToken("client");
    await makeUser("admin");
    const { set, table } = await current();
    const base = bodyVoting(set, table, "secure").body;
    await sendJson(h, "/api/screening/consent", { textVersion: CONSENT_TEXT_VERSION }, { token: client.token });
    // Mutations of a valid body: a field replaced, removed or added, at the top, in a picture or its counts.
    const mutation = fc.record({
      where: fc.constantFrom("top", "stimulus", "emotions"),
      index: fc.nat({ max: 15 }),
      key: fc.constantFrom(
        "stimulusSetVersion",
        "mappingVersion",
        "modelVersion",
        "backend",
        "stimuli",
        "stimulusId",
        "frames",
        "faceFrames",
        "emotions",
        "happy",
        "neutral",
        "image",
        "constructor",
      ),
      op: fc.constantFrom("set", "delete"),
      value,
    });
    await fuzz(
      t,
      fc.asyncProperty(fc.array(mutation, { minLength: 0, maxLength: 3 }), async (muts) => {
        const body = structuredClone(base) as unknown as Record<string, unknown>;
        for (const m of muts) {
          const stimuli = body.stimuli as Record<string, unknown>[] | undefined;
          const target = m.where === "top"
            ? body
            : Array.isArray(stimuli) && stimuli[m.index % Math.max(1, stimuli.length)]
            ? m.where === "stimulus"
              ? stimuli[m.index % stimuli.length]
              : (stimuli[m.index % stimuli.length].emotions as Record<string, unknown>)
            : null;
          if (!target || typeof target !== "object") continue;
          if (m.op === "delete") delete target[m.key];
          else target[m.key] = m.value;
        }
        const before = await consistent(kv);
        const res = await sendJson(h, "/api/screenings", body, { token: client.token });
        assert.ok(res.status < 500, `${res.status} for ${JSON.stringify(muts)}`);
        await res.body?.cancel();
        const after = await consistent(kv);
        assert.equal(after, before + (res.status === 201 ? 1 : 0));
      }),
      { numRuns: 60, label: "POST /api/screenings" },
    );
    await fuzz(
      t,
      fc.asyncProperty(value, value, async (id, tv) => {
        const text = (v: unknown): string => asText(v).toWellFormed();
        const path = `/api/screenings/${encodeURIComponent(text(id)).slice(0, 200)}`;
        const g = await get(h, path, { token: client.token });
        assert.ok(g.status < 500, `GET ${path}: ${g.status}`);
        await g.body?.cancel();
        const d = await sendJson(h, path, null, { token: client.token, method: "DELETE" });
        assert.ok(d.status < 500, `DELETE ${path}: ${d.status}`);
        await d.body?.cancel();
        const q = await get(
          h,
          `/api/screenings?limit=${encodeURIComponent(text(id))}&cursor=${encodeURIComponent(text(tv))}`,
          { token: client.token },
        );
        assert.ok(q.status < 500, `list: ${q.status}`);
        await q.body?.cancel();
        const c = await sendJson(h, "/api/screening/consent", { textVersion: tv }, { token: client.token });
        assert.ok(c.status < 500, `consent: ${c.status}`);
        await c.body?.cancel();
        await consistent(kv);
      }),
      { numRuns: 40, label: "GET/DELETE one, list, consent" },
    );
  } finally {
    kv.close();
  }
});
