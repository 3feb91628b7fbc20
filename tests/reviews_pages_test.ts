/**
 * The review pages without JavaScript: the form on a completed booking (once,
 * field errors, only completed), the profile's review list with "more" pages
 * (first names only, hidden ones left out), the client home (next session,
 * unpaid bookings with their deadline and pay link, latest history, reviews to
 * leave) and the admin's moderation page (hide with a reason, unhide, audited).
 */
import assert from "node:assert/strict";
import { appHandler, freshKv, get, makeUser, postForm, signIn } from "./helpers.ts";
import { makePsychologist } from "./psychologist_fixtures.ts";
import { pastBooking } from "./review_fixtures.ts";
import { getReview, submitReview } from "@/lib/reviews/store.ts";
import { getPsychologist } from "@/lib/psychologists/store.ts";
import { listAudit } from "@/lib/audit.ts";
import { formatDateTime } from "@/lib/i18n/format.ts";
import { config } from "@/lib/config.ts";

const OPTS = { sanitizeResources: false, sanitizeOps: false };

Deno.test({
  ...OPTS,
  name: "review pages: the form on a completed booking stores one review; errors shown by the field",
  async fn() {
    await freshKv();
    const handler = await appHandler();
    const psy = await makePsychologist();
    const client = await makeUser("client", { name: "Laras Kinanti" });
    const { cookie } = await signIn(handler, client.email!, client.password);
    const done = await pastBooking(client, psy, "completed");
    const confirmed = await pastBooking(client, psy, "confirmed", -3);
    const path = `/client/bookings/${done.id}`;

    let html = await (await get(handler, path, { cookie })).text();
    assert.match(html, /name="rating"/);
    assert.match(html, /Beri ulasan/);
    assert.doesNotMatch(
      await (await get(handler, `/client/bookings/${confirmed.id}`, { cookie })).text(),
      /name="rating"/,
    );

    const bad = await postForm(handler, path, { action: "review", comment: "x".repeat(1005) }, { cookie });
    assert.equal(bad.status, 400);
    html = await bad.text();
    assert.match(html, /Pilih 1 sampai 5 bintang/);
    assert.match(html, /maksimal 1000 karakter/);
    assert.equal(await getReview(done.id), null);

    const ok = await postForm(handler, path, { action: "review", rating: "5", comment: "Terima kasih banyak" }, {
      cookie,
    });
    assert.equal(ok.status, 303);
    assert.match(ok.headers.get("location")!, /done=reviewed/);
    html = await (await get(handler, `${path}?done=reviewed`, { cookie })).text();
    assert.match(html, /ulasan Anda sudah tersimpan/);
    assert.match(html, /Ulasan Anda/);
    assert.match(html, /Terima kasih banyak/);
    assert.doesNotMatch(html, /name="rating"/, "no second form");

    const again = await postForm(handler, path, { action: "review", rating: "1" }, { cookie });
    assert.equal(again.status, 409);
    assert.match(await again.text(), /sudah memberi ulasan/);
    const early = await postForm(handler, `/client/bookings/${confirmed.id}`, { action: "review", rating: "4" }, {
      cookie,
    });
    assert.equal(early.status, 409);
    await early.body?.cancel();
    assert.deepEqual([(await getPsychologist(psy.id))!.ratingSum, (await getReview(done.id))!.rating], [5, 5]);

    const stranger = await makeUser("client");
    const s = await signIn(handler, stranger.email!, stranger.password);
    const foreign = await postForm(handler, path, { action: "review", rating: "1" }, { cookie: s.cookie });
    assert.equal(foreign.status, 404);
    await foreign.body?.cancel();
  },
});

Deno.test({
  ...OPTS,
  name: "review pages: the profile lists visible reviews, first names only, five at a time",
  async fn() {
    await freshKv();
    const handler = await appHandler();
    const psy = await makePsychologist();
    const admin = await makeUser("admin");
    const client = await makeUser("client", { name: "Wulan Sekarsari" });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const b = await pastBooking(client, psy, "completed", 20 - i);
      await submitReview(client, b.id, { rating: 4, comment: `komentar-${i}` });
      ids.push(b.id);
    }
    const { setReviewHidden } = await import("@/lib/reviews/store.ts");
    await setReviewHidden(admin, ids[6], true, "data pribadi");
    const html = await (await get(handler, `/psychologists/${psy.id}`)).text();
    assert.match(html, /Ulasan klien/);
    assert.match(html, /Wulan/);
    assert.doesNotMatch(html, /Sekarsari/, "first name only");
    assert.doesNotMatch(html, /komentar-6/, "hidden left out");
    for (const i of [5, 4, 3, 2, 1]) assert.match(html, new RegExp(`komentar-${i}`));
    assert.doesNotMatch(html, /komentar-0/);
    const more = html.match(/href="(\/psychologists\/[^"]+\?reviews=[^"#]+)#reviews"/);
    assert.ok(more, "a more link");
    const page2 = await (await get(handler, more[1].replaceAll("&amp;", "&"))).text();
    assert.match(page2, /komentar-0/);
    assert.doesNotMatch(page2, /komentar-5/);
    assert.doesNotMatch(page2, /\?reviews=/, "no more after the last page");
    const bogus = await get(handler, `/psychologists/${psy.id}?reviews=%25%25`);
    assert.equal(bogus.status, 400);
    await bogus.body?.cancel();
  },
});

