/**
 * Signed QR tokens for guest appointments (docs/domain-rules.md "QR token").
 *
 * ## Token format (version 1)
 * 36 bytes, base64url without padding = **48 characters**:
 *
 * | bytes  | content                                                        |
 * | ------ | -------------------------------------------------------------- |
 * | 0      | format version (`1`)                                           |
 * | 1      | signing key id (1..255, for rotation)                          |
 * | 2–17   | appointment id (ULID, 128 bits)                                |
 * | 18–19  | appointment's local day, days since 1970-01-01 (uint16, BE)    |
 * | 20–35  | HMAC-SHA256(key, "ruangpulih/qr/v1" ‖ bytes 0–19), first 16 bytes (128 bits) |
 *
 * ## QR text
 * The QR encodes the URL `${BASE_URL}/g/<token>` (see {@link qrText}): a guest's phone
 * camera opens their appointment page (QR, status, review after the meeting), and
 * the desk scanner takes the token out of either form with {@link extractToken}
 * (a bare token is accepted as well; a URL of any other origin is refused as
 * "not our code", see `qr_text.ts`). The token is deterministic for
 * (key id, appointment, day), so the QR can be re-rendered at any time.
 *
 * ## Keys
 * `QR_SECRET` (env) is either one secret (key id 1) or a comma-separated list
 * `id:secret,id:secret` whose first entry signs and all entries verify (rotation:
 * put the new key first, keep the old one until its tokens' days are past).
 * Without `QR_SECRET`, a 32-byte key is generated once and kept in KV under
 * `["settings","qr_secret",keyId]`; {@link rotateQrKey} adds a new one (the highest
 * id signs; older ones still verify).
 *
 * Verification recomputes the HMAC and compares the truncated tag in constant time.
 */
import { config } from "@/lib/config.ts";
import { getKv } from "@/lib/db/kv.ts";
import { bytesEqual, fromBase64Url, toBase64Url } from "@/lib/crypto/encoding.ts";
import { BadRequest } from "@/lib/errors.ts";
import { QR_SECRET_PREFIX, qrSecretKey } from "./keys.ts";
import type { Appointment } from "./model.ts";
import { parseScannedText } from "./qr_text.ts";

/** Current token format version. */
export const QR_TOKEN_VERSION = 1;
/** Length of a token in characters. */
export const QR_TOKEN_LENGTH = 48;
const RAW_LENGTH = 36;
const SIGNED_LENGTH = 20;
const TAG_LENGTH = 16;
const DOMAIN = new TextEncoder().encode("ruangpulih/qr/v1");
const EPOCH = Temporal.PlainDate.from("1970-01-01");

/** The fields carried by a token whose signature checked out. */
export interface QrTokenData {
  version: number;
  keyId: number;
  appointmentId: string;
  /** Local date `YYYY-MM-DD` the token is valid on. */
  localDate: string;
}

