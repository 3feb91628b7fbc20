/**
 * The security baseline on every kind of response the page path makes
 * (docs/architecture.md "Security baseline"; OWASP Secure Headers Project):
 * CSP with a per-response nonce, HSTS, nosniff, Referrer-Policy,
 * frame-ancestors / X-Frame-Options, `no-store` once signed in — on pages,
 * error pages (thrown errors rendered by `routes/_error.tsx`), JSON errors and
 * redirects. The request-path speed-ups (docs/benchmarks.md) must keep them.
 */
import assert from "node:assert/strict";
import { appHandler, freshKv, get, makeUser, signIn } from "./helpers.ts";

await freshKv();
const handler = await appHandler();

function assertBaseline(res: Response, what: string): string {
  const h = res.headers;
  const csp = h.get("content-security-policy") ?? "";
  const nonce = csp.match(/script-src 'self' 'nonce-([A-Za-z0-9+/]{22}==)'/)?.[1];
  assert.ok(nonce, `${what}: CSP with a 128-bit nonce: ${csp}`);
  assert.match(csp, new RegExp(`style-src 'self' 'nonce-${nonce.replace(/[+/]/g, "\\$&")}'`), what);
  assert.match(csp, /frame-ancestors 'none'/, what);
  assert.match(csp, /object-src 'none'/, what);
  assert.equal(h.get("strict-transport-security"), "max-age=63072000; includeSubDomains", what);
  assert.equal(h.get("x-content-type-options"), "nosniff", what);
  assert.equal(h.get("referrer-policy"), "strict-origin-when-cross-origin", what);
  assert.equal(h.get("x-frame-options"), "DENY", what);
  return nonce;
}

Deno.test("anonymous pages: every security header, a new nonce per response, cacheable", async () => {
  const nonces = new Set<string>();
  for (const path of ["/about", "/about", "/", "/signin"]) {
    const res = await get(handler, path, { headers: { accept: "text/html" } });
    assert.equal(res.status, 200, path);
    nonces.add(assertBaseline(res, path));
    assert.equal(res.headers.get("cache-control"), null, `${path}: anonymous pages may be cached`);
    assert.equal(res.headers.get("content-language"), "id");
    assert.match(res.headers.get("vary") ?? "", /Cookie/);
    await res.body?.cancel();
  }
  assert.equal(nonces.size, 4, "nonces never repeat");
});

Deno.test("error pages, JSON errors and redirects keep the baseline", async () => {
  const cases: [string, RequestInit, number][] = [
    ["/no-such-page", { headers: { accept: "text/html" } }, 404],
    ["/api/no-such-endpoint", {}, 404],
    ["/admin", { headers: { accept: "text/html" } }, 303], // anonymous → sign-in
    ["/about", { method: "POST", headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } }, 403],
    ["/about/", {}, 308],
  ];
  for (const [path, init, status] of cases) {
    const res = await handler(new Request(`http://localhost${path}`, init));
    assert.equal(res.status, status, path);
    assertBaseline(res, `${init.method ?? "GET"} ${path}`);
    const body = await res.text();
    if (status === 404 && !path.startsWith("/api/")) {
      assert.match(body, /class="card narrow error-page"/);
      assert.match(body, /<title>Tidak ditemukan · RuangPulih<\/title>/, "the tab names the error");
    }
    if (path.startsWith("/api/")) assert.equal(JSON.parse(body).error.code, "not_found");
  }
  const en = await get(handler, "/no-such-page", { headers: { accept: "text/html", cookie: "lang=en" } });
  assert.match(await en.text(), /<title>Not found · RuangPulih<\/title>/);
});

Deno.test("signed-in pages: no-store, the baseline, and the island script carries the CSP nonce", async () => {
  const user = await makeUser("teacher");
  const { cookie } = await signIn(handler, user.email!, user.password);
  for (const path of ["/teacher", "/about", "/no-such-page"]) {
    const res = await get(handler, path, { cookie, headers: { accept: "text/html" } });
    assert.equal(res.headers.get("cache-control"), "no-store", path);
    const nonce = assertBaseline(res, path);
    const html = await res.text();
    for (const m of html.matchAll(/<script\b[^>]*>/g)) assert.ok(m[0].includes(`nonce="${nonce}"`), `${path}: ${m[0]}`);
    if (path === "/teacher") assert.match(html, /<script type="module" nonce=/, "the page has an island");
  }
});