Deno.test({
  ...OPTS,
  name: "client home: next session, unpaid with deadline and pay link, latest history, reviews to leave",
  async fn() {
    await freshKv();
    const handler = await appHandler();
    const psy = await makePsychologist({ name: "Dr. Hana Pertiwi" });
    const client = await makeUser("client");
    const { cookie } = await signIn(handler, client.email!, client.password);
    let html = await (await get(handler, "/client", { cookie })).text();
    assert.match(html, /Belum ada sesi terjadwal/);
    assert.doesNotMatch(html, /data-testid="unpaid"/);

    const next = await pastBooking(client, psy, "confirmed", -2);
    await pastBooking(client, psy, "confirmed", -6);
    const holdUntil = new Date(Date.now() + 20 * 60_000).toISOString();
    const unpaid = await pastBooking(client, psy, "awaiting_payment", -4, { holdUntil });
    await pastBooking(client, psy, "awaiting_payment", -5, { holdUntil: new Date(Date.now() - 60_000).toISOString() });
    const done = await pastBooking(client, psy, "completed", 3);
    const reviewed = await pastBooking(client, psy, "completed", 6);
    await submitReview(client, reviewed.id, { rating: 5 });
    html = await (await get(handler, "/client", { cookie })).text();
    const section = (id: string) => html.split(`data-testid="${id}"`)[1]?.split("</section>")[0] ?? "";
    assert.match(section("next-session"), new RegExp(`/client/bookings/${next.id}`));
    assert.match(section("next-session"), /Dr\. Hana Pertiwi/);
    const unpaidHtml = section("unpaid");
    assert.match(unpaidHtml, new RegExp(`/client/bookings/${unpaid.id}`), "pay link (no payment: the booking page)");
    assert.ok(unpaidHtml.includes(formatDateTime(holdUntil, "id", config.timeZone)), "the payment deadline in Jakarta");
    assert.equal(unpaidHtml.match(/class="unpaid-row"/g)?.length, 1, "an expired hold is not listed");
    assert.match(section("to-review"), new RegExp(`/client/bookings/${done.id}#review`));
    assert.doesNotMatch(section("to-review"), new RegExp(reviewed.id));
    assert.match(section("history"), new RegExp(`/client/bookings/${done.id}`));
  },
});

Deno.test({
  ...OPTS,
  name: "admin reviews page: admins only; hide needs a reason; hide and unhide move the average; audited",
  async fn() {
    await freshKv();
    const handler = await appHandler();
    const psy = await makePsychologist();
    const admin = await makeUser("admin");
    const client = await makeUser("client");
    const b = await pastBooking(client, psy, "completed", 3);
    await submitReview(client, b.id, { rating: 1, comment: "kasar sekali" });
    const c = await signIn(handler, client.email!, client.password);
    const denied = await get(handler, "/admin/reviews", { cookie: c.cookie });
    assert.equal(denied.status, 403);
    await denied.body?.cancel();
    const deniedPost = await postForm(handler, "/admin/reviews", { bookingId: b.id, hidden: "1", reason: "x" }, {
      cookie: c.cookie,
    });
    assert.equal(deniedPost.status, 403);
    await deniedPost.body?.cancel();

    const { cookie } = await signIn(handler, admin.email!, admin.password);
    let html = await (await get(handler, "/admin/reviews", { cookie })).text();
    assert.match(html, /kasar sekali/);
    assert.match(html, /Sembunyikan/);
    assert.match(await (await get(handler, "/admin", { cookie })).text(), /href="\/admin\/reviews"/);

    const noReason = await postForm(handler, "/admin/reviews", { bookingId: b.id, hidden: "1", reason: " " }, {
      cookie,
    });
    assert.equal(noReason.status, 400);
    assert.match(await noReason.text(), /Tulis alasan/);
    assert.equal((await getReview(b.id))!.hidden, false);

    const hide = await postForm(handler, "/admin/reviews", { bookingId: b.id, hidden: "1", reason: "Kata kasar" }, {
      cookie,
    });
    assert.equal(hide.status, 303);
    assert.equal((await getPsychologist(psy.id))!.ratingCount, 0);
    html = await (await get(handler, "/admin/reviews?show=hidden", { cookie })).text();
    assert.match(html, /Kata kasar/);
    assert.match(html, /Tampilkan lagi/);
    assert.doesNotMatch(await (await get(handler, "/admin/reviews?show=visible", { cookie })).text(), /kasar sekali/);
    const unhide = await postForm(handler, "/admin/reviews", { bookingId: b.id, hidden: "0" }, { cookie });
    assert.equal(unhide.status, 303);
    assert.deepEqual([(await getPsychologist(psy.id))!.ratingSum, (await getPsychologist(psy.id))!.ratingCount], [
      1,
      1,
    ]);
    const log = (await listAudit({ target: `booking:${b.id}` })).items.map((e) => e.action);
    assert.deepEqual(log, ["review.unhide", "review.hide"]);
    const bad = await get(handler, "/admin/reviews?show=nope", { cookie });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  },
});
