/**
 * Fresh's routing rules: route file name → URL pattern, static routes before
 * dynamic before catch-all, groups, layouts and middlewares per directory,
 * methods, trailing-slash redirects.
 */
import assert from "node:assert/strict";
import { buildRoutes, matchRoute, pathToPattern } from "./router.ts";
import type { RouteModule } from "./context.ts";
import { fixtureApp, get } from "./testdata/fixture.ts";

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
    ["_error.tsx", null],
    ["blog/_error.tsx", null],
  ];
  for (const [file, pattern] of table) assert.equal(pathToPattern(file), pattern, file);
});

Deno.test("matching: a static route beats every dynamic one; parameterless patterns are looked up by path", () => {
  const mod: RouteModule = { default: () => null };
  const { routes } = buildRoutes({
    "./routes/[...rest].tsx": mod,
    "./routes/blog/[slug].tsx": mod,
    "./routes/blog/new.tsx": mod,
    "./routes/blog/index.tsx": mod,
    "./routes/shop/[[page]].tsx": mod,
    "./routes/index.tsx": mod,
    "./routes/files/v-[id].tsx": mod,
  });
  assert.deepEqual([...routes.byPath.keys()].sort(), ["/", "/blog", "/blog/new"]);
  const which = (p: string) => {
    const m = matchRoute(routes, p);
    return m ? [m.route.file.replace("./routes/", ""), m.params] : null;
  };
  assert.deepEqual(which("/"), ["index.tsx", {}]);
  assert.deepEqual(which("/blog/new"), ["blog/new.tsx", {}]);
  assert.deepEqual(which("/blog/old"), ["blog/[slug].tsx", { slug: "old" }]);
  assert.deepEqual(which("/blog"), ["blog/index.tsx", {}]);
  assert.deepEqual(which("/shop"), ["shop/[[page]].tsx", {}]);
  assert.deepEqual(which("/shop/2"), ["shop/[[page]].tsx", { page: "2" }]);
  assert.deepEqual(which("/files/v-7"), ["files/v-[id].tsx", { id: "7" }]);
  assert.deepEqual(which("/blog/new/x"), ["[...rest].tsx", { rest: "blog/new/x" }]);
  assert.deepEqual(which("/blog/a%20b"), ["blog/[slug].tsx", { slug: "a b" }], "params are decoded");
  // The map and the URLPattern loop agree: every static pattern still matches through URLPattern.
  for (const r of routes.all) {
    if (routes.byPath.get(r.pattern) === r) assert.ok(r.urlPattern.test({ pathname: r.pattern }), r.pattern);
  }
});

Deno.test("routing: static before dynamic before catch-all, groups, params, methods", async () => {
  const { handler } = await fixtureApp();
  let res = await get(handler, "/blog");
  assert.match(await res.text(), /blog index/);
  res = await get(handler, "/blog/hello%20world");
  const html = await res.text();
  assert.match(html, /data-slug="hello world"/);
  assert.match(html, /data-trail="root,blog"/, "root then directory middleware ran");
  assert.equal(res.headers.get("x-blog-mw"), "1");
  assert.equal(res.headers.get("x-page"), "1");
  assert.ok(html.indexOf("root-layout") < html.indexOf("blog-layout"), "layouts nest outer → inner");
  assert.match(await (await get(handler, "/grouped")).text(), /id="grouped"/);
  assert.match(await (await get(handler, "/docs/a/b/c")).text(), /<p id="rest">a\/b\/c<\/p>/);
  res = await get(handler, "/blog/x", { method: "POST" });
  assert.equal(res.status, 201);
  await res.body?.cancel();
  res = await get(handler, "/blog/x", { method: "HEAD" });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "");
});

Deno.test("routing: a method without a handler is a 405 with Allow", async () => {
  const { handler } = await fixtureApp();
  const res = await get(handler, "/blog/x", { method: "PUT" });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("allow"), "GET, HEAD, POST", "the HttpError's headers reach the error page");
  assert.match(await res.text(), /blog error \(no handler\): Method Not Allowed/);
});

Deno.test("routing: a trailing slash redirects (308) to the route without it, keeping the query", async () => {
  const { handler } = await fixtureApp();
  const res = await get(handler, "/blog/?a=1");
  assert.equal(res.status, 308);
  assert.equal(res.headers.get("location"), "/blog?a=1");
  const none = await get(handler, "/nothing-here/");
  assert.equal(none.status, 404);
  await none.body?.cancel();
});
