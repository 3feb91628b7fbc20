/**
 * Users and credentials in Deno KV (SaaSKit style: plain documented functions).
 *
 * Keys: `users`, `users_by_email`, `users_by_phone`, `users_by_role` and
 * `credentials`, spelled and documented in `keys.ts`.
 *
 * Every write of a user and its indexes is one atomic commit; uniqueness is
 * enforced with `check({ key, versionstamp: null })`.
 */
import { getKv, listPage, type Page, scanPage } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { Conflict, NotFound } from "@/lib/errors.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
import type { z } from "@/lib/validation.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import type { Role, userSchema } from "./schemas.ts";
import * as K from "./keys.ts";

export { ROLES, STAFF_ROLES } from "./schemas.ts";
export type { Role } from "./schemas.ts";

/** A user account (`userSchema` in `./schemas.ts`). Instants are ISO 8601 UTC strings. */
export type User = z.infer<typeof userSchema>;

export interface NewUser {
  role: Role;
  name: string;
  email?: string | null;
  phone?: string | null;
  gender?: "female" | "male" | null;
  birthDate?: string | null;
  lang?: Lang;
  status?: User["status"];
  mustChangePassword?: boolean;
  /** Plain password; hashed here. Omit to create an account without credentials. */
  password?: string;
}

/** True when accounts of `role` sign in by e-mail, so their e-mail is indexed and unique. */
export function indexesEmail(role: Role): boolean {
  return role !== "guest";
}

/** Normalises an e-mail for lookup (trim + lower-case). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Prepares a new user: the record, and `addTo(op)`, which adds its writes and
 * uniqueness checks (id, e-mail, phone) to an atomic operation, so another
 * capability can create an account in the same commit as its own records
 * (e.g. a psychologist's application). After a failed commit, `conflict()`
 * names the index that was taken.
 */
export async function prepareUser(input: NewUser): Promise<{
  user: User;
  addTo(op: Deno.AtomicOperation): Deno.AtomicOperation;
  conflict(): Promise<Conflict>;
}> {
  const now = new Date().toISOString();
  const user: User = {
    schemaVersion: 1,
    id: newId(),
    role: input.role,
    name: input.name.trim(),
    email: input.email ? normalizeEmail(input.email) : null,
    phone: input.phone ?? null,
    gender: input.gender ?? null,
    birthDate: input.birthDate ?? null,
    lang: input.lang ?? "id",
    status: input.status ?? "active",
    mustChangePassword: input.mustChangePassword ?? false,
    createdAt: now,
    updatedAt: now,
  };
  const hash = input.password !== undefined ? await hashPassword(input.password) : null;
  return {
    user,
    addTo(op) {
      op.check({ key: K.userKey(user.id), versionstamp: null })
        .set(K.userKey(user.id), user)
        .set(K.userByRoleKey(user.role, user.id), user.id);
      if (user.email && indexesEmail(user.role)) {
        op.check({ key: K.userByEmailKey(user.email), versionstamp: null }).set(K.userByEmailKey(user.email), user.id);
      }
      if (user.phone) {
        op.check({ key: K.userByPhoneKey(user.phone), versionstamp: null }).set(K.userByPhoneKey(user.phone), user.id);
      }
      if (hash) op.set(K.credentialsKey(user.id), { hash, updatedAt: now });
      return op;
    },
    async conflict() {
      const kv = await getKv();
      if (user.email && indexesEmail(user.role) && (await kv.get(K.userByEmailKey(user.email))).value) {
        return new Conflict("email_taken", "auth.email_taken");
      }
      return new Conflict("phone_taken", "auth.phone_taken");
    },
  };
}

/**
 * Creates a user with its indexes and (optionally) credentials in one atomic commit.
 * @throws Conflict `email_taken` / `phone_taken` when an index key already exists.
 * @example
 * ```ts
 * const teacher = await createUser({ role: "teacher", name: "Ratna Dewi", email: "ratna@school.sch.id", password });
 * const same = await getUserByEmail("RATNA@school.sch.id"); // e-mails are looked up normalised
 * ```
 */
export async function createUser(input: NewUser): Promise<User> {
  const kv = await getKv();
  const prepared = await prepareUser(input);
  const res = await prepared.addTo(kv.atomic()).commit();
  if (!res.ok) throw await prepared.conflict();
  return prepared.user;
}

/** Returns the user or null. */
export async function getUser(id: string): Promise<User | null> {
  const kv = await getKv();
  return (await kv.get<User>(K.userKey(id))).value;
}

