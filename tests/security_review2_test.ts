/**
 * Second attacker review (docs/architecture.md "Security baseline"), through the app's real
 * handler and a `:memory:` KV:
 * - a `next` redirect target with characters outside Latin-1 (`/ā`, U+2028) answered 500 —
 *   after the password was accepted at sign-in — because `Location` must be a ByteString; it is
 *   now percent-encoded, and dot segments cannot turn it into `//other-host`;
 * - a booking id longer than KV's 2 KiB key limit on the session-notes routes answered 500
 *   ("Key too large for read"); any id that is not a ULID is now simply not found;
 * - article covers sent with the admin article form were not counted against the per-user
 *   upload limit (`file_upload`) that every other upload obeys; the form's body limit (413) is
 *   asserted here too;
 * - screening PDFs (tens of ms of CPU each) could be requested in a loop without any limit;
 * - an open chat, inbox or notification stream kept delivering (decrypted counselling messages
 *   included) after its session was revoked or its account deactivated;
 * - successful sign-ins were refunded from every budget, so one account could sign in in a loop,
 *   each attempt an argon2id check;
 * - form parsing is slow per field: a 15 MiB urlencoded body at the anonymous application form
 *   took 13 s of CPU; urlencoded bodies are now held to 64 KiB and every form to 1,000 fields.
 * Property tests go through `tests/fuzz.ts` (seed printed, replayable).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  appHandler,
  countKeys,
  freshKv,
  get,
  makeUser,
  ORIGIN,
  post,
  postForm,
  signIn,
  TEST_PASSWORD,
} from "./helpers.ts";
import { asText, fuzz } from "./fuzz.ts";
import { safeNext } from "@/lib/auth/guard.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { png } from "./article_fixtures.ts";
import { MAX_FORM_BYTES } from "@/lib/articles/form.ts";
import { LIMITS } from "@/lib/ratelimit.ts";
import { createScreening } from "@/lib/screening/store.ts";
import { bodyVoting, consentedClient, current } from "./screening_fixtures.ts";
import { chatCast } from "./chat_fixtures.ts";
import { type SseEvent, SseReader } from "@/lib/notify/sse_client.ts";
import { createSession, endAllSessions, sessionStillValid } from "@/lib/auth/sessions.ts";
import { deactivateUser } from "@/lib/auth/admin.ts";
import { createNotification } from "@/lib/notify/notifications.ts";
import { authenticate } from "@/lib/auth/signin.ts";
import { TooManyRequests } from "@/lib/errors.ts";
import { MAX_FORM_FIELDS, readFormData } from "@/lib/validation.ts";

// ---------------------------------------------------------------- redirect targets

Deno.test("review2 sec: a non-Latin-1 `next` is percent-encoded (was a 500 at /lang and after a good sign-in)", async () => {
  await freshKv();
  const h = await appHandler();
  for (const next of ["/\u0101", "/\u2028x", "/artikel/kesehatan-\u{1F600}?q=\u00e9#\u0101"]) {
    const res = await get(h, `/lang?to=en&next=${encodeURIComponent(next)}`);
    await res.body?.cancel();
    assert.equal(res.status, 303, next);
    const location = res.headers.get("location")!;
    assert.ok(location.startsWith("/") && !location.startsWith("//"), location);
    assert.match(location, /^[\x21-\x7e]+$/, "only printable ASCII in Location");
    assert.equal(decodeURIComponent(location), next, "the same path, only encoded");
  }
  const user = await makeUser("client");
  const res = await postForm(h, "/signin", { identifier: user.email!, password: user.password, next: "/\u0101" });
  await res.body?.cancel();
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/%C4%81");
  assert.ok(res.headers.getSetCookie().some((c) => c.startsWith("__Host-")), "the session cookie is set");
});

Deno.test("review2 sec: safeNext never names another host, even after dot segments are resolved", () => {
  for (
    const bad of ["/.//evil.test", "/./\\evil.test", "/..//evil.test", "/%2e//evil.test", "/a/../../\u0009/evil.test"]
  ) {
    const out = safeNext(bad);
    assert.ok(!out.startsWith("//") && !out.startsWith("/\\"), `${bad} → ${out}`);
    assert.equal(new URL(out, "https://site.test").host, "site.test", bad);
  }
  assert.equal(safeNext("/teacher?x=1"), "/teacher?x=1");
  assert.equal(
    safeNext("/psychologists?specialisation=anxiety&page=2#list"),
    "/psychologists?specialisation=anxiety&page=2#list",
  );
});

Deno.test("review2 sec: property — safeNext answers a same-site path that is a valid Location header, for any input", (t) =>
  fuzz(
    t,
    fc.property(
      fc.oneof(
        fc.string({ unit: "binary", maxLength: 60 }).map((s) => "/" + s),
        fc.string({ unit: "grapheme", maxLength: 60 }).map((s) => "/" + s),
        fc.webUrl().map((u) => new URL(u).pathname + new URL(u).search),
        fc.anything().map(asText),
        fc.anything(),
      ),
      (next) => {
        const out = safeNext(next, "/home");
        assert.doesNotThrow(() => new Headers({ location: out }), out);
        assert.ok(out.startsWith("/") && !out.startsWith("//") && !out.startsWith("/\\"), out);
        assert.equal(new URL(out, "https://site.test").origin, "https://site.test", out);
      },
    ),
    { numRuns: 500 },
  ));

// ---------------------------------------------------------------- ids as KV keys

Deno.test("review2 sec: a booking id past KV's key limit on the notes routes → 404, not 500", async () => {
  await freshKv();
  const h = await appHandler();
  const psy = await makeUser("psychologist");
  const { cookie } = await signIn(h, psy.email!, psy.password);
  const long = "A".repeat(3000);
  for (const path of [`/psychologist/bookings/${long}/notes`, `/api/bookings/${long}/notes`]) {
    const res = await get(h, path, { cookie });
    await res.body?.cancel();
    assert.equal(res.status, 404, path.slice(0, 40));
  }
  for (const path of [`/psychologist/bookings/${long}/notes`, `/api/bookings/${long}/notes/sign`]) {
    const res = await postForm(h, path, { action: "save", subjective: "x" }, { cookie });
    await res.body?.cancel();
    assert.equal(res.status, 404, path.slice(0, 40));
  }
});

Deno.test("review2 sec: property — any booking id segment on the notes routes answers below 500", async (t) => {
  await freshKv();
  const h = await appHandler();
  const psy = await makeUser("psychologist");
  const { cookie } = await signIn(h, psy.email!, psy.password);
  await fuzz(
    t,
    fc.asyncProperty(
      fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.nat({ max: 5000 }).map((n) => "Z".repeat(n + 1))),
      fc.constantFrom("/psychologist/bookings/{}/notes", "/api/bookings/{}/notes", "/psychologist/bookings/{}"),
      async (id, route) => {
        const res = await get(h, route.replace("{}", encodeURIComponent(id)), { cookie });
        await res.body?.cancel();
        assert.ok(res.status < 500, `${route} ${id.slice(0, 30)} → ${res.status}`);
      },
    ),
    { numRuns: 60 },
  );
});

// ---------------------------------------------------------------- article cover uploads

function articleForm(cover: Uint8Array | null, title: string): FormData {
  const form = new FormData();
  for (
    const [k, v] of Object.entries({
      title,
      lang: "id",
      body: "Langkah kecil.",
      tags: "",
      status: "draft",
      publishAt: "",
      coverAlt: "Sampul",
    })
  ) form.set(k, v);
  if (cover) form.set("cover", new File([cover as Uint8Array<ArrayBuffer>], "c.png", { type: "image/png" }));
  return form;
}

Deno.test("review2 sec: article covers count against the upload limit (429 with Retry-After, nothing stored)", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  const { cookie } = await signIn(h, admin.email!, admin.password);
  const send = (body: FormData) =>
    h(new Request(ORIGIN + "/admin/articles/new", { method: "POST", headers: { cookie, origin: ORIGIN }, body }));
  const limit = LIMITS.file_upload.limit;
  for (let i = 0; i < limit; i++) {
    const res = await send(articleForm(png(8 + i, 8), `Artikel sampul ${i}`));
    await res.body?.cancel();
    assert.equal(res.status, 303, `upload ${i + 1} of ${limit}`);
  }
  const before = await countKeys(kv, ["files", "articles"]);
  const refused = await send(articleForm(png(99, 9), "Satu sampul lagi"));
  const html = await refused.text();
  assert.equal(refused.status, 429);
  assert.ok(Number(refused.headers.get("retry-after")) > 0, "Retry-After in seconds");
  assert.match(html, /Satu sampul lagi/, "the form keeps what was typed");
  assert.deepEqual(await countKeys(kv, ["files", "articles"]), before, "no file, no article written");
  // A save without a new cover is not an upload.
  const plain = await send(articleForm(null, "Tanpa sampul"));
  await plain.body?.cancel();
  assert.equal(plain.status, 303);
});

Deno.test("review2 sec: the article form's body is bounded (413, translated) and an oversized cover is a field error", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  const { cookie } = await signIn(h, admin.email!, admin.password);
  const huge = new Uint8Array(MAX_FORM_BYTES + 1024);
  huge.set(png(8, 8));
  const res = await h(
    new Request(ORIGIN + "/admin/articles/new", {
      method: "POST",
      headers: { cookie, origin: ORIGIN, accept: "application/json" },
      body: articleForm(huge, "Terlalu besar"),
    }),
  );
  const body = await res.json();
  assert.equal(res.status, 413);
  assert.equal(body.error.code, "payload_too_large");
  assert.equal(body.error.message, translate("id", "error.payload_too_large"));
  // Under the form's limit but over the cover's 2 MiB: a field error, nothing stored.
  const over = new Uint8Array(2 * 1024 * 1024 + 10);
  over.set(png(8, 8));
  const res2 = await h(
    new Request(ORIGIN + "/admin/articles/new", {
      method: "POST",
      headers: { cookie, origin: ORIGIN },
      body: articleForm(over, "Sampul besar"),
    }),
  );
  await res2.body?.cancel();
  assert.equal(res2.status, 400);
  assert.deepEqual(await countKeys(kv, ["files", "file_chunks", "articles"]), {
    files: 0,
    file_chunks: 0,
    articles: 0,
  });
});

// ---------------------------------------------------------------- CPU-bound answers

Deno.test("review2 sec: screening PDFs are rate-limited per client (rendering costs CPU): 429 with Retry-After", async () => {
  await freshKv();
  const h = await appHandler();
  const client = await consentedClient();
  const { token: otherToken } = await consentedClient();
  const token = client.token;
  const { set, table } = await current();
  const { id } = await createScreening(client, bodyVoting(set, table, "secure").body);
  const limit = LIMITS.screening_pdf.limit;
  for (let i = 0; i < limit; i++) {
    const res = await get(h, `/api/screenings/${id}/pdf`, { token });
    assert.equal(res.status, 200, `PDF ${i + 1} of ${limit}`);
    await res.body?.cancel();
  }
  const refused = await get(h, `/api/screenings/${id}/pdf`, { token });
  const body = await refused.json();
  assert.equal(refused.status, 429);
  assert.equal(body.error.code, "rate_limited");
  assert.ok(Number(refused.headers.get("retry-after")) > 0);
  // Another client's own requests are not affected; refused reads of someone else's screening cost nothing.
  const notTheirs = await get(h, `/api/screenings/${id}/pdf`, { token: otherToken });
  await notTheirs.body?.cancel();
  assert.equal(notTheirs.status, 404);
});

// ---------------------------------------------------------------- live streams after revocation

/** The next event named `name`, null when the stream ended, or "hung" after 10 s (a failure, not a timing). */
async function nextOrEnd(r: SseReader, name: string): Promise<SseEvent | null | "hung"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<"hung">((res) => timer = setTimeout(() => res("hung"), 10_000));
  try {
    return await Promise.race([r.nextOf(name), hung]);
  } finally {
    clearTimeout(timer);
  }
}

