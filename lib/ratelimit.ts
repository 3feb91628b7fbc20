/**
 * Rate limits kept in Deno KV, so every app process sharing one KV shares the
 * counters (docs/architecture.md "Security baseline").
 *
 * Algorithm: sliding-window estimate over two fixed windows (the approach of
 * Cloudflare's and NGINX's limiters): `estimate = previous × (1 − elapsed/window) + current`.
 * A hit is allowed when `estimate + 1 ≤ limit` and then counted; refused hits are
 * not counted (a user who waits is let in again on time).
 *
 * Key layout (spelled in `auth/keys.ts`): `["ratelimit", name, subject,
 * windowStartMs]` → number (hits),
 * written with `expireIn` = 2 windows (KV deletes it lazily; the value is never
 * read after that anyway because the window start is part of the key).
 *
 * The environment variable `RATE_LIMITS=off` disables every limit (benchmarks
 * that sign in thousands of times from one address); never in production.
 */
import { getKv } from "./db/kv.ts";
import { TooManyRequests } from "./errors.ts";
import { config } from "./config.ts";
import { rateLimitKey, rateLimitPrefix } from "./auth/keys.ts";

/** A limit: at most `limit` hits per `windowSec` seconds per subject. */
export interface Limit {
  limit: number;
  windowSec: number;
}

/**
 * The limits of the accounts capability. Sources: OWASP Authentication Cheat
 * Sheet (throttle per account and per source), ASVS 5.0 V6.3.1; numbers chosen
 * so that a person who mistypes a few times is never blocked, and a school
 * behind one NAT address is not either.
 */
