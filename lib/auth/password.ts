/**
 * Password hashing with argon2id (hash-wasm, WASM so it runs on every Deno target).
 * Parameters from OWASP Password Storage Cheat Sheet / DESIGN.md:
 * m = 19,456 KiB, t = 2, p = 1, 16-byte random salt, 32-byte tag, PHC string output.
 */
import { argon2id, argon2Verify } from "hash-wasm";
import { COMMON_PASSWORDS } from "./common_passwords.ts";

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
 * Returns an i18n key describing why `password` is not acceptable, or null.
 * Rules: 8–128 characters (ASVS V6.2.1, V6.2.9), not in the common-password list
 * (ASVS V6.2.4), not equal to the e-mail/phone it belongs to.
 */
export function passwordProblem(
  password: string,
  identity?: string | null,
): string | null {
  if (typeof password !== "string" || password.length < PASSWORD_MIN) {
    return "auth.password.too_short";
  }
  if (password.length > PASSWORD_MAX) return "auth.password.too_long";
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return "auth.password.common";
  if (identity && lower === identity.toLowerCase()) {
    return "auth.password.common";
  }
  return null;
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
