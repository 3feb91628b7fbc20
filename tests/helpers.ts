/**
 * Test helpers shared by every capability's tests.
 *
 * ```ts
 * import { appHandler, freshKv, makeUser, signIn, apiLogin, get, post } from "./helpers.ts";
 * Deno.test("…", async () => {
 *   await freshKv();                                  // a new :memory: KV for this test
 *   const handler = await appHandler();                 // the app's fetch handler (built once per process)
 *   const teacher = await makeUser("teacher");          // active, known password (teacher.password)
 *   const { cookie } = await signIn(handler, teacher.email!, teacher.password);
 *   const res = await get(handler, "/teacher", { cookie });
 *   const { token } = await apiLogin(handler, teacher.email!, teacher.password);
 *   const api = await get(handler, "/api/users", { token });
 * });
 * ```
 */
import assert from "node:assert/strict";
import { useKv } from "@/lib/db/kv.ts";
import { config } from "@/lib/config.ts";
import { createUser, type NewUser, type Role, type User } from "@/lib/auth/users.ts";
import { codeFromText, lastMailTo } from "@/lib/mail/mod.ts";
import { SESSION_COOKIE } from "@/lib/auth/sessions.ts";
import { accountMailIdle } from "@/lib/auth/mailer.ts";

/** The app's request handler. */
export type Handler = (req: Request) => Promise<Response>;

/** The site origin used in test requests (also sent as `Origin` on unsafe methods). */
export const ORIGIN = "http://localhost";

/**
 * Opens a new `:memory:` KV and makes it the process KV (each test gets
 * clean data). Returns it so the test can inspect keys or close it.
 */
export async function freshKv(): Promise<Deno.Kv> {
  const kv = await Deno.openKv(":memory:");
  useKv(kv);
  return kv;
}

let handlerPromise: Promise<Handler> | null = null;
/** The app's handler via `buildApp()` from main.ts, built once per test process. */
export function appHandler(): Promise<Handler> {
  handlerPromise ??= (async () => {
    const { buildApp } = await import("@/main.ts");
    const app = await buildApp();
    const h = app.handler() as (
      req: Request,
      info?: unknown,
    ) => Response | Promise<Response>;
    return async (req: Request) => await h(req);
  })();
  return handlerPromise;
}

/** A user made by `makeUser`, with its plain password. */
export type TestUser = User & { password: string };

let seq = 0;
/** Default password of users made by `makeUser`. */
export const TEST_PASSWORD = "correct-horse-battery";

/**
 * Creates an active user of `role` with a known password (`TEST_PASSWORD`
 * unless `overrides.password`). E-mail defaults to `<role><n>@test.local`;
 * guests get a unique canonical phone (`62812…`) and no e-mail.
 */
export async function makeUser(
  role: Role,
  overrides: Partial<NewUser> = {},
): Promise<TestUser> {
  seq++;
  const n = `${Date.now() % 100000}${seq}`;
  const password = overrides.password ?? TEST_PASSWORD;
  const isGuest = role === "guest";
  const user = await createUser({
    role,
    name: `${role[0].toUpperCase()}${role.slice(1)} ${seq}`,
    email: isGuest ? null : `${role}${n}@test.local`,
    phone: isGuest ? `62812${String(seq).padStart(4, "0")}${String(Date.now() % 10000).padStart(4, "0")}` : null,
    gender: role === "client" ? "female" : null,
    birthDate: role === "client" ? "1995-06-15" : null,
    status: "active",
    ...overrides,
    password,
  });
  return { ...user, password };
}

/** Request options of the helpers. */
export interface ReqOpts {
  /** `Cookie` header value (e.g. from `signIn`). */
  cookie?: string;
  /** Bearer token (from `apiLogin`). */
  token?: string;
  headers?: Record<string, string>;
}

function headersOf(opts: ReqOpts, method: string): Headers {
  const h = new Headers(opts.headers);
  if (opts.cookie) h.set("cookie", opts.cookie);
  if (opts.token) h.set("authorization", `Bearer ${opts.token}`);
  if (method !== "GET" && method !== "HEAD" && !h.has("origin")) {
    h.set("origin", ORIGIN);
  }
  return h;
}

/** `GET path`. */
export async function get(
  handler: Handler,
  path: string,
  opts: ReqOpts = {},
): Promise<Response> {
  return await handler(
    new Request(ORIGIN + path, { headers: headersOf(opts, "GET") }),
  );
}

