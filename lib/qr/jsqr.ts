/**
 * jsQR, the decoder the product card names; measured against zxing-wasm in
 * `bench/qr_decoders.ts` (docs/qr-decoders.md) and kept for that comparison.
 * Lives apart from `decode.ts` so the scanner Worker bundle does not carry it.
 */
import jsqrImport from "jsqr";
import type { RgbaImage } from "./decode.ts";

type JsQR = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: "attemptBoth" | "dontInvert" },
) => { data: string } | null;

// jsQR is a CommonJS (UMD) bundle whose `module.exports` is the function and also has
// it as `.default`; Deno, esbuild and its .d.ts disagree on what the default import
// is, so take whichever is callable.
function jsqrFunction(): JsQR {
  const imported: unknown = jsqrImport;
  return typeof imported === "function" ? (imported as JsQR) : (imported as { default: JsQR }).default;
}

/**
 * Decodes one QR code with jsQR.
 *
 * @param image RGBA pixels.
 * @param inversionAttempts jsQR's option: "attemptBoth" (its default, also reads
 *   light-on-dark codes) or "dontInvert" (about twice as fast on frames with no code).
 * @returns the decoded text, or `null` when no code was found or it did not decode.
 *   Byte-mode data is decoded by jsQR as UTF-8 (Kanji mode as Shift_JIS).
 */
export function decodeJsqr(
  image: RgbaImage,
  inversionAttempts: "attemptBoth" | "dontInvert" = "attemptBoth",
): string | null {
  const data = image.data instanceof Uint8ClampedArray ? image.data : new Uint8ClampedArray(
    image.data.buffer,
    image.data.byteOffset,
    image.data.byteLength,
  );
  const code = jsqrFunction()(data, image.width, image.height, {
    inversionAttempts,
  });
  return code ? code.data : null;
}
