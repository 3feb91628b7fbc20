/**
 * QR decoding for the front-desk scanner, usable in Deno (server, tests, bench) and in
 * the browser scan Worker (`lib/qr/worker.ts`, bundled with
 * `deno bundle --platform browser`).
 *
 * Two decoders sit behind the same input type (RGBA pixels, as a canvas
 * `ImageData` holds them):
 *
 * - `decodeJsqr` (lib/qr/jsqr.ts, kept out of the browser bundle) — jsQR 1.4.0, pure JavaScript, synchronous;
 * - {@link decodeZxing} — zxing-wasm 3.1.4 (ZXing-C++ compiled to WebAssembly), async.
 *
 * Which one the product uses ({@link QR_DECODER}, {@link decodeQr}) was decided by
 * measuring both on the ZXing QR test corpus: see `docs/qr-decoders.md` and
 * `bench/qr_decoders.ts`.
 *
 * The zxing-wasm binary is never fetched from a CDN (the library's default is
 * jsDelivr): in Deno it is read from `node_modules` (or `ZXING_WASM_PATH`) and checked
 * against the SHA-256 the library ships; in the browser it is fetched from our own
 * static files ({@link ZXING_WASM_PUBLIC_URL}, copied there by `tasks/vendor_qr.ts`).
 *
 * @module
 */

import {
  prepareZXingModule,
  readBarcodes,
  type ReaderOptions,
  ZXING_WASM_SHA256,
  ZXING_WASM_VERSION,
} from "zxing-wasm/reader";

