/**
 * The Deno KV key layout of the accounts capability: the only place these keys
 * are spelled (every module of `lib/auth/` and `lib/ratelimit.ts` builds its
 * keys here).
 *
 * | key                                         | value                                   | written by        |
 * | ------------------------------------------- | --------------------------------------- | ----------------- |
 * | `["users", id]`                             | `User`                                  | users.ts          |
 * | `["users_by_email", email]`                 | user id (unique; lower-cased; not for   | users.ts          |
 * |                                             | guests, whose e-mail is only a delivery |                   |
 * |                                             | address)                                |                   |
 * | `["users_by_phone", phone]`                 | user id (unique; canonical `62…` phone) | users.ts          |
 * | `["users_by_role", role, id]`               | user id (listing per role, in id order) | users.ts          |
 * | `["credentials", id]`                       | `{ hash, updatedAt }` (argon2id PHC)    | users.ts          |
 * | `["sessions", sha256(token)]`               | `Session` (`expireIn` = absolute life)  | sessions.ts       |
 * | `["sessions_by_user", userId, sha256]`      | `{ kind, createdAt }`                   | sessions.ts       |
 * | `["otp", purpose, subject]`                 | `OtpRecord` (hashed code, attempts)     | otp.ts            |
 * | `["secrets", "auth"]`                       | 32 random bytes (HMAC key of the codes  | otp.ts            |
 * |                                             | when `AUTH_SECRET` is unset)            |                   |
 * | `["registration_decoys", email]`            | `RegistrationDecoy` (a registration of  | registration.ts   |
 * |                                             | an address that already has an account) |                   |
 * | `["ratelimit", name, subject, windowStart]` | hit count of one fixed window           | lib/ratelimit.ts  |
 *
 * Subjects of OTP records are user ids, or `decoySubject(email)` for the
 * answers given to a registration of an address that is already taken.
 * Every write of a user and its indexes is one atomic commit (users.ts).
 */

/** `["users", id]` → `User`. */
export const userKey = (id: string): Deno.KvKey => ["users", id];
/** Prefix of every user record (admin listing). */
export const USERS_PREFIX: Deno.KvKey = ["users"];
/** `["users_by_email", email]` → user id. `email` is already normalised. */
export const userByEmailKey = (email: string): Deno.KvKey => ["users_by_email", email];
/** `["users_by_phone", phone]` → user id. `phone` is canonical. */
export const userByPhoneKey = (phone: string): Deno.KvKey => ["users_by_phone", phone];
/** `["users_by_role", role, id]` → user id. */
export const userByRoleKey = (role: string, id: string): Deno.KvKey => ["users_by_role", role, id];
/** Prefix of the role index; with a role, of one role's entries. */
export const usersByRolePrefix = (role?: string): Deno.KvKey => role ? ["users_by_role", role] : ["users_by_role"];
/** `["credentials", id]` → `{ hash, updatedAt }`. */
export const credentialsKey = (id: string): Deno.KvKey => ["credentials", id];

/** `["sessions", sessionId]` → `Session` (`sessionId` = SHA-256 hex of the token). */
export const sessionKey = (sessionId: string): Deno.KvKey => ["sessions", sessionId];
/** `["sessions_by_user", userId, sessionId]` → `{ kind, createdAt }`. */
export const sessionByUserKey = (userId: string, sessionId: string): Deno.KvKey => [
  "sessions_by_user",
  userId,
  sessionId,
];
/** Prefix of one user's sessions. */
export const sessionsByUserPrefix = (userId: string): Deno.KvKey => ["sessions_by_user", userId];

/** `["otp", purpose, subject]` → `OtpRecord`. */
export const otpKey = (purpose: string, subject: string): Deno.KvKey => ["otp", purpose, subject];
/** `["secrets", "auth"]` → HMAC key bytes of the codes. */
export const AUTH_SECRET_KEY: Deno.KvKey = ["secrets", "auth"];
/** `["registration_decoys", email]` → `RegistrationDecoy`. */
export const registrationDecoyKey = (email: string): Deno.KvKey => ["registration_decoys", email];
/** The OTP subject used for the decoy of a registration of a taken address. */
export const decoySubject = (email: string): string => `decoy:${email}`;

/** `["ratelimit", name, subject, windowStartMs]` → hits in that window. */
export const rateLimitKey = (name: string, subject: string, windowStartMs: number): Deno.KvKey => [
  "ratelimit",
  name,
  subject,
  windowStartMs,
];
/** Prefix of one subject's windows under one limit (or of one limit). */
export const rateLimitPrefix = (name: string, subject?: string): Deno.KvKey =>
  subject === undefined ? ["ratelimit", name] : ["ratelimit", name, subject];
