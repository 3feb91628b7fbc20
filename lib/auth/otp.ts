/**
 * One-time codes sent by e-mail: registration verification, e-mail change and
 * forgotten password (docs/domain-rules.md "Roles and accounts", docs/architecture.md "Security baseline").
 *
 * - 6 random digits, valid `OTP_TTL_MS` (5 minutes), at most `OTP_MAX_ATTEMPTS`
 *   (5) wrong tries, single use (deleted by the successful check, guarded by a
 *   versionstamp check so two concurrent checks cannot both succeed).
 * - Stored only as HMAC-SHA-256(secret, purpose ":" subject ":" code), hex; the
 *   secret is `AUTH_SECRET` or, when unset, 32 random bytes generated once and
 *   kept in KV (`["secrets", "auth"]`).
 * - Issuing a new code for the same purpose and subject replaces the old one.
 *
 * Key (see `keys.ts`): `["otp", purpose, subject]` → `OtpRecord` (`subject` is a
 * user id or a decoy subject), written with `expireIn` and checked against
 * `expiresAt` on read.
 */
import { getKv } from "@/lib/db/kv.ts";
import { config } from "@/lib/config.ts";
import { stringsEqual } from "@/lib/crypto/encoding.ts";
import { ValidationError } from "@/lib/errors.ts";
import * as K from "./keys.ts";

/** Purposes of a code. */
export type OtpPurpose = "register" | "email_change" | "reset";

/** Lifetime of a code (ms): 5 minutes (docs/domain-rules.md "Roles and accounts"). */
export const OTP_TTL_MS = 5 * 60 * 1000;
/** Wrong attempts allowed per code. */
export const OTP_MAX_ATTEMPTS = 5;

/** A stored code. Instants are ISO 8601 UTC. */
export interface OtpRecord {
  schemaVersion: 1;
  purpose: OtpPurpose;
  subject: string;
  codeHash: string;
  attempts: number;
  /** Address the code was sent to (the new address for `email_change`). */
  email: string;
  createdAt: string;
  expiresAt: string;
}

/** Why a check failed (an i18n key `auth.otp.<reason>` exists for each). */
export type OtpFailure = "invalid" | "expired" | "locked";

let keyPromise: Promise<CryptoKey> | null = null;
let keyKv: Deno.Kv | null = null;

/** The HMAC key of the process (per KV, so each test's fresh KV gets its own). */
async function hmacKey(): Promise<CryptoKey> {
  const kv = await getKv();
  if (keyPromise && keyKv === kv) return keyPromise;
  keyKv = kv;
  keyPromise = (async () => {
    const raw = authSecretBytes() ?? await storedSecret(kv);
    return await crypto.subtle.importKey(
      "raw",
      raw as BufferSource,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
  })();
  return keyPromise;
}

function authSecretBytes(): Uint8Array | null {
  const s = config.authSecret;
  return s ? new TextEncoder().encode(s) : null;
}

async function storedSecret(kv: Deno.Kv): Promise<Uint8Array> {
  const key = K.AUTH_SECRET_KEY;
  for (let i = 0; i < 3; i++) {
    const cur = await kv.get<Uint8Array>(key);
    if (cur.value) return cur.value;
    const fresh = crypto.getRandomValues(new Uint8Array(32));
    const res = await kv.atomic().check(cur).set(key, fresh).commit();
    if (res.ok) return fresh;
  }
  throw new Error("could not initialise the auth secret");
}

/** HMAC of a code for `purpose`/`subject` as lower-case hex. */
export async function hashCode(
  purpose: string,
  subject: string,
  code: string,
): Promise<string> {
  const sig = await crypto.subtle.sign(
    "HMAC",
    await hmacKey(),
    new TextEncoder().encode(`${purpose}:${subject}:${code}`),
  );
  return toHex(new Uint8Array(sig));
}

/** Lower-case hex of bytes. */
export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** Compares two strings in time independent of where they differ (see `lib/crypto/encoding.ts`). */
export const timingSafeEqual: (a: string, b: string) => boolean = stringsEqual;

/** A uniformly random 6-digit code (rejection sampling, no modulo bias). */
export function randomCode(): string {
  const buf = new Uint32Array(1);
  const bound = Math.floor(0x1_0000_0000 / 1_000_000) * 1_000_000;
  for (;;) {
    crypto.getRandomValues(buf);
    if (buf[0] < bound) return String(buf[0] % 1_000_000).padStart(6, "0");
  }
}

/**
 * Issues a new code for `purpose`/`subject` (replacing any earlier one) and
 * returns it in clear for the mail. `email` is where it will be sent.
 */
export async function issueOtp(
  purpose: OtpPurpose,
  subject: string,
  email: string,
  now: number = Date.now(),
): Promise<string> {
  const kv = await getKv();
  const code = randomCode();
  const rec: OtpRecord = {
    schemaVersion: 1,
    purpose,
    subject,
    codeHash: await hashCode(purpose, subject, code),
    attempts: 0,
    email,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + OTP_TTL_MS).toISOString(),
  };
  await kv.set(K.otpKey(purpose, subject), rec, {
    expireIn: OTP_TTL_MS + 60_000,
  });
  return code;
}

