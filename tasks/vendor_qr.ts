/**
 * Build step: copies zxing-wasm's reader WebAssembly from `node_modules` to
 * `static/vendor/zxing_reader.wasm`, so the browser's QR Worker (`lib/qr/worker.ts`)
 * loads it from our own server and never from a CDN. `static/vendor/` is a build
 * output (git-ignored).
 *
 * Run by `tasks/build.ts` (`await vendorQrAssets(root)`), or alone:
 * `deno run -A tasks/vendor_qr.ts`.
 *
 * @module
 */

import { loadZxingWasmBinary, sha256Hex, ZXING_WASM_EXPECTED_SHA256, ZXING_WASM_VENDOR_PATH } from "@/lib/qr/decode.ts";

/** What {@link vendorQrAssets} did. */
export interface VendoredFile {
  /** Absolute path of the copy. */
  path: string;
  /** `true` when the file was (re)written, `false` when it was already current. */
  written: boolean;
}

/**
 * Copies the zxing-wasm reader binary to `<root>/static/vendor/zxing_reader.wasm` when
 * that file is missing or differs (by SHA-256) from the one the installed zxing-wasm
 * publishes. The source is checked against zxing-wasm's own hash first.
 *
 * @param root repository root (absolute or relative to the working directory).
 * @returns the files considered and whether each was written.
 * @throws Error when the package's binary is missing or has the wrong hash
 *   (run `deno install`).
 */
export async function vendorQrAssets(root: string): Promise<VendoredFile[]> {
  const dir = root.endsWith("/") ? root : root + "/";
  const target = dir + ZXING_WASM_VENDOR_PATH;
  let current: string | null = null;
  try {
    current = await sha256Hex(await Deno.readFile(target));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (current === ZXING_WASM_EXPECTED_SHA256) {
    return [{ path: target, written: false }];
  }
  // Never copy from the vendored file onto itself: when it is stale, the package must
  // provide the bytes (loadZxingWasmBinary verifies the hash either way).
  const bytes = await loadZxingWasmBinary(dir);
  await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), {
    recursive: true,
  });
  const tmp = `${target}.${crypto.randomUUID()}.tmp`;
  await Deno.writeFile(tmp, bytes);
  await Deno.rename(tmp, target); // atomic: a running server never serves half a file
  return [{ path: target, written: true }];
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url).pathname;
  for (const f of await vendorQrAssets(root)) {
    console.log(`${f.written ? "wrote" : "up to date"}: ${f.path}`);
  }
}
