/**
 * Browser sessions and API bearer tokens (docs/architecture.md "Security baseline",
 * OWASP Session Management Cheat Sheet, ASVS 5.0 V7).
 *
 * - A token is 32 random bytes, base64url (43 characters). Only its SHA-256
 *   (hex) is stored, so a KV dump reveals no usable token. The hash is the
 *   session id (`ctx.state.sessionId`).
 * - Browser sessions live in the cookie `__Host-session` (HttpOnly, Secure,
 *   SameSite=Lax, Path=/, no Domain): 30 minutes idle, 12 hours absolute. The
 *   idle deadline slides on use, written at most once a minute.
 * - Bearer tokens (`Authorization: Bearer <token>`, kind "bearer") for the JSON
 *   API: 12 hours absolute, no idle limit. A bearer token is not accepted as a
 *   cookie and vice versa.
 * - A new token is made at every sign-in (no fixation); sign-out deletes the
 *   session; "sign out everywhere" deletes every session of the user.
 *
 * Keys (see `keys.ts`): `["sessions", hash]` → `Session` (with `expireIn` =
 * absolute lifetime), `["sessions_by_user", userId, hash]` → `{ kind, createdAt }`.
 */
import { getKv } from "@/lib/db/kv.ts";
import { getUser, type User } from "./users.ts";
import { toHex } from "./otp.ts";
import { toBase64Url } from "@/lib/crypto/encoding.ts";
import * as K from "./keys.ts";
import { recordActivity, utcDay } from "@/lib/admin/activity.ts";
import { log } from "@/lib/log.ts";

/** Cookie name; the `__Host-` prefix pins it to this host, `Secure` and `Path=/` (RFC 6265bis §4.1.3.2). */
export const SESSION_COOKIE = "__Host-session";
/** Idle timeout of browser sessions (ms): 30 minutes. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** Absolute lifetime of sessions and bearer tokens (ms): 12 hours. */
export const SESSION_ABSOLUTE_MS = 12 * 3600 * 1000;
/** Minimum interval between writes of the sliding idle deadline (ms). */
export const SESSION_TOUCH_MS = 60 * 1000;

export type SessionKind = "cookie" | "bearer";

/** A stored session. Instants are ms since the epoch (UTC). */
export interface Session {
  schemaVersion: 1;
  userId: string;
  kind: SessionKind;
  createdAt: number;
  /** Last time the idle deadline was refreshed. */
  lastSeenAt: number;
  /** Absolute end: `createdAt + SESSION_ABSOLUTE_MS`. */
  expiresAt: number;
}

/** What `resolveRequestUser` found for a request. */
export interface RequestAuth {
  user: User | null;
  /** The session/token id (SHA-256 hex of the token), for sign-out. */
  sessionId: string | null;
  authKind: SessionKind | null;
}

/** SHA-256 of a token as lower-case hex (the session id). */
export async function sessionIdOf(token: string): Promise<string> {
  return toHex(
    new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)),
    ),
  );
}

function randomToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Shape of a token we issue (rejects junk before hashing or touching KV). */
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Creates a session (cookie) or token (bearer) for `userId` and returns the
 * token in clear (give it to the client once; only its hash is stored).
 */
export async function createSession(
  userId: string,
  kind: SessionKind,
  now: number = Date.now(),
): Promise<{ token: string; sessionId: string; expiresAt: number }> {
  const kv = await getKv();
  const token = randomToken();
  const id = await sessionIdOf(token);
  const s: Session = {
    schemaVersion: 1,
    userId,
    kind,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + SESSION_ABSOLUTE_MS,
  };
  await kv.atomic()
    .check({ key: K.sessionKey(id), versionstamp: null })
    .set(K.sessionKey(id), s, { expireIn: SESSION_ABSOLUTE_MS })
    .set(K.sessionByUserKey(userId, id), { kind, createdAt: now }, {
      expireIn: SESSION_ABSOLUTE_MS,
    })
    .commit();
  await noteActivity(userId, now);
  return { token, sessionId: id, expiresAt: s.expiresAt };
}

/** Records the user's activity day for the admin statistics; a failure is logged, never fatal. */
async function noteActivity(userId: string, now: number): Promise<void> {
  try {
    await recordActivity(userId, now);
  } catch (err) {
    log("warn", "activity not recorded", { error: String(err) });
  }
}

/** True while `s` is within its absolute and (for cookies) idle limits. */
export function sessionAlive(s: Session, now: number = Date.now()): boolean {
  if (now >= s.expiresAt) return false;
  if (s.kind === "cookie" && now >= s.lastSeenAt + SESSION_IDLE_MS) {
    return false;
  }
  return true;
}

/**
 * Looks up a token of `kind`: returns the live session and its id, or null
 * (unknown, wrong kind, expired — expired ones are deleted). Refreshes the
 * idle deadline of cookie sessions at most once a minute.
 */