/** Reads the live code record (null when none or expired). */
export async function getOtp(
  purpose: OtpPurpose,
  subject: string,
  now: number = Date.now(),
): Promise<OtpRecord | null> {
  const kv = await getKv();
  const r = (await kv.get<OtpRecord>(K.otpKey(purpose, subject))).value;
  return r && Date.parse(r.expiresAt) > now ? r : null;
}

/**
 * Checks `code` for `purpose`/`subject`. On success the code is consumed and
 * its record returned; otherwise the attempt is counted and the failure reason
 * returned. Always computes one HMAC, whether or not a record exists.
 */
export async function checkOtp(
  purpose: OtpPurpose,
  subject: string,
  code: string,
  now: number = Date.now(),
): Promise<
  { ok: true; record: OtpRecord } | { ok: false; reason: OtpFailure }
> {
  const kv = await getKv();
  const digest = await hashCode(purpose, subject, String(code).trim());
  const key = K.otpKey(purpose, subject);
  for (let attempt = 0; attempt < 5; attempt++) {
    const cur = await kv.get<OtpRecord>(key);
    const rec = cur.value;
    if (!rec) return { ok: false, reason: "invalid" };
    if (Date.parse(rec.expiresAt) <= now) {
      return { ok: false, reason: "expired" };
    }
    if (rec.attempts >= OTP_MAX_ATTEMPTS) {
      return { ok: false, reason: "locked" };
    }
    if (timingSafeEqual(digest, rec.codeHash)) {
      const res = await kv.atomic().check(cur).delete(key).commit();
      if (res.ok) return { ok: true, record: rec };
      continue; // changed meanwhile (used or replaced): re-read
    }
    const next = { ...rec, attempts: rec.attempts + 1 };
    const ttl = Math.max(1000, Date.parse(rec.expiresAt) - now + 60_000);
    const res = await kv.atomic().check(cur).set(key, next, { expireIn: ttl })
      .commit();
    if (res.ok) {
      return {
        ok: false,
        reason: next.attempts >= OTP_MAX_ATTEMPTS ? "locked" : "invalid",
      };
    }
  }
  return { ok: false, reason: "invalid" };
}

/** Deletes any code for `purpose`/`subject`. */
export async function dropOtp(
  purpose: OtpPurpose,
  subject: string,
): Promise<void> {
  const kv = await getKv();
  await kv.delete(K.otpKey(purpose, subject));
}

/**
 * The error for a failed code check: a `ValidationError` on the `code` field
 * (`auth.otp.invalid|expired|locked`) with API code `otp_<reason>`.
 */
export function otpError(reason: OtpFailure): ValidationError {
  return new ValidationError({ code: `auth.otp.${reason}` }, "error.validation", `otp_${reason}`);
}
