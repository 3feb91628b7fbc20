/**
 * The property-test helper (tests/fuzz.ts): seeds from the environment, the
 * printed replay line, and a guard that no test calls `fc.assert` directly.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz, fuzzParameters } from "./fuzz.ts";

function withEnv(vars: Record<string, string>, fn: () => void): void {
  const old = Object.fromEntries(Object.keys(vars).map((k) => [k, Deno.env.get(k)]));
  try {
    for (const [k, v] of Object.entries(vars)) Deno.env.set(k, v);
    fn();
  } finally {
    for (const [k, v] of Object.entries(old)) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
  }
}

Deno.test("fuzzParameters: FC_SEED / FC_PATH / FC_NUM_RUNS, scoped by FC_PROPERTY; random otherwise", () => {
  withEnv({ FC_SEED: "", FC_PATH: "", FC_NUM_RUNS: "", FC_PROPERTY: "" }, () => {
    const a = fuzzParameters("p", 7);
    assert.ok(Number.isSafeInteger(a.seed));
    assert.equal(a.path, undefined);
    assert.equal(a.numRuns, 7);
    const seeds = new Set(Array.from({ length: 8 }, () => fuzzParameters("p").seed));
    assert.ok(seeds.size > 1, "random seeds without FC_SEED");
  });
  withEnv({ FC_SEED: "-42", FC_PATH: "3:1", FC_NUM_RUNS: "9", FC_PROPERTY: "" }, () => {
    assert.deepEqual(fuzzParameters("p", 500), { seed: -42, path: "3:1", numRuns: 9 });
  });
  withEnv({ FC_SEED: "42", FC_PATH: "3:1", FC_NUM_RUNS: "", FC_PROPERTY: "other" }, () => {
    const p = fuzzParameters("p", 5);
    assert.equal(p.path, undefined, "the path belongs to the named property only");
    assert.equal(p.numRuns, 5);
    assert.deepEqual(fuzzParameters("other", 5), { seed: 42, path: "3:1", numRuns: 5 });
  });
  withEnv({ FC_SEED: "abc" }, () => assert.throws(() => fuzzParameters("p"), /FC_SEED must be an integer/));
});

Deno.test("fuzz: the same seed gives the same values; a failure prints the replay command", (t) => {
  const seen: number[][] = [[], []];
  for (const run of [0, 1]) {
    withEnv({ FC_SEED: "1234", FC_PATH: "", FC_PROPERTY: "", FC_NUM_RUNS: "" }, () => {
      fuzz(t, fc.property(fc.integer(), (n) => void seen[run].push(n)), { numRuns: 20, label: "same" });
    });
  }
  assert.deepEqual(seen[0], seen[1]);
  const lines: string[] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    withEnv({ FC_SEED: "99", FC_PATH: "", FC_PROPERTY: "", FC_NUM_RUNS: "" }, () => {
      assert.throws(
        () => fuzz(t, fc.property(fc.integer({ min: 10, max: 1000 }), (n) => n < 10), { label: "fails" }),
        /Counterexample: \[10\]/,
      );
    });
  } finally {
    console.error = orig;
  }
  assert.equal(lines.length, 1);
  assert.match(
    lines[0],
    /^replay: FC_SEED=99 FC_PATH=[\d:]+ FC_PROPERTY='.+ \/ fails' npx deno test -A tests\/fuzz_test\.ts --filter '/,
  );
});

Deno.test("every property test goes through tests/fuzz.ts (no direct fc.assert)", async () => {
  const offenders: string[] = [];
  for (const dir of ["tests", "lib", "bench"]) {
    const walk = async (d: string): Promise<void> => {
      for await (const e of Deno.readDir(d)) {
        const p = `${d}/${e.name}`;
        if (e.isDirectory) await walk(p);
        else if (/\.tsx?$/.test(e.name) && p !== "tests/fuzz.ts" && p !== "tests/fuzz_test.ts") {
          if (/\bfc\.assert\s*\(/.test(await Deno.readTextFile(p))) offenders.push(p);
        }
      }
    };
    await walk(dir);
  }
  assert.deepEqual(offenders, []);
});
