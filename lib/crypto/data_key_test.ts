/**
 * The data-encryption key module: a key file generated once (0600) and reused,
 * DATA_ENCRYPTION_KEY, rotation with DATA_ENCRYPTION_OLD_KEYS, bad keys refused,
 * and the key never in a KV backup.
 */
import assert from "node:assert/strict";
import { currentKeyId, decodeKey, open, resetDataKeys, seal } from "./data_key.ts";
import { toBase64Url } from "./encoding.ts";
import { useKv } from "@/lib/db/kv.ts";
import { backupKv } from "@/lib/backup.ts";

function withEnv(vars: Record<string, string | undefined>, fn: () => Promise<void>) {
  return async () => {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, Deno.env.get(k)]));
    for (const [k, v] of Object.entries(vars)) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    resetDataKeys();
    try {
      await fn();
    } finally {
      for (const [k, v] of Object.entries(saved)) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
      resetDataKeys();
    }
  };
}

const dir = await Deno.makeTempDir({ prefix: "rp-datakey-" });
const file = `${dir}/secrets/data.key`;

Deno.test(
  "key file: generated on first use with mode 0600, reused afterwards",
  withEnv({ DATA_ENCRYPTION_KEY: undefined, DATA_KEY_FILE: file, DATA_ENCRYPTION_OLD_KEYS: undefined }, async () => {
    const s = await seal("catatan sesi", "note:1");
    const st = await Deno.stat(file);
    assert.equal(st.mode! & 0o777, 0o600);
    const text = await Deno.readTextFile(file);
    assert.ok(decodeKey(text), "32 bytes base64url");
    resetDataKeys();
    assert.equal(await open(s, "note:1"), "catatan sesi", "the same key after a restart");
    assert.equal(await Deno.readTextFile(file), text, "not regenerated");
    assert.equal(s.kid, await currentKeyId());
  }),
);

Deno.test("DATA_ENCRYPTION_KEY and rotation: old values still open, new ones use the new key", async () => {
  const k1 = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const k2 = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))); // standard base64 too
  let old!: Awaited<ReturnType<typeof seal>>;
  await withEnv({ DATA_ENCRYPTION_KEY: k1, DATA_ENCRYPTION_OLD_KEYS: undefined }, async () => {
    old = await seal("lama");
  })();
  await withEnv({ DATA_ENCRYPTION_KEY: k2, DATA_ENCRYPTION_OLD_KEYS: k1 }, async () => {
    const fresh = await seal("baru");
    assert.notEqual(fresh.kid, old.kid);
    assert.equal(await open(old), "lama");
    assert.equal(await open(fresh), "baru");
  })();
  await withEnv({ DATA_ENCRYPTION_KEY: k2, DATA_ENCRYPTION_OLD_KEYS: undefined }, async () => {
    await assert.rejects(open(old), /unknown data key/);
  })();
  await withEnv({ DATA_ENCRYPTION_KEY: "too-short", DATA_ENCRYPTION_OLD_KEYS: undefined }, async () => {
    await assert.rejects(seal("x"), /DATA_ENCRYPTION_KEY/);
  })();
});

Deno.test(
  "a KV backup holds sealed text and no key",
  withEnv({ DATA_ENCRYPTION_KEY: undefined, DATA_KEY_FILE: file }, async () => {
    const kv = await Deno.openKv(":memory:");
    useKv(kv);
    const s = await seal("isi rahasia");
    await kv.set(["chat_msgs", "R", 1], { sealed: s });
    const { path } = await backupKv(`${dir}/backups`, { kv });
    const bytes = await new Response(
      (await Deno.open(path)).readable.pipeThrough(new DecompressionStream("gzip")),
    ).text();
    const key = (await Deno.readTextFile(file)).trim();
    assert.ok(!bytes.includes(key), "the key is not in the backup");
    assert.ok(!bytes.includes("isi rahasia"), "no plain text in the backup");
    for await (const e of Deno.readDir(`${dir}/backups`)) assert.match(e.name, /^ruangpulih-kv-/);
    kv.close();
  }),
);
