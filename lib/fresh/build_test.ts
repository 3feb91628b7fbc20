/**
 * Build output as Fresh serves it: hashed island bundles under
 * `/_fresh/js/<BUILD_ID>/` with immutable caching, unknown ids and paths 404,
 * and a generated manifest of static imports (test files skipped).
 */
import assert from "node:assert/strict";
import { computeBuildId, generateManifest } from "./build.ts";
import { FIXTURE, fixtureApp, get } from "./testdata/fixture.ts";

Deno.test("hashed bundles are served with immutable caching; unknown build ids 404", async () => {
  const { handler, build } = await fixtureApp({ build: true });
  const res = await get(handler, `/_fresh/js/${build!.buildId}/${build!.islands.Counter}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.match(res.headers.get("content-type") ?? "", /javascript/);
  assert.ok((await res.text()).length > 0);
  const bad = await get(handler, `/_fresh/js/deadbeef/${build!.islands.Counter}`);
  assert.equal(bad.status, 404);
  await bad.body?.cancel();
  const traversal = await get(handler, `/_fresh/js/${build!.buildId}/..%2Fbuild.json`);
  assert.equal(traversal.status, 404);
  await traversal.body?.cancel();
});

Deno.test("the manifest lists routes and islands as static imports", async () => {
  const text = await generateManifest(FIXTURE);
  assert.match(text, /import \* as \$\d+ from "\.\/routes\/blog\/\[slug\]\.tsx";/);
  assert.match(text, /"\.\/routes\/\(group\)\/grouped\.tsx": \$\d+,/);
  assert.match(text, /import \* as \$\$0 from "\.\/islands\/Counter\.tsx";/);
  assert.doesNotMatch(text, /import\(/, "no dynamic imports");
});

Deno.test("the build id ignores generated files and test data", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/islands`);
    await Deno.writeTextFile(`${root}/islands/A.tsx`, "export default () => null;\n");
    const first = await computeBuildId(root);
    await Deno.mkdir(`${root}/lib/x/testdata`, { recursive: true });
    await Deno.writeTextFile(`${root}/lib/x/testdata/f.ts`, "export {};\n");
    await Deno.writeTextFile(`${root}/lib/x/x_test.ts`, "export {};\n");
    assert.equal(await computeBuildId(root), first);
    await Deno.writeTextFile(`${root}/islands/A.tsx`, "export default () => 1;\n");
    assert.notEqual(await computeBuildId(root), first, "client code changes the id");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
