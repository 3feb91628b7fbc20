/**
 * Reading the text a desk scanner got out of a QR code (browser-safe: no Deno
 * APIs, used by the scan island and by the server's token check).
 *
 * Accepted, nothing else (docs/ security rule "only our own codes"):
 * - a URL whose **origin is exactly `BASE_URL`'s** (scheme, host and port) and whose
 *   path is `/g/<token>` under `BASE_URL`'s path (an optional trailing `/`, any
 *   query or fragment);
 * - a bare token (what a keyboard-wedge scanner or the manual box may type).
 *
 * Anything URL-like of another origin (another host, `http` instead of `https`,
 * another port, `javascript:`, a relative `/g/…`) is **foreign**: it may be a
 * look-alike phishing code, and the desk must say so rather than "invalid".
 */

/** Longest scanned text that is looked at (characters). */
export const MAX_SCAN_TEXT = 2048;

const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

/** What a scanned text is: our token, a code of someone else, or nothing usable. */
export type ScannedText =
  | { kind: "token"; token: string }
  | { kind: "foreign" }
  | { kind: "malformed" };

/** True when `s` looks like a URL or a path rather than a bare token. */
function urlLike(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(s) || s.includes("/") || s.includes("\\");
}

/**
 * Classifies scanned text (surrounding whitespace ignored).
 * @param baseUrl the app's `BASE_URL` (e.g. `https://tamu.sekolah.id`): its origin and path
 * @returns `token` with the token for our URL form or a bare token; `foreign` for a
 *   URL or path that is not `${origin}/g/<token>`; `malformed` otherwise (empty,
 *   too long, characters a token never has)
 */
export function parseScannedText(text: string, baseUrl: string): ScannedText {
  if (typeof text !== "string" || text.length > MAX_SCAN_TEXT) return { kind: "malformed" };
  const s = text.trim();
  if (!s) return { kind: "malformed" };
  if (!urlLike(s)) return TOKEN.test(s) ? { kind: "token", token: s } : { kind: "malformed" };
  let url: URL;
  let ours: URL;
  try {
    url = new URL(s);
    ours = new URL(baseUrl);
  } catch {
    return { kind: "foreign" };
  }
  if (url.origin !== ours.origin || url.username || url.password) return { kind: "foreign" };
  const base = ours.pathname.replace(/\/+$/, ""); // BASE_URL may live under a path
  if (!url.pathname.startsWith(`${base}/g/`)) return { kind: "foreign" };
  const m = url.pathname.slice(base.length).match(/^\/g\/([^/]+)\/?$/);
  if (!m) return { kind: "foreign" };
  return TOKEN.test(m[1]) ? { kind: "token", token: m[1] } : { kind: "malformed" };
}
