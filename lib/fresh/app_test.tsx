/**
 * Error pages as in Fresh 2: `_404` for unknown paths and `HttpError(404)`,
 * `_error` (older name `_500`) as an error boundary per directory that renders
 * with `ctx.error` and the error's status, around that directory's
 * middlewares; an error page that fails falls back to plain text.
 */
import assert from "node:assert/strict";
import { App, HttpError, page, type PageProps } from "fresh";
import { fixtureApp, get } from "./testdata/fixture.ts";

Deno.test("_404 renders unknown paths with status 404", async () => {
  const { handler } = await fixtureApp();
  const res = await get(handler, "/nope/a/b");
  assert.equal(res.status, 404);
  assert.match(await res.text(), /custom 404/);
  const thrown = await get(handler, "/boom?status=404");
  assert.equal(thrown.status, 404, "a thrown HttpError(404) renders _404 too");
  assert.match(await thrown.text(), /custom 404/);
});

Deno.test("_error renders thrown errors with ctx.error and the error's status, inside _app", async () => {
  const { handler } = await fixtureApp();
  let res = await get(handler, "/boom");
  assert.equal(res.status, 500);
  let html = await res.text();
  assert.match(html, /<p id="error" data-status="500">root error: handler boom<\/p>/);
  assert.match(html, /^<!DOCTYPE html><html>.*<div class="root-layout">/, "inside _app and the root layout");
  res = await get(handler, "/boom?status=418");
  assert.equal(res.status, 418);
  assert.match(await res.text(), /data-status="418">root error: with status/);
  res = await get(handler, "/boom", { method: "POST" });
  assert.equal(res.status, 500, "any method");
  assert.match(await res.text(), /root error: post boom/);
  res = await get(handler, "/?mwthrow=1");
  assert.equal(res.status, 500);
  html = await res.text();
  assert.match(html, /root error: middleware boom/, "the root boundary wraps the root middleware");
});

Deno.test("a directory's _error handles errors below it, with its handler's status and headers", async () => {
  const { handler } = await fixtureApp();
  const res = await get(handler, "/blog/broken");
  assert.equal(res.status, 503);
  assert.equal(res.headers.get("x-error-page"), "blog");
  const html = await res.text();
  assert.match(html, /<p id="blog-error">blog error \(from handler\): render boom<\/p>/);
  assert.ok(html.indexOf("root-layout") < html.indexOf("blog-layout"), "rendered in the blog layouts");
  assert.equal(res.headers.get("x-blog-mw"), null, "the blog boundary sits outside the blog middleware");
});

function inline(routes: Record<string, Record<string, unknown>>) {
  const app = new App<Record<string, unknown>>();
  app.fsRoutes({ routes, islands: {} });
  return app.handler();
}

Deno.test("_500 works as the older name of _error; _error wins when both exist", async () => {
  const thrower = { handler: () => Promise.reject(new Error("x")) };
  const only500 = inline({
    "./routes/x.tsx": thrower,
    "./routes/_500.tsx": { default: () => <p>five hundred</p> },
  });
  let res = await only500(new Request("http://x/x"));
  assert.equal(res.status, 500);
  assert.match(await res.text(), /five hundred/);
  res = await only500(new Request("http://x/missing"));
  assert.equal(res.status, 404, "without _404 a 404 renders _error with status 404");
  assert.match(await res.text(), /five hundred/);
  const both = inline({
    "./routes/x.tsx": thrower,
    "./routes/_500.tsx": { default: () => <p>old</p> },
    "./routes/_error.tsx": { default: () => <p>new</p> },
  });
  assert.match(await (await both(new Request("http://x/x"))).text(), /new/);
});

Deno.test("an error page that throws falls back to plain text; without error pages errors are plain text", async () => {
  const failing = inline({
    "./routes/x.tsx": { handler: () => Promise.reject(new Error("first")) },
    "./routes/_error.tsx": {
      default: ({ error }: PageProps<unknown, unknown>) => {
        throw new Error(`page failed on ${(error as Error).message}`);
      },
    },
  });
  const orig = console.error;
  const logged: string[] = [];
  console.error = (s: string) => logged.push(s);
  try {
    const res = await failing(new Request("http://x/x"));
    assert.equal(res.status, 500);
    assert.equal(await res.text(), "Internal Server Error");
    assert.match(logged.join("\n"), /page failed on first/);
  } finally {
    console.error = orig;
  }
  const bare = inline({ "./routes/x.tsx": { handler: () => Promise.reject(new HttpError(403, "nope")) } });
  const res = await bare(new Request("http://x/x"));
  assert.equal(res.status, 403);
  assert.equal(await res.text(), "nope");
});

Deno.test("ctx.render() and page() render the route inside _app; redirects stay on this site", async () => {
  const handler = inline({
    "./routes/_app.tsx": {
      default: ({ Component }: PageProps<unknown, unknown>) => (
        <main>
          <Component />
        </main>
      ),
    },
    "./routes/r.tsx": {
      handler: { GET: (ctx: { render: () => Promise<Response> }) => ctx.render() },
      default: () => <p>rendered</p>,
    },
    "./routes/p.tsx": {
      handler: { GET: () => page({ n: 2 }, { status: 201, headers: { "x-p": "1" } }) },
      default: ({ data }: PageProps<{ n: number }, unknown>) => <p>n={data.n}</p>,
    },
    "./routes/go.tsx": {
      handler: (ctx: { url: URL; redirect: (to: string) => Response }) => ctx.redirect(ctx.url.searchParams.get("to")!),
    },
  });
  assert.equal(await (await handler(new Request("http://x/r"))).text(), "<!DOCTYPE html><main><p>rendered</p></main>");
  const p = await handler(new Request("http://x/p"));
  assert.equal(p.status, 201);
  assert.equal(p.headers.get("x-p"), "1");
  assert.equal(await p.text(), "<!DOCTYPE html><main><p>n=2</p></main>");
  for (
    const [to, loc] of [["/ok", "/ok"], ["//evil.example", "/"], ["https://a.example/x", "https://a.example/x"], [
      "javascript:alert(1)",
      "/",
    ]]
  ) {
    const res = await handler(new Request(`http://x/go?to=${encodeURIComponent(to)}`));
    assert.equal(res.headers.get("location"), loc, to);
  }
});