/** RGBA pixels, 4 bytes per pixel, rows top to bottom (the layout of `ImageData`). */
export interface RgbaImage {
  data: Uint8ClampedArray | Uint8Array;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

/** The decoder the product uses, chosen by the measurements in `docs/qr-decoders.md`. */
export const QR_DECODER = "zxing-wasm" as const;

/** File name of the zxing-wasm reader binary (the same in `node_modules` and `static/vendor/`). */
export const ZXING_WASM_FILE = "zxing_reader.wasm";

/**
 * Path (under the repository root) where `tasks/vendor_qr.ts` puts a copy of the
 * reader binary so the web server can serve it.
 */
export const ZXING_WASM_VENDOR_PATH = "static/vendor/zxing_reader.wasm";

/**
 * URL the browser Worker fetches the reader binary from, by default: the vendored copy
 * (`static/vendor/zxing_reader.wasm`) as `staticFiles()` serves it — `static/` at the
 * site root, as in Fresh. Same origin, never a CDN. The Worker accepts another
 * same-origin path in its own URL (`?wasm=…`, e.g. a cache-busted `asset()` URL).
 */
export const ZXING_WASM_PUBLIC_URL = "/vendor/zxing_reader.wasm";

/** SHA-256 (hex) of the reader binary, as published by zxing-wasm itself. */
export const ZXING_WASM_EXPECTED_SHA256: string = ZXING_WASM_SHA256;

/** Version of zxing-wasm the binary must belong to. */
export const ZXING_WASM_LIBRARY_VERSION: string = ZXING_WASM_VERSION;

/**
 * Reader options for zxing-wasm.
 *
 * - `formats: ["QRCode"]` — only QR (model 1/2), no time spent on other symbologies.
 * - `tryHarder: true` — ZXing's accuracy mode; measured as cheap on camera-size
 *   frames (see the docs) and it is what reads blurred/tilted phone screens.
 * - `tryRotate: true`, `tryInvert: true`, `tryDownscale: true` — the library defaults;
 *   the QR detector is rotation-invariant anyway, inverted (light-on-dark) codes occur
 *   on phones in dark mode, and downscaling helps large frames.
 * - `maxNumberOfSymbols: 1` — the desk needs one code per frame; stop at the first.
 * - `textMode: "Plain"` — the payload as text (ECI / guessed charset applied), with no
 *   GS1 "human readable" reformatting; this is what ZXing's Java `Result.getText()`
 *   returns and what its test harness compares.
 */
export const ZXING_READER_OPTIONS: ReaderOptions = {
  formats: ["QRCode"],
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  tryDownscale: true,
  maxNumberOfSymbols: 1,
  textMode: "Plain",
};

/** Where the zxing-wasm binary comes from. */
export type ZxingWasmSource =
  /** The bytes themselves (Deno: read from a file). */
  | { wasmBinary: ArrayBuffer | Uint8Array }
  /** A same-origin URL the Emscripten loader fetches (browser). */
  | { wasmUrl: string };

let zxingSource: ZxingWasmSource | null = null;
let zxingReady: Promise<void> | null = null;
let zxingFailedAt: number | null = null;

/**
 * Tells {@link decodeZxing} where to load the WebAssembly binary from. Call before the
 * first decode (in the browser Worker: with {@link ZXING_WASM_PUBLIC_URL}). In Deno it
 * is optional: without it the binary is found with {@link findZxingWasmPath}.
 * Calling it again with another source re-instantiates the module on the next decode.
 */
export function configureZxingWasm(source: ZxingWasmSource): void {
  zxingSource = source;
  zxingReady = null;
  zxingFailedAt = null;
}

function isDeno(): boolean {
  return typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
}

async function fileExists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/**
 * Finds the zxing-wasm reader binary on disk (Deno only), in this order:
 * 1. the `ZXING_WASM_PATH` environment variable, when set;
 * 2. the npm package, resolved through the import map
 *    (`import.meta.resolve("zxing-wasm/reader/zxing_reader.wasm")`, which points into
 *    `node_modules/.deno/zxing-wasm@3.1.4/…` or Deno's npm cache);
 * 3. `<root>/node_modules/zxing-wasm/dist/reader/zxing_reader.wasm` and
 *    `<root>/node_modules/.deno/zxing-wasm@<version>/node_modules/zxing-wasm/dist/reader/zxing_reader.wasm`;
 * 4. the vendored copy `<root>/static/vendor/zxing_reader.wasm`.
 *
 * @param root repository root; defaults to the one containing this file.
 * @returns an absolute file path.
 * @throws Error when none of these exists.
 */
export async function findZxingWasmPath(root?: string): Promise<string> {
  const base = root ?? new URL("../../", import.meta.url).pathname;
  const dir = base.endsWith("/") ? base : base + "/";
  const candidates: string[] = [];
  try {
    const env = Deno.env.get("ZXING_WASM_PATH");
    if (env) candidates.push(env);
  } catch {
    // no --allow-env: skip the override
  }
  try {
    // A variable, not a literal, so bundlers leave it alone.
    const specifier = "zxing-wasm/reader/" + ZXING_WASM_FILE;
    const url = import.meta.resolve(specifier);
    if (url.startsWith("file:")) candidates.push(new URL(url).pathname);
  } catch {
    // not resolvable here (no import map entry): try the usual places
  }
  candidates.push(
    `${dir}node_modules/zxing-wasm/dist/reader/${ZXING_WASM_FILE}`,
    `${dir}node_modules/.deno/zxing-wasm@${ZXING_WASM_VERSION}/node_modules/zxing-wasm/dist/reader/${ZXING_WASM_FILE}`,
    `${dir}${ZXING_WASM_VENDOR_PATH}`,
  );
  for (const path of candidates) {
    if (await fileExists(path)) return path;
  }
  throw new Error(
    `zxing-wasm ${ZXING_WASM_VERSION}: ${ZXING_WASM_FILE} not found (looked in ${
      candidates.join(", ")
    }); run \`deno install\` or set ZXING_WASM_PATH`,
  );
}

/** Lower-case hex SHA-256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    bytes as Uint8Array<ArrayBuffer>,
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

/**
 * Reads the reader binary from disk (Deno only) and checks its SHA-256 against the
 * one zxing-wasm publishes ({@link ZXING_WASM_EXPECTED_SHA256}), so a stale or foreign
 * binary never pairs with this version's JavaScript glue.
 *
 * @throws Error when the file is missing or its hash differs.
 */
export async function loadZxingWasmBinary(root?: string): Promise<Uint8Array> {
  const path = await findZxingWasmPath(root);
  const bytes = await Deno.readFile(path);
  const hash = await sha256Hex(bytes);
  if (hash !== ZXING_WASM_SHA256) {
    throw new Error(
      `${path}: SHA-256 ${hash} is not zxing-wasm ${ZXING_WASM_VERSION}'s ${ZXING_WASM_SHA256}`,
    );
  }
  return bytes;
}

async function instantiateZxing(): Promise<void> {
  let source = zxingSource;
  if (!source) {
    if (!isDeno()) {
      throw new Error(
        "zxing-wasm: call configureZxingWasm({ wasmUrl }) before decoding in the browser",
      );
    }
    source = { wasmBinary: await loadZxingWasmBinary() };
  }
  if ("wasmBinary" in source) {
    const bin = source.wasmBinary;
    const wasmBinary = bin instanceof Uint8Array
      ? bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength)
      : bin;
    await prepareZXingModule({
      overrides: {
        wasmBinary: wasmBinary as ArrayBuffer,
        // Never let the loader look anywhere else (its default is jsDelivr).
        locateFile: (path: string) => path,
      },
      fireImmediately: true,
    });
  } else {
    const wasmUrl = source.wasmUrl;
    await prepareZXingModule({
      overrides: {
        locateFile: (path: string, prefix: string) => path.endsWith(".wasm") ? wasmUrl : prefix + path,
      },
      fireImmediately: true,
    });
  }
}