/** Sends a form (`application/x-www-form-urlencoded`), same-origin. */
export async function postForm(
  handler: Handler,
  path: string,
  fields: Record<string, string>,
  opts: ReqOpts = {},
): Promise<Response> {
  const h = headersOf(opts, "POST");
  h.set("content-type", "application/x-www-form-urlencoded");
  return await handler(
    new Request(ORIGIN + path, {
      method: "POST",
      headers: h,
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

/** Sends JSON with `method` (default POST). */
export async function sendJson(
  handler: Handler,
  path: string,
  body: unknown,
  opts: ReqOpts & { method?: string } = {},
): Promise<Response> {
  const method = opts.method ?? "POST";
  const h = headersOf(opts, method);
  h.set("content-type", "application/json");
  return await handler(
    new Request(ORIGIN + path, {
      method,
      headers: h,
      body: JSON.stringify(body),
    }),
  );
}

/** `POST path` with a JSON body. */
export function post(
  handler: Handler,
  path: string,
  body: unknown,
  opts: ReqOpts = {},
): Promise<Response> {
  return sendJson(handler, path, body, { ...opts, method: "POST" });
}

/** The `name=value` pair of a `Set-Cookie` header for `name`, or null. */
export function cookieFrom(
  res: Response,
  name: string = SESSION_COOKIE,
): string | null {
  for (const c of res.headers.getSetCookie()) {
    const pair = c.split(";")[0];
    if (pair.startsWith(name + "=")) return pair;
  }
  return null;
}

/**
 * Signs in through the sign-in form (`POST /signin`) with an e-mail or phone
 * and returns the session cookie (`cookie`, ready for a `Cookie` header), the
 * raw token and the redirect target.
 * @throws AssertionError when sign-in fails
 */
export async function signIn(
  handler: Handler,
  identifier: string,
  password: string,
): Promise<{ cookie: string; token: string; location: string }> {
  const res = await postForm(handler, "/signin", { identifier, password });
  await res.body?.cancel();
  assert.equal(
    res.status,
    303,
    `sign-in of ${identifier} failed with ${res.status}`,
  );
  const cookie = cookieFrom(res);
  assert.ok(cookie, "no session cookie set");
  return {
    cookie,
    token: cookie.slice(SESSION_COOKIE.length + 1),
    location: res.headers.get("location") ?? "",
  };
}

/**
 * Logs in through `POST /api/auth/login` (`email` when the identifier has an
 * `@`, else `phone`) and returns the bearer token and the public user.
 * @throws AssertionError when login fails
 */
export async function apiLogin(
  handler: Handler,
  identifier: string,
  password: string,
): Promise<{ token: string; user: Record<string, unknown> }> {
  const body = identifier.includes("@") ? { email: identifier, password } : { phone: identifier, password };
  const res = await post(handler, "/api/auth/login", body);
  const json = await res.json();
  assert.equal(
    res.status,
    200,
    `API login of ${identifier} failed: ${JSON.stringify(json)}`,
  );
  return { token: json.token, user: json.user };
}

/** The 6-digit code of the newest outbox mail to `email`, or null (after background mails are out). */
export async function lastCode(email: string): Promise<string | null> {
  await accountMailIdle();
  const m = await lastMailTo(email);
  return m ? codeFromText(m.text) : null;
}

/** Counts KV entries under each top-level prefix (to assert that nothing was written). */
export async function countKeys(
  kv: Deno.Kv,
  prefixes: string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const p of prefixes) {
    let n = 0;
    for await (const _ of kv.list({ prefix: [p] })) n++;
    out[p] = n;
  }
  return out;
}

/**
 * An ISO instant `minutes` from now, or now itself when that would fall on
 * the next local day (`config.timeZone`): a guest appointment for "today"
 * that a same-day check-in accepts, whenever the test runs (an appointment
 * made at 23:58 for 00:03 is tomorrow's, and its QR code is refused today).
 */
export function laterToday(minutes: number, nowMs = Date.now()): string {
  const tz = config.timeZone;
  const day = (ms: number) =>
    Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz).toPlainDate().toString();
  const at = nowMs + minutes * 60_000;
  return new Date(day(at) === day(nowMs) ? at : nowMs).toISOString();
}
