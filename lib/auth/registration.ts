/**
 * Client self-registration with an e-mailed 6-digit code.
 *
 * The answers never tell whether an address already has an account (ASVS 5.0
 * V6.3.7 / OWASP Authentication Cheat Sheet "account enumeration"): a
 * registration of a taken address answers exactly like a new one (same status,
 * body shape, redirect to the verify step) and does comparable work (one
 * argon2id hash, one stored code, one mail), but creates nothing: it keeps a
 * short-lived *decoy* (`["registration_decoys", email]`, see `keys.ts`) and
 * mails the owner "someone tried to register with your address". The decoy
 * makes the following steps answer like a real pending account would: the
 * verify step fails like a wrong code (and locks after 5 tries), a resend
 * "sends" a new code, and signing in with the password typed at that
 * registration says "account pending" (see `signin.ts`).
 *
 * An earlier pending (never verified) account with the same e-mail is
 * replaced (its owner may register again).
 */
import { getKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { Conflict, ValidationError } from "@/lib/errors.ts";
import { parseInput } from "@/lib/validation.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
import { enforce, hit } from "@/lib/ratelimit.ts";
import { hashPassword, passwordProblem } from "./password.ts";
import { checkOtp, hashCode, issueOtp, otpError } from "./otp.ts";
import { OTP_MINUTES, queueAccountMail, sendAccountMail } from "./mailer.ts";
import * as S from "./schemas.ts";
import * as K from "./keys.ts";
import { createUser, deletePendingUser, getUserByEmail, updateUser, type User } from "./users.ts";

/** How long a decoy registration answers like a pending account (ms): 7 days. */
export const DECOY_TTL_MS = 7 * 24 * 3600 * 1000;

/** What is kept for a registration of an address that already has an account. */
export interface RegistrationDecoy {
  schemaVersion: 1;
  /** argon2id hash of the password typed at that registration. */
  passwordHash: string;
  createdAt: string;
  expiresAt: string;
}

/** The live decoy for `email` (normalised), or null. */
export async function getRegistrationDecoy(email: string): Promise<RegistrationDecoy | null> {
  const kv = await getKv();
  const d = (await kv.get<RegistrationDecoy>(K.registrationDecoyKey(email))).value;
  return d && Date.parse(d.expiresAt) > Date.now() ? d : null;
}

/**
 * Registers a client account in status `pending` and mails a 6-digit code.
 * For an address that already has an active or deactivated account, nothing
 * is created: the owner gets a `register_taken` mail and the answer is a
 * decoy `user` shaped like a new pending one (never stored; see above).
 * @param raw form or JSON body: `name, gender, birthDate, email, password`
 * @param ip client address for rate limiting
 * @returns the (new or decoy) pending user and whether the mail went out
 * @throws ValidationError (password too weak: `auth.password.weak.*`), TooManyRequests
 */
export async function registerClient(
  raw: unknown,
  lang: Lang,
  ip: string,
): Promise<{ user: User; mailSent: boolean }> {
  const input = parseInput(S.registerSchema, raw);
  const pp = await passwordProblem(input.password, [input.name, input.email]);
  if (pp) throw new ValidationError({ password: pp });

  await enforce("register_ip", ip);
  await enforce("otp_send", input.email);
  await hit("otp_send_burst", input.email); // counts towards the resend limit, never refuses a registration
  const existing = await getUserByEmail(input.email);
  // A pending account of another role (a psychologist's application) is never replaced.
  if (existing && (existing.status !== "pending" || existing.role !== "client")) {
    return await registerTaken(existing, input, lang);
  }
  if (existing) await deletePendingUser(existing.id);
  let user: User;
  try {
    user = await createUser({
      role: "client",
      name: input.name,
      email: input.email,
      gender: input.gender,
      birthDate: input.birthDate,
      lang,
      status: "pending",
      password: input.password,
    });
  } catch (err) {
    if (!(err instanceof Conflict)) throw err;
    // Taken meanwhile by a concurrent registration or an admin.
    const other = await getUserByEmail(input.email);
    if (!other) throw err;
    return await registerTaken(other, input, lang);
  }
  const code = await issueOtp("register", user.id, input.email);
  const mailSent = await sendAccountMail("register_otp", lang, input.email, {
    name: user.name,
    code,
    minutes: OTP_MINUTES,
  });
  return { user, mailSent };
}

/**
 * The taken-address branch of `registerClient` (and of a psychologist's
 * application, `lib/psychologists/application.ts`): the same work and answer as
 * a new pending account, nothing created — a decoy, an unsent code, and a
 * `register_taken` mail to the owner.
 */
export async function registerTaken(
  owner: User,
  input: { name: string; gender: User["gender"]; birthDate: string | null; email: string; password: string },
  lang: Lang,
): Promise<{ user: User; mailSent: boolean }> {
  const kv = await getKv();
  const now = new Date();
  const decoy: RegistrationDecoy = {
    schemaVersion: 1,
    passwordHash: await hashPassword(input.password),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + DECOY_TTL_MS).toISOString(),
  };
  await kv.set(K.registrationDecoyKey(input.email), decoy, { expireIn: DECOY_TTL_MS });
  await issueOtp("register", K.decoySubject(input.email), input.email); // never sent: no one can enter it
  const mailSent = await sendAccountMail("register_taken", owner.lang, owner.email ?? input.email, {
    name: owner.name,
  });
  const at = now.toISOString();
  return {
    user: {
      schemaVersion: 1,
      id: newId(),
      role: "client",
      name: input.name.trim(),
      email: input.email,
      phone: null,
      gender: input.gender,
      birthDate: input.birthDate,
      lang,
      status: "pending",
      mustChangePassword: false,
      createdAt: at,
      updatedAt: at,
    },
    mailSent,
  };
}

