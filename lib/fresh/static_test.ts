/** `staticFiles()`: ETag, 304 on If-None-Match, immutable caching of `asset()` URLs, no traversal. */
import assert from "node:assert/strict";
import { fixtureApp, get } from "./testdata/fixture.ts";

Deno.test("static files: ETag and 304 on If-None-Match; asset() URLs immutable", async () => {
  const { handler } = await fixtureApp();
  const first = await get(handler, "/site.css");
  assert.equal(first.status, 200);
  const etag = first.headers.get("etag");
  assert.ok(etag);
  assert.equal(first.headers.get("cache-control"), "no-cache");
  await first.body?.cancel();
  const again = await get(handler, "/site.css", { headers: { "if-none-match": etag! } });
  assert.equal(again.status, 304);
  const busted = await get(handler, "/site.css?__frsh_c=abc");
  assert.equal(busted.headers.get("cache-control"), "public, max-age=31536000, immutable");
  await busted.body?.cancel();
});

Deno.test("static files: no path outside the static folder", async () => {
  const { handler } = await fixtureApp();
  for (const p of ["/..%2Froutes%2Findex.tsx", "/%2e%2e/fixture.ts", "/site.css%00.txt"]) {
    const res = await get(handler, p);
    assert.equal(res.status, 404, p);
    await res.body?.cancel();
  }
});