const STREAM_OPTS = { sanitizeResources: false, sanitizeOps: false };

Deno.test(
  "review2 sec: an open chat stream ends when its session is revoked — no message reaches it afterwards",
  STREAM_OPTS,
  async () => {
    await freshKv();
    const h = await appHandler();
    const { client, psy, booking } = await chatCast();
    const res = await get(h, `/api/bookings/${booking.id}/chat/stream`, { token: client.token });
    assert.equal(res.status, 200);
    const r = new SseReader(res.body!);
    assert.equal((await r.nextOf("state"))?.event, "state");
    await endAllSessions(client.id); // "sign out everywhere", a password reset
    const sent = await post(h, `/api/bookings/${booking.id}/messages`, {
      clientId: "after-revoke-0001",
      text: "pesan rahasia setelah keluar",
    }, { token: psy.token });
    assert.equal(sent.status, 201);
    await sent.body?.cancel();
    const got = await nextOrEnd(r, "message");
    assert.equal(got, null, `the stream must end, got ${JSON.stringify(got)}`);
    // The other side's stream, whose session is alive, still works.
    const live = await get(h, `/api/bookings/${booking.id}/chat/stream?after=0`, { token: psy.token });
    const lr = new SseReader(live.body!);
    assert.equal(JSON.parse((await lr.nextOf("message"))!.data).text, "pesan rahasia setelah keluar");
    await lr.cancel();
  },
);

