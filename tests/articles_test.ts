/**
 * Articles: sanitising at save time, slugs, scheduled publishing, roles, the
 * language-first listing and its pagination (real `:memory:` KV).
 */
import assert from "node:assert/strict";
import {
  createArticle,
  deleteArticle,
  getArticleBySlug,
  getPublishedArticle,
  listPublishedArticles,
  relatedArticles,
  updateArticle,
} from "@/lib/articles/store.ts";
import { renderMarkdown } from "@/lib/articles/render.ts";
import { Conflict, Forbidden, ValidationError } from "@/lib/errors.ts";
import { freshKv, makeUser } from "./helpers.ts";
import { dangerousMarkup, XSS_PAYLOADS } from "./article_fixtures.ts";

async function admin() {
  return await makeUser("admin");
}

Deno.test("articles: every XSS payload through the body is neutralised at save time, the source kept", async () => {
  const kv = await freshKv();
  const a = await admin();
  for (const [i, p] of XSS_PAYLOADS.entries()) {
    const html = renderMarkdown(`Text ${i}\n\n${p}\n\nmore`);
    assert.equal(dangerousMarkup(html), null, `payload ${i} survived: ${p} → ${html}`);
  }
  const art = await createArticle({
    title: "Aman",
    lang: "id",
    body: XSS_PAYLOADS.join("\n\n"),
    status: "published",
  }, a);
  assert.equal(art.bodySource, XSS_PAYLOADS.join("\n\n"));
  assert.equal(dangerousMarkup(art.bodyHtml), null, art.bodyHtml);
  kv.close();
});

Deno.test("articles: external links get rel=noopener noreferrer, internal ones do not, h1 becomes h2", () => {
  const html = renderMarkdown("# Judul\n\n[a](https://healing119.id) [b](/help) [c](mailto:x@y.id)");
  assert.match(html, /<h2>Judul<\/h2>/);
  assert.match(html, /<a href="https:\/\/healing119.id" rel="noopener noreferrer">a<\/a>/);
  assert.match(html, /<a href="\/help">b<\/a>/);
  assert.match(html, /<a href="mailto:x@y.id" rel="noopener noreferrer">c<\/a>/);
});

Deno.test("articles: titles and tags are plain text (tags folded), XSS in them cannot become markup", async () => {
  const kv = await freshKv();
  const a = await admin();
  const art = await createArticle({
    title: "<img src=x onerror=alert(1)> Tidur",
    lang: "id",
    body: "isi",
    tags: ["<script>alert(1)</script>", "Self Care", "self-care"],
    status: "published",
  }, a);
  assert.equal(art.title, "<img src=x onerror=alert(1)> Tidur");
  assert.deepEqual(art.tags, ["script-alert-1-script", "self-care"]);
  assert.equal(art.slug, "img-src-x-onerror-alert-1-tidur");
  await assert.rejects(
    createArticle({ title: "t", lang: "id", body: "b", tags: ["<>"], status: "draft" }, a),
    (e) => e instanceof ValidationError && e.fields.tags === "articles.tag_invalid",
  );
  kv.close();
});

Deno.test("articles: slugs are generated, unique, editable; a typed slug in use is a conflict", async () => {
  const kv = await freshKv();
  const a = await admin();
  const base = { lang: "id", body: "isi", status: "published" } as const;
  const one = await createArticle({ ...base, title: "Mengelola Stres" }, a);
  const two = await createArticle({ ...base, title: "Mengelola stres!" }, a);
  const three = await createArticle({ ...base, title: "mengelola  STRES" }, a);
  assert.deepEqual([one.slug, two.slug, three.slug], ["mengelola-stres", "mengelola-stres-2", "mengelola-stres-3"]);
  const empty = await createArticle({ ...base, title: "!!!" }, a);
  assert.equal(empty.slug, "artikel");
  await assert.rejects(createArticle({ ...base, title: "x", slug: "mengelola-stres" }, a), Conflict);
  await assert.rejects(
    createArticle({ ...base, title: "x", slug: "Bad Slug" }, a),
    (e) => e instanceof ValidationError && e.fields.slug === "articles.slug_invalid",
  );
  // Rename: the old slug is freed, the new one claimed.
  const renamed = await updateArticle("mengelola-stres-2", { ...base, title: "Baru", slug: "stres-baru" }, a);
  assert.equal(renamed.slug, "stres-baru");
  assert.equal(await getArticleBySlug("mengelola-stres-2"), null);
  assert.equal((await getArticleBySlug("stres-baru"))?.id, two.id);
  await assert.rejects(updateArticle("stres-baru", { ...base, title: "B", slug: "mengelola-stres" }, a), Conflict);
  // A title change without a slug keeps the slug.
  assert.equal((await updateArticle("stres-baru", { ...base, title: "Lain" }, a)).slug, "stres-baru");
  const free = await createArticle({ ...base, title: "Mengelola stres" }, a);
  assert.equal(free.slug, "mengelola-stres-2", "the freed slug is reused");
  kv.close();
});

