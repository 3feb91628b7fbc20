/**
 * Guests of the front desk (docs/domain-rules.md "Roles and accounts", "Appointment", "Guests"): users with role
 * `guest`, found by canonical phone (`users_by_phone`, see lib/auth/users.ts).
 * A guest created here gets a generated password for the guest portal, shown
 * once to the teacher/receptionist (and put next to the QR in delivery).
 *
 * ## Who may read and change a guest (deny by default, OWASP ASVS 5.0 V8.2.2)
 * A phone number is not a secret, so typing one must not open someone's record:
 * - **Teachers** only ever get a {@link GuestRef} back (the id, the name *they typed*
 *   and the canonical phone they typed), never the stored name, e-mail or other
 *   appointments. A teacher's form **never changes an existing guest**: name and
 *   e-mail stay as they are (a typed e-mail is used only for a guest created now).
 * - **The desk** (receptionist, admin) sees full {@link GuestView}s, edits guests
 *   (`PUT /api/guests/{id}`, the front desk guest pages) and its forms fill an
 *   *empty* e-mail of an existing guest; an existing e-mail is never replaced
 *   from an appointment form.
 * - A phone that belongs to a staff or client account gets the same answer for
 *   everyone and names no account kind: field `phone` → `guestbook.phone_unavailable`.
 */
import { createUser, getUser, getUserByPhone, scanUsers, updateUser, type User } from "@/lib/auth/users.ts";
import { canonicalPhone } from "@/lib/auth/phone.ts";
import { publicUserSchema } from "@/lib/auth/schemas.ts";
import { isId } from "@/lib/db/ids.ts";
import { Conflict, NotFound, ValidationError } from "@/lib/errors.ts";
import { z } from "@/lib/validation.ts";

/** Letters and digits without look-alikes (0/O/o, 1/l/I, 5/S, 2/Z, 8/B, u/v). */
export const PASSWORD_ALPHABET = "abcdefghjkmnpqrstwxyz34679ACDEFGHJKLMNPQRTWXY";

/**
 * A random, readable password: `length` characters (default 10, ≈ 55 bits)
 * from {@link PASSWORD_ALPHABET}, drawn with `crypto.getRandomValues` and
 * rejection sampling (no modulo bias).
 */
export function generatePassword(length = 10): string {
  const n = PASSWORD_ALPHABET.length;
  const limit = 256 - (256 % n);
  let out = "";
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (b < limit && out.length < length) out += PASSWORD_ALPHABET[b % n];
    }
  }
  return out;
}

/** A guest as the front desk and the API show it (no credentials; OpenAPI component `Guest`). */
export const guestViewSchema = publicUserSchema.pick({
  id: true,
  name: true,
  email: true,
  lang: true,
  status: true,
  createdAt: true,
  updatedAt: true,
}).extend({ phone: z.string().describe("Canonical `62…` digits") });
/** A guest as the front desk and the API show it (see {@link guestViewSchema}). */
export type GuestView = z.infer<typeof guestViewSchema>;

/**
 * What a teacher gets back about a guest (OpenAPI component `GuestRef`): the id
 * (to link the appointment), the name as the teacher typed it and the canonical
 * phone they typed — nothing that the guest or another teacher stored.
 */
export const guestRefSchema = z.object({
  id: z.string(),
  name: z.string().describe("The name as typed in this form (not the stored one)"),
  phone: z.string().describe("Canonical `62…` digits"),
}).describe("A guest as a teacher sees it");
/** See {@link guestRefSchema}. */
export type GuestRef = z.infer<typeof guestRefSchema>;
/** A guest in an answer: whole for the desk, a {@link GuestRef} for a teacher. */
export const guestForRoleSchema = z.union([guestViewSchema, guestRefSchema]);

/** Roles that see and edit whole guest records (the front desk). */
export const GUEST_DESK_ROLES: readonly User["role"][] = ["receptionist", "admin"];

/** True when `role` may read whole guest records and edit them (receptionist, admin). */
export function isGuestDesk(role: User["role"]): boolean {
  return GUEST_DESK_ROLES.includes(role);
}