Deno.test(
  "review2 sec: the notification and inbox streams of a deactivated account end before the next delivery",
  STREAM_OPTS,
  async () => {
    await freshKv();
    const h = await appHandler();
    const admin = await makeUser("admin");
    const { client, psy, booking } = await chatCast();
    const notif = await get(h, "/api/notifications/stream", { token: client.token });
    const inbox = await get(h, "/api/chat/stream", { token: client.token });
    assert.equal(notif.status, 200);
    assert.equal(inbox.status, 200);
    const nr = new SseReader(notif.body!);
    const ir = new SseReader(inbox.body!);
    assert.equal((await nr.nextOf("unread"))?.event, "unread");
    assert.equal((await ir.nextOf("conversations"))?.event, "conversations");
    await deactivateUser(admin, client.id);
    await createNotification({ userId: client.id, kind: "guest_arrived", data: { guestName: "Tamu" } });
    const sent = await post(h, `/api/bookings/${booking.id}/messages`, {
      clientId: "after-deactivate-01",
      text: "halo",
    }, { token: psy.token });
    await sent.body?.cancel();
    assert.equal(await nextOrEnd(nr, "notification"), null, "no notification after deactivation");
    assert.equal(await nextOrEnd(ir, "conversations"), null, "no inbox update after deactivation");
  },
);