// ---------------------------------------------------------------- encoding

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function ulidToBytes(id: string): Uint8Array | null {
  if (!/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(id)) return null;
  let n = 0n;
  for (const ch of id) n = (n << 5n) | BigInt(CROCKFORD.indexOf(ch));
  const out = new Uint8Array(16);
  for (let i = 15; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

function bytesToUlid(b: Uint8Array): string {
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x);
  let s = "";
  for (let i = 0; i < 26; i++) {
    s = CROCKFORD[Number(n & 31n)] + s;
    n >>= 5n;
  }
  return s;
}

function dayNumber(localDate: string): number {
  return EPOCH.until(Temporal.PlainDate.from(localDate), {
    largestUnit: "days",
  }).days;
}

// ---------------------------------------------------------------- keys

interface QrKey {
  id: number;
  key: CryptoKey;
}
interface KeyRing {
  current: QrKey;
  byId: Map<number, QrKey[]>;
}

const encoder = new TextEncoder();

async function importKey(id: number, raw: Uint8Array): Promise<QrKey> {
  const key = await crypto.subtle.importKey(
    "raw",
    raw as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return { id, key };
}

function ring(keys: QrKey[], current: QrKey): KeyRing {
  const byId = new Map<number, QrKey[]>();
  for (const k of keys) byId.set(k.id, [...(byId.get(k.id) ?? []), k]);
  return { current, byId };
}

/**
 * Parses `QR_SECRET`: one secret (key id 1) or `id:secret,id:secret` (first signs).
 * @throws Error when a secret is shorter than 16 characters or an id is outside 1..255.
 */
export function parseQrSecretEnv(
  value: string,
): { id: number; secret: string }[] {
  const parts = value.split(",").map((p) => p.trim()).filter(Boolean);
  const listed = parts.length > 0 && parts.every((p) => /^\d{1,3}:.+$/.test(p));
  const entries = listed
    ? parts.map((p) => {
      const i = p.indexOf(":");
      return { id: Number(p.slice(0, i)), secret: p.slice(i + 1) };
    })
    : [{ id: 1, secret: value }];
  for (const e of entries) {
    if (e.id < 1 || e.id > 255) {
      throw new Error("QR_SECRET: key ids must be 1..255");
    }
    if (e.secret.length < 16) {
      throw new Error("QR_SECRET: each secret must be at least 16 characters");
    }
  }
  return entries;
}

const envRings = new Map<string, Promise<KeyRing>>();
const kvRings = new WeakMap<Deno.Kv, Promise<KeyRing>>();

async function loadKvRing(kv: Deno.Kv): Promise<KeyRing> {
  const stored: { id: number; secret: Uint8Array }[] = [];
  for await (
    const e of kv.list<{ secret: Uint8Array }>({ prefix: QR_SECRET_PREFIX })
  ) {
    stored.push({ id: e.key[2] as number, secret: e.value.secret });
  }
  if (stored.length === 0) {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const res = await kv.atomic()
      .check({ key: qrSecretKey(1), versionstamp: null })
      .set(qrSecretKey(1), { secret, createdAt: new Date().toISOString() })
      .commit();
    if (!res.ok) return await loadKvRing(kv); // another process created it first
    stored.push({ id: 1, secret });
  }
  const keys = await Promise.all(stored.map((s) => importKey(s.id, s.secret)));
  const current = keys.reduce((a, b) => (b.id > a.id ? b : a));
  return ring(keys, current);
}

async function keyRing(reload = false): Promise<KeyRing> {
  const env = config.qrSecret;
  if (env) {
    let p = envRings.get(env);
    if (!p) {
      p = (async () => {
        const keys = await Promise.all(
          parseQrSecretEnv(env).map((e) => importKey(e.id, encoder.encode(e.secret))),
        );
        return ring(keys, keys[0]);
      })();
      envRings.set(env, p);
    }
    return await p;
  }
  const kv = await getKv();
  let p = kvRings.get(kv);
  if (!p || reload) {
    p = loadKvRing(kv);
    kvRings.set(kv, p);
    p.catch(() => kvRings.delete(kv));
  }
  return await p;
}

const lastReload = new WeakMap<Deno.Kv, number>();
/** Unknown key id in a token: re-read the keys from KV at most every 5 s (another process may have rotated). */
async function mayReload(): Promise<boolean> {
  const kv = await getKv();
  const now = Date.now();
  if (now - (lastReload.get(kv) ?? 0) < 5_000) return false;
  lastReload.set(kv, now);
  return true;
}

/** Id of the key that signs new tokens. */
export async function currentQrKeyId(): Promise<number> {
  return (await keyRing()).current.id;
}

/**
 * Adds a new generated signing key (KV mode only); returns its id. Tokens made
 * with older keys keep verifying as long as their keys stay in KV.
 * @throws Error when `QR_SECRET` is set (rotate through the environment) or 255 keys exist.
 */
export async function rotateQrKey(): Promise<number> {
  if (config.qrSecret) {
    throw new Error(
      "QR_SECRET is set: rotate by listing a new key first in QR_SECRET",
    );
  }
  const kv = await getKv();
  const r = await keyRing(true);
  const id = r.current.id + 1;
  if (id > 255) throw new Error("no QR key ids left");
  const res = await kv.atomic()
    .check({ key: qrSecretKey(id), versionstamp: null })
    .set(qrSecretKey(id), {
      secret: crypto.getRandomValues(new Uint8Array(32)),
      createdAt: new Date().toISOString(),
    })
    .commit();
  await keyRing(true);
  if (!res.ok) return await currentQrKeyId();
  return id;
}

// ---------------------------------------------------------------- sign / verify

async function tag(key: CryptoKey, signed: Uint8Array): Promise<Uint8Array> {
  const msg = new Uint8Array(DOMAIN.length + signed.length);
  msg.set(DOMAIN);
  msg.set(signed, DOMAIN.length);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, msg)).subarray(
    0,
    TAG_LENGTH,
  );
}

