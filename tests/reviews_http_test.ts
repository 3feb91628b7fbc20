/**
 * The reviews API over the app's handler: `POST /api/bookings/{id}/review`
 * (roles, ownership, once, only completed) and `GET
 * /api/psychologists/{id}/reviews` (public, first names only, cursor pages
 * without gaps or repeats, hidden reviews left out); hostile bodies and queries
 * never give a 5xx nor a half-written review (fast-check, seeds printed by
 * tests/fuzz.ts).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { asText, fuzz } from "./fuzz.ts";
import { appHandler, freshKv, get, makeUser, post } from "./helpers.ts";
import { makePsychologist } from "./psychologist_fixtures.ts";
import { consistentReviews as consistent, pastBooking } from "./review_fixtures.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import type { User } from "@/lib/auth/users.ts";
import { reviewAnswerSchema, reviewPageSchema } from "@/lib/reviews/http.ts";
import { setReviewHidden, submitReview } from "@/lib/reviews/store.ts";
import { setPsychologistActive } from "@/lib/psychologists/store.ts";

const OPTS = { sanitizeResources: false, sanitizeOps: false };

async function tokenOf(u: User): Promise<string> {
  return (await createSession(u.id, "bearer")).token;
}

Deno.test({
  ...OPTS,
  name: "reviews API: roles, ownership, once, only completed; the answer matches its schema",
  async fn() {
    const kv = await freshKv();
    const handler = await appHandler();
    const psy = await makePsychologist();
    const client = await makeUser("client", { name: "Sekar Ayu" });
    const other = await makeUser("client");
    const done = await pastBooking(client, psy, "completed");
    const confirmed = await pastBooking(client, psy, "confirmed", 5);
    const [c, o, p] = await Promise.all([client, other, psy].map(tokenOf));
    const path = `/api/bookings/${done.id}/review`;

    assert.equal((await post(handler, path, { rating: 5 })).status, 401);
    assert.equal((await post(handler, path, { rating: 5 }, { token: p })).status, 403);
    const foreign = await post(handler, path, { rating: 5 }, { token: o });
    assert.equal(foreign.status, 404);
    assert.equal((await foreign.json()).error.code, "booking_not_found");
    const early = await post(handler, `/api/bookings/${confirmed.id}/review`, { rating: 5 }, { token: c });
    assert.equal(early.status, 409);
    assert.equal((await early.json()).error.code, "review_not_allowed");
    const bad = await post(handler, path, { rating: 9, comment: "x".repeat(1200) }, { token: c });
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys((await bad.json()).error.fields).sort(), ["comment", "rating"]);

    const ok = await post(handler, path, { rating: 4, comment: " Hangat dan jelas. " }, { token: c });
    assert.equal(ok.status, 201);
    const body = reviewAnswerSchema.parse(await ok.json());
    assert.deepEqual([body.review.rating, body.review.comment, body.review.firstName], [
      4,
      "Hangat dan jelas.",
      "Sekar",
    ]);
    const twice = await post(handler, path, { rating: 1 }, { token: c });
    assert.equal(twice.status, 409);
    assert.equal((await twice.json()).error.code, "review_exists");
    await consistent(kv);
  },
});

Deno.test({
  ...OPTS,
  name: "reviews API: the public list pages by cursor, first names only, hidden ones left out",
  async fn() {
    const kv = await freshKv();
    const handler = await appHandler();
    const psy = await makePsychologist();
    const admin = await makeUser("admin");
    const client = await makeUser("client", { name: "Bayu Aji Nugroho" });
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      const b = await pastBooking(client, psy, "completed", 30 - i);
      await submitReview(client, b.id, { rating: (i % 5) + 1, comment: `ulasan ${i}` });
      ids.push(b.id);
    }
    await setReviewHidden(admin, ids[22], true, "kasar");
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `?limit=10&cursor=${encodeURIComponent(cursor)}` : "?limit=10";
      const res = await get(handler, `/api/psychologists/${psy.id}/reviews${q}`);
      assert.equal(res.status, 200);
      const json = await res.json();
      const page = reviewPageSchema.parse(json);
      assert.ok(!JSON.stringify(json).includes(client.id), "no client id in the public answer");
      assert.ok(page.items.every((r) => r.firstName === "Bayu"));
      seen.push(...page.items.map((r) => r.comment!));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    assert.equal(seen.length, 22, "the hidden one is left out");
    assert.equal(new Set(seen).size, 22, "no repeats");
    assert.equal(seen[0], "ulasan 21", "newest first");
    const first = await (await get(handler, `/api/psychologists/${psy.id}/reviews`)).json();
    assert.equal(first.ratingCount, 22);
    assert.equal(first.items.length, 10, "default limit 10");

    for (const q of ["?limit=0", "?limit=51", "?limit=x", "?cursor=%%%", `?cursor=${"a".repeat(1001)}`]) {
      const res = await get(handler, `/api/psychologists/${psy.id}/reviews${q}`);
      assert.equal(res.status, 400, q);
      await res.body?.cancel();
    }
    const unknown = await get(handler, "/api/psychologists/01ARZ3NDEKTSV4RRFFQ69G5FAV/reviews");
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
    await setPsychologistActive(admin, psy.id, false);
    const gone = await get(handler, `/api/psychologists/${psy.id}/reviews`);
    assert.equal(gone.status, 404, "a deactivated psychologist's reviews are not public");
    await gone.body?.cancel();
    await consistent(kv);
  },
});

const junk = fc.oneof(
  fc.constantFrom("", "0", "1", "5", "6", "-1", "4.5", "1e3", "NaN", "null", "true", " 3 ", "٣", "５"),
  fc.string({ maxLength: 20 }),
  fc.integer({ min: -10, max: 10 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
);

Deno.test({
  ...OPTS,
  name: "reviews API fuzz: hostile bodies and queries never give a 5xx nor a half-written review",
  async fn(t) {
    const kv = await freshKv();
    const handler = await appHandler();
    const psy = await makePsychologist();
    const client = await makeUser("client");
    const c = await tokenOf(client);
    const p = await tokenOf(psy);
    const bookings = [
      ...await Promise.all([2, 3, 4, 5, 6, 7].map((d) => pastBooking(client, psy, "completed", d))),
      await pastBooking(client, psy, "no_show", 8),
      await pastBooking(client, psy, "cancelled", 9),
    ];
    const target = fc.oneof(
      fc.constantFrom(...bookings.map((b) => b.id)),
      fc.constantFrom("01ARZ3NDEKTSV4RRFFQ69G5FAV", "x", "%2e%2e", "0".repeat(26), "a".repeat(300)),
    );
    const body = fc.oneof(
      fc.record({ rating: junk, comment: fc.oneof(junk, fc.string({ maxLength: 1100 })) }, { requiredKeys: [] }),
      fc.dictionary(fc.string({ maxLength: 8 }), junk, { maxKeys: 4 }),
      fc.string({ maxLength: 50 }),
      fc.constantFrom("{", "[]", "null", '{"rating":5,"rating":1}', '{"__proto__":{"rating":5}}'),
    );
    await fuzz(
      t,
      fc.asyncProperty(target, body, fc.boolean(), async (id, b, asClient) => {
        const res = await post(handler, `/api/bookings/${id}/review`, b, { token: asClient ? c : p });
        assert.ok(res.status < 500, `POST ${id} ${JSON.stringify(b)} → ${res.status}`);
        assert.ok([201, 400, 403, 404, 409].includes(res.status), `status ${res.status}`);
        await res.body?.cancel();
      }),
      { numRuns: 150, label: "POST review" },
    );
    await fuzz(
      t,
      fc.asyncProperty(
        fc.record({ cursor: fc.oneof(fc.string({ maxLength: 40 }), fc.base64String({ maxLength: 40 })), limit: junk }, {
          requiredKeys: [],
        }),
        fc.oneof(fc.constant(psy.id), fc.string({ maxLength: 30 })),
        async (q, who) => {
          const qs = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, asText(v)])).toString();
          const res = await get(handler, `/api/psychologists/${encodeURIComponent(who)}/reviews?${qs}`);
          assert.ok(res.status < 500, `GET ${who}?${qs} → ${res.status}`);
          await res.body?.cancel();
        },
      ),
      { numRuns: 150, label: "GET reviews" },
    );
    await consistent(kv);
    const reviewed = (await Array.fromAsync(kv.list({ prefix: ["session_reviews"] }))).length;
    assert.ok(reviewed <= 6, "at most one review per completed booking");
  },
});