Deno.test("articles: drafts and scheduled articles are invisible to readers until publishAt", async () => {
  const kv = await freshKv();
  const a = await admin();
  const now = new Date("2026-12-01T10:00:00Z");
  await createArticle({ title: "Draf", lang: "id", body: "x", status: "draft" }, a, now);
  await createArticle(
    {
      title: "Terjadwal",
      lang: "id",
      body: "x",
      status: "published",
      publishAt: "2026-12-02T10:00:00+07:00",
    },
    a,
    now,
  );
  await createArticle({ title: "Terbit", lang: "id", body: "x", status: "published" }, a, now);
  assert.deepEqual((await listPublishedArticles({ now })).items.map((s) => s.slug), ["terbit"]);
  assert.equal(await getPublishedArticle("draf", now), null);
  assert.equal(await getPublishedArticle("terjadwal", now), null);
  assert.ok(await getArticleBySlug("draf"), "admins still find the draft");
  const later = new Date("2026-12-02T03:00:00Z");
  assert.deepEqual((await listPublishedArticles({ now: later })).items.map((s) => s.slug), ["terjadwal", "terbit"]);
  assert.ok(await getPublishedArticle("terjadwal", later));
  // Unpublishing removes every index copy.
  await updateArticle("terbit", { title: "Terbit", lang: "id", body: "x", status: "draft" }, a, later);
  assert.deepEqual((await listPublishedArticles({ now: later })).items.map((s) => s.slug), ["terjadwal"]);
  await deleteArticle("terjadwal", a);
  assert.deepEqual((await listPublishedArticles({ now: later })).items, []);
  const left = [];
  for await (const e of kv.list({ prefix: [] })) if (String(e.key[0]).startsWith("article")) left.push(e.key);
  assert.equal(left.filter((k) => k[0] !== "articles" && k[0] !== "article_slugs").length, 0, String(left));
  kv.close();
});

Deno.test("articles: only active admins write", async () => {
  const kv = await freshKv();
  const a = await admin();
  const art = await createArticle({ title: "T", lang: "en", body: "x", status: "published" }, a);
  for (const role of ["client", "psychologist", "teacher", "receptionist", "guest"] as const) {
    const u = await makeUser(role);
    await assert.rejects(createArticle({ title: "T", lang: "en", body: "x", status: "draft" }, u), Forbidden);
    await assert.rejects(updateArticle(art.slug, { title: "T", lang: "en", body: "y", status: "draft" }, u), Forbidden);
    await assert.rejects(deleteArticle(art.slug, u), Forbidden);
  }
  const disabled = await makeUser("admin", { status: "deactivated" });
  await assert.rejects(deleteArticle(art.slug, disabled), Forbidden);
  assert.ok(await getPublishedArticle(art.slug));
  kv.close();
});

