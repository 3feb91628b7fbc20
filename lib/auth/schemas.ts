/**
 * Schemas of the accounts capability:
 * - the records (`User`, its public view, the bearer-token answer) and their enums
 *   (roles, account statuses): the TypeScript types are `z.infer` of these, and the
 *   OpenAPI components are generated from them (docs/openapi.md);
 * - the input schemas shared by the HTML forms and the JSON API (one schema per
 *   action, i18n keys as messages). Unknown keys are dropped (zod's default), which
 *   also drops `__proto__`/`constructor` keys.
 */
import { calendarDate, instant, ulid, z } from "@/lib/validation.ts";
import { LANGS } from "@/lib/i18n/mod.ts";
import { PASSWORD_MAX, passwordLengthProblem } from "./password.ts";
import { canonicalPhone } from "./phone.ts";
import { birthDateProblem } from "./age.ts";

// ---------------------------------------------------------------- enums and records

/** Every role (the one list: the `Role` type, the admin filter and the OpenAPI `Role` derive from it). */
export const roleSchema = z.enum(
  ["client", "psychologist", "teacher", "receptionist", "admin", "guest"],
  "field.invalid_choice",
);
/** A role. */
export type Role = z.infer<typeof roleSchema>;
/** Every role, in display order. */
export const ROLES: readonly Role[] = roleSchema.options;

/** Staff roles an admin may create (with a temporary password). */
export const staffRole = roleSchema.extract(
  ["psychologist", "teacher", "receptionist", "admin"],
  "field.invalid_choice",
);
/** Staff roles an admin creates with a temporary password. */
export const STAFF_ROLES: readonly Role[] = staffRole.options;

/** Account status: `pending` = e-mail not verified yet (clients). */
export const userStatusSchema = z.enum(["pending", "active", "deactivated"], "field.invalid_choice");

export const gender = z.enum(["female", "male"], "field.invalid_choice");
export const lang = z.enum(LANGS as ["id", "en"], "field.invalid_choice");

/** A user account as stored in `["users", id]` (`lib/auth/users.ts`). Instants are ISO 8601 UTC strings. */
export const userSchema = z.object({
  schemaVersion: z.literal(1),
  id: ulid,
  role: roleSchema,
  name: z.string(),
  email: z.string().nullable().describe("Lower-cased e-mail; null only for guests without one"),
  phone: z.string().nullable().describe("Canonical phone (`62…` digits); guests always have one"),
  gender: gender.nullable(),
  birthDate: calendarDate.nullable().describe("Local calendar date `YYYY-MM-DD` (clients)"),
  lang,
  status: userStatusSchema,
  mustChangePassword: z.boolean().describe(
    "Staff created by an admin must change the temporary password at first sign-in",
  ),
  createdAt: instant,
  updatedAt: instant,
});

/** The public JSON shape of a user: the record without internal fields (credentials live apart). */
export const publicUserSchema = userSchema.omit({ schemaVersion: true }).describe(
  "Public view of an account (never credentials)",
);

/** Answer of a sign-in that issues a bearer token (`POST /api/auth/login`, `/api/auth/verify`). */
export const tokenResponseSchema = z.object({
  token: z.string().describe("Bearer token (43 characters, base64url); valid 12 hours"),
  tokenType: z.literal("Bearer"),
  expiresAt: instant,
  user: publicUserSchema,
});

// ---------------------------------------------------------------- input

/** Longest e-mail address accepted (RFC 5321 path limit). */
export const EMAIL_MAX = 254;
/** Longest display name accepted (characters). */
export const NAME_MAX = 100;

/** An e-mail address, trimmed and lower-cased. */
export const email = z.string().trim().max(EMAIL_MAX, "field.too_long")
  .toLowerCase().pipe(z.email("field.invalid_email"));

/** A person's name: 1–100 characters, no control characters. */
export const name = z.string().trim().min(1, "field.required").max(
  NAME_MAX,
  "auth.name.too_long",
)
  // deno-lint-ignore no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "field.invalid");

/** A password as typed at sign-in: any non-empty string up to the maximum length. */
export const passwordAny = z.string().min(1, "field.required").max(
  PASSWORD_MAX,
  "auth.password.too_long",
);

/**
 * A new password: the length rule (`passwordLengthProblem`). The strength rule
 * needs the account's own data and the estimator, so each account function
 * applies `passwordProblem` after parsing.
 */
export const newPassword = z.string().superRefine((pw, ctx) => {
  const p = passwordLengthProblem(pw);
  if (p) ctx.addIssue({ code: "custom", message: p });
}).describe("8–128 characters, not a common password");