/** Returns the user or throws `NotFound`. */
export async function requireUser(id: string): Promise<User> {
  const u = await getUser(id);
  if (!u) throw new NotFound("user_not_found", "error.not_found");
  return u;
}

/** Finds a user by e-mail (any case) or null. */
export async function getUserByEmail(email: string): Promise<User | null> {
  const kv = await getKv();
  const id = (await kv.get<string>(K.userByEmailKey(normalizeEmail(email)))).value;
  return id ? await getUser(id) : null;
}

/** Finds a user by canonical phone or null. */
export async function getUserByPhone(phone: string): Promise<User | null> {
  const kv = await getKv();
  const id = (await kv.get<string>(K.userByPhoneKey(phone))).value;
  return id ? await getUser(id) : null;
}

/** Fields that `updateUser` may change. Changing `email`/`phone` moves the index atomically. */
export type UserPatch = Partial<
  Pick<
    User,
    | "name"
    | "email"
    | "phone"
    | "gender"
    | "birthDate"
    | "lang"
    | "status"
    | "mustChangePassword"
    | "role"
  >
>;

/**
 * Applies `patch` to a user with an optimistic check on its versionstamp
 * (retried up to 5 times), moving e-mail/phone/role indexes in the same commit.
 * @throws NotFound, Conflict `email_taken` / `phone_taken` / `concurrent_update`.
 */
export async function updateUser(id: string, patch: UserPatch): Promise<User> {
  const kv = await getKv();
  for (let attempt = 0; attempt < 5; attempt++) {
    const cur = await kv.get<User>(K.userKey(id));
    if (!cur.value) throw new NotFound("user_not_found", "error.not_found");
    const old = cur.value;
    const next: User = {
      ...old,
      ...patch,
      updatedAt: new Date().toISOString(),
    };
    if (patch.email !== undefined) {
      next.email = patch.email ? normalizeEmail(patch.email) : null;
    }
    if (patch.name !== undefined) next.name = patch.name.trim();
    const op = kv.atomic().check(cur).set(K.userKey(id), next);
    const oldIndexed = old.email && indexesEmail(old.role) ? old.email : null;
    const nextIndexed = next.email && indexesEmail(next.role) ? next.email : null;
    if (nextIndexed !== oldIndexed) {
      if (oldIndexed) op.delete(K.userByEmailKey(oldIndexed));
      if (nextIndexed) {
        op.check({ key: K.userByEmailKey(nextIndexed), versionstamp: null })
          .set(K.userByEmailKey(nextIndexed), id);
      }
    }
    if (next.phone !== old.phone) {
      if (old.phone) op.delete(K.userByPhoneKey(old.phone));
      if (next.phone) {
        op.check({ key: K.userByPhoneKey(next.phone), versionstamp: null })
          .set(K.userByPhoneKey(next.phone), id);
      }
    }
    if (next.role !== old.role) {
      op.delete(K.userByRoleKey(old.role, id)).set(K.userByRoleKey(next.role, id), id);
    }
    const res = await op.commit();
    if (res.ok) return next;
    if (
      nextIndexed && nextIndexed !== oldIndexed &&
      (await kv.get(K.userByEmailKey(nextIndexed))).value
    ) {
      throw new Conflict("email_taken", "auth.email_taken");
    }
    if (
      next.phone !== old.phone && next.phone &&
      (await kv.get(K.userByPhoneKey(next.phone))).value
    ) {
      throw new Conflict("phone_taken", "auth.phone_taken");
    }
  }
  throw new Conflict("concurrent_update", "error.conflict");
}

/**
 * Deletes a never-verified user and its indexes (used when an unverified client
 * registers again). Refuses anything but `pending` accounts.
 */
export async function deletePendingUser(id: string): Promise<void> {
  const kv = await getKv();
  const cur = await kv.get<User>(K.userKey(id));
  if (!cur.value) return;
  if (cur.value.status !== "pending") {
    throw new Conflict("not_pending", "error.conflict");
  }
  const u = cur.value;
  const op = kv.atomic().check(cur).delete(K.userKey(id)).delete(K.userByRoleKey(u.role, id)).delete(
    K.credentialsKey(id),
  );
  if (u.email && indexesEmail(u.role)) op.delete(K.userByEmailKey(u.email));
  if (u.phone) op.delete(K.userByPhoneKey(u.phone));
  await op.commit();
}

/** Sets (hashes and stores) a new password for a user. */
export async function setPassword(
  userId: string,
  password: string,
): Promise<void> {
  const kv = await getKv();
  const hash = await hashPassword(password);
  await kv.set(K.credentialsKey(userId), {
    hash,
    updatedAt: new Date().toISOString(),
  });
}

