/**
 * Reproducible property tests: every `fc.assert` of the repository goes through
 * {@link fuzz}, which picks the seed, prints it and, on failure, prints the exact
 * command that replays the failing case.
 *
 * Environment (all optional; CI sets none, so its runs stay random):
 *
 * | variable       | meaning                                                              |
 * | -------------- | -------------------------------------------------------------------- |
 * | `FC_SEED`      | integer seed for the properties (default: a fresh random one each)   |
 * | `FC_PATH`      | fast-check's shrink path (`"3:1:0"`): replay only that counterexample |
 * | `FC_PROPERTY`  | apply `FC_SEED`/`FC_PATH` only to the property with this name         |
 * | `FC_NUM_RUNS`  | runs per property instead of each test's own number                  |
 *
 * Output, one line per property: `property <name>: seed=<n>` and, on failure,
 * `replay: FC_SEED=<n> FC_PATH=<path> FC_PROPERTY='<name>' npx deno test -A <file> --filter '<test>'`.
 * See fast-check's "Replay" documentation (seed + path reproduce a run exactly).
 */
import fc from "fast-check";

/** Options of one property run. */
export interface FuzzOptions {
  /** Runs when `FC_NUM_RUNS` is not set (fast-check's default is 100). */
  numRuns?: number;
  /** Sub-name when one test runs several properties (e.g. one per endpoint). */
  label?: string;
}

type AnyProperty<Ts> = fc.IProperty<Ts> | fc.IAsyncProperty<Ts>;

function envInt(name: string): number | undefined {
  const v = Deno.env.get(name);
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got ${JSON.stringify(v)}`);
  return n;
}

/** A quoted shell word (single quotes, `'` escaped). */
function sh(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The test file relative to the working directory (for the replay command). */
function fileOf(t: Deno.TestContext): string {
  try {
    const path = decodeURIComponent(new URL(t.origin).pathname);
    const cwd = Deno.cwd().replace(/\/$/, "");
    return path.startsWith(cwd + "/") ? path.slice(cwd.length + 1) : path;
  } catch {
    return t.origin;
  }
}

/** The seed, path and run count a property named `name` runs with. */
export function fuzzParameters(
  name: string,
  numRuns?: number,
): { seed: number; path?: string; numRuns?: number } {
  const only = Deno.env.get("FC_PROPERTY");
  const targeted = !only || only === name;
  const seed = (targeted ? envInt("FC_SEED") : undefined) ?? (crypto.getRandomValues(new Int32Array(1))[0]);
  const path = targeted ? Deno.env.get("FC_PATH") || undefined : undefined;
  return { seed, path, numRuns: envInt("FC_NUM_RUNS") ?? numRuns };
}

/**
 * Runs `property` like `fc.assert`, with a seed from `FC_SEED` or a random one,
 * printing `property <name>: seed=<n>` first and a replay command on failure.
 * The property name is the test's name, plus ` / <label>` when given.
 * @param t the Deno test context (its name and file go into the replay command)
 * @throws Error with fast-check's report (counterexample, seed, path) when the property fails
 */
export function fuzz<Ts>(t: Deno.TestContext, property: fc.IAsyncProperty<Ts>, opts?: FuzzOptions): Promise<void>;
export function fuzz<Ts>(t: Deno.TestContext, property: fc.IProperty<Ts>, opts?: FuzzOptions): void;
export function fuzz<Ts>(
  t: Deno.TestContext,
  property: AnyProperty<Ts>,
  opts: FuzzOptions = {},
): Promise<void> | void {
  const name = opts.label ? `${t.name} / ${opts.label}` : t.name;
  const params = fuzzParameters(name, opts.numRuns);
  console.log(`property ${name}: seed=${params.seed}${params.path ? ` path=${params.path}` : ""}`);
  const report = (out: fc.RunDetails<Ts>): void => {
    if (!out.failed) return;
    const path = out.counterexamplePath ? ` FC_PATH=${out.counterexamplePath}` : "";
    console.error(
      `replay: FC_SEED=${out.seed}${path} FC_PROPERTY=${sh(name)} npx deno test -A ${fileOf(t)} --filter ${sh(t.name)}`,
    );
    throw new Error(fc.defaultReportMessage(out) ?? `property ${name} failed`, { cause: out.errorInstance });
  };
  const out = fc.check(property as fc.IRawProperty<Ts>, params);
  if (out instanceof Promise) return out.then(report);
  report(out);
}

/**
 * Text for any generated value, for a form field, query parameter or path
 * segment: strings as they are, objects and arrays as their JSON, the rest
 * through `String`. Never throws — `String({toString: {}})`, a value
 * `fc.object()` can generate, throws a TypeError, and a test must not fail on
 * its own input. Lone surrogates are kept (callers that need well-formed text
 * call `toWellFormed()`).
 */
export function asText(v: unknown): string {
  if (typeof v === "string") return v;
  try {
    if (v !== null && typeof v === "object") return JSON.stringify(v) ?? "";
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
