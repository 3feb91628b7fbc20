/**
 * The Fresh-compatible layer states Fresh 2's behaviour: route file → URL
 * pattern, layouts/middlewares per directory, props round-trip per type,
 * no script on island-free pages, hashed bundles with immutable caching,
 * static files with ETag/304, and a manifest that must not be stale.
 */
import assert from "node:assert/strict";
import { parse } from "devalue";
import { signal } from "@preact/signals";
import { App, buildBundles, type Manifest, pathToPattern, staticFiles } from "fresh";
import { generateManifest } from "@/lib/fresh/build.ts";

const FIXTURE = new URL("./fixtures/fresh_app", import.meta.url).pathname;
const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("route file names map to Fresh URL patterns", () => {
  const table: [string, string | null][] = [
    ["index.tsx", "/"],
    ["about.tsx", "/about"],
    ["blog/index.tsx", "/blog"],
    ["blog/[slug].tsx", "/blog/:slug"],
    ["[...rest].tsx", "/:rest*"],
    ["docs/[...path].tsx", "/docs/:path*"],
    ["shop/[[page]].tsx", "/shop{/:page}?"],
    ["(group)/x.tsx", "/x"],
    ["(marketing)/(inner)/pricing.tsx", "/pricing"],
    ["api/users/[id].ts", "/api/users/:id"],
    ["files/v-[id].tsx", "/files/v-:id"],
    ["_app.tsx", null],
    ["_layout.tsx", null],
    ["blog/_middleware.ts", null],
    ["_404.tsx", null],
    ["_500.tsx", null],
  ];
  for (const [file, pattern] of table) assert.equal(pathToPattern(file), pattern, file);
});

async function fixtureApp(withBuild: boolean) {
  const text = await generateManifest(FIXTURE);
  await Deno.writeTextFile(`${FIXTURE}/fresh.gen.ts`, text);
  const manifest = (await import(`${FIXTURE}/fresh.gen.ts`)).default as Manifest;
  const build = withBuild ? await buildBundles(FIXTURE) : null;
  const app = new App<{ nonce?: string }>({ build, nonce: () => "test-nonce" });
  app.use(staticFiles(`${FIXTURE}/static`));
  app.fsRoutes(manifest);
  return { app, handler: app.handler(), build };
}

Deno.test("routing: static before dynamic before catch-all, groups, params, methods", async () => {
  const { handler } = await fixtureApp(false);
  const get = (p: string, init?: RequestInit) => handler(new Request(`http://x${p}`, init));
  let res = await get("/blog");
  assert.match(await res.text(), /blog index/);
  res = await get("/blog/hello%20world");
  const html = await res.text();
  assert.match(html, /data-slug="hello world"/);
  assert.match(html, /data-trail="root,blog"/, "root then directory middleware ran");
  assert.equal(res.headers.get("x-blog-mw"), "1");
  assert.equal(res.headers.get("x-page"), "1");
  assert.ok(html.indexOf("root-layout") < html.indexOf("blog-layout"), "layouts nest outer → inner");
  assert.match(await (await get("/grouped")).text(), /id="grouped"/);
  assert.match(await (await get("/docs/a/b/c")).text(), /<p id="rest">a\/b\/c<\/p>/);
  res = await get("/blog/x", { method: "POST" });
  assert.equal(res.status, 201);
  res = await get("/blog/x", { method: "PUT" });
  assert.equal(res.status, 405);
  assert.match(res.headers.get("allow") ?? "", /GET/);
  res = await get("/blog/x", { method: "HEAD" });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "");
});

Deno.test("pages without islands ship no script at all", async () => {
  const { handler } = await fixtureApp(true);
  const html = await (await handler(new Request("http://x/"))).text();
  assert.match(html, /no islands here/);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /modulepreload/);
});

Deno.test("islands: markers, one boot script with the nonce, props round-trip per type", async () => {
  const { handler, build } = await fixtureApp(true);
  const html = await (await handler(new Request("http://x/island"))).text();
  assert.equal(html.match(/<fresh-island data-island="Counter"/g)?.length, 2);
  assert.equal(html.match(/<script type="module" nonce="test-nonce">/g)?.length, 1);
  assert.match(html, new RegExp(`/_fresh/js/${build!.buildId}/${build!.boot}`));
  const state = html.match(/<script id="__FRSH_STATE" type="application\/json" nonce="test-nonce">(.*?)<\/script>/)
    ?.[1];
  assert.ok(state);
  const props = parse(state!, { Signal: ([v]: [unknown]) => signal(v) }) as Record<string, any>[];
  assert.equal(props.length, 2);
  assert.equal(props[0].start, 3);
  assert.ok(props[0].when instanceof Date);
  assert.equal(props[0].when.toISOString(), "2026-01-02T03:04:05.000Z");
  assert.deepEqual([...props[0].tags], ["a", "b"]);
  assert.deepEqual([...props[0].map], [["k", 1]]);
  assert.ok(props[0].link instanceof URL);
  assert.equal(props[0].link.href, "https://example.com/x?y=1");
  assert.equal(props[0].big, 12345678901234567890n);
  assert.equal(props[0].sig.value, 7);
  assert.deepEqual(props[1], { start: 10 });
});

Deno.test("islands: a function prop is an error, as in Fresh", async () => {
  const { handler } = await fixtureApp(true);
  const res = await handler(new Request("http://x/bad_island"));
  assert.equal(res.status, 500);
  await res.body?.cancel();
});

Deno.test("hashed bundles are served with immutable caching; unknown build ids 404", async () => {
  const { handler, build } = await fixtureApp(true);
  const res = await handler(new Request(`http://x/_fresh/js/${build!.buildId}/${build!.islands.Counter}`));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.match(res.headers.get("content-type") ?? "", /javascript/);
  assert.ok((await res.text()).length > 0);
  const bad = await handler(new Request(`http://x/_fresh/js/deadbeef/${build!.islands.Counter}`));
  assert.equal(bad.status, 404);
  await bad.body?.cancel();
  const traversal = await handler(new Request(`http://x/_fresh/js/${build!.buildId}/..%2Fbuild.json`));
  assert.equal(traversal.status, 404);
  await traversal.body?.cancel();
});

Deno.test("static files: ETag and 304 on If-None-Match; asset() URLs immutable", async () => {
  const { handler } = await fixtureApp(false);
  const first = await handler(new Request("http://x/site.css"));
  assert.equal(first.status, 200);
  const etag = first.headers.get("etag");
  assert.ok(etag);
  assert.equal(first.headers.get("cache-control"), "no-cache");
  await first.body?.cancel();
  const again = await handler(new Request("http://x/site.css", { headers: { "if-none-match": etag! } }));
  assert.equal(again.status, 304);
  const busted = await handler(new Request("http://x/site.css?__frsh_c=abc"));
  assert.equal(busted.headers.get("cache-control"), "public, max-age=31536000, immutable");
  await busted.body?.cancel();
});

Deno.test("custom _404 page renders with status 404", async () => {
  const { handler } = await fixtureApp(false);
  const res = await handler(new Request("http://x/nope/a/b"));
  assert.equal(res.status, 404);
  assert.match(await res.text(), /custom 404/);
});

Deno.test("the app's route manifest (fresh.gen.ts) is not stale", async () => {
  const expected = await generateManifest(ROOT);
  const actual = await Deno.readTextFile(`${ROOT}/fresh.gen.ts`);
  assert.equal(actual, expected, "run `deno task build` to regenerate fresh.gen.ts");
});
