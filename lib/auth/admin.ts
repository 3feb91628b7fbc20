/**
 * Account management by staff: an admin creates, edits, deactivates staff and
 * resets passwords (mailed temporary password); the front desk resets a
 * guest's portal password (shown once). Every action is audit-logged
 * (`lib/audit.ts`).
 */
import { getKv } from "@/lib/db/kv.ts";
import { Conflict, Forbidden, NotFound, ValidationError } from "@/lib/errors.ts";
import { parseInput } from "@/lib/validation.ts";
import { clearLimit, enforce } from "@/lib/ratelimit.ts";
import { audit } from "@/lib/audit.ts";
import { sendAccountMail } from "./mailer.ts";
import { endAllSessions } from "./sessions.ts";
import * as S from "./schemas.ts";
import * as K from "./keys.ts";
import {
  createUser,
  getUser,
  type Role,
  setPassword,
  STAFF_ROLES,
  updateUser,
  type User,
  type UserPatch,
} from "./users.ts";

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
 * Roles whose e-mail address only its owner changes (profile page, with a code sent to the new address): their
 * accounts hold session notes, screenings and chats, and an admin who could set the address and then reset the
 * password would sign in as them (docs/domain-rules.md "Accounts").
 */
export const SELF_SERVICE_EMAIL_ROLES: readonly Role[] = ["client", "psychologist"];

/**
 * Updates a user as an admin (name, e-mail, phone, gender, birth date,
 * language, status). Deactivating ends every session; an admin cannot
 * deactivate themself. Audited as `user.update` (and `user.deactivate`).
 * The e-mail of a client or psychologist cannot be changed here ({@link SELF_SERVICE_EMAIL_ROLES}).
 * @throws Forbidden, NotFound, ValidationError (`email_self_service` for such an e-mail change),
 *   Conflict `cannot_deactivate_self`
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
  if (
    input.email !== undefined && input.email !== target.email && SELF_SERVICE_EMAIL_ROLES.includes(target.role)
  ) {
    throw new ValidationError({ email: "auth.admin.email_self_service" }, "error.validation", "email_self_service");
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
  for await (const e of kv.list({ prefix: K.usersByRolePrefix() })) {
    const role = e.key[1] as Role;
    if (role in out) out[role]++;
  }
  return out;
}

/**
 * Gives a guest a new portal password at the front desk (receptionist or
 * admin): for guests who forgot theirs, above all those without an e-mail,
 * who cannot use the forgotten-password mail. The new password is returned
 * once for the desk to hand over (never stored in clear, never mailed);
 * every session of the guest ends and the guest's global sign-in limit is
 * lifted. Audited as `guest.reset_password`. At most 10 resets per guest an hour.
 * @returns the guest and the new password (show it once, on a `no-store` page)
 * @throws Forbidden (actor not receptionist/admin), NotFound `guest_not_found`, TooManyRequests
 */
export async function deskResetGuestPassword(
  actor: User,
  guestId: string,
): Promise<{ guest: User; password: string }> {
  if (!(actor.role === "receptionist" || actor.role === "admin") || actor.status !== "active") {
    throw new Forbidden();
  }
  const guest = typeof guestId === "string" && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(guestId) ? await getUser(guestId) : null;
  if (!guest || guest.role !== "guest") throw new NotFound("guest_not_found", "guestbook.guest_not_found");
  await enforce("guest_password_reset", guest.id);
  const password = temporaryPassword();
  await setPassword(guest.id, password);
  const ended = await endAllSessions(guest.id);
  if (guest.phone) await clearLimit("signin_identity", guest.phone);
  await audit(actor.id, "guest.reset_password", `user:${guest.id}`, { sessionsEnded: ended });
  return { guest, password };
}
