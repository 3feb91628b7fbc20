/**
 * The data-encryption key: AES-256-GCM (Web Crypto) for sensitive text at rest
 * — chat messages now, session notes and screening results later
 * (docs/architecture.md "Security baseline", docs/domain-rules.md "Chat").
 *
 * Where the key comes from (first that applies):
 * 1. `DATA_ENCRYPTION_KEY`: 32 random bytes, base64 or base64url (e.g. `openssl rand -base64 32`);
 * 2. the key file `DATA_KEY_FILE` (default `./secrets/data-encryption.key`), created with 32 random
 *    bytes (mode 0600) on first start when missing;
 * 3. in tests (`APP_ENV=test`) without either: a random key held in memory only.
 *
 * The key is never written to Deno KV, so it is never in a KV backup (`lib/backup.ts` exports KV
 * entries only): back the key up separately — without it, encrypted text cannot be read.
 *
 * Rotation: each sealed value records the id of its key (`kid` = first 8 bytes of the key's SHA-256,
 * hex). Set a new `DATA_ENCRYPTION_KEY` and list the previous keys in `DATA_ENCRYPTION_OLD_KEYS`
 * (comma-separated): new values use the new key, old values still open.
 *
 * Format (NIST SP 800-38D): a fresh 96-bit random IV per value; the 128-bit tag is part of `ct`.
 * Optional additional data (`aad`, e.g. `chat:<room>:<message id>`) binds a ciphertext to its
 * record, so a value copied to another record does not open.
 */
import { config } from "@/lib/config.ts";
import { fromBase64Url, toBase64Url } from "./encoding.ts";

/** A sealed value as stored in KV (Uint8Array values are native KV values). */
export interface Sealed {
  /** Key id (16 hex chars). */
  kid: string;
  /** 12-byte IV. */
  iv: Uint8Array;
  /** Ciphertext with the 16-byte GCM tag appended. */
  ct: Uint8Array;
}

interface KeyRing {
  current: { kid: string; key: CryptoKey };
  byId: Map<string, CryptoKey>;
}

let ring: Promise<KeyRing> | null = null;

/** Decodes a base64 or base64url key; null unless exactly 32 bytes. */
export function decodeKey(s: string): Uint8Array | null {
  const b = fromBase64Url(s.trim().replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
  return b && b.length === 32 ? b : null;
}

async function importKey(raw: Uint8Array): Promise<{ kid: string; key: CryptoKey }> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw as BufferSource));
  const kid = Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
  const key = await crypto.subtle.importKey("raw", raw as BufferSource, "AES-GCM", false, ["encrypt", "decrypt"]);
  return { kid, key };
}

/** Reads the key file, creating it (32 random bytes, base64url, mode 0600) when missing. */
async function keyFromFile(path: string): Promise<Uint8Array> {
  try {
    const text = await Deno.readTextFile(path);
    const raw = decodeKey(text);
    if (!raw) throw new Error(`data key file ${path} does not hold a 32-byte base64 key`);
    return raw;
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const dir = path.replace(/[\\/][^\\/]*$/, "");
  if (dir && dir !== path) await Deno.mkdir(dir, { recursive: true });
  try {
    // createNew: two processes starting at once never overwrite each other's key.
    await Deno.writeTextFile(path, toBase64Url(raw) + "\n", { createNew: true, mode: 0o600 });
  } catch (err) {
    if (err instanceof Deno.errors.AlreadyExists) return await keyFromFile(path);
    throw err;
  }
  console.warn(`Generated the data-encryption key ${path}: back it up separately (it is not in KV backups).`);
  return raw;
}

async function loadRing(): Promise<KeyRing> {
  let raw: Uint8Array;
  const fromEnv = config.dataEncryptionKey;
  if (fromEnv) {
    const k = decodeKey(fromEnv);
    if (!k) throw new Error("DATA_ENCRYPTION_KEY must be 32 bytes, base64 (openssl rand -base64 32)");
    raw = k;
  } else if (config.mode === "test" && !config.dataKeyFileSet) {
    raw = crypto.getRandomValues(new Uint8Array(32));
  } else {
    raw = await keyFromFile(config.dataKeyFile);
  }
  const current = await importKey(raw);
  const byId = new Map([[current.kid, current.key]]);
  for (const s of config.dataEncryptionOldKeys) {
    const k = decodeKey(s);
    if (!k) throw new Error("DATA_ENCRYPTION_OLD_KEYS: every entry must be a 32-byte base64 key");
    const old = await importKey(k);
    if (!byId.has(old.kid)) byId.set(old.kid, old.key);
  }
  return { current, byId };
}

function keyRing(): Promise<KeyRing> {
  ring ??= loadRing().catch((err) => {
    ring = null;
    throw err;
  });
  return ring;
}

/** Forgets the loaded keys (tests that change the environment). */
export function resetDataKeys(): void {
  ring = null;
}

/** The id of the key new values are sealed with. */
export async function currentKeyId(): Promise<string> {
  return (await keyRing()).current.kid;
}

/**
 * Encrypts `plain` (UTF-8) under the current key.
 * @param aad additional authenticated data the same `open` call must give (binds the value to its record)
 */
export async function seal(plain: string, aad = ""): Promise<Sealed> {
  const { current } = await keyRing();
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(aad) },
    current.key,
    new TextEncoder().encode(plain),
  );
  return { kid: current.kid, iv, ct: new Uint8Array(ct) };
}

/**
 * Decrypts a value of `seal`.
 * @throws Error `unknown data key <kid>` when its key is neither current nor in DATA_ENCRYPTION_OLD_KEYS;
 *   a DOMException (OperationError) when the value or `aad` was altered
 */
export async function open(s: Sealed, aad = ""): Promise<string> {
  const key = (await keyRing()).byId.get(s.kid);
  if (!key) throw new Error(`unknown data key ${s.kid}`);
  const pt = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: s.iv as BufferSource, additionalData: new TextEncoder().encode(aad) },
    key,
    s.ct as BufferSource,
  );
  return new TextDecoder().decode(pt);
}