/**
 * Makes the token for an appointment on its local day.
 * @param appointmentId ULID of the appointment
 * @param localDate the appointment's local date `YYYY-MM-DD`
 * @param keyId key to sign with (default: the current key; pass the
 *   appointment's `qrKeyId` to re-create the same token after a rotation)
 */
export async function signQrToken(
  appointmentId: string,
  localDate: string,
  keyId?: number,
): Promise<string> {
  const r = await keyRing();
  let k = keyId === undefined ? r.current : r.byId.get(keyId)?.[0];
  if (!k && keyId !== undefined) k = (await keyRing(true)).byId.get(keyId)?.[0];
  if (!k) k = r.current;
  const idBytes = ulidToBytes(appointmentId);
  if (!idBytes) throw new TypeError("appointment id is not a ULID");
  const day = dayNumber(localDate);
  if (day < 0 || day > 0xffff) throw new RangeError("date out of range");
  const raw = new Uint8Array(RAW_LENGTH);
  raw[0] = QR_TOKEN_VERSION;
  raw[1] = k.id;
  raw.set(idBytes, 2);
  raw[18] = day >> 8;
  raw[19] = day & 0xff;
  raw.set(await tag(k.key, raw.subarray(0, SIGNED_LENGTH)), SIGNED_LENGTH);
  return toBase64Url(raw);
}

/**
 * Takes the token out of scanned text: our QR URL `${BASE_URL}/g/<token>` (with
 * or without query/fragment) or a bare token; surrounding whitespace is ignored.
 * Returns null when nothing usable is found, including a URL of another origin
 * (see {@link parseScannedText}; {@link verifyQrToken} tells those apart).
 */
export function extractToken(text: string): string | null {
  const r = parseScannedText(text, config.baseUrl);
  return r.kind === "token" ? r.token : null;
}

/**
 * Checks the format and signature of a code (bare token or our QR URL) and
 * returns its fields. Does not look at the appointment or the date.
 * @throws BadRequest `qr_foreign` (a URL that is not `${BASE_URL}/g/<token>`: not our
 *   code), `qr_malformed` (not a token of a known format), `qr_bad_signature`
 *   (unknown key or the tag does not match: forged or altered).
 */
export async function verifyQrToken(code: string): Promise<QrTokenData> {
  const scanned = parseScannedText(code, config.baseUrl);
  if (scanned.kind === "foreign") throw new BadRequest("qr_foreign", "guestbook.qr.foreign");
  const token = scanned.kind === "token" ? scanned.token : null;
  const raw = token && token.length === QR_TOKEN_LENGTH ? fromBase64Url(token) : null;
  if (!raw || raw.length !== RAW_LENGTH || raw[0] !== QR_TOKEN_VERSION) {
    throw new BadRequest("qr_malformed", "guestbook.qr.malformed");
  }
  const keyId = raw[1];
  let candidates = (await keyRing()).byId.get(keyId);
  if (!candidates && !config.qrSecret && (await mayReload())) {
    candidates = (await keyRing(true)).byId.get(keyId);
  }
  let ok = false;
  for (const k of candidates ?? []) {
    const expected = await tag(k.key, raw.subarray(0, SIGNED_LENGTH));
    if (bytesEqual(expected, raw.subarray(SIGNED_LENGTH))) ok = true;
  }
  if (!ok) {
    throw new BadRequest("qr_bad_signature", "guestbook.qr.bad_signature");
  }
  const day = (raw[18] << 8) | raw[19];
  return {
    version: raw[0],
    keyId,
    appointmentId: bytesToUlid(raw.subarray(2, 18)),
    localDate: EPOCH.add({ days: day }).toString(),
  };
}

/** The exact text put into the QR for a token: `${BASE_URL}/g/<token>`. */
export function qrText(token: string): string {
  return `${config.baseUrl}/g/${token}`;
}

/** The QR text of an appointment (`${BASE_URL}/g/<token>`), re-created with its key id. */
export async function appointmentQrCode(
  a: Pick<Appointment, "id" | "localDate" | "qrKeyId">,
): Promise<string> {
  return qrText(await signQrToken(a.id, a.localDate, a.qrKeyId));
}

/** The bare token of an appointment (the part after `/g/`). */
export async function appointmentToken(
  a: Pick<Appointment, "id" | "localDate" | "qrKeyId">,
): Promise<string> {
  return await signQrToken(a.id, a.localDate, a.qrKeyId);
}
