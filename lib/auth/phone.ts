/**
 * Indonesian phone numbers in one canonical form: `62` followed by the
 * subscriber number without its trunk `0` (E.164 without the `+`), e.g.
 * `0812-3456-7890`, `+62 812 3456 7890`, `6281234567890` and `81234567890` all
 * become `6281234567890`. Guests sign in with their phone, and the guest book
 * finds guests by it, so every lookup goes through `canonicalPhone`.
 *
 * Rule source: ITU-T E.164 / Indonesia's numbering plan (country code 62, trunk
 * prefix 0, national significant numbers of 9–12 digits for mobile and fixed
 * lines); we accept 9–13 digits after `62` to cover every current range.
 */

/** Digits allowed after the `62` country code (inclusive bounds). */
export const PHONE_NSN_MIN = 9;
export const PHONE_NSN_MAX = 13;

/**
 * Returns the canonical `62…` digit string for an Indonesian phone number, or
 * null when `input` is not one. Accepted shapes (spaces, dashes, dots and
 * parentheses are ignored): `08…`, `+628…`, `628…`, `8…`, and `+62 (0)8…`.
 * The number after `62` must not start with `0` and has 9–13 digits.
 */
export function canonicalPhone(input: unknown): string | null {
  if (typeof input !== "string" || input.length > 40) return null;
  let s = input.trim().replace(/[\s\-.()]/g, "");
  if (s.startsWith("+")) {
    s = s.slice(1);
    if (!s.startsWith("62")) return null;
  }
  if (!/^\d+$/.test(s)) return null;
  let nsn: string;
  if (s.startsWith("62")) {
    nsn = s.slice(2);
    // "+62 (0)812…" written with the trunk zero kept.
    if (nsn.startsWith("0")) nsn = nsn.slice(1);
  } else if (s.startsWith("0")) nsn = s.slice(1);
  else nsn = s;
  if (nsn.startsWith("0")) return null;
  if (nsn.length < PHONE_NSN_MIN || nsn.length > PHONE_NSN_MAX) return null;
  return "62" + nsn;
}

/** Formats a canonical phone for display: `+62 812-3456-7890`. */
export function formatPhone(canonical: string): string {
  if (!/^62\d+$/.test(canonical)) return canonical;
  const nsn = canonical.slice(2);
  const groups = [nsn.slice(0, 3), nsn.slice(3, 7), nsn.slice(7)].filter(
    Boolean,
  );
  return `+62 ${groups.join("-")}`;
}