/**
 * After a failed load (network error, CSP without `'wasm-unsafe-eval'`), decodes fail
 * fast with the same error for this long before loading is tried again, so a scan
 * loop at several frames per second does not download the 1 MB binary every frame.
 */
export const ZXING_RETRY_AFTER_MS = 5_000;

/**
 * Loads and instantiates the zxing-wasm module now (otherwise the first
 * {@link decodeZxing} does it). Benchmarks call it so the one-off start-up (about
 * 1 MB of WebAssembly to compile) is not counted as decode time.
 *
 * @throws Error (rejects) when the binary cannot be loaded; see
 *   {@link ZXING_RETRY_AFTER_MS}.
 */
export function initZxing(): Promise<void> {
  if (
    zxingReady && zxingFailedAt !== null &&
    performance.now() - zxingFailedAt >= ZXING_RETRY_AFTER_MS
  ) {
    zxingReady = null; // allow a new attempt
  }
  if (!zxingReady) {
    zxingFailedAt = null;
    const attempt = instantiateZxing();
    zxingReady = attempt;
    attempt.catch(() => {
      if (zxingReady === attempt) zxingFailedAt = performance.now();
    });
  }
  return zxingReady;
}

/**
 * Decodes one QR code with zxing-wasm (ZXing-C++), using {@link ZXING_READER_OPTIONS}.
 *
 * @param image RGBA pixels (converted to 8-bit luminance inside the library).
 * @param options overrides for {@link ZXING_READER_OPTIONS} (benchmarks).
 * @returns the decoded text, or `null` when no valid QR code was found.
 * @throws Error when the WebAssembly binary cannot be loaded.
 */
export async function decodeZxing(
  image: RgbaImage,
  options?: ReaderOptions,
): Promise<string | null> {
  await initZxing();
  // readBarcodes accepts anything with { data, width, height } as an ImageData.
  const results = await readBarcodes(
    image as unknown as ImageData,
    options ? { ...ZXING_READER_OPTIONS, ...options } : ZXING_READER_OPTIONS,
  );
  for (const r of results) {
    if (r.isValid) return r.text;
  }
  return null;
}

/**
 * Decodes one QR code with the product's chosen decoder ({@link QR_DECODER}).
 *
 * @returns the decoded text, or `null`.
 */
export function decodeQr(image: RgbaImage): Promise<string | null> {
  return decodeZxing(image);
}
