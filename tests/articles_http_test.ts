/**
 * Articles over HTTP (the app's real handler, `:memory:` KV): pages, JSON API,
 * Atom feed, the admin pages and editor preview, roles.
 */
import assert from "node:assert/strict";
import { createArticle } from "@/lib/articles/store.ts";
import { saveFile } from "@/lib/files/store.ts";
import { apiLogin, appHandler, freshKv, get, makeUser, ORIGIN, post, sendJson, signIn } from "./helpers.ts";
import { dangerousMarkup, png, XSS_PAYLOADS } from "./article_fixtures.ts";

Deno.test("articles http: the list, the article page (no JavaScript, og: tags), tags, related, 404 for drafts", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  const cover = await saveFile(png(120, 63), "article_cover", admin);
  await createArticle({
    title: "Tidur yang cukup",
    lang: "id",
    body: "## Mengapa\n\nTidur membantu. <script>alert(1)</script>",
    tags: ["tidur", "stres"],
    status: "published",
    coverFileId: cover.id,
    coverAlt: "Bulan di langit malam",
  }, admin);
  await createArticle(
    { title: "Sleep well", lang: "en", body: "Sleep helps.", tags: ["tidur"], status: "published" },
    admin,
  );
  await createArticle({ title: "Rahasia", lang: "id", body: "draf", status: "draft" }, admin);

  const list = await get(h, "/articles");
  const html = await list.text();
  assert.equal(list.status, 200);
  assert.doesNotMatch(html, /<script/i, "the list ships no JavaScript");
  assert.ok(html.indexOf("Tidur yang cukup") < html.indexOf("Sleep well"), "Indonesian first in the id UI");
  assert.doesNotMatch(html, /Rahasia/);
  assert.match(html, /href="\/articles\/feed.xml"/);
  const en = await (await get(h, "/articles", { headers: { cookie: "lang=en" } })).text();
  assert.ok(en.indexOf("Sleep well") < en.indexOf("Tidur yang cukup"), "English first in the en UI");

  const res = await get(h, "/articles/tidur-yang-cukup");
  const page = await res.text();
  assert.equal(res.status, 200);
  assert.doesNotMatch(page, /<script/i, "the article page ships no JavaScript");
  assert.match(page, /<meta property="og:title" content="Tidur yang cukup"/);
  assert.match(page, /<meta property="og:type" content="article"/);
  assert.match(page, new RegExp(`<meta property="og:image" content="http[^"]+/files/${cover.id}"`));
  assert.match(page, /<meta property="og:image:alt" content="Bulan di langit malam"/);
  assert.match(page, /<meta name="description" content="Mengapa Tidur membantu\."/);
  assert.match(page, /<h2>Mengapa<\/h2>/);
  assert.match(page, /1 menit baca/);
  assert.match(page, /href="\/articles\?tag=stres"/);
  assert.match(page, /href="\/articles\/sleep-well"/, "related by tag");
  assert.match(page, /alt="Bulan di langit malam"/);

  const tagged = await (await get(h, "/articles?tag=Stres")).text();
  assert.match(tagged, /Tidur yang cukup/);
  assert.doesNotMatch(tagged, /Sleep well/);
  assert.equal((await get(h, "/articles/rahasia")).status, 404);
  assert.equal((await get(h, "/articles/nope")).status, 404);
  assert.equal((await get(h, "/articles?cursor=zzz")).status, 400);
  kv.close();
});

