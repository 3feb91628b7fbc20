/**
 * Byte encodings and comparisons shared by every token this app issues (QR
 * tokens, session tokens, one-time codes): base64url without padding
 * (RFC 4648 §5) through the built-in `Uint8Array.prototype.toBase64` /
 * `Uint8Array.fromBase64`, and constant-time equality through
 * `node:crypto`'s `timingSafeEqual` (OWASP ASVS V11.2: compare secrets
 * without timing leaks).
 */
import { timingSafeEqual } from "node:crypto";

// The TC39 base64 methods ship in Deno but are not in every TypeScript lib yet.
type B64Options = { alphabet?: "base64" | "base64url"; omitPadding?: boolean };
const U8 = Uint8Array as unknown as { fromBase64(s: string, o?: B64Options): Uint8Array };

/** Bytes → base64url without padding (`A–Z a–z 0–9 - _`). */
export function toBase64Url(bytes: Uint8Array): string {
  return (bytes as unknown as { toBase64(o?: B64Options): string }).toBase64({
    alphabet: "base64url",
    omitPadding: true,
  });
}

/**
 * Base64url (no padding) → bytes, or null for anything else: characters
 * outside the alphabet, padding, or a non-canonical last character (stray low
 * bits), so each byte string has exactly one accepted spelling.
 */
export function fromBase64Url(s: string): Uint8Array | null {
  if (typeof s !== "string" || !/^[A-Za-z0-9_-]*$/.test(s)) return null;
  try {
    const bytes = U8.fromBase64(s, { alphabet: "base64url" });
    return toBase64Url(bytes) === s ? bytes : null;
  } catch {
    return null;
  }
}

/**
 * True when `a` and `b` hold the same bytes; the time taken does not depend on
 * where they differ (only on the length, which is not secret for our tokens).
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** {@link bytesEqual} of the UTF-8 encodings of two strings. */
export function stringsEqual(a: string, b: string): boolean {
  const enc = new TextEncoder();
  return bytesEqual(enc.encode(a), enc.encode(b));
}
