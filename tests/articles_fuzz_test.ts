/**
 * Property tests of the articles and file-store endpoints (fast-check through
 * tests/fuzz.ts, which prints each seed): hostile bodies, queries, slugs and
 * uploads. Properties:
 * - never a 5xx, errors as `{ error: { code, message } }`;
 * - nothing half-written: after every request the stored articles, slug keys
 *   and index copies agree exactly (`consistent`), and a refused request
 *   changes no key;
 * - whatever is accepted, the stored HTML holds no executable markup.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import { apiLogin, appHandler, freshKv, type Handler, makeUser, ORIGIN } from "./helpers.ts";
import { dangerousMarkup, png, XSS_PAYLOADS } from "./article_fixtures.ts";
import { renderMarkdown } from "@/lib/articles/render.ts";
import { createArticle } from "@/lib/articles/store.ts";
import type { Article } from "@/lib/articles/model.ts";
import { ARTICLES_PREFIXES } from "@/lib/articles/keys.ts";
import { FILES_PREFIXES } from "@/lib/files/keys.ts";

const RUNS = 150;

const nasty = fc.constantFrom(
  "",
  " ",
  "\u0000\u0001",
  "\ud800",
  "😀".repeat(50),
  "a".repeat(50_000),
  "__proto__",
  "../../etc/passwd",
  "%00",
  "Self Care",
  "id",
  "en",
  "draft",
  "published",
  "2026-12-01T10:00:00Z",
  "1999-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "not-a-date",
  "01JAAAAAAAAAAAAAAAAAAAAAAA",
  ...XSS_PAYLOADS,
);
const value = fc.oneof(
  nasty,
  fc.string({ maxLength: 200 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(nasty, fc.string({ maxLength: 40 })), { maxLength: 12 }),
  fc.object({ maxDepth: 1 }),
);
const FIELDS = [
  "title",
  "slug",
  "lang",
  "author",
  "body",
  "excerpt",
  "tags",
  "status",
  "publishAt",
  "coverFileId",
  "coverAlt",
];
/** A valid article body with some fields replaced by hostile values (sometimes none: valid bodies are written). */
const articleBody = fc.record({
  replace: fc.dictionary(fc.constantFrom(...FIELDS, "__proto__", "extra"), value, { maxKeys: 4 }),
  drop: fc.subarray(FIELDS),
  tags: fc.array(fc.oneof(nasty, fc.string({ maxLength: 20 })), { maxLength: 5 }),
  body: fc.oneof(fc.constantFrom(...XSS_PAYLOADS), fc.string({ maxLength: 300 })),
}).map(({ replace, drop, tags, body }) => {
  const b: Record<string, unknown> = { title: "Judul", lang: "id", body: `x ${body}`, tags, status: "published" };
  for (const d of drop) delete b[d];
  return { ...b, ...replace };
});

/** Every article's slug key, and exactly the index copies its status and tags call for. */
async function consistent(kv: Deno.Kv): Promise<number> {
  const articles: Article[] = [];
  for await (const e of kv.list<Article>({ prefix: ["articles"] })) articles.push(e.value);
  let expected = 0;
  for (const a of articles) {
    assert.equal((await kv.get(["article_slugs", a.slug])).value, a.id, `slug of ${a.id}`);
    assert.equal(dangerousMarkup(a.bodyHtml), null, a.bodyHtml);
    if (a.status === "published") expected += 2 + 2 * a.tags.length;
  }
  let slugs = 0;
  for await (const _ of kv.list({ prefix: ["article_slugs"] })) slugs++;
  assert.equal(slugs, articles.length, "one slug key per article");
  let index = 0;
  for (const p of ["articles_published", "articles_by_lang", "articles_by_tag", "articles_by_lang_tag"]) {
    for await (const e of kv.list<{ slug: string }>({ prefix: [p] })) {
      index++;
      assert.ok(articles.some((a) => a.id === e.key.at(-1) && a.slug === e.value.slug), `stale ${String(e.key)}`);
    }
  }
  assert.equal(index, expected, "index copies");
  return articles.length;
}

async function snapshot(kv: Deno.Kv, prefixes: readonly string[]): Promise<string> {
  const out: string[] = [];
  for (const p of prefixes) {
    for await (const e of kv.list({ prefix: [p] })) out.push(`${JSON.stringify(e.key)}@${e.versionstamp}`);
  }
  return out.join("\n");
}

/** `encodeURIComponent`, with lone surrogates (which it refuses) sent as raw percent bytes. */
function encodeSegment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return "%ED%A0%80";
  }
}

async function send(h: Handler, method: string, path: string, body: unknown, token: string) {
  return await h(
    new Request(ORIGIN + path, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", origin: ORIGIN },
      body: JSON.stringify(body),
    }),
  );
}

async function checkAnswer(res: Response): Promise<unknown> {
  assert.ok(res.status < 500, `status ${res.status}`);
  const json = await res.json().catch(() => null);
  if (res.status >= 400) {
    assert.equal(typeof json?.error?.code, "string", JSON.stringify(json));
    assert.equal(typeof json?.error?.message, "string");
  }
  return json;
}

