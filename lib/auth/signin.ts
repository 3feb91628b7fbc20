/**
 * Sign-in with e-mail (or phone, for guests) and password: the one check
 * behind the sign-in form, the JSON API login and the guest portal.
 *
 * Throttling (lib/ratelimit.ts `LIMITS`), applied before any hashing:
 * - `signin_ip`: every attempt from one address (100 / 15 min);
 * - `signin_identity_ip`: attempts on one identity from one address
 *   (10 / 15 min, cleared by a success): an attacker guessing from one
 *   address locks out only that address, the owner still signs in elsewhere;
 * - `signin_identity`: attempts on one identity from every address together
 *   (50 / hour, successes refunded): the brake on guessing spread over many
 *   addresses (ASVS 5.0 V6.3.1, ASVS 4.0 V2.2.1);
 * - `signin_identity_total`: every attempt on one identity, successes included
 *   (60 / 15 min, never refunded): each attempt costs an argon2id check, so an
 *   account's owner cannot sign in in a loop to keep the server busy.
 */
import { Conflict, Unauthorized, ValidationError } from "@/lib/errors.ts";
import { parseInput } from "@/lib/validation.ts";
import { clearLimit, enforce, refund } from "@/lib/ratelimit.ts";
import { burnPasswordCheck, verifyPassword } from "./password.ts";
import { canonicalPhone } from "./phone.ts";
import * as S from "./schemas.ts";
import { getRegistrationDecoy } from "./registration.ts";
import { checkPassword, getUserByEmail, getUserByPhone, type User } from "./users.ts";

/** What an identifier names: an e-mail or a canonical phone. */
export function parseIdentifier(
  identifier: string,
): { email: string } | { phone: string } | null {
  const s = identifier.trim();
  if (s.includes("@")) {
    const r = S.email.safeParse(s);
    return r.success ? { email: r.data } : null;
  }
  const p = canonicalPhone(s);
  return p ? { phone: p } : null;
}

/** The rate-limit subject of one identity tried from one address. */
export function identityIpSubject(identity: string, ip: string): string {
  return `${identity}|${ip}`;
}

/**
 * Checks credentials and returns the user. Rate-limited (see above) before
 * any hashing; an unknown identity costs the same argon2 work as a known one
 * and gets the same error. A pending account answers `account_pending` only
 * to its own password; so does a registration decoy (registration.ts) to the
 * password typed at that registration, with the same number of argon2 checks.
 * @param identifier e-mail, or phone for guests (any Indonesian format)
 * @param ip client address (`clientIp(ctx)`)
 * @throws ValidationError (shape), Unauthorized `invalid_credentials`,
 *   Conflict `account_pending`, TooManyRequests
 * @example
 * ```ts
 * const user = await authenticate(body.identifier, body.password, clientIp(ctx));
 * const { token } = await createSession(user.id, "cookie"); // then set the __Host-session cookie
 * ```
 */
export async function authenticate(
  identifier: unknown,
  password: unknown,
  ip: string,
): Promise<User> {
  const input = parseInput(S.signInSchema, { identifier, password });
  const id = parseIdentifier(input.identifier);
  if (!id) throw new ValidationError({ identifier: "auth.identifier.invalid" });
  const subject = "email" in id ? id.email : id.phone;
  const pair = identityIpSubject(subject, ip);
  await enforce("signin_ip", ip);
  await enforce("signin_identity_ip", pair);
  await enforce("signin_identity", subject);
  await enforce("signin_identity_total", subject); // successes included: argon2 work per account is bounded
  const user = "email" in id ? await getUserByEmail(id.email) : await getUserByPhone(id.phone);
  const decoy = "email" in id && user?.status !== "pending" ? await getRegistrationDecoy(id.email) : null;
  const decoyMatch = decoy ? await verifyPassword(input.password, decoy.passwordHash) : false;
  if (!user) {
    await burnPasswordCheck(input.password);
    throw new Unauthorized("invalid_credentials", "auth.invalid_credentials");
  }
  const ok = await checkPassword(user.id, input.password);
  if (!(ok && user.status === "active")) {
    if (decoyMatch) throw new Conflict("account_pending", "auth.account_pending");
    if (!ok || user.status === "deactivated") {
      throw new Unauthorized("invalid_credentials", "auth.invalid_credentials");
    }
    await burnPasswordCheck(input.password); // as many checks as a decoy's answer
    throw new Conflict("account_pending", "auth.account_pending");
  }
  await clearLimit("signin_identity_ip", pair);
  await refund("signin_identity", subject); // the owner's own sign-ins do not use up the global budget
  await refund("signin_ip", ip); // successful sign-ins do not use up the address's budget
  return user;
}
