/**
 * Account flows of PRODUCT.md §1 and issue 2 §4: client registration with an
 * e-mail code, sign-in, forgotten password, password changes, profile edits
 * with e-mail re-verification, and the admin's staff management.
 *
 * Every function validates its raw input first (zod schemas in `schemas.ts`)
 * so hostile input is refused before any password hashing or KV write, then
 * applies rate limits (`lib/ratelimit.ts`), then does the work. Errors are the
 * typed errors of `lib/errors.ts`; field errors use the form field names.
 */
import { getKv } from "@/lib/db/kv.ts";
import { Conflict, Forbidden, NotFound, Unauthorized, ValidationError } from "@/lib/errors.ts";
import { parseInput, type z } from "@/lib/validation.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
import { clearLimit, enforce, hit, refund } from "@/lib/ratelimit.ts";
import { audit } from "@/lib/audit.ts";
import { log } from "@/lib/log.ts";
import { sendMail, usesOutbox } from "@/lib/mail/mod.ts";
import { type MailKind, type MailParams, renderMail } from "@/lib/mail/templates.ts";
import { burnPasswordCheck, passwordProblem } from "./password.ts";
import { canonicalPhone } from "./phone.ts";
import { checkOtp, hashCode, issueOtp, OTP_TTL_MS, type OtpFailure } from "./otp.ts";
import { endAllSessions } from "./sessions.ts";
import * as S from "./schemas.ts";
import { birthDateProblem } from "./age.ts";
export { ageOn, birthDateProblem, localToday } from "./age.ts";
import {
  checkPassword,
  createUser,
  deletePendingUser,
  getUser,
  getUserByEmail,
  getUserByPhone,
  type Role,
  setPassword,
  STAFF_ROLES,
  updateUser,
  type User,
  type UserPatch,
} from "./users.ts";

/** The public JSON shape of a user (`publicUserSchema`): the record without internal fields (never credentials). */
export type PublicUser = z.infer<typeof S.publicUserSchema>;