Deno.test("articles http: JSON API — list, one, admin create/update/delete, roles", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  const { token } = await apiLogin(h, admin.email!, admin.password);
  const created = await post(h, "/api/articles", {
    title: "Apa itu kesehatan mental?",
    lang: "id",
    body: "Isi **penting**.",
    tags: ["dasar"],
    status: "published",
  }, { token });
  assert.equal(created.status, 201);
  const { article } = await created.json();
  assert.equal(article.slug, "apa-itu-kesehatan-mental");
  assert.equal(article.bodyHtml, "<p>Isi <strong>penting</strong>.</p>\n");

  const draft = await post(h, "/api/articles", { title: "Draf", lang: "en", body: "x", status: "draft" }, { token });
  assert.equal(draft.status, 201);
  const listed = await (await get(h, "/api/articles?lang=en")).json();
  assert.deepEqual(listed.items.map((s: { slug: string }) => s.slug), ["apa-itu-kesehatan-mental"]);
  assert.equal(listed.cursor, null);
  assert.equal((await get(h, "/api/articles/draf")).status, 404, "drafts are invisible to the public");
  assert.equal((await get(h, "/api/articles/draf", { token })).status, 200, "an admin sees the draft");
  const one = await (await get(h, "/api/articles/apa-itu-kesehatan-mental")).json();
  assert.equal(one.article.title, "Apa itu kesehatan mental?");
  assert.equal(one.article.bodySource, undefined, "the public view has no Markdown source");

  for (const role of ["client", "teacher", "receptionist", "psychologist"] as const) {
    const u = await makeUser(role);
    const { token: tk } = await apiLogin(h, u.email!, u.password);
    const body = { title: "X", lang: "id", body: "x", status: "published" };
    assert.equal((await post(h, "/api/articles", body, { token: tk })).status, 403, role);
    assert.equal((await sendJson(h, "/api/articles/draf", body, { token: tk, method: "PUT" })).status, 403, role);
    assert.equal((await sendJson(h, "/api/articles/draf", {}, { token: tk, method: "DELETE" })).status, 403, role);
    assert.equal((await post(h, "/api/articles/preview", { body: "x" }, { token: tk })).status, 403, role);
    assert.equal((await get(h, "/api/articles/draf", { token: tk })).status, 404, `${role} cannot see drafts`);
  }
  assert.equal((await post(h, "/api/articles", { title: "X" })).status, 401);

  const put = await sendJson(h, "/api/articles/draf", {
    title: "Draf",
    lang: "en",
    body: "now",
    status: "published",
    slug: "published-now",
  }, { token, method: "PUT" });
  assert.equal(put.status, 200);
  assert.equal((await put.json()).article.slug, "published-now");
  const clash = await sendJson(h, "/api/articles/published-now", {
    title: "D",
    lang: "en",
    body: "x",
    status: "published",
    slug: "apa-itu-kesehatan-mental",
  }, { token, method: "PUT" });
  assert.equal(clash.status, 409);
  assert.equal((await clash.json()).error.code, "slug_taken");
  const bad = await post(h, "/api/articles", { title: "", lang: "fr", body: "", status: "x" }, { token });
  assert.equal(bad.status, 400);
  assert.deepEqual(Object.keys((await bad.json()).error.fields).sort(), ["body", "lang", "status", "title"]);
  const del = await sendJson(h, "/api/articles/published-now", {}, { token, method: "DELETE" });
  assert.equal(del.status, 200);
  assert.deepEqual(await del.json(), { deleted: true });
  assert.equal((await get(h, "/api/articles/published-now")).status, 404);

  const prev = await post(h, "/api/articles/preview", { body: XSS_PAYLOADS.join("\n\n") + "\n\n**b**" }, { token });
  assert.equal(prev.status, 200);
  const { html } = await prev.json();
  assert.equal(dangerousMarkup(html), null, html);
  assert.match(html, /<strong>b<\/strong>/);
  kv.close();
});