Deno.test("articles: the UI language comes first, pages walk both languages without repeats, tag filter", async () => {
  const kv = await freshKv();
  const a = await admin();
  const t0 = Date.parse("2026-11-01T00:00:00Z");
  const made: string[] = [];
  for (let i = 0; i < 7; i++) {
    const lang = i % 3 === 0 ? "en" : "id";
    const art = await createArticle({
      title: `A ${i} ${lang}`,
      lang,
      body: "x",
      tags: i % 2 ? ["tidur"] : ["stres"],
      status: "published",
      publishAt: new Date(t0 + i * 3600_000).toISOString(),
    }, a);
    made.push(art.slug);
  }
  const walk = async (opts: { lang?: "id" | "en"; tag?: string }, limit: number) => {
    const out: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const page: { items: { slug: string; lang: string }[]; cursor: string | null } = await listPublishedArticles({
        ...opts,
        cursor,
        limit,
      });
      assert.ok(page.items.length <= limit);
      out.push(...page.items.map((s) => `${s.slug}`));
      cursor = page.cursor;
      if (!cursor) break;
    }
    return out;
  };
  const en = ["a-6-en", "a-3-en", "a-0-en"];
  const id = ["a-5-id", "a-4-id", "a-2-id", "a-1-id"];
  for (const limit of [1, 2, 3, 10]) {
    assert.deepEqual(await walk({ lang: "en" }, limit), [...en, ...id], `limit ${limit}`);
    assert.deepEqual(await walk({ lang: "id" }, limit), [...id, ...en], `limit ${limit}`);
    assert.deepEqual(await walk({}, limit), ["a-6-en", "a-5-id", "a-4-id", "a-3-en", "a-2-id", "a-1-id", "a-0-en"]);
  }
  assert.deepEqual(await walk({ lang: "id", tag: "tidur" }, 2), ["a-5-id", "a-1-id", "a-3-en"]);
  assert.deepEqual(await walk({ tag: "stres" }, 2), ["a-6-en", "a-4-id", "a-2-id", "a-0-en"]);
  await assert.rejects(listPublishedArticles({ cursor: "garbage" }));
  await assert.rejects(listPublishedArticles({ lang: "id", cursor: "p.!!" }));
  const rel = await relatedArticles((await getPublishedArticle("a-5-id"))!, 3);
  assert.deepEqual(rel.map((s) => s.slug), ["a-1-id", "a-3-en"]);
  kv.close();
});

Deno.test("articles: the seed writes 8 topics in both languages with covers, once", async () => {
  const kv = await freshKv();
  const { seedAccounts } = await import("@/lib/seed/accounts.ts");
  const { seedArticles, SEED_TOPICS } = await import("@/lib/seed/articles.ts");
  const { getFile } = await import("@/lib/files/store.ts");
  await seedAccounts();
  assert.deepEqual(await seedArticles(), ["articles: 16 created, 0 already there"]);
  assert.deepEqual(await seedArticles(), ["articles: 0 created, 16 already there"]);
  assert.equal(SEED_TOPICS.length, 8);
  for (const lang of ["id", "en"] as const) {
    const { items } = await listPublishedArticles({ lang, limit: 50 });
    assert.equal(items.length, 16);
    assert.ok(items.slice(0, 8).every((s) => s.lang === lang), `${lang} first`);
    for (const s of items) {
      assert.ok(s.coverUrl && s.coverAlt, `${s.slug} has a cover with alt text`);
      const f = await getFile(s.coverUrl.split("/").pop()!);
      assert.equal(f?.type, "image/png");
    }
  }
  const sleep = await getPublishedArticle("tidur-yang-lebih-nyenyak");
  assert.match(sleep!.bodyHtml, /bukan diagnosis/);
  assert.match(sleep!.bodyHtml, /<a href="https:\/\/healing119.id" rel="noopener noreferrer">/);
  kv.close();
});

Deno.test("articles: the markup check itself catches what it must and passes escaped text", () => {
  for (
    const bad of [
      "<script>x</script>",
      '<img src="x" onerror="alert(1)" />',
      '<a href="java&#115;cript:alert(1)">x</a>',
      '<a href=" JAVASCRIPT:alert(1)">x</a>',
      '<img src="data:image/png;base64,AAAA" />',
      '<p style="color:red">x</p>',
      "<svg></svg>",
    ]
  ) assert.notEqual(dangerousMarkup(bad), null, bad);
  for (
    const ok of ["&lt;script&gt;alert(1)&lt;/script&gt;", '<a href="https://x.id" rel="noopener noreferrer">x</a>']
  ) {
    assert.equal(dangerousMarkup(ok), null, ok);
  }
});
