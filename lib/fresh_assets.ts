/**
 * URLs of extra browser bundles built beside the islands (`tasks/build.ts`
 * `EXTRA_ENTRIES`, e.g. the QR decoding Worker `qr_worker`), for pages that
 * must hand such a URL to an island (`new Worker(url, { type: "module" })`).
 *
 * Reads `_fresh/build.json` (written by `deno task build`) once per process and
 * returns `/_fresh/js/<buildId>/<file>`, the path the islands layer serves with
 * immutable caching.
 */
import { loadBuild } from "fresh";
import type { BuildInfo } from "fresh";

/** Repository root (where `_fresh/` is written). */
const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

let cached: Promise<BuildInfo | null> | null = null;

/** Forgets the cached build info (tests that rebuild). */
export function resetEntryUrlCache(): void {
  cached = null;
}

/**
 * The public URL of the extra bundle `name` (e.g. `"qr_worker"`), or null when
 * there is no build or the build has no such entry.
 * @param name entry name as given to `buildBundles(root, { name: path })`
 * @param root repository root (default: this checkout)
 */
export async function entryUrl(name: string, root: string = ROOT): Promise<string | null> {
  if (root !== ROOT) return urlOf(await loadBuild(root), name);
  cached ??= loadBuild(root);
  const info = await cached;
  if (!info) cached = null; // built later (dev): look again next time
  return urlOf(info, name);
}

function urlOf(info: BuildInfo | null, name: string): string | null {
  const file = info?.entries?.[name];
  return info && file ? `/_fresh/js/${info.buildId}/${file}` : null;
}

/**
 * Public path of zxing-wasm's reader WebAssembly, handed to the QR Worker as
 * `?wasm=`. Equal to `ZXING_WASM_PUBLIC_URL` of `lib/qr/decode.ts` (a test
 * checks) — repeated here so pages need not load the decoder on the server.
 */
export const QR_WASM_PATH = "/vendor/zxing_reader.wasm";