Deno.test("review2 sec: sessionStillValid — gone, another user's, past its 12 h, or a deactivated account → false", async () => {
  await freshKv();
  const admin = await makeUser("admin");
  const u = await makeUser("client");
  const other = await makeUser("client");
  const { sessionId } = await createSession(u.id, "cookie");
  assert.equal(await sessionStillValid(sessionId, u.id), true);
  assert.equal(await sessionStillValid(sessionId, other.id), false, "another user's session");
  assert.equal(await sessionStillValid(null, u.id), false);
  assert.equal(await sessionStillValid(sessionId, u.id, Date.now() + 13 * 60 * 60 * 1000), false, "past 12 h");
  await deactivateUser(admin, u.id);
  assert.equal(await sessionStillValid(sessionId, u.id), false, "deactivated");
});

Deno.test("review2 sec: one account cannot sign in in a loop (argon2 work per identity is bounded)", async () => {
  await freshKv();
  const u = await makeUser("teacher");
  const limit = LIMITS.signin_identity_total.limit;
  for (let i = 0; i < limit; i++) {
    // Successes from ever-new addresses: every other budget is refunded or cleared.
    assert.equal((await authenticate(u.email!, TEST_PASSWORD, `198.51.100.${i % 250}`)).id, u.id);
  }
  await assert.rejects(authenticate(u.email!, TEST_PASSWORD, "203.0.113.7"), TooManyRequests);
  // Another account is not affected.
  const other = await makeUser("teacher");
  assert.equal((await authenticate(other.email!, TEST_PASSWORD, "203.0.113.7")).id, other.id);
});

// ---------------------------------------------------------------- form parsing cost

Deno.test("review2 sec: form bodies — urlencoded is held to 64 KiB even on upload forms, and at most 1,000 fields", async () => {
  await freshKv();
  const h = await appHandler();
  // 15 MiB of `a=1&` at the anonymous application form used to take 13 s of CPU to parse.
  const big = "a=1&".repeat(4 * 1024 * 1024);
  const res = await h(
    new Request(ORIGIN + "/psychologists/apply", {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: big,
    }),
  );
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error.code, "payload_too_large");
  // Multipart: many tiny parts inside the byte limit → 400 too_many_fields, translated, before parsing.
  const form = new FormData();
  for (let i = 0; i < MAX_FORM_FIELDS + 5; i++) form.append("a", "1");
  const many = await h(
    new Request(ORIGIN + "/psychologists/apply", {
      method: "POST",
      headers: { origin: ORIGIN, accept: "application/json" },
      body: form,
    }),
  );
  const body = await many.json();
  assert.equal(many.status, 400);
  assert.equal(body.error.code, "too_many_fields");
  assert.equal(body.error.message, translate("id", "error.too_many_fields", { max: MAX_FORM_FIELDS }));
  // Urlencoded with too many pairs under 64 KiB, on an ordinary form.
  const pairs = await h(
    new Request(ORIGIN + "/signin", {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: "a=1&".repeat(MAX_FORM_FIELDS + 5),
    }),
  );
  assert.equal(pairs.status, 400);
  assert.equal((await pairs.json()).error.code, "too_many_fields");
});

Deno.test("review2 sec: readFormData still reads forms at the field limit, quoted boundaries included", async () => {
  const form = new FormData();
  for (let i = 0; i < MAX_FORM_FIELDS; i++) form.append(`f${i}`, String(i));
  const req = new Request(ORIGIN + "/x", { method: "POST", body: form });
  const parsed = await readFormData(req, 1024 * 1024);
  assert.equal([...parsed.keys()].length, MAX_FORM_FIELDS);
  const quoted = new Request(ORIGIN + "/x", {
    method: "POST",
    headers: { "content-type": 'multipart/form-data; boundary="b q"' },
    body: '--b q\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b q--\r\n',
  });
  assert.equal((await readFormData(quoted)).get("x"), "1");
  const urlencoded = new Request(ORIGIN + "/x", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: Array.from({ length: MAX_FORM_FIELDS }, (_, i) => `k${i}=${i}`).join("&"),
  });
  assert.equal((await readFormData(urlencoded)).get("k999"), "999");
});