export const LIMITS = {
  /**
   * Sign-in attempts per identity (e-mail or phone) *and* client address;
   * cleared on success. Someone guessing from one address locks only that
   * address out of that account: the owner still signs in from another one
   * (ASVS 5.0 V6.3.1, "lock out the attacker, not the user").
   */
  signin_identity_ip: { limit: 10, windowSec: 15 * 60 },
  /**
   * Sign-in attempts per identity from all addresses together: the slower
   * global brake on a guessing attack spread over many addresses, at most 50
   * tries an hour (ASVS 4.0 V2.2.1 allows up to 100 failed attempts per hour
   * per account). Successful sign-ins are refunded.
   */
  signin_identity: { limit: 50, windowSec: 60 * 60 },
  /**
   * Every sign-in attempt per identity, successful ones included (never refunded): each costs an
   * argon2id verification (tens of ms of CPU, 19 MiB), and since successes are refunded from the
   * other budgets, one account's owner could otherwise sign in in a loop and keep the server busy
   * (OWASP API Security Top 10 2023, API4). Nobody signs in 60 times in 15 minutes.
   */
  signin_identity_total: { limit: 60, windowSec: 15 * 60 },
  /** Sign-in attempts per client IP address. */
  signin_ip: { limit: 100, windowSec: 15 * 60 },
  /** Current-password checks of a signed-in user (password change), per user id. */
  password_check: { limit: 10, windowSec: 15 * 60 },
  /** Desk/admin resets of one guest's password, per guest id. */
  guest_password_reset: { limit: 10, windowSec: 60 * 60 },
  /** OTP code checks per client IP (each code also allows only 5 attempts). */
  otp_verify_ip: { limit: 30, windowSec: 10 * 60 },
  /** OTP mails per target address: one per minute… */
  otp_send_burst: { limit: 1, windowSec: 60 },
  /** …and at most 5 per hour. */
  otp_send: { limit: 5, windowSec: 60 * 60 },
  /** OTP mails requested per client IP. */
  otp_send_ip: { limit: 30, windowSec: 60 * 60 },
  /** Registrations per client IP. */
  register_ip: { limit: 20, windowSec: 60 * 60 },
  /** Booking attempts per client (each holds a slot for the payment window; ASVS 5.0 V2.4.1 anti-automation). */
  booking_create: { limit: 20, windowSec: 60 * 60 },
  /**
   * Chat messages per sender (all conversations together): 30 a minute is more than anyone types
   * in a counselling session and stops a script flooding the other side (ASVS 5.0 V2.4.1).
   * Retries of an already stored message (same client id) are not counted.
   */
  chat_send: { limit: 30, windowSec: 60 },
  /**
   * Public free-slot queries per client IP: a calendar page asks a few windows a minute, a script
   * looping over long windows is slowed (ASVS 5.0 V2.4.1 anti-automation).
   */
  slots_ip: { limit: 120, windowSec: 60 },
  /** Availability-editor previews per psychologist: the editor asks once per change (ASVS 5.0 V2.4.1). */
  availability_preview: { limit: 60, windowSec: 60 },
  /**
   * File uploads per signed-in user, every kind together (`POST /api/files`, the profile photo form):
   * public files are served to anyone, so an account must not turn the store into free hosting
   * (OWASP File Upload Cheat Sheet, "limit the number of uploads"; ASVS 5.0 V2.4.1).
   */
  file_upload: { limit: 20, windowSec: 60 * 60 },
  /** Stored screenings per client a day (docs/domain-rules.md "Emotion screening"): a run takes minutes. */
  screening_create: { limit: 10, windowSec: 24 * 60 * 60 },
  /** Screening consent records per user an hour: one per run is enough. */
  screening_consent: { limit: 30, windowSec: 60 * 60 },
  /**
   * Screening PDF summaries rendered per client an hour: each one costs tens of milliseconds of CPU
   * (pdf-lib), so a loop over `GET /api/screenings/{id}/pdf` must not keep the server busy; a person
   * downloads a summary a few times (OWASP API Security Top 10 2023, API4; ASVS 5.0 V2.4.1).
   */
  screening_pdf: { limit: 30, windowSec: 60 * 60 },
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

/** Result of one hit. `retryAfter` is in whole seconds (0 when allowed). */
export interface RateResult {
  ok: boolean;
  remaining: number;
  retryAfter: number;
}

/** Subjects go into KV keys: keep them short and stable (long ones are hashed). */
async function subjectKey(subject: string): Promise<string> {
  if (subject.length <= 200) return subject;
  const d = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(subject),
  );
  return "sha256:" +
    Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join(
      "",
    );
}

/**
 * Counts one hit of `subject` against the limit `name` (or an explicit `Limit`)
 * and says whether it is allowed. `now` (ms since epoch) is for tests.
 */
export async function hit(
  name: string,
  subject: string,
  limit?: Limit,
  now: number = Date.now(),
): Promise<RateResult> {
  const lim: Limit = limit ?? (LIMITS as Record<string, Limit>)[name];
  if (!lim) throw new Error(`unknown rate limit ${name}`);
  if (!config.rateLimitsEnabled) {
    return { ok: true, remaining: lim.limit, retryAfter: 0 };
  }
  const kv = await getKv();
  const w = lim.windowSec * 1000;
  const start = Math.floor(now / w) * w;
  const elapsed = now - start;
  const sub = await subjectKey(subject);
  const curKey = rateLimitKey(name, sub, start);
  const prevKey = rateLimitKey(name, sub, start - w);
  for (let attempt = 0; attempt < 8; attempt++) {
    const [prev, cur] = await kv.getMany<[number, number]>([prevKey, curKey]);
    const p = prev.value ?? 0;
    const c = cur.value ?? 0;
    const weight = 1 - elapsed / w;
    const estimate = p * weight + c;
    if (estimate + 1 > lim.limit) {
      return {
        ok: false,
        remaining: 0,
        retryAfter: retryAfterSec(lim, p, c, elapsed),
      };
    }
    const res = await kv.atomic().check(cur).set(curKey, c + 1, {
      expireIn: 2 * w,
    }).commit();
    if (res.ok) {
      return {
        ok: true,
        remaining: Math.max(0, Math.floor(lim.limit - estimate - 1)),
        retryAfter: 0,
      };
    }
  }
  // Heavy contention on one subject: refuse briefly rather than let it through.
  return { ok: false, remaining: 0, retryAfter: 1 };
}

