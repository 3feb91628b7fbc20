/**
 * Build step of the emotion screening engine (docs/screening-engine.md): copies from `node_modules`
 * - the model files {@link MODEL_FILES} of `@vladmandic/human` into `models/` (served by
 *   `routes/models/[version]/[file].ts` at `/models/<human version>/…` with immutable caching), and
 * - Human's browser bundle and tfjs's WebAssembly binaries ({@link VENDOR_FILES}) into
 *   `static/vendor/human/` (git-ignored build output),
 * so the browser loads every model and engine byte from our own server, never from a CDN.
 * Files are rewritten only when their content differs (atomic rename: a running server never serves half
 * a file). The copied model files are build outputs (git-ignored); `models/README.md` is the model card.
 *
 * Run by `tasks/build.ts`, or alone: `deno run -A tasks/vendor_screening.ts`.
 *
 * @module
 */
import { HUMAN_VERSION, MODEL_FILES, VENDOR_FILES } from "@/lib/screening/engine_config.ts";

/** One file considered by {@link vendorScreeningAssets}. */
export interface VendoredScreeningFile {
  /** Absolute path of the copy. */
  path: string;
  /** Size in bytes. */
  bytes: number;
  /** `true` when (re)written, `false` when it was already current. */
  written: boolean;
}

async function copyIfChanged(src: string, dst: string): Promise<VendoredScreeningFile> {
  const bytes = await Deno.readFile(src);
  let same = false;
  try {
    const cur = await Deno.readFile(dst);
    same = cur.length === bytes.length && cur.every((b, i) => b === bytes[i]);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (!same) {
    await Deno.mkdir(dst.slice(0, dst.lastIndexOf("/")), { recursive: true });
    const tmp = `${dst}.${crypto.randomUUID()}.tmp`;
    await Deno.writeFile(tmp, bytes);
    await Deno.rename(tmp, dst);
  }
  return { path: dst, bytes: bytes.length, written: !same };
}

/**
 * Copies the screening models and engine files from `<root>/node_modules`.
 * @param root repository root.
 * @returns every file with its size and whether it was written.
 * @throws Error when the installed `@vladmandic/human` is not {@link HUMAN_VERSION} (run `deno install`),
 *   Deno.errors.NotFound when a source file is missing.
 */
export async function vendorScreeningAssets(root: string): Promise<VendoredScreeningFile[]> {
  const dir = root.endsWith("/") ? root : root + "/";
  const nm = `${dir}node_modules/`;
  const pkg = JSON.parse(await Deno.readTextFile(`${nm}@vladmandic/human/package.json`));
  if (pkg.version !== HUMAN_VERSION) {
    throw new Error(`@vladmandic/human ${pkg.version} installed, ${HUMAN_VERSION} expected: run \`deno install\``);
  }
  const out: VendoredScreeningFile[] = [];
  for (const f of MODEL_FILES) {
    out.push(await copyIfChanged(`${nm}@vladmandic/human/models/${f}`, `${dir}models/${f}`));
  }
  for (const [src, name] of Object.entries(VENDOR_FILES)) {
    out.push(await copyIfChanged(`${nm}${src}`, `${dir}static/vendor/human/${name}`));
  }
  return out;
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url).pathname;
  for (const f of await vendorScreeningAssets(root)) {
    console.log(`${f.written ? "wrote" : "up to date"}: ${f.path} (${f.bytes} bytes)`);
  }
}
