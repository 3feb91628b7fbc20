/**
 * Property tests (fast-check via tests/fuzz.ts) of the two review forms: the
 * client's review form on `/client/bookings/{id}` and the admin's hide/unhide
 * form on `/admin/reviews`. Whatever is posted: no 5xx, and nothing
 * half-written — every profile's rating sums equal its visible reviews, every
 * review belongs to a completed booking of its client, and every hidden review
 * has its audit entry.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import { appHandler, freshKv, makeUser, postForm, signIn } from "./helpers.ts";
import { makePsychologist } from "./psychologist_fixtures.ts";
import { consistentReviews, pastBooking } from "./review_fixtures.ts";
import { submitReview } from "@/lib/reviews/store.ts";
import type { Review } from "@/lib/reviews/model.ts";
import { listAudit } from "@/lib/audit.ts";

const OPTS = { sanitizeResources: false, sanitizeOps: false };

const junk = fc.oneof(
  fc.constantFrom("", " ", "0", "1", "3", "5", "6", "-1", "2.5", "1e1", "review", "cancel", "hidden", "visible", "all"),
  fc.string({ maxLength: 30 }),
  fc.string({ minLength: 990, maxLength: 1100 }),
);

Deno.test({
  ...OPTS,
  name: "review forms fuzz: the client's form and the admin's form never give a 5xx nor a half-written review",
  async fn(t) {
    const kv = await freshKv();
    const handler = await appHandler();
    const psy = await makePsychologist();
    const client = await makeUser("client");
    const admin = await makeUser("admin");
    const c = (await signIn(handler, client.email!, client.password)).cookie;
    const a = (await signIn(handler, admin.email!, admin.password)).cookie;
    const open = await Promise.all([2, 3, 4, 5, 6].map((d) => pastBooking(client, psy, "completed", d)));
    const reviewed = await Promise.all([7, 8, 9].map((d) => pastBooking(client, psy, "completed", d)));
    for (const b of reviewed) await submitReview(client, b.id, { rating: 3, comment: "ok" });
    const other = [await pastBooking(client, psy, "no_show", 10), await pastBooking(client, psy, "confirmed", -3)];
    const ids = fc.oneof(
      fc.constantFrom(...[...open, ...reviewed, ...other].map((b) => b.id)),
      fc.constantFrom("01ARZ3NDEKTSV4RRFFQ69G5FAV", "x", "0".repeat(26)),
    );
    const fields = (keys: string[]) =>
      fc.record(Object.fromEntries(keys.map((k) => [k, junk])) as Record<string, typeof junk>, { requiredKeys: [] });

    await fuzz(
      t,
      fc.asyncProperty(ids, fields(["action", "rating", "comment"]), async (id, f) => {
        const res = await postForm(handler, `/client/bookings/${id}`, { action: "review", ...f }, { cookie: c });
        assert.ok(res.status < 500, `POST /client/bookings/${id} ${JSON.stringify(f).slice(0, 200)} → ${res.status}`);
        await res.body?.cancel();
      }),
      { numRuns: 120, label: "client form" },
    );
    await consistentReviews(kv);

    await fuzz(
      t,
      fc.asyncProperty(
        ids,
        fc.oneof(fc.constantFrom("1", "0"), junk),
        fields(["reason", "show"]),
        async (bookingId, hidden, f) => {
          const res = await postForm(handler, "/admin/reviews", { bookingId, hidden, ...f }, { cookie: a });
          assert.ok(res.status < 500, `POST /admin/reviews ${bookingId} ${hidden} → ${res.status}`);
          await res.body?.cancel();
        },
      ),
      { numRuns: 150, label: "admin form" },
    );
    await consistentReviews(kv);
    const reviews = (await Array.fromAsync(kv.list<Review>({ prefix: ["session_reviews"] }))).map((e) => e.value);
    for (const r of reviews.filter((x) => x.hidden)) {
      const log = (await listAudit({ target: `booking:${r.bookingId}` })).items;
      assert.equal(log[0]?.action, "review.hide", "the latest audit entry of a hidden review is its hiding");
      assert.ok(r.hiddenReason && r.hiddenReason.length >= 1 && r.hiddenReason.length <= 500);
    }
  },
});
