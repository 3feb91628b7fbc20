/**
 * Role guards for route handlers: deny by default (docs/architecture.md "Security baseline").
 *
 * `requireUser` / `requireRole` return the signed-in user or throw:
 * - `Unauthorized` when nobody is signed in (the error middleware sends HTML
 *   page requests to `/signin?next=…`, API requests get 401 JSON);
 * - `Forbidden` for the wrong role (403 page / JSON);
 * - `Forbidden("password_change_required")` when the user still has a
 *   temporary password, except on the pages that let them change it.
 *
 * Ownership of objects is checked by each capability's `lib/` functions.
 */
import { Forbidden, Unauthorized } from "@/lib/errors.ts";
import type { Role, User } from "./users.ts";

/** The part of a Fresh context the guards read. */
export interface GuardCtx {
  state: { user: User | null; authKind?: "cookie" | "bearer" | null };
  url?: URL;
  req?: Request;
}

/** Where a user with a temporary password is sent. */
export const FIRST_PASSWORD_PATH = "/first-password";

/**
 * Paths a user who must change their password may still use (prefix match on
 * path segments): the change form itself, sign-out, language switch, static
 * files and the about/health pages, and the API calls to change the password
 * or log out. The one list of these paths: the root middleware
 * (lib/http/middleware.ts) and `mustChangePasswordRedirect` both ask
 * `allowedDuringPasswordChange`.
 */
export const PASSWORD_CHANGE_ALLOWED: readonly string[] = [
  FIRST_PASSWORD_PATH,
  "/signout",
  "/lang",
  "/about",
  "/healthz",
  "/static",
  "/_fresh",
  "/favicon.ico",
  "/styles.css",
  "/api/auth/change-password",
  "/api/auth/logout",
  "/api/openapi.json",
];

/** True when `pathname` is one a user with `mustChangePassword` may open. */
export function allowedDuringPasswordChange(pathname: string): boolean {
  return PASSWORD_CHANGE_ALLOWED.some((p) => pathname === p || pathname.startsWith(p + "/")) ||
    /^\/[^/]+\.(css|js|png|svg|ico|webp|woff2?)$/.test(pathname);
}

/**
 * Returns the signed-in user or throws `Unauthorized`. Users with a temporary
 * password get `Forbidden("password_change_required")` unless
 * `opts.allowPasswordChange` is set (the first-password page, sign-out).
 */
export function requireUser(
  ctx: GuardCtx,
  opts: { allowPasswordChange?: boolean } = {},
): User {
  const user = ctx.state.user;
  if (!user || user.status !== "active") throw new Unauthorized();
  if (user.mustChangePassword && !opts.allowPasswordChange) {
    throw new Forbidden(
      "password_change_required",
      "auth.password_change_required",
    );
  }
  return user;
}

/**
 * Returns the signed-in user when their role is one of `roles`; otherwise
 * throws `Unauthorized` (nobody signed in) or `Forbidden` (wrong role).
 */
export function requireRole(ctx: GuardCtx, ...roles: Role[]): User {
  const user = requireUser(ctx);
  if (!roles.includes(user.role)) throw new Forbidden();
  return user;
}

/**
 * For the middleware, after the user is resolved: when the user must change
 * their password and the request is not one of the allowed paths, returns a
 * 303 redirect to `/first-password` for page requests, or throws
 * `Forbidden("password_change_required")` for `/api/` requests. Returns null
 * when the request may continue.
 */
export function mustChangePasswordRedirect(
  ctx: GuardCtx & { url: URL },
): Response | null {
  const user = ctx.state.user;
  if (!user?.mustChangePassword) return null;
  const path = ctx.url.pathname;
  if (allowedDuringPasswordChange(path)) return null;
  if (path === "/api" || path.startsWith("/api/")) {
    throw new Forbidden(
      "password_change_required",
      "auth.password_change_required",
    );
  }
  return new Response(null, {
    status: 303,
    headers: { location: FIRST_PASSWORD_PATH },
  });
}

/** Home path of each role (`/home` redirects there). */
export const ROLE_HOME: Readonly<Record<Role, string>> = {
  client: "/client",
  psychologist: "/psychologist",
  teacher: "/teacher",
  receptionist: "/frontdesk",
  admin: "/admin",
  guest: "/guest",
};

/** Placeholder origin for resolving a `next` path; never sent anywhere. */
const NEXT_BASE = "http://next.invalid";

/**
 * A safe local redirect target from a `next` parameter: only same-origin
 * absolute paths (`/x`, not `//x` or `/\x`), else `fallback`. The result is
 * the path as the URL parser serialises it (RFC 3986 percent-encoding), so it
 * is always a valid `Location` header value: a raw `/ā` or U+2028 used to make
 * `new Headers({ location })` throw (500 after a successful sign-in), and dot
 * segments are resolved before the `//` check (`/.//evil` would otherwise
 * become `//evil`, another host). docs/architecture.md "Security baseline".
 */
export function safeNext(next: unknown, fallback = "/home"): string {
  if (typeof next !== "string" || next.length > 500) return fallback;
  if (
    !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
  ) return fallback;
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, NEXT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== NEXT_BASE) return fallback;
  const path = url.pathname + url.search + url.hash;
  if (path.startsWith("//") || path.length > 2000) return fallback;
  return path;
}