/** Seconds until one more hit fits, from the two window counts. */
function retryAfterSec(
  lim: Limit,
  prev: number,
  cur: number,
  elapsedMs: number,
): number {
  const w = lim.windowSec * 1000;
  let waitMs: number;
  if (cur + 1 > lim.limit) {
    // Must wait for the next window, then for `cur` (now "previous") to decay.
    const t = cur > 0 ? w * (1 - (lim.limit - 1) / cur) : 0;
    waitMs = w - elapsedMs + Math.max(0, t);
  } else {
    // prev × (1 − (elapsed + t)/w) + cur + 1 ≤ limit
    const t = prev > 0 ? w * (1 - (lim.limit - 1 - cur) / prev) - elapsedMs : 0;
    waitMs = Math.max(0, t);
  }
  return Math.max(1, Math.ceil(waitMs / 1000));
}

/**
 * Like `hit`, but throws `TooManyRequests(retryAfter)` (HTTP 429 with
 * `Retry-After`) when the limit is reached.
 * @example
 * ```ts
 * await enforce("signin_ip", clientIp(ctx)); // throws TooManyRequests → 429 with Retry-After
 * ```
 */
export async function enforce(
  name: LimitName,
  subject: string,
  now?: number,
): Promise<void> {
  const r = await hit(name, subject, undefined, now);
  if (!r.ok) throw new TooManyRequests(r.retryAfter);
}

/**
 * Gives back one hit of `subject` in the current window (e.g. a sign-in that
 * succeeded, so only failures use up the per-IP budget while every attempt is
 * still counted up front, which keeps concurrent bursts in check).
 */
export async function refund(
  name: LimitName,
  subject: string,
  now: number = Date.now(),
): Promise<void> {
  if (!config.rateLimitsEnabled) return;
  const lim: Limit = LIMITS[name];
  const kv = await getKv();
  const w = lim.windowSec * 1000;
  const start = Math.floor(now / w) * w;
  const key = rateLimitKey(name, await subjectKey(subject), start);
  for (let attempt = 0; attempt < 5; attempt++) {
    const cur = await kv.get<number>(key);
    if (!cur.value) return;
    const res = await kv.atomic().check(cur).set(key, cur.value - 1, { expireIn: 2 * w }).commit();
    if (res.ok) return;
  }
}

/** Forgets the counts of `subject` under `name` (e.g. after a successful sign-in). */
export async function clearLimit(
  name: LimitName,
  subject: string,
): Promise<void> {
  const kv = await getKv();
  const sub = await subjectKey(subject);
  const op = kv.atomic();
  for await (const e of kv.list({ prefix: rateLimitPrefix(name, sub) })) {
    op.delete(e.key);
  }
  await op.commit();
}

/**
 * The client address used as a rate-limit subject. Uses the socket address
 * (`ctx.info.remoteAddr`, Fresh 2 / `Deno.ServeHandlerInfo`); the first entry
 * of `X-Forwarded-For` is used only when `TRUST_PROXY=1` (the app runs behind
 * a reverse proxy that sets it). Returns `"unknown"` when neither is available
 * (in-process tests through `app.handler()`).
 */
export function clientIp(ctx: { req: Request; info?: unknown }): string {
  if (config.trustProxy) {
    const xff = ctx.req.headers.get("x-forwarded-for");
    const first = xff?.split(",")[0]?.trim();
    if (first && first.length <= 64) return first;
  }
  const info = ctx.info as { remoteAddr?: { hostname?: string } } | undefined;
  const host = info?.remoteAddr?.hostname;
  return typeof host === "string" && host ? host : "unknown";
}