export async function getSession(
  token: string,
  kind: SessionKind,
  now: number = Date.now(),
): Promise<{ id: string; session: Session } | null> {
  if (!TOKEN_RE.test(token)) return null;
  const kv = await getKv();
  const id = await sessionIdOf(token);
  const cur = await kv.get<Session>(K.sessionKey(id));
  const s = cur.value;
  if (!s || s.kind !== kind) return null;
  if (!sessionAlive(s, now)) {
    await endSession(id);
    return null;
  }
  if (kind === "cookie" && now - s.lastSeenAt >= SESSION_TOUCH_MS) {
    const next = { ...s, lastSeenAt: now };
    if (utcDay(s.lastSeenAt) !== utcDay(now)) await noteActivity(s.userId, now);
    // Lost races are harmless: another request refreshed it.
    await kv.atomic().check(cur).set(K.sessionKey(id), next, {
      expireIn: Math.max(1000, s.expiresAt - now),
    }).commit();
    return { id, session: next };
  }
  return { id, session: s };
}

/** Reads a cookie value from a `Cookie` header (first occurrence). */
export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

/** The bearer token of an `Authorization` header, or null. */
export function bearerToken(req: Request): string | null {
  const h = req.headers.get("authorization");
  if (!h) return null;
  const m = h.match(/^Bearer\s+(\S+)\s*$/i);
  return m ? m[1] : null;
}

/**
 * Resolves the signed-in user of a request: the `Authorization: Bearer` token
 * when that header is present (kind "bearer"), else the `__Host-session`
 * cookie (kind "cookie"). Only `active` accounts resolve; deactivated or
 * pending ones give `{ user: null }` (and their session is deleted).
 * Users who must change their password still resolve; see `guard.ts`.
 */
export async function resolveRequestUser(req: Request): Promise<RequestAuth> {
  const none: RequestAuth = { user: null, sessionId: null, authKind: null };
  const bearer = bearerToken(req);
  const kind: SessionKind = bearer !== null || req.headers.has("authorization") ? "bearer" : "cookie";
  const token = kind === "bearer" ? bearer : readCookie(req, SESSION_COOKIE);
  if (!token) return none;
  const found = await getSession(token, kind);
  if (!found) return none;
  const user = await getUser(found.session.userId);
  if (!user || user.status !== "active") {
    await endSession(found.id);
    return none;
  }
  return { user, sessionId: found.id, authKind: kind };
}

/**
 * Whether session `sessionId` still grants `userId` access, for a response that outlives its
 * request (a Server-Sent Events stream, docs/architecture.md "Security baseline"): the session
 * record still exists, is `userId`'s and is within its absolute lifetime, and the account is still
 * active. Signing out, "sign out everywhere", a password reset, deactivation and the 12 h limit
 * make it false. The idle limit is not applied: the open stream is the user's own page.
 * @param sessionId the request's session (`ctx.state.sessionId`); null → false
 */
export async function sessionStillValid(
  sessionId: string | null,
  userId: string,
  now: number = Date.now(),
): Promise<boolean> {
  if (!sessionId) return false;
  const kv = await getKv();
  const [s, u] = await kv.getMany<[Session, User]>([K.sessionKey(sessionId), K.userKey(userId)]);
  return s.value !== null && s.value.userId === userId && now < s.value.expiresAt && u.value?.status === "active";
}

/**
 * The re-check a stream runs before it sends anything new and at every heartbeat:
 * `() => sessionStillValid(sessionId, userId)` (see {@link sessionStillValid}).
 */
export function sessionGate(sessionId: string | null, userId: string): () => Promise<boolean> {
  return () => sessionStillValid(sessionId, userId);
}

/** `Set-Cookie` value that stores a browser session token. */
export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Lax`;
}

/** `Set-Cookie` value that removes the session cookie. */
export function clearSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

/** Deletes one session/token by id (no-op when unknown). */
export async function endSession(sessionId: string): Promise<void> {
  const kv = await getKv();
  const cur = await kv.get<Session>(K.sessionKey(sessionId));
  const op = kv.atomic().delete(K.sessionKey(sessionId));
  if (cur.value) op.delete(K.sessionByUserKey(cur.value.userId, sessionId));
  await op.commit();
}

/**
 * Deletes every session and token of `userId` ("sign out everywhere",
 * deactivation, password reset), except `keepSessionId` when given.
 * Returns how many were ended.
 */
export async function endAllSessions(
  userId: string,
  keepSessionId?: string | null,
): Promise<number> {
  const kv = await getKv();
  const ids: string[] = [];
  for await (const e of kv.list({ prefix: K.sessionsByUserPrefix(userId) })) {
    const id = e.key[2] as string;
    if (id !== keepSessionId) ids.push(id);
  }
  for (let i = 0; i < ids.length; i += 100) {
    const op = kv.atomic();
    for (const id of ids.slice(i, i + 100)) {
      op.delete(K.sessionKey(id)).delete(K.sessionByUserKey(userId, id));
    }
    await op.commit();
  }
  return ids.length;
}

/** Lists the live sessions of a user (profile page: "signed in on N devices"). */
export async function listSessions(
  userId: string,
  now: number = Date.now(),
): Promise<Array<{ id: string; session: Session }>> {
  const kv = await getKv();
  const out: Array<{ id: string; session: Session }> = [];
  for await (const e of kv.list({ prefix: K.sessionsByUserPrefix(userId) })) {
    const id = e.key[2] as string;
    const s = (await kv.get<Session>(K.sessionKey(id))).value;
    if (s && sessionAlive(s, now)) out.push({ id, session: s });
  }
  return out;
}
