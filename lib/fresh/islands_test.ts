/**
 * Islands as Fresh serves them: no script on a page without islands, one
 * boot module script carrying the CSP nonce, island markers, props that
 * round-trip per supported type (devalue), and a function prop is an error.
 */
import assert from "node:assert/strict";
import { parse } from "devalue";
import { signal } from "@preact/signals";
import { fixtureApp, get } from "./testdata/fixture.ts";
import { escapeScriptJson, IslandPropsError, serializeProps } from "./islands.ts";

Deno.test("pages without islands ship no script at all", async () => {
  const { handler } = await fixtureApp({ build: true });
  const html = await (await get(handler, "/")).text();
  assert.match(html, /no islands here/);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /modulepreload/);
});

Deno.test("islands: markers, one boot script with the nonce, props round-trip per type", async () => {
  const { handler, build } = await fixtureApp({ build: true });
  const html = await (await get(handler, "/island")).text();
  assert.equal(html.match(/<fresh-island data-island="Counter"/g)?.length, 2);
  assert.equal(html.match(/<script type="module" nonce="test-nonce">/g)?.length, 1);
  assert.match(html, new RegExp(`/_fresh/js/${build!.buildId}/${build!.boot}`));
  assert.match(html, new RegExp(`<link rel="modulepreload" href="/_fresh/js/${build!.buildId}/[^"]+">.*</head>`));
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
  assert.throws(() => serializeProps([{ onPick: () => {} }]), IslandPropsError);
  const { handler } = await fixtureApp({ build: true });
  const res = await get(handler, "/bad_island");
  assert.equal(res.status, 500);
  assert.match(await res.text(), /Island props are not serializable/, "rendered by the fixture's _error page");
});

Deno.test("island props JSON cannot close its script element", () => {
  const json = serializeProps([{ s: "</script><script>alert(1)</script>\u2028" }]);
  const escaped = escapeScriptJson(json);
  assert.doesNotMatch(escaped, /<\/script/i);
  assert.doesNotMatch(escaped, /\u2028/);
  assert.deepEqual(parse(JSON.parse(JSON.stringify(escaped))), parse(json));
});
