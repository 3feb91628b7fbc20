/**
 * The app's structure: the route manifest is not stale, and layers point
 * down — nothing under lib/ imports components/ or routes/ (pages render
 * lib's data; lib never renders pages). The Fresh layer's own tests are in
 * lib/fresh/.
 */
import assert from "node:assert/strict";
import { generateManifest } from "@/lib/fresh/build.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("the app's route manifest (fresh.gen.ts) is not stale", async () => {
  const expected = await generateManifest(ROOT);
  const actual = await Deno.readTextFile(`${ROOT}/fresh.gen.ts`);
  assert.equal(actual, expected, "run `deno task build` to regenerate fresh.gen.ts");
});

/** Every module specifier of `source`: static and type imports, re-exports, literal dynamic imports. */
export function importSpecifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [
    /(?:^|[;\s])(?:import|export)\s+(?:type\s+)?(?:[\w*$\s{},]+?\s+from\s+)?["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[1]);
  return out;
}

/** Resolves `spec` imported by `file` (repo-relative) to a repo-relative path, or null for packages. */
function resolve(file: string, spec: string): string | null {
  if (spec.startsWith("@/")) return spec.slice(2);
  if (!spec.startsWith(".")) return null;
  const url = new URL(spec, `file:///${file}`);
  return url.pathname.slice(1);
}

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(`${ROOT}/${dir}`)) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory && e.name !== "_fresh") yield* sourceFiles(rel);
    else if (e.isFile && /\.(tsx?|jsx?)$/.test(e.name)) yield rel;
  }
}

Deno.test("the import scanner sees every import form", () => {
  const src = `import { a } from "@/components/A.tsx";
import type { B } from "../../routes/b.tsx";
export { c } from "./c.ts";
export * from "@/routes/d.ts";
import "side-effect";
const e = await import("@/components/E.tsx");`;
  assert.deepEqual(importSpecifiers(src), [
    "@/components/A.tsx",
    "../../routes/b.tsx",
    "./c.ts",
    "@/routes/d.ts",
    "side-effect",
    "@/components/E.tsx",
  ]);
  assert.equal(resolve("lib/auth/x.ts", "../../routes/b.tsx"), "routes/b.tsx");
  assert.equal(resolve("lib/auth/x.ts", "./y.ts"), "lib/auth/y.ts");
  assert.equal(resolve("lib/auth/x.ts", "preact"), null);
});

Deno.test("layers point down: no file under lib/ imports components/ or routes/", async () => {
  const offenders: string[] = [];
  let files = 0;
  for await (const file of sourceFiles("lib")) {
    files++;
    for (const spec of importSpecifiers(await Deno.readTextFile(`${ROOT}/${file}`))) {
      const target = resolve(file, spec);
      if (target && /^(components|routes|islands)\//.test(target)) offenders.push(`${file} → ${spec}`);
    }
  }
  assert.ok(files > 50, `scanned ${files} files`);
  assert.deepEqual(offenders, []);
});