Deno.test("articles fuzz: Markdown with XSS fragments never renders executable markup", (t) => {
  const piece = fc.oneof(
    fc.constantFrom(
      ...XSS_PAYLOADS,
      "<",
      ">",
      '"',
      "'",
      "`",
      "](",
      "[",
      "!",
      "\n\n",
      "javascript:",
      "data:",
      "on",
      "=",
    ),
    fc.string({ maxLength: 10 }),
  );
  fuzz(
    t,
    fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
      const html = renderMarkdown(parts.join(""));
      assert.equal(dangerousMarkup(html), null, html);
    }),
    { numRuns: 1000 },
  );
});

Deno.test({
  name: `articles fuzz: POST/PUT /api/articles — no 5xx, nothing half-written (${RUNS} runs)`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const kv = await freshKv();
    const h = await appHandler();
    const admin = await makeUser("admin");
    const { token } = await apiLogin(h, admin.email!, admin.password);
    await createArticle({ title: "Tetap", lang: "id", body: "awal", tags: ["a"], status: "published" }, admin);
    await fuzz(
      t,
      fc.asyncProperty(articleBody, fc.constantFrom("POST", "PUT"), async (body, method) => {
        const before = await snapshot(kv, ARTICLES_PREFIXES);
        const path = method === "POST" ? "/api/articles" : "/api/articles/tetap";
        const res = await send(h, method, path, body, token);
        const json = await checkAnswer(res) as { article?: { slug: string } } | null;
        if (res.status >= 400) {
          assert.equal(await snapshot(kv, ARTICLES_PREFIXES), before, "a refused write changed keys");
        }
        await consistent(kv);
        if (method === "PUT" && res.status === 200) {
          // Keep the target's slug for later runs.
          const r = await send(
            h,
            "PUT",
            `/api/articles/${json?.article?.slug ?? "tetap"}`,
            {
              title: "Tetap",
              slug: "tetap",
              lang: "id",
              body: "awal",
              status: "published",
            },
            token,
          );
          await r.body?.cancel();
        }
      }),
      { numRuns: RUNS, label: "write" },
    );
    kv.close();
  },
});

Deno.test({
  name: `articles fuzz: reading endpoints with hostile queries and slugs — no 5xx (${RUNS} runs)`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const kv = await freshKv();
    const h = await appHandler();
    const admin = await makeUser("admin");
    for (let i = 0; i < 3; i++) {
      await createArticle({
        title: `Artikel ${i}`,
        lang: i % 2 ? "en" : "id",
        body: "x",
        tags: ["t"],
        status: "published",
      }, admin);
    }
    const seg = fc.oneof(
      nasty,
      fc.string({ maxLength: 60 }),
      fc.constantFrom("artikel-0", "feed.xml", "%2e%2e", "a/b"),
    );
    const query = fc.dictionary(fc.constantFrom("tag", "lang", "cursor", "limit", "x"), fc.oneof(nasty, fc.string()), {
      maxKeys: 4,
    }).map((q) => new URLSearchParams(q as Record<string, string>).toString());
    await fuzz(
      t,
      fc.asyncProperty(
        fc.constantFrom("/api/articles", "/articles", "/api/articles/", "/articles/", "/files/"),
        seg,
        query,
        async (base, s, q) => {
          const path = base.endsWith("/") ? base + encodeSegment(s) : `${base}?${q}`;
          const res = await h(
            new Request(ORIGIN + path, {
              headers: { accept: base.startsWith("/api") ? "application/json" : "text/html" },
            }),
          );
          assert.ok(res.status < 500, `${path} → ${res.status}`);
          const text = await res.text();
          if (base === "/articles/" && res.status === 200) assert.doesNotMatch(text, /<script/i);
        },
      ),
      { numRuns: RUNS, label: "read" },
    );
    kv.close();
  },
});

Deno.test({
  name: `articles fuzz: uploads of random bytes — no 5xx, refused uploads store nothing (${RUNS} runs)`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const kv = await freshKv();
    const h = await appHandler();
    const admin = await makeUser("admin");
    const { token } = await apiLogin(h, admin.email!, admin.password);
    const good = png(8, 8);
    const prefixes = [
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      [0xff, 0xd8, 0xff],
      [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50],
      [0x25, 0x50, 0x44, 0x46],
      [],
    ];
    await fuzz(
      t,
      fc.asyncProperty(
        fc.constantFrom(...prefixes),
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom("article_cover", "avatar", ""),
        fc.boolean(),
        async (prefix, rest, kind, keepGood) => {
          const bytes = keepGood ? good : new Uint8Array([...prefix, ...rest]);
          const before = await snapshot(kv, FILES_PREFIXES);
          const res = await h(
            new Request(`${ORIGIN}/api/files?kind=${kind}`, {
              method: "POST",
              headers: { authorization: `Bearer ${token}`, origin: ORIGIN },
              body: bytes as Uint8Array<ArrayBuffer>,
            }),
          );
          const json = await checkAnswer(res) as { file?: { id: string } } | null;
          if (res.status >= 400) assert.equal(await snapshot(kv, FILES_PREFIXES), before);
          else {
            assert.equal(res.status, 201);
            const served = await h(new Request(`${ORIGIN}/files/${json!.file!.id}`));
            assert.deepEqual(new Uint8Array(await served.arrayBuffer()), bytes);
          }
        },
      ),
      { numRuns: RUNS, label: "upload" },
    );
    kv.close();
  },
});
