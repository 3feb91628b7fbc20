/**
 * The builtin sandbox's server key: generated once (24 random bytes,
 * `SB-Mid-server-` + base64url) and kept in KV like the app's other generated
 * secrets, so notifications it signs are verified exactly as Midtrans' are.
 * Used only when `MIDTRANS_ENV=builtin` and no `MIDTRANS_SERVER_KEY` is set.
 */
import { getKv } from "@/lib/db/kv.ts";
import { toBase64Url } from "@/lib/crypto/encoding.ts";
import { config } from "@/lib/config.ts";
import { secretKey } from "./keys.ts";

const cache = new WeakMap<Deno.Kv, Promise<string>>();

async function loadOrCreate(kv: Deno.Kv): Promise<string> {
  for (let i = 0; i < 3; i++) {
    const cur = await kv.get<{ secret: string }>(secretKey("builtin_server_key"));
    if (cur.value) return cur.value.secret;
    const secret = "SB-Mid-server-" + toBase64Url(crypto.getRandomValues(new Uint8Array(24)));
    const res = await kv.atomic().check(cur).set(secretKey("builtin_server_key"), {
      secret,
      createdAt: new Date().toISOString(),
    }).commit();
    if (res.ok) return secret;
  }
  throw new Error("could not store the builtin Midtrans server key");
}

/** The builtin sandbox's server key (`MIDTRANS_SERVER_KEY` when set, else the generated one). */
export async function builtinServerKey(): Promise<string> {
  if (config.midtransServerKey) return config.midtransServerKey;
  const kv = await getKv();
  let p = cache.get(kv);
  if (!p) {
    p = loadOrCreate(kv);
    cache.set(kv, p);
    p.catch(() => cache.delete(kv));
  }
  return await p;
}
