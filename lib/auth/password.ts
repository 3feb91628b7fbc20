/**
 * Password hashing with argon2id (hash-wasm, WASM so it runs on every Deno target).
 * Parameters from OWASP Password Storage Cheat Sheet (docs/architecture.md "Security baseline"):
 * m = 19,456 KiB, t = 2, p = 1, 16-byte random salt, 32-byte tag, PHC string output.
 */
import { argon2id, argon2Verify } from "hash-wasm";
import { estimatePassword, MIN_PASSWORD_SCORE, weakPasswordKey } from "./strength.ts";

export const ARGON2 = {
  memorySize: 19456,
  iterations: 2,
  parallelism: 1,
  hashLength: 32,
} as const;
/** Length limits (characters); ASVS 5.0 V6.2.1/V6.2.9: at least 8, allow at least 64, no truncation. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Hashes `password` into a PHC string `$argon2id$v=19$m=19456,t=2,p=1$…`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return await argon2id({ password, salt, ...ARGON2, outputType: "encoded" });
}

/** Constant-time check of `password` against a PHC hash from `hashPassword`. */
export async function verifyPassword(
  password: string,
  hash: string,
): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash });
  } catch {
    return false;
  }
}

/**
 * The length rule alone (synchronous, for input schemas): an i18n key or null.
 * 8–128 characters, counted as JavaScript characters, never truncated
 * (ASVS 5.0 V6.2.1, V6.2.9).
 */
export function passwordLengthProblem(password: unknown): string | null {
  if (typeof password !== "string" || password.length < PASSWORD_MIN) return "auth.password.too_short";
  if (password.length > PASSWORD_MAX) return "auth.password.too_long";
  return null;
}

/**
 * Returns an i18n key describing why `password` is not acceptable for a new
 * password, or null. Rules: the length rule above; not the account's own
 * e-mail/phone; and a zxcvbn score of at least `MIN_PASSWORD_SCORE` (3) with the
 * account's own data and the application's words as a dictionary (see
 * `strength.ts`; ASVS 5.0 V6.2.4). The key for a weak password names
 * zxcvbn's warning (`auth.password.weak.sequences`, …) so the form can say why.
 * @param inputs the account's own data (name, e-mail, phone); a single string is the identity
 */
export async function passwordProblem(
  password: string,
  inputs?: string | null | readonly (string | null | undefined)[],
): Promise<string | null> {
  const lp = passwordLengthProblem(password);
  if (lp) return lp;
  const list = typeof inputs === "string" || inputs == null ? [inputs] : inputs;
  const lower = password.toLowerCase();
  if (list.some((v) => v && lower === v.trim().toLowerCase())) return "auth.password.weak.userInputs";
  const e = await estimatePassword(password, list);
  return e.score >= MIN_PASSWORD_SCORE ? null : weakPasswordKey(e);
}

let dummyHash: Promise<string> | null = null;
/**
 * Spends the same work as a real verification; used when no account matches
 * so sign-in timing does not reveal whether an identity exists.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("dummy-password-for-timing");
  await verifyPassword(password, await dummyHash);
}