/** The one function that turns a `User` into API JSON (explicit field list). */
export function publicUser(u: User): PublicUser {
  return {
    id: u.id,
    role: u.role,
    name: u.name,
    email: u.email,
    phone: u.phone,
    gender: u.gender,
    birthDate: u.birthDate,
    lang: u.lang,
    status: u.status,
    mustChangePassword: u.mustChangePassword,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

/** Minutes a code stays valid (for mail text). */
const OTP_MINUTES = Math.round(OTP_TTL_MS / 60000);

/**
 * Renders and sends an accounts mail; returns false (and logs) when the
 * transport fails, so a flaky SMTP server never loses already-saved data.
 */
export async function sendAccountMail<K extends MailKind>(
  kind: K,
  lang: Lang,
  to: string,
  params: MailParams[K],
): Promise<boolean> {
  try {
    await sendMail(renderMail(kind, lang, to, params));
    return true;
  } catch (err) {
    log("error", "mail_failed", { kind, error: String(err) });
    return false;
  }
}

function otpError(reason: OtpFailure): ValidationError {
  return new ValidationError(
    { code: `auth.otp.${reason}` },
    "error.validation",
    `otp_${reason}`,
  );
}

// ---------------------------------------------------------------- registration

/**
 * Registers a client account in status `pending` and mails a 6-digit code.
 * An earlier pending (never verified) account with the same e-mail is replaced;
 * an active or deactivated one is refused (`email` field error, code `email_taken`).
 * @param raw form or JSON body: `name, gender, birthDate, email, password`
 * @param ip client address for rate limiting
 * @throws ValidationError, TooManyRequests
 */
export async function registerClient(
  raw: unknown,
  lang: Lang,
  ip: string,
): Promise<{ user: User; mailSent: boolean }> {
  const input = parseInput(S.registerSchema, raw);
  const pp = passwordProblem(input.password, input.email);
  if (pp) throw new ValidationError({ password: pp });

  await enforce("register_ip", ip);
  await enforce("otp_send", input.email);
  await hit("otp_send_burst", input.email); // counts towards the resend limit, never refuses a registration
  const existing = await getUserByEmail(input.email);
  if (existing && existing.status !== "pending") {
    throw new ValidationError(
      { email: "auth.email_taken" },
      "error.validation",
      "email_taken",
    );
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
    if (err instanceof Conflict) {
      throw new ValidationError(
        { email: "auth.email_taken" },
        "error.validation",
        "email_taken",
      );
    }
    throw err;
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
 * Checks a registration code; on success the account becomes `active` and is
 * returned (the caller signs the user in).
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
    await hashCode("register", "none", input.code); // same work as a real check
    throw otpError("invalid");
  }
  const r = await checkOtp("register", user.id, input.code);
  if (!r.ok) throw otpError(r.reason);
  return await updateUser(user.id, { status: "active" });
}

/**
 * Sends a new registration code to a pending account. Answers the same way
 * whether or not such an account exists (rate limits apply per address either way).
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
  if (!user || user.status !== "pending") {
    await hashCode("register", "none", "000000");
    return;
  }
  const code = await issueOtp("register", user.id, input.email);
  await sendAccountMail("register_otp", user.lang, input.email, {
    name: user.name,
    code,
    minutes: OTP_MINUTES,
  });
}

// ---------------------------------------------------------------- sign-in

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

/**
 * Checks credentials and returns the user. Rate-limited per identity and per
 * IP before any hashing; an unknown identity costs the same argon2 work as a
 * known one and gets the same error.
 * @param identifier e-mail, or phone for guests (any Indonesian format)
 * @throws ValidationError (shape), Unauthorized `invalid_credentials`,
 *   Conflict `account_pending` (right password, e-mail not verified yet), TooManyRequests
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
  await enforce("signin_ip", ip);
  await enforce("signin_identity", subject);
  const user = "email" in id ? await getUserByEmail(id.email) : await getUserByPhone(id.phone);
  if (!user) {
    await burnPasswordCheck(input.password);
    throw new Unauthorized("invalid_credentials", "auth.invalid_credentials");
  }
  const ok = await checkPassword(user.id, input.password);
  if (!ok || user.status === "deactivated") {
    throw new Unauthorized("invalid_credentials", "auth.invalid_credentials");
  }
  if (user.status === "pending") {
    throw new Conflict("account_pending", "auth.account_pending");
  }
  await clearLimit("signin_identity", subject);
  await refund("signin_ip", ip); // successful sign-ins do not use up the address's budget
  return user;
}

// ---------------------------------------------------------------- forgotten password

/**
 * Starts a password reset: mails a code when an active account has this
 * e-mail. Same answer, same rate limits and comparable work whether or not it
 * exists (the SMTP send runs in the background so its time is not observable).
 * @throws ValidationError, TooManyRequests
 */
export async function requestPasswordReset(
  raw: unknown,
  ip: string,
): Promise<void> {
  const input = parseInput(S.emailOnlySchema, raw);
  await enforce("otp_send_ip", ip);
  await enforce("otp_send", input.email);
  const user = await getUserByEmail(input.email);
  if (!user || user.status !== "active") {
    await hashCode("reset", "none", "000000");
    return;
  }
  const code = await issueOtp("reset", user.id, input.email);
  const p = sendAccountMail("reset_otp", user.lang, input.email, {
    name: user.name,
    code,
    minutes: OTP_MINUTES,
  });
  if (usesOutbox()) await p; // KV write: fast and local either way
}

/**
 * Completes a reset with the mailed code and a new password: sets it, clears
 * `mustChangePassword`, and ends every session of the account.
 * @throws ValidationError (`code`, `password`, `confirm`), TooManyRequests
 */
export async function resetPassword(raw: unknown, ip: string): Promise<User> {
  const input = parseInput(S.resetSchema, raw);
  if (input.confirm !== undefined && input.confirm !== input.password) {
    throw new ValidationError({ confirm: "auth.password.mismatch" });
  }
  const pp = passwordProblem(input.password, input.email);
  if (pp) throw new ValidationError({ password: pp });
  await enforce("otp_verify_ip", ip);
  const user = await getUserByEmail(input.email);
  if (!user || user.status !== "active") {
    await hashCode("reset", "none", input.code);
    throw otpError("invalid");
  }
  const r = await checkOtp("reset", user.id, input.code);
  if (!r.ok) throw otpError(r.reason);
  await setPassword(user.id, input.password);
  const updated = user.mustChangePassword ? await updateUser(user.id, { mustChangePassword: false }) : user;
  await endAllSessions(user.id);
  await clearLimit("signin_identity", user.email!);
  return updated;
}

// ---------------------------------------------------------------- password change

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
  const pp = passwordProblem(input.newPassword, user.email ?? user.phone);
  if (pp) throw new ValidationError({ newPassword: pp });
  await enforce("signin_identity", user.email ?? user.phone ?? user.id);
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
  const pp = passwordProblem(input.password, user.email ?? user.phone);
  if (pp) throw new ValidationError({ password: pp });
  if (await checkPassword(user.id, input.password)) {
    throw new ValidationError({ password: "auth.password.same_as_old" });
  }
  await setPassword(user.id, input.password);
  const updated = await updateUser(user.id, { mustChangePassword: false });
  await endAllSessions(user.id, keepSessionId);
  return updated;
}

// ---------------------------------------------------------------- profile

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
  const kv = await getKv();
  const r = (await kv.get<{ email: string; expiresAt: string }>([
    "otp",
    "email_change",
    userId,
  ])).value;
  return r && Date.parse(r.expiresAt) > Date.now() ? r.email : null;
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

// ---------------------------------------------------------------- admin

const TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/**
 * A temporary password: three groups of four characters from a 31-symbol
 * alphabet without look-alikes (≈ 59 bits), e.g. `k7pm-x3qa-9ftr`.
 */
export function temporaryPassword(): string {
  const out: string[] = [];
  const buf = new Uint8Array(1);
  const bound = Math.floor(256 / TEMP_ALPHABET.length) * TEMP_ALPHABET.length;
  while (out.length < 12) {
    crypto.getRandomValues(buf);
    if (buf[0] < bound) out.push(TEMP_ALPHABET[buf[0] % TEMP_ALPHABET.length]);
  }
  return `${out.slice(0, 4).join("")}-${out.slice(4, 8).join("")}-${out.slice(8).join("")}`;
}

function requireAdmin(actor: User): void {
  if (actor.role !== "admin" || actor.status !== "active") {
    throw new Forbidden();
  }
}

/**
 * Creates a staff account (psychologist, teacher, receptionist, admin) with a
 * temporary password that is mailed to it; the user must change it at first
 * sign-in. Audited as `user.create`.
 * @throws Forbidden (actor not admin), ValidationError (`email` taken), TooManyRequests
 */
export async function createStaff(
  actor: User,
  raw: unknown,
): Promise<{ user: User; mailSent: boolean }> {
  requireAdmin(actor);
  const input = parseInput(S.createStaffSchema, raw);
  if (!STAFF_ROLES.includes(input.role)) {
    throw new ValidationError({ role: "field.invalid_choice" });
  }
  const password = temporaryPassword();
  let user: User;
  try {
    user = await createUser({
      role: input.role,
      name: input.name,
      email: input.email,
      phone: input.phone || null,
      lang: input.lang ?? actor.lang,
      status: "active",
      mustChangePassword: true,
      password,
    });
  } catch (err) {
    if (err instanceof Conflict) {
      throw new ValidationError(
        err.code === "phone_taken" ? { phone: "auth.phone_taken" } : { email: "auth.email_taken" },
        "error.validation",
        err.code,
      );
    }
    throw err;
  }
  const mailSent = await sendAccountMail(
    "staff_welcome",
    user.lang,
    user.email!,
    { name: user.name, email: user.email!, password, role: user.role },
  );
  await audit(actor.id, "user.create", `user:${user.id}`, {
    role: user.role,
    email: user.email,
    mailSent,
  });
  return { user, mailSent };
}

/**
 * Updates a user as an admin (name, e-mail, phone, gender, birth date,
 * language, status). Deactivating ends every session; an admin cannot
 * deactivate themself. Audited as `user.update` (and `user.deactivate`).
 * @throws Forbidden, NotFound, ValidationError, Conflict `cannot_deactivate_self`
 */
export async function adminUpdateUser(
  actor: User,
  userId: string,
  raw: unknown,
): Promise<User> {
  requireAdmin(actor);
  const input = parseInput(S.adminUpdateSchema, raw);
  const target = await getUser(userId);
  if (!target) throw new NotFound("user_not_found", "error.not_found");
  if (input.status === "deactivated" && target.id === actor.id) {
    throw new Conflict(
      "cannot_deactivate_self",
      "auth.admin.cannot_deactivate_self",
    );
  }
  const patch: UserPatch = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.email !== undefined) patch.email = input.email;
  if (input.phone !== undefined) patch.phone = input.phone || null;
  if (input.gender !== undefined) patch.gender = input.gender;
  if (input.birthDate !== undefined) patch.birthDate = input.birthDate;
  if (input.lang !== undefined) patch.lang = input.lang;
  if (
    input.status !== undefined &&
    !(target.status === "pending" && input.status === "active")
  ) patch.status = input.status;
  if (target.role === "guest" && patch.phone === null) {
    throw new ValidationError({ phone: "field.required" });
  }
  for (const k of Object.keys(patch) as (keyof UserPatch)[]) {
    if (k === "email" ? patch.email === target.email : patch[k] === target[k]) {
      delete patch[k];
    }
  }
  if (Object.keys(patch).length === 0) return target; // nothing changes: no write, no audit entry
  let updated: User;
  try {
    updated = await updateUser(userId, patch);
  } catch (err) {
    if (
      err instanceof Conflict &&
      (err.code === "email_taken" || err.code === "phone_taken")
    ) {
      throw new ValidationError(
        err.code === "phone_taken" ? { phone: "auth.phone_taken" } : { email: "auth.email_taken" },
        "error.validation",
        err.code,
      );
    }
    throw err;
  }
  if (patch.status === "deactivated" && target.status !== "deactivated") {
    const ended = await endAllSessions(userId);
    await audit(actor.id, "user.deactivate", `user:${userId}`, {
      sessionsEnded: ended,
    });
  }
  const changed = Object.keys(patch).filter((k) => k !== "status");
  if (changed.length || (patch.status && patch.status !== "deactivated")) {
    await audit(actor.id, "user.update", `user:${userId}`, {
      fields: Object.keys(patch),
    });
  }
  return updated;
}

