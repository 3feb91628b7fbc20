/**
 * Reviews through the library: once per booking (also under a race), only the
 * booking's client, only after a completed session; the rating sum/count change
 * in the same commit as the review, so the directory's rating filter and sort
 * see it; a hidden review leaves the profile's list and the average (unhiding
 * adds it back), both audited. Rules: docs/domain-rules.md "Reviews".
 */
import assert from "node:assert/strict";
import { freshKv, makeUser } from "./helpers.ts";
import { makePsychologist } from "./psychologist_fixtures.ts";
import { pastBooking } from "./review_fixtures.ts";
import { Conflict, Forbidden, NotFound, ValidationError } from "@/lib/errors.ts";
import { parseInput } from "@/lib/validation.ts";
import { getPsychologist } from "@/lib/psychologists/store.ts";
import { directoryQuerySchema, searchPsychologists } from "@/lib/psychologists/directory.ts";
import { listAudit } from "@/lib/audit.ts";
import {
  getReview,
  listAllReviews,
  listPsychologistReviews,
  reviewsToLeave,
  setReviewHidden,
  submitReview,
} from "@/lib/reviews/store.ts";
import { firstNameOf, publicReview } from "@/lib/reviews/model.ts";

async function rejects(p: Promise<unknown>, type: new (...a: never[]) => Error, code?: string) {
  await assert.rejects(p, (e: Error & { code?: string }) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e.constructor.name}: ${e.message}`);
    if (code) assert.equal(e.code, code);
    return true;
  });
}

Deno.test("reviews: once per completed booking, only by its client, input validated", async () => {
  await freshKv();
  const psy = await makePsychologist();
  const client = await makeUser("client", { name: "Ayu Lestari Putri" });
  const other = await makeUser("client");
  const done = await pastBooking(client, psy, "completed");
  const noShow = await pastBooking(client, psy, "no_show", 4);
  const confirmed = await pastBooking(client, psy, "confirmed", 6);

  await rejects(submitReview(other, done.id, { rating: 5 }), NotFound, "booking_not_found");
  await rejects(submitReview(psy, done.id, { rating: 5 }), NotFound, "booking_not_found");
  await rejects(submitReview(client, "01ARZ3NDEKTSV4RRFFQ69G5FAV", { rating: 5 }), NotFound);
  await rejects(submitReview(client, "../x", { rating: 5 }), NotFound);
  await rejects(submitReview(client, noShow.id, { rating: 5 }), Conflict, "review_not_allowed");
  await rejects(submitReview(client, confirmed.id, { rating: 5 }), Conflict, "review_not_allowed");
  for (
    const bad of [
      { rating: 0 },
      { rating: 6 },
      { rating: 2.5 },
      { rating: "x" },
      {},
      { rating: 4, comment: 3 },
      {
        rating: true,
      },
      { rating: [5] },
      { rating: "5.0" },
      { rating: null },
    ]
  ) {
    await rejects(submitReview(client, done.id, bad as Record<string, unknown>), ValidationError);
  }
  await rejects(submitReview(client, done.id, { rating: 4, comment: "a".repeat(1001) }), ValidationError);
  assert.equal(await getReview(done.id), null, "nothing written by refused attempts");
  assert.equal((await getPsychologist(psy.id))!.ratingCount, 0);

  const r = await submitReview(client, done.id, { rating: "4", comment: `  ${"b".repeat(1000)}  ` });
  assert.equal(r.rating, 4);
  assert.equal(r.comment, "b".repeat(1000), "trimmed, 1000 characters kept");
  assert.equal(r.clientFirstName, "Ayu");
  assert.deepEqual(Object.keys(publicReview(r)).sort(), [
    "comment",
    "createdAt",
    "firstName",
    "id",
    "rating",
    "serviceType",
  ]);
  await rejects(submitReview(client, done.id, { rating: 1 }), Conflict, "review_exists");
  assert.equal((await getReview(done.id))!.rating, 4, "the first review stays");
  const p = (await getPsychologist(psy.id))!;
  assert.deepEqual([p.ratingSum, p.ratingCount], [4, 1]);

  const blank = await pastBooking(client, psy, "completed", 8);
  assert.equal((await submitReview(client, blank.id, { rating: 5, comment: "   " })).comment, null);
  assert.equal(firstNameOf("  Budi  Santoso "), "Budi");
});

Deno.test("reviews: 20 concurrent submits of one booking store one review and count it once", async () => {
  await freshKv();
  const psy = await makePsychologist();
  const client = await makeUser("client");
  const b = await pastBooking(client, psy);
  const others = await Promise.all([1, 2, 3].map(async () => await pastBooking(client, psy, "completed", 3)));
  const results = await Promise.allSettled([
    ...Array.from({ length: 20 }, (_, i) => submitReview(client, b.id, { rating: (i % 5) + 1 })),
    ...others.map((o) => submitReview(client, o.id, { rating: 5 })),
  ]);
  const okFirst = results.slice(0, 20).filter((r) => r.status === "fulfilled");
  assert.equal(okFirst.length, 1);
  for (const r of results.slice(0, 20)) {
    if (r.status === "rejected") assert.ok(r.reason instanceof Conflict, String(r.reason));
  }
  assert.ok(results.slice(20).every((r) => r.status === "fulfilled"), "other bookings' reviews all land");
  const stored = (await getReview(b.id))!;
  const p = (await getPsychologist(psy.id))!;
  assert.equal(p.ratingCount, 4);
  assert.equal(p.ratingSum, stored.rating + 15);
  assert.equal((await listPsychologistReviews(psy.id, { limit: 100 })).items.length, 4);
});

Deno.test("reviews: the directory's rating filter and sort see a review at once", async () => {
  await freshKv();
  const a = await makePsychologist({ name: "Alpha Psikolog" });
  const z = await makePsychologist({ name: "Zulu Psikolog" });
  const client = await makeUser("client");
  const search = async (q: Record<string, string>) =>
    (await searchPsychologists(parseInput(directoryQuerySchema, q), Date.now())).items;
  assert.deepEqual((await search({ minRating: "4" })).map((i) => i.id), []);
  await submitReview(client, (await pastBooking(client, z)).id, { rating: 5 });
  await submitReview(client, (await pastBooking(client, a, "completed", 3)).id, { rating: 3 });
  const sorted = await search({ sort: "rating" });
  assert.deepEqual(sorted.map((i) => i.id), [z.id, a.id]);
  assert.deepEqual([sorted[0].rating, sorted[0].ratingCount], [5, 1]);
  assert.deepEqual((await search({ minRating: "4" })).map((i) => i.id), [z.id]);
});

Deno.test("reviews: hiding takes a review out of the list and the average, unhiding adds it back; audited", async () => {
  await freshKv();
  const psy = await makePsychologist();
  const admin = await makeUser("admin");
  const client = await makeUser("client");
  const b1 = await pastBooking(client, psy, "completed", 3);
  const b2 = await pastBooking(client, psy, "completed", 2);
  await submitReview(client, b1.id, { rating: 5, comment: "Sangat membantu" });
  await submitReview(client, b2.id, { rating: 1, comment: "kata-kata kasar" });
  assert.deepEqual((await listPsychologistReviews(psy.id)).items.map((r) => r.bookingId), [b2.id, b1.id]);

  await rejects(setReviewHidden(client, b2.id, true, "x"), Forbidden);
  await rejects(setReviewHidden(psy, b2.id, true, "x"), Forbidden);
  await rejects(setReviewHidden(admin, b2.id, true, "  "), ValidationError);
  await rejects(setReviewHidden(admin, b2.id, true, "x".repeat(501)), ValidationError);
  await rejects(setReviewHidden(admin, "01ARZ3NDEKTSV4RRFFQ69G5FAV", true, "x"), NotFound, "review_not_found");

  const hidden = await setReviewHidden(admin, b2.id, true, "Kata-kata kasar");
  assert.equal(hidden.hidden, true);
  assert.equal(hidden.hiddenBy, admin.id);
  let p = (await getPsychologist(psy.id))!;
  assert.deepEqual([p.ratingSum, p.ratingCount], [5, 1], "the hidden review left the average");
  assert.deepEqual((await listPsychologistReviews(psy.id)).items.map((r) => r.bookingId), [b1.id]);
  assert.deepEqual((await listAllReviews({ hidden: true })).items.map((r) => r.bookingId), [b2.id]);
  assert.equal((await listAllReviews()).items.length, 2, "the admin list keeps hidden ones");
  await setReviewHidden(admin, b2.id, true, "again");
  p = (await getPsychologist(psy.id))!;
  assert.deepEqual([p.ratingSum, p.ratingCount], [5, 1], "hiding twice subtracts once");

  await setReviewHidden(admin, b2.id, false);
  p = (await getPsychologist(psy.id))!;
  assert.deepEqual([p.ratingSum, p.ratingCount], [6, 2]);
  assert.equal((await listPsychologistReviews(psy.id)).items.length, 2);
  const log = (await listAudit({ target: `booking:${b2.id}` })).items;
  assert.deepEqual(log.map((e) => e.action), ["review.unhide", "review.hide"], "one entry per change, newest first");
  assert.equal(log[1].actorId, admin.id);
  assert.equal(log[1].meta.reason, "Kata-kata kasar");
});

Deno.test("reviews: reviews to leave are the client's completed, unreviewed sessions, newest first", async () => {
  await freshKv();
  const psy = await makePsychologist();
  const client = await makeUser("client");
  const old = await pastBooking(client, psy, "completed", 9);
  const reviewed = await pastBooking(client, psy, "completed", 5);
  const recent = await pastBooking(client, psy, "completed", 2);
  await pastBooking(client, psy, "cancelled", 3);
  await pastBooking(await makeUser("client"), psy, "completed", 1);
  await submitReview(client, reviewed.id, { rating: 4 });
  assert.deepEqual((await reviewsToLeave(client.id)).map((b) => b.id), [recent.id, old.id]);
  assert.deepEqual((await reviewsToLeave(client.id, 1)).map((b) => b.id), [recent.id]);
});