/** True when `password` matches the user's stored hash (false when none). */
export async function checkPassword(
  userId: string,
  password: string,
): Promise<boolean> {
  const kv = await getKv();
  const cred = (await kv.get<{ hash: string }>(K.credentialsKey(userId))).value;
  if (!cred) return false;
  return await verifyPassword(password, cred.hash);
}

/**
 * Lists users, newest first, optionally of one role and matching `q`
 * (case-insensitive substring of name, e-mail or phone). Cursor-paginated;
 * `limit` 1..100. With `q`, scans the role index (admin screens, small sets).
 */
export async function listUsers(
  opts: { role?: Role; q?: string; cursor?: string | null; limit?: number } = {},
): Promise<Page<User>> {
  const kv = await getKv();
  const limit = Math.min(100, Math.max(1, Math.trunc(opts.limit ?? 20)));
  const q = opts.q?.trim().toLowerCase();
  const selector: Deno.KvListSelector = opts.role
    ? { prefix: K.usersByRolePrefix(opts.role) }
    : { prefix: K.USERS_PREFIX };
  if (!q) {
    if (opts.role) {
      const page = await listPage<string>(kv, selector, {
        cursor: opts.cursor,
        limit,
        reverse: true,
      });
      const users = await getUsers(page.items);
      return {
        items: users.filter((u): u is User => !!u),
        cursor: page.cursor,
      };
    }
    return await listPage<User>(kv, selector, {
      cursor: opts.cursor,
      limit,
      reverse: true,
    });
  }
  // Search: walk the listing until `limit` matches; the cursor continues after the last entry looked at.
  return await scanPage<unknown, User>(kv, selector, async (v) => {
    const u = opts.role ? await getUser(v as string) : (v as User);
    return u && matches(u, q) ? u : null;
  }, { cursor: opts.cursor, limit });
}

function matches(u: User, q: string): boolean {
  if (u.name.toLowerCase().includes(q) || (u.email ?? "").includes(q)) {
    return true;
  }
  // Phone search only for phone-like queries ("0813-7777", "+62 813", "62813…"), at least 4 digits.
  if (!u.phone || !/^[\d\s\-+().]+$/.test(q)) return false;
  const digits = q.replace(/\D/g, "");
  if (digits.length < 4) return false;
  const national = digits.startsWith("0") ? "62" + digits.slice(1) : digits;
  return u.phone.includes(national) || u.phone.includes(digits);
}

/** Reads several users by id (batches of 10, the `getMany` limit). Missing ids give null. */
export async function getUsers(ids: string[]): Promise<(User | null)[]> {
  const kv = await getKv();
  const out: (User | null)[] = [];
  for (let i = 0; i < ids.length; i += 10) {
    const res = await kv.getMany<User[]>(
      ids.slice(i, i + 10).map((id) => K.userKey(id)),
    );
    for (const r of res) out.push(r.value);
  }
  return out;
}

/**
 * Every user of one role, in creation order (the role index, then batched
 * reads). For small sets such as teachers or staff pickers; other capabilities
 * read users through this module, never through the `users*` keys.
 */
export async function usersOfRole(role: Role): Promise<User[]> {
  const kv = await getKv();
  const ids: string[] = [];
  for await (const e of kv.list<string>({ prefix: K.usersByRolePrefix(role) })) ids.push(e.value);
  return (await getUsers(ids)).filter((u): u is User => !!u && u.role === role);
}

/**
 * Scans every user record, newest first, and keeps what `pick` returns (null
 * or undefined skips the user): one page of up to `opts.limit` (1..100,
 * default 20) matches; the cursor continues right after the last user looked at.
 * @throws BadRequest `invalid_cursor`
 */
export async function scanUsers<T>(
  pick: (u: User) => T | null | undefined,
  opts: { cursor?: string | null; limit?: number } = {},
): Promise<Page<T>> {
  const kv = await getKv();
  return await scanPage<User, T>(kv, { prefix: K.USERS_PREFIX }, pick, opts);
}

/**
 * Top-level KV key prefixes owned by the accounts capability (users, their
 * indexes and credentials, sessions, one-time codes, their HMAC key,
 * registration decoys, and the rate-limit windows of `lib/ratelimit.ts`). A
 * test checks that no other capability claims one of them.
 */
export const AUTH_PREFIXES: readonly string[] = [
  "users",
  "users_by_email",
  "users_by_phone",
  "users_by_role",
  "credentials",
  "sessions",
  "sessions_by_user",
  "otp",
  "secrets",
  "registration_decoys",
  "ratelimit",
];