/**
 * Checks a registration code; on success the account becomes `active` and is
 * returned (the caller signs the user in). For a decoy or an unknown address
 * the answer is that of a wrong code (`invalid`, then `locked` after 5 tries,
 * `expired` after 5 minutes), from a real code record.
 * @throws ValidationError (`code` field: `auth.otp.invalid|expired|locked`), TooManyRequests
 */
export async function verifyRegistration(
  raw: unknown,
  ip: string,
): Promise<User> {
  const input = parseInput(S.verifySchema, raw);
  await enforce("otp_verify_ip", ip);
  const user = await getUserByEmail(input.email);
  if (!user || user.status !== "pending") {
    const r = await checkOtp("register", K.decoySubject(input.email), input.code);
    throw otpError(r.ok ? "invalid" : r.reason);
  }
  const r = await checkOtp("register", user.id, input.code);
  if (!r.ok) throw otpError(r.reason);
  return await updateUser(user.id, { status: "active" });
}

/**
 * Sends a new registration code to a pending account (in the background).
 * Answers the same way whether or not such an account exists (rate limits
 * apply per address either way); a decoy gets a fresh, unsent code.
 * @throws ValidationError, TooManyRequests
 */
export async function resendRegistrationCode(
  raw: unknown,
  ip: string,
): Promise<void> {
  const input = parseInput(S.emailOnlySchema, raw);
  await enforce("otp_send_ip", ip);
  await enforce("otp_send_burst", input.email);
  await enforce("otp_send", input.email);
  const user = await getUserByEmail(input.email);
  if (user && user.status === "pending") {
    const code = await issueOtp("register", user.id, input.email);
    queueAccountMail({
      kind: "register_otp",
      lang: user.lang,
      to: input.email,
      params: { name: user.name, code, minutes: OTP_MINUTES },
    });
    return;
  }
  if (await getRegistrationDecoy(input.email)) {
    await issueOtp("register", K.decoySubject(input.email), input.email);
  } else {
    await hashCode("register", "none", "000000");
  }
  queueAccountMail(null);
}