/** A calendar date `YYYY-MM-DD` that exists. */
export const isoDate = z.string().trim().regex(
  /^\d{4}-\d{2}-\d{2}$/,
  "field.invalid_date",
).refine((s) => {
  try {
    Temporal.PlainDate.from(s, { overflow: "reject" });
    return true;
  } catch {
    return false;
  }
}, "field.invalid_date");

/** A client's birth date: a real date within the configured age range. */
export const clientBirthDate = isoDate.superRefine((s, ctx) => {
  let p: string | null;
  try {
    p = birthDateProblem(s);
  } catch {
    return; // not a date: `isoDate` already reported it
  }
  if (p) ctx.addIssue({ code: "custom", message: p });
});

/** A 6-digit one-time code (spaces ignored). */
export const otpCode = z.string().transform((s) => s.replace(/\s+/g, "")).pipe(
  z.string().regex(/^\d{6}$/, "auth.otp.format"),
).describe("6-digit code from the e-mail (valid 5 minutes, 5 attempts, single use; spaces ignored)");

/** An Indonesian phone number, canonicalised to `62…`. */
export const phone = z.string().max(40, "field.too_long").transform(
  (s, ctx) => {
    const c = canonicalPhone(s);
    if (!c) {
      ctx.addIssue({ code: "custom", message: "auth.phone.invalid" });
      return z.NEVER;
    }
    return c;
  },
).describe("Indonesian number in any common format (08…, +62 8…, 628…); stored as `62…` digits");

/** Client self-registration (form field names are the keys). */
export const registerSchema = z.object({
  name,
  gender,
  birthDate: clientBirthDate,
  email,
  password: newPassword,
});

/** Sign-in: `identifier` is an e-mail or a phone number (forms). */
export const signInSchema = z.object({
  identifier: z.string().trim().min(1, "field.required").max(
    EMAIL_MAX,
    "field.too_long",
  ),
  password: passwordAny,
});

/** JSON API login: `{ email | phone, password }` (also accepts `identifier`). */
export const apiLoginSchema = z.object({
  email: z.string().max(EMAIL_MAX, "field.too_long").optional(),
  phone: z.string().max(40, "field.too_long").optional(),
  identifier: z.string().max(EMAIL_MAX, "field.too_long").optional(),
  password: passwordAny,
});

export const verifySchema = z.object({ email, code: otpCode });
export const emailOnlySchema = z.object({ email });
/**
 * Who asks for a password reset: `identifier` (forms: an e-mail, or a guest's
 * phone), or `email` / `phone` (JSON API). `resolveIdentity` in
 * password_reset.ts turns it into one e-mail or canonical phone.
 */
const identityFields = {
  identifier: z.string().trim().max(EMAIL_MAX, "field.too_long").optional(),
  email: z.string().trim().max(EMAIL_MAX, "field.too_long").optional(),
  phone: z.string().trim().max(40, "field.too_long").optional(),
};
export const forgotSchema = z.object(identityFields);
export const resetSchema = z.object({
  ...identityFields,
  code: otpCode,
  password: newPassword,
  confirm: z.string().optional(),
});
export const changePasswordSchema = z.object({
  currentPassword: passwordAny,
  newPassword: newPassword,
  confirm: z.string().optional(),
});
export const firstPasswordSchema = z.object({
  password: newPassword,
  confirm: z.string().max(PASSWORD_MAX, "auth.password.too_long"),
});

/** Profile edit. Empty strings mean "unchanged" for optional fields. */
export const profileSchema = z.object({
  name,
  email,
  gender: z.union([gender, z.literal("")]).optional(),
  birthDate: z.union([isoDate, z.literal("")]).optional(),
  lang: lang.optional(),
});

export const createStaffSchema = z.object({
  role: staffRole,
  name,
  email,
  lang: lang.optional(),
  phone: z.union([phone, z.literal("")]).optional(),
});

/** Admin update of a user; every field optional. */
export const adminUpdateSchema = z.object({
  name: name.optional(),
  email: email.optional(),
  phone: z.union([phone, z.literal(""), z.null()]).optional(),
  gender: z.union([gender, z.null()]).optional(),
  birthDate: z.union([isoDate, z.null()]).optional(),
  lang: lang.optional(),
  status: userStatusSchema.exclude(["pending"], "field.invalid_choice").optional(),
});

/** Query of the users list (admin). */
export const listUsersSchema = z.object({
  role: z.union([roleSchema, z.literal("")]).optional(),
  q: z.string().max(100, "field.too_long").optional(),
  cursor: z.string().max(1000, "field.too_long").optional(),
  limit: z.coerce.number("field.invalid_number").int("field.invalid_number")
    .min(1, "field.invalid_number").max(100, "field.invalid_number").optional(),
});