/**
 * Deactivates an account and ends all its sessions. Idempotent.
 * @throws Forbidden, NotFound, Conflict `cannot_deactivate_self`
 */
export async function deactivateUser(
  actor: User,
  userId: string,
): Promise<User> {
  return await adminUpdateUser(actor, userId, { status: "deactivated" });
}

/**
 * Gives a user a new temporary password, mailed to their address; they must
 * change it at next sign-in; every session is ended. Audited as `user.reset_password`.
 * @throws Forbidden, NotFound, Conflict `no_email` (account without e-mail)
 */
export async function adminResetPassword(
  actor: User,
  userId: string,
): Promise<{ user: User; mailSent: boolean }> {
  requireAdmin(actor);
  const target = await getUser(userId);
  if (!target) throw new NotFound("user_not_found", "error.not_found");
  if (!target.email) throw new Conflict("no_email", "auth.admin.no_email");
  const password = temporaryPassword();
  await setPassword(userId, password);
  const updated = await updateUser(userId, { mustChangePassword: true });
  const ended = await endAllSessions(userId);
  const mailSent = await sendAccountMail(
    "admin_reset",
    updated.lang,
    updated.email!,
    { name: updated.name, password },
  );
  await audit(actor.id, "user.reset_password", `user:${userId}`, {
    sessionsEnded: ended,
    mailSent,
  });
  return { user: updated, mailSent };
}

/** Validates a user id from a URL (`BadRequest`/`NotFound` early for junk). */
export function assertUserId(id: unknown): string {
  if (typeof id !== "string" || !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) {
    throw new NotFound("user_not_found", "error.not_found");
  }
  return id;
}

/** Number of accounts per role (admin dashboard; walks the role index keys). */
export async function countUsersByRole(): Promise<Record<Role, number>> {
  const kv = await getKv();
  const out = {
    client: 0,
    psychologist: 0,
    teacher: 0,
    receptionist: 0,
    admin: 0,
    guest: 0,
  } as Record<Role, number>;
  for await (const e of kv.list({ prefix: ["users_by_role"] })) {
    const role = e.key[1] as Role;
    if (role in out) out[role]++;
  }
  return out;
}