Deno.test("articles http: the Atom feed is well-formed, escaped, published-only", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  await createArticle({
    title: `A & B <script>alert("x")</script> \u0001`,
    lang: "en",
    body: "Body <b>bold</b> & ]]> \u0002",
    tags: ["x"],
    status: "published",
  }, admin);
  await createArticle({ title: "Hidden", lang: "en", body: "x", status: "draft" }, admin);
  const res = await get(h, "/articles/feed.xml");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /^application\/atom\+xml/);
  const xml = await res.text();
  assert.match(xml, /<title type="text">A &amp; B &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;<\/title>/);
  assert.ok(![...xml].some((c) => c.charCodeAt(0) < 9), "no control characters");
  assert.doesNotMatch(xml, /<script/);
  assert.doesNotMatch(xml, /Hidden/);
  assert.equal((xml.match(/<entry>/g) ?? []).length, 1);
  // A real XML parser (Chromium's is not available here; the DOMParser of deno-dom is not a dependency):
  // check the structure by balancing tags instead.
  const tags = [...xml.replace(/<\?xml[^>]*\?>/, "").matchAll(/<(\/?)([a-z:]+)[^>]*?(\/?)>/g)];
  const stack: string[] = [];
  for (const [, close, name, self] of tags) {
    if (self) continue;
    if (close) assert.equal(stack.pop(), name);
    else stack.push(name);
  }
  assert.deepEqual(stack, []);
  kv.close();
});

Deno.test("articles http: admin pages — list, new with cover upload, edit, delete with a confirm step", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  const { cookie } = await signIn(h, admin.email!, admin.password);
  const newPage = await get(h, "/admin/articles/new", { cookie });
  assert.equal(newPage.status, 200);
  const newHtml = await newPage.text();
  assert.match(newHtml, /enctype="multipart\/form-data"/);
  assert.match(newHtml, /data-island|ArticleEditor/i, "the editor island is on the page");

  const form = new FormData();
  for (
    const [k, v] of Object.entries({
      title: "Merawat diri",
      lang: "id",
      body: "Langkah kecil.",
      tags: "self care, rutinitas",
      status: "published",
      publishAt: "",
      coverAlt: "",
    })
  ) form.set(k, v);
  form.set("cover", new File([png(50, 50) as Uint8Array<ArrayBuffer>], "x.png", { type: "image/png" }));
  const send = (path: string, body: FormData) =>
    h(new Request(ORIGIN + path, { method: "POST", headers: { cookie, origin: ORIGIN }, body }));
  const missingAlt = await send("/admin/articles/new", form);
  assert.equal(missingAlt.status, 400, "alt text is required with a cover");
  const missingHtml = await missingAlt.text();
  assert.match(missingHtml, /Teks alternatif gambar sampul wajib diisi/);
  const kept = missingHtml.match(/name="coverFileId" value="([0-9A-Z]{26})"/);
  assert.ok(kept, "the uploaded cover is kept for the next try");
  form.delete("cover");
  form.set("coverFileId", kept[1]);
  form.set("coverAlt", "Secangkir teh");
  const ok = await send("/admin/articles/new", form);
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get("location"), "/admin/articles/merawat-diri?done=saved");
  const pub = await (await get(h, "/api/articles/merawat-diri")).json();
  assert.deepEqual(pub.article.tags, ["self-care", "rutinitas"]);
  assert.equal(pub.article.coverUrl, `/files/${kept[1]}`);

  const list = await (await get(h, "/admin/articles", { cookie })).text();
  assert.match(list, /href="\/admin\/articles\/merawat-diri"/);
  const edit = await (await get(h, "/admin/articles/merawat-diri?confirm=delete", { cookie })).text();
  assert.match(edit, /data-testid="confirm-step"/);
  assert.match(edit, /Langkah kecil\./, "the Markdown source is in the editor");
  const del = await h(
    new Request(ORIGIN + "/admin/articles/merawat-diri", {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: "action=delete&confirm=1",
    }),
  );
  assert.equal(del.status, 303);
  assert.equal((await get(h, "/articles/merawat-diri")).status, 404);

  const client = await makeUser("client");
  const c = await signIn(h, client.email!, client.password);
  const denied = await get(h, "/admin/articles", { cookie: c.cookie });
  assert.ok([403, 303].includes(denied.status), String(denied.status));
  kv.close();
});
