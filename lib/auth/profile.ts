/**
 * A signed-in user's own account: profile edits (with e-mail re-verification
 * by code), password change and the forced first-password change of staff.
 */
import { Conflict, ValidationError } from "@/lib/errors.ts";
import { parseInput } from "@/lib/validation.ts";
import { enforce } from "@/lib/ratelimit.ts";
import { passwordProblem } from "./password.ts";
import { checkOtp, getOtp, issueOtp, otpError } from "./otp.ts";
import { OTP_MINUTES, sendAccountMail } from "./mailer.ts";
import { endAllSessions } from "./sessions.ts";
import { birthDateProblem } from "./age.ts";
import * as S from "./schemas.ts";
import { checkPassword, getUserByEmail, setPassword, updateUser, type User, type UserPatch } from "./users.ts";

/**
 * Changes the password of a signed-in user after checking the current one;
 * ends every other session of the user (keeps `keepSessionId`).
 * @throws ValidationError (`currentPassword`, `newPassword`, `confirm`), TooManyRequests
 */
export async function changePassword(
  user: User,
  raw: unknown,
  keepSessionId: string | null,
): Promise<User> {
  const input = parseInput(S.changePasswordSchema, raw);
  if (input.confirm !== undefined && input.confirm !== input.newPassword) {
    throw new ValidationError({ confirm: "auth.password.mismatch" });
  }
  const pp = await passwordProblem(input.newPassword, [user.name, user.email, user.phone]);
  if (pp) throw new ValidationError({ newPassword: pp });
  await enforce("password_check", user.id);
  if (!(await checkPassword(user.id, input.currentPassword))) {
    throw new ValidationError(
      { currentPassword: "auth.current_password_wrong" },
      "error.validation",
      "current_password_wrong",
    );
  }
  if (input.currentPassword === input.newPassword) {
    throw new ValidationError({ newPassword: "auth.password.same_as_old" });
  }
  await setPassword(user.id, input.newPassword);
  const updated = user.mustChangePassword ? await updateUser(user.id, { mustChangePassword: false }) : user;
  await endAllSessions(user.id, keepSessionId);
  return updated;
}

/**
 * First sign-in of staff with a temporary password: sets the chosen password
 * (`password` + `confirm`) without asking for the temporary one again (the
 * session proves it), clears `mustChangePassword`, ends other sessions.
 * @throws Conflict `no_change_required`, ValidationError
 */
export async function setFirstPassword(
  user: User,
  raw: unknown,
  keepSessionId: string | null,
): Promise<User> {
  if (!user.mustChangePassword) {
    throw new Conflict("no_change_required", "auth.no_change_required");
  }
  const input = parseInput(S.firstPasswordSchema, raw);
  if (input.confirm !== input.password) {
    throw new ValidationError({ confirm: "auth.password.mismatch" });
  }
  const pp = await passwordProblem(input.password, [user.name, user.email, user.phone]);
  if (pp) throw new ValidationError({ password: pp });
  if (await checkPassword(user.id, input.password)) {
    throw new ValidationError({ password: "auth.password.same_as_old" });
  }
  await setPassword(user.id, input.password);
  const updated = await updateUser(user.id, { mustChangePassword: false });
  await endAllSessions(user.id, keepSessionId);
  return updated;
}

/**
 * Saves a profile edit. Name, gender, birth date (clients; age rules apply) and
 * language change at once; a new e-mail is only recorded as pending: a code is
 * mailed to it and `confirmEmailChange` switches the address.
 * @returns the updated user and the pending new e-mail (or null)
 * @throws ValidationError (`email` taken → `auth.email_taken`), TooManyRequests
 */
export async function updateProfile(
  user: User,
  raw: unknown,
  ip: string,
): Promise<{ user: User; pendingEmail: string | null }> {
  const input = parseInput(S.profileSchema, raw);
  const patch: UserPatch = { name: input.name };
  if (input.lang) patch.lang = input.lang;
  if (input.gender) patch.gender = input.gender;
  if (input.birthDate && input.birthDate !== user.birthDate) {
    if (user.role === "client") {
      const bp = birthDateProblem(input.birthDate);
      if (bp) throw new ValidationError({ birthDate: bp });
    }
    patch.birthDate = input.birthDate;
  }
  let pendingEmail: string | null = null;
  if (input.email !== user.email) {
    const other = await getUserByEmail(input.email);
    if (other && other.id !== user.id) {
      throw new ValidationError(
        { email: "auth.email_taken" },
        "error.validation",
        "email_taken",
      );
    }
    await enforce("otp_send_ip", ip);
    await enforce("otp_send", input.email);
    pendingEmail = input.email;
  }
  const updated = await updateUser(user.id, patch);
  if (pendingEmail) {
    const code = await issueOtp("email_change", user.id, pendingEmail);
    await sendAccountMail("email_change_otp", updated.lang, pendingEmail, {
      name: updated.name,
      code,
      minutes: OTP_MINUTES,
    });
  }
  return { user: updated, pendingEmail };
}

/** The new e-mail waiting for confirmation, or null. */
export async function pendingEmailChange(
  userId: string,
): Promise<string | null> {
  return (await getOtp("email_change", userId))?.email ?? null;
}

/**
 * Confirms a pending e-mail change with its code, switches the address (index
 * moved atomically) and notifies the old address.
 * @throws ValidationError (`code`), TooManyRequests
 */
export async function confirmEmailChange(
  user: User,
  raw: unknown,
  ip: string,
): Promise<User> {
  const input = parseInput(S.verifySchema.pick({ code: true }), raw);
  await enforce("otp_verify_ip", ip);
  const r = await checkOtp("email_change", user.id, input.code);
  if (!r.ok) throw otpError(r.reason);
  let updated: User;
  try {
    updated = await updateUser(user.id, { email: r.record.email });
  } catch (err) {
    if (err instanceof Conflict) {
      throw new ValidationError(
        { code: "auth.email_taken" },
        "error.validation",
        "email_taken",
      );
    }
    throw err;
  }
  if (user.email) {
    await sendAccountMail("email_changed", user.lang, user.email, {
      name: user.name,
      email: r.record.email,
    });
  }
  return updated;
}
