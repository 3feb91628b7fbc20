/**
 * The accounts capability's public functions, by seam:
 * - registration.ts — client self-registration, code verification, resend;
 * - signin.ts — credentials check with per identity+address throttling;
 * - password_reset.ts — forgotten password by e-mailed code;
 * - profile.ts — own profile, e-mail change, password change, first password;
 * - admin.ts — staff management by admins, guest password reset by the desk.
 *
 * Every function validates its raw input first (zod schemas in `schemas.ts`)
 * so hostile input is refused before any password hashing or KV write, then
 * applies rate limits (`lib/ratelimit.ts`), then does the work. Errors are the
 * typed errors of `lib/errors.ts`; field errors use the form field names.
 * Routes import from here.
 */
import type { z } from "@/lib/validation.ts";
import type * as S from "./schemas.ts";
import type { User } from "./users.ts";
export { ageOn, birthDateProblem, localToday } from "./age.ts";
export { OTP_MINUTES, sendAccountMail } from "./mailer.ts";
export * from "./registration.ts";
export * from "./signin.ts";
export * from "./password_reset.ts";
export * from "./profile.ts";
export * from "./admin.ts";

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