/**
 * The guest as `role` may see it: the whole {@link GuestView} for the desk,
 * otherwise a {@link GuestRef} carrying `typedName`, the name from the caller's
 * own form (never the stored one, which another teacher may have typed).
 */
export function guestViewFor(role: User["role"], guest: GuestView, typedName: string): GuestView | GuestRef {
  if (isGuestDesk(role)) return guest;
  return { id: guest.id, name: typedName.trim(), phone: guest.phone };
}

/**
 * An e-mail address shown with most of the local part hidden (`a•••@example.id`),
 * for pages of people who may send to it but not read it (teachers).
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  return `${email[0]}•••${email.slice(at)}`;
}

/** Projects a guest user to the public fields of {@link GuestView}. */
export function guestView(u: User): GuestView {
  return {
    id: u.id,
    name: u.name,
    phone: u.phone ?? "",
    email: u.email,
    lang: u.lang,
    status: u.status,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

/** Name rule for guests: 1..100 characters after trimming. */
export const guestNameSchema = z.string().trim().min(1, "field.required").max(
  100,
  "field.too_long",
);
/** Phone rule: any Indonesian format, turned into the canonical `62…` form. */
export const guestPhoneSchema = z.string().max(40, "guestbook.phone_invalid")
  .transform((s, ctx) => {
    const p = canonicalPhone(s);
    if (!p) {
      ctx.addIssue({ code: "custom", message: "guestbook.phone_invalid" });
      return z.NEVER;
    }
    return p;
  });
/** Optional e-mail: empty string / null / missing = none. */
export const guestEmailSchema = z.preprocess(
  (
    v,
  ) => (v === "" || v === null ? undefined : typeof v === "string" ? v.trim() : v),
  z.email("field.invalid_email").max(254, "field.too_long").optional(),
);

/** Body of "create guest" (`POST /api/guests`, the appointment form's guest part). */
export const guestInputSchema = z.object({
  name: guestNameSchema,
  phone: guestPhoneSchema,
  email: guestEmailSchema,
});
export type GuestInput = z.output<typeof guestInputSchema>;

/** Body of "edit guest" (`PUT /api/guests/{id}`): any subset of the fields. */
export const guestPatchSchema = z.object({
  name: guestNameSchema.optional(),
  phone: guestPhoneSchema.optional(),
  email: z.preprocess(
    (v) => (v === "" ? null : typeof v === "string" ? v.trim() : v),
    z.email("field.invalid_email").max(254, "field.too_long").nullable()
      .optional(),
  ),
});
export type GuestPatch = z.output<typeof guestPatchSchema>;

/**
 * Finds the guest with this phone or creates one (docs/domain-rules.md "Appointment").
 * `input.phone` may be in any Indonesian format; it is canonicalised here.
 * An existing guest keeps their name. Their e-mail is filled only when they had
 * none, only from a desk form (`opts.role` receptionist/admin) and only when no
 * other account uses it; a teacher's form (and a call without `opts.role`) never
 * changes an existing guest (see the module comment).
 * @param opts.role role of the person whose form this is (default: not the desk)
 * @returns the guest and, only when newly created, the generated password (else null)
 * @throws ValidationError `phone` (`guestbook.phone_invalid`: not an Indonesian number;
 *   `guestbook.phone_unavailable`: the number belongs to an account that is not a
 *   guest — the same answer whatever kind it is), `name`, `email` (`guestbook.email_taken`)
 */
export async function findOrCreateGuest(
  input: { name: string; phone: string; email?: string | null },
  opts: { role?: User["role"] } = {},
): Promise<{ guest: User; password: string | null; created: boolean }> {
  const phone = canonicalPhone(input.phone);
  if (!phone) throw new ValidationError({ phone: "guestbook.phone_invalid" });
  const name = input.name.trim();
  if (!name || name.length > 100) {
    throw new ValidationError({
      name: name ? "field.too_long" : "field.required",
    });
  }
  const email = input.email ? input.email.trim().toLowerCase() : null;
  const desk = opts.role !== undefined && isGuestDesk(opts.role);
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await getUserByPhone(phone);
    if (existing) {
      if (existing.role !== "guest") throw phoneUnavailable();
      if (desk && email && !existing.email) {
        try {
          return {
            guest: await updateUser(existing.id, { email }),
            password: null,
            created: false,
          };
        } catch (err) {
          if (err instanceof Conflict && err.code === "email_taken") {
            return { guest: existing, password: null, created: false };
          }
          throw err;
        }
      }
      return { guest: existing, password: null, created: false };
    }
    const password = generatePassword();
    try {
      const guest = await createUser({
        role: "guest",
        name,
        phone,
        email,
        password,
        status: "active",
      });
      return { guest, password, created: true };
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      if (err.code === "email_taken") {
        throw new ValidationError({ email: "guestbook.email_taken" });
      }
      // phone_taken: created concurrently by someone else — loop and find it.
    }
  }
  throw new Conflict("concurrent_update", "error.conflict");
}

/** The one answer for a phone that cannot be a guest's (names no account kind). */
function phoneUnavailable(): ValidationError {
  return new ValidationError({ phone: "guestbook.phone_unavailable" });
}

/** Returns the guest with this id, or null (also null for non-guest users). */
export async function getGuest(id: string): Promise<User | null> {
  if (!isId(id)) return null;
  const u = await getUser(id);
  return u && u.role === "guest" ? u : null;
}

/**
 * Edits a guest's name, phone or e-mail (front desk, docs/domain-rules.md "Guests"). Past
 * appointments keep their name snapshot.
 * @throws NotFound `guest_not_found`; ValidationError `phone` / `email` when taken by another account.
 */
export async function updateGuest(
  id: string,
  patch: GuestPatch,
): Promise<User> {
  const g = await getGuest(id);
  if (!g) throw new NotFound("guest_not_found", "guestbook.guest_not_found");
  const p: Parameters<typeof updateUser>[1] = {};
  if (patch.name !== undefined) p.name = patch.name;
  if (patch.phone !== undefined) p.phone = patch.phone;
  if (patch.email !== undefined) p.email = patch.email;
  try {
    return await updateUser(id, p);
  } catch (err) {
    if (err instanceof Conflict && err.code === "phone_taken") {
      throw new ValidationError({ phone: "guestbook.phone_taken" });
    }
    if (err instanceof Conflict && err.code === "email_taken") {
      throw new ValidationError({ email: "guestbook.email_taken" });
    }
    throw err;
  }
}

/**
 * Turns a search text into what to match: lower-cased text for names and, when
 * it looks like (part of) a phone number, digit strings to find in the canonical
 * number: the digits as typed and, for a leading `0`/`+62`, the canonical form
 * (`0812…` → `62812…`), so both a national number and a fragment like `0003` match.
 */
export function searchTerms(q: string): { text: string; digits: string[] } {
  const text = q.trim().toLowerCase();
  const compact = text.replace(/[\s\-.()]/g, "");
  const digits: string[] = [];
  if (/^\+?\d{3,}$/.test(compact)) {
    const d = compact.replace(/^\+/, "");
    digits.push(d);
    if (d.startsWith("0")) digits.push("62" + d.slice(1));
  }
  return { text, digits };
}

/**
 * Searches guests by name (case-insensitive substring) or phone (any format,
 * substring of the canonical number), newest first. An empty `q` lists all.
 * Scans the user records (one batched listing) until `limit` matches; the
 * cursor continues the scan right after the last match.
 * @param q search text (only the first 100 chars are used)
 * @param opts.limit 1..100 (default 20)
 * @throws BadRequest `invalid_cursor`
 */
export async function searchGuests(
  q: string,
  opts: { cursor?: string | null; limit?: number } = {},
): Promise<{ items: GuestView[]; cursor: string | null }> {
  const { text, digits } = searchTerms(q.slice(0, 100));
  return await scanUsers<GuestView>((u) => {
    if (u.role !== "guest") return null;
    const hit = !text || u.name.toLowerCase().includes(text) || digits.some((d) => (u.phone ?? "").includes(d));
    return hit ? guestView(u) : null;
  }, { cursor: opts.cursor, limit: opts.limit });
}
