/**
 * Forgotten password by e-mailed code, for every account with an e-mail:
 * clients and staff by their e-mail, guests by the phone they sign in with
 * (the code goes to the e-mail on file). Guests without an e-mail get a new
 * password at the front desk instead (`deskResetGuestPassword` in admin.ts).
 *
 * Answers and work do not depend on whether an account matches (ASVS 5.0
 * V6.3.7): both paths do one user lookup, write one code record (for an
 * unknown identity under a decoy subject, `keys.ts`, so the reset step fails
 * like a wrong code and locks after 5 tries) and queue one background mail
 * step (`mailer.ts`; empty when there is nobody to mail).
 */
import { ValidationError } from "@/lib/errors.ts";
import { parseInput } from "@/lib/validation.ts";
import { clearLimit, enforce } from "@/lib/ratelimit.ts";
import { passwordProblem } from "./password.ts";
import { checkOtp, issueOtp, otpError } from "./otp.ts";
import { OTP_MINUTES, queueAccountMail } from "./mailer.ts";
import { endAllSessions } from "./sessions.ts";
import { identityIpSubject, parseIdentifier } from "./signin.ts";
import * as S from "./schemas.ts";
import * as K from "./keys.ts";
import { getUserByEmail, getUserByPhone, setPassword, updateUser, type User } from "./users.ts";

/**
 * The identity of a forgot/reset body: `identifier`, else `email`, else
 * `phone`, parsed as an e-mail or a canonical phone.
 * @throws ValidationError on the field that was given (`identifier` when none)
 */
export function resolveIdentity(
  input: { identifier?: string; email?: string; phone?: string },
): { field: string; key: string; email?: string; phone?: string } {
  const field = input.identifier !== undefined
    ? "identifier"
    : input.email !== undefined
    ? "email"
    : input.phone !== undefined
    ? "phone"
    : "identifier";
  const raw = (input.identifier ?? input.email ?? input.phone ?? "").trim();
  if (!raw) throw new ValidationError({ [field]: "field.required" });
  const id = parseIdentifier(raw);
  // `email` must hold an e-mail and `phone` a phone; `identifier` may hold either.
  if (!id || (field === "email" && !("email" in id)) || (field === "phone" && !("phone" in id))) {
    const key = field === "email" || raw.includes("@")
      ? "field.invalid_email"
      : field === "phone"
      ? "auth.phone.invalid"
      : "auth.identifier.invalid";
    throw new ValidationError({ [field]: key });
  }
  return "email" in id ? { field, key: id.email, email: id.email } : { field, key: id.phone, phone: id.phone };
}

/** The account a reset code may be sent to: active and with an e-mail. */
async function resettable(id: { email?: string; phone?: string }): Promise<User | null> {
  const user = id.email ? await getUserByEmail(id.email) : await getUserByPhone(id.phone!);
  return user && user.status === "active" && user.email ? user : null;
}

/**
 * Starts a password reset: mails a code when an active account with an
 * e-mail has this e-mail (or, for guests, this phone). Same answer, same rate
 * limits and the same KV and mail-queue work whether or not it exists; the
 * mail itself is sent in the background.
 * @param raw `{ identifier }` (form) or `{ email }` / `{ phone }` (API)
 * @throws ValidationError, TooManyRequests
 */
export async function requestPasswordReset(
  raw: unknown,
  ip: string,
): Promise<void> {
  const id = resolveIdentity(parseInput(S.forgotSchema, raw));
  await enforce("otp_send_ip", ip);
  await enforce("otp_send", id.key);
  const user = await resettable(id);
  const code = await issueOtp("reset", user ? user.id : K.decoySubject(id.key), user?.email ?? id.key);
  queueAccountMail(
    user
      ? { kind: "reset_otp", lang: user.lang, to: user.email!, params: { name: user.name, code, minutes: OTP_MINUTES } }
      : null,
  );
}

/**
 * Completes a reset with the mailed code and a new password: sets it, clears
 * `mustChangePassword`, ends every session of the account and lifts its
 * sign-in limits for this address.
 * @throws ValidationError (`code`, `password`, `confirm`, identity field), TooManyRequests
 */
export async function resetPassword(raw: unknown, ip: string): Promise<User> {
  const input = parseInput(S.resetSchema, raw);
  const id = resolveIdentity(input);
  if (input.confirm !== undefined && input.confirm !== input.password) {
    throw new ValidationError({ confirm: "auth.password.mismatch" });
  }
  // Only what was typed is the user-input dictionary here, so the answer does not depend on the account.
  const pp = await passwordProblem(input.password, [id.key]);
  if (pp) throw new ValidationError({ password: pp });
  await enforce("otp_verify_ip", ip);
  const user = await resettable(id);
  if (!user) {
    const r = await checkOtp("reset", K.decoySubject(id.key), input.code);
    throw otpError(r.ok ? "invalid" : r.reason);
  }
  const r = await checkOtp("reset", user.id, input.code);
  if (!r.ok) throw otpError(r.reason);
  await setPassword(user.id, input.password);
  const updated = user.mustChangePassword ? await updateUser(user.id, { mustChangePassword: false }) : user;
  await endAllSessions(user.id);
  await clearLimit("signin_identity_ip", identityIpSubject(id.key, ip));
  await clearLimit("signin_identity", id.key);
  await clearLimit("signin_identity_total", id.key);
  return updated;
}
