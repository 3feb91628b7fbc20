/** Whole-KV backup and restore (docs/domain-rules.md "Retention"): identical data after a round trip. */
import assert from "node:assert/strict";
import { useKv } from "@/lib/db/kv.ts";
import { backupKv, checkBackup, decodeEntry, encodeEntry, isKvEmpty, pruneBackups, restoreKv } from "@/lib/backup.ts";

async function tmpDir(): Promise<string> {
  await Deno.mkdir("tests/.tmp", { recursive: true });
  return await Deno.makeTempDir({ dir: "tests/.tmp", prefix: "backup-" });
}

async function entries(
  kv: Deno.Kv,
): Promise<{ key: Deno.KvKey; value: unknown }[]> {
  const out = [];
  for await (const e of kv.list({ prefix: [] })) {
    out.push({ key: e.key, value: e.value });
  }
  return out;
}

/** A store with every key part type and a wide range of value types. */
async function populate(kv: Deno.Kv): Promise<void> {
  const shared = { x: 1 };
  await kv.set(
    ["str", "a"],
    'text with \n newline, \u2028 separator, "quotes", emoji 🙂 and NUL \u0000',
  );
  await kv.set(["num", 1.5, -0], 42);
  await kv.set(["big", 12345678901234567890n], -98765432109876543210n);
  await kv.set(["bool", true, false], null);
  await kv.set(
    ["bytes", new Uint8Array([0, 1, 255])],
    new Uint8Array([9, 8, 7, 0, 255]),
  );
  await kv.set(["u64"], new Deno.KvU64(18446744073709551615n));
  await kv.set(["date"], new Date("2026-11-20T02:00:00.123Z"));
  await kv.set(["obj"], {
    nested: {
      arr: [1, "two", null, undefined, { three: 3 }],
      map: new Map<unknown, unknown>([["k", 1], [2, [3]]]),
      set: new Set(["a", "b"]),
    },
    special: [NaN, Infinity, -Infinity, -0],
    re: /ab+c/gi,
    when: new Date(0),
    empty: {},
    same1: shared,
    same2: shared,
  });
  await kv.set(["undef"], undefined);
  await kv.set(["large"], "x".repeat(60_000));
  for (let i = 0; i < 1_200; i++) {
    await kv.set(["many", i], { i, label: `item ${i}` });
  }
  await kv.atomic().sum(["counter"], 5n).commit();
}

Deno.test("backup → restore into a fresh :memory: KV gives identical data (every entry deep-equal)", async () => {
  const dir = await tmpDir();
  try {
    const src = await Deno.openKv(":memory:");
    await populate(src);
    const { path, entries: n, bytes } = await backupKv(dir, {
      kv: src,
      now: new Date("2026-11-20T17:00:00Z"),
    });
    assert.match(path, /ruangpulih-kv-2026-11-20T170000Z\.jsonl\.gz$/);
    assert.ok(bytes > 0);
    const expected = await entries(src);
    assert.equal(n, expected.length);
    assert.deepEqual(await checkBackup(path), {
      createdAt: "2026-11-20T17:00:00.000Z",
      entries: n,
    });
    // gzip magic number.
    const head = (await Deno.readFile(path)).subarray(0, 2);
    assert.deepEqual([...head], [0x1f, 0x8b]);

    const dst = await Deno.openKv(":memory:");
    assert.equal(await isKvEmpty(dst), true);
    assert.deepEqual(await restoreKv(path, { kv: dst }), { entries: n });
    const actual = await entries(dst);
    assert.equal(actual.length, expected.length);
    for (let i = 0; i < expected.length; i++) {
      assert.deepEqual(actual[i], expected[i]);
    }
    // Types survived, not just shapes.
    assert.ok((await dst.get(["u64"])).value instanceof Deno.KvU64);
    assert.ok((await dst.get(["counter"])).value instanceof Deno.KvU64);
    assert.ok((await dst.get(["date"])).value instanceof Date);
    const bytesVal = (await dst.get<Uint8Array>(["bytes", new Uint8Array([0, 1, 255])]))
      .value!;
    assert.ok(bytesVal instanceof Uint8Array);
    const obj = (await dst.get<{ same1: object; same2: object }>(["obj"]))
      .value!;
    assert.equal(obj.same1, obj.same2, "shared references kept");
    // The restored counter still counts.
    await dst.atomic().sum(["counter"], 1n).commit();
    assert.equal((await dst.get<Deno.KvU64>(["counter"])).value!.value, 6n);

    // A second restore into the now non-empty store is refused; --force replaces everything.
    await assert.rejects(restoreKv(path, { kv: dst }), /not empty/);
    await dst.set(["extra"], "only in dst");
    await restoreKv(path, { kv: dst, force: true });
    assert.deepEqual(await entries(dst), expected);
    src.close();
    dst.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("backup uses the process KV by default; a truncated or foreign file is refused before writing", async () => {
  const dir = await tmpDir();
  try {
    const kv = await Deno.openKv(":memory:");
    useKv(kv);
    await kv.set(["a"], 1);
    await kv.set(["b"], 2);
    const { path } = await backupKv(dir);
    // Truncated: drop the trailer.
    const text = await new Response(
      (await Deno.open(path)).readable.pipeThrough(
        new DecompressionStream("gzip"),
      ),
    ).text();
    const lines = text.trimEnd().split("\n");
    const write = async (name: string, content: string) => {
      const p = `${dir}/${name}`;
      const body = new Blob([content]).stream().pipeThrough(
        new CompressionStream("gzip"),
      );
      await Deno.writeFile(p, body);
      return p;
    };
    const truncated = await write(
      "t.jsonl.gz",
      lines.slice(0, -1).join("\n") + "\n",
    );
    const miscount = await write(
      "m.jsonl.gz",
      [...lines.slice(0, 2), lines.at(-1)].join("\n") + "\n",
    );
    const foreign = await write(
      "f.jsonl.gz",
      '{"format":"other","version":1}\n{"end":true,"entries":0}\n',
    );
    const garbage = `${dir}/g.jsonl.gz`;
    await Deno.writeFile(garbage, new TextEncoder().encode("not gzip at all"));
    const dst = await Deno.openKv(":memory:");
    await assert.rejects(restoreKv(truncated, { kv: dst }), /truncated/);
    await assert.rejects(restoreKv(miscount, { kv: dst }), /truncated/);
    await assert.rejects(
      restoreKv(foreign, { kv: dst }),
      /unknown file format/,
    );
    await assert.rejects(restoreKv(garbage, { kv: dst }));
    assert.equal(await isKvEmpty(dst), true, "nothing written from a bad file");
    await restoreKv(path, { kv: dst });
    assert.equal((await dst.get(["b"])).value, 2);
    dst.close();
    kv.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pruneBackups removes only our backup files older than 30 days", async () => {
  const dir = await tmpDir();
  try {
    const names = [
      "ruangpulih-kv-2026-10-01T170000Z.jsonl.gz", // old
      "ruangpulih-kv-2026-10-20T170000Z-1.jsonl.gz", // old
      "ruangpulih-kv-2026-10-22T170000Z.jsonl.gz", // 29 days
      "ruangpulih-kv-2026-11-20T170000Z.jsonl.gz", // today
      "notes.txt", // not ours
      "ruangpulih-kv-2020-01-01T000000Z.jsonl.gz.partial", // not a finished backup
    ];
    for (const n of names) await Deno.writeTextFile(`${dir}/${n}`, "x");
    const removed = await pruneBackups(dir, new Date("2026-11-20T17:00:00Z"));
    assert.deepEqual(removed.map((p) => p.split("/").pop()).sort(), [
      names[0],
      names[1],
    ]);
    const left = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name)
      .sort();
    assert.deepEqual(left, [names[2], names[3], names[4], names[5]].sort());
    assert.deepEqual(await pruneBackups(`${dir}/missing`), []);
    // backupKv prunes as it writes; two backups in the same second get distinct names.
    const kv = await Deno.openKv(":memory:");
    const now = new Date("2026-11-20T17:00:00Z");
    const a = await backupKv(dir, { kv, now });
    assert.match(a.path, /T170000Z-1\.jsonl\.gz$/);
    kv.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("entry lines are single lines and round-trip", () => {
  const line = encodeEntry(["k", 1n, new Uint8Array([1])], {
    s: "a\nb\r\u2028",
    u: new Deno.KvU64(3n),
  });
  assert.ok(!line.includes("\n") && !line.includes("\r"));
  const e = decodeEntry(line);
  assert.deepEqual(e.key, ["k", 1n, new Uint8Array([1])]);
  assert.deepEqual(e.value, { s: "a\nb\r\u2028", u: new Deno.KvU64(3n) });
});

Deno.test("deno task backup / restore FILE [--force] on KV files", async () => {
  const dir = await tmpDir();
  const run = async (env: Record<string, string>, ...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", ...args],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout).trim(),
      stderr: new TextDecoder().decode(out.stderr),
    };
  };
  try {
    const src = await Deno.openKv(`${dir}/src.sqlite3`);
    await populate(src);
    const expected = await entries(src);
    src.close();
    const b = await run({
      DENO_KV_PATH: `${dir}/src.sqlite3`,
      BACKUP_DIR: `${dir}/out`,
    }, "tasks/backup.ts");
    assert.equal(b.code, 0, b.stderr);
    assert.match(
      b.stdout,
      /^.*\/out\/ruangpulih-kv-\d{4}-\d{2}-\d{2}T\d{6}Z\.jsonl\.gz$/,
    );
    const dst = `${dir}/dst.sqlite3`;
    const r = await run({ DENO_KV_PATH: dst }, "tasks/restore.ts", b.stdout);
    assert.equal(r.code, 0, r.stderr);
    const again = await run(
      { DENO_KV_PATH: dst },
      "tasks/restore.ts",
      b.stdout,
    );
    assert.equal(again.code, 1);
    assert.match(again.stderr, /not empty/);
    const forced = await run(
      { DENO_KV_PATH: dst },
      "tasks/restore.ts",
      b.stdout,
      "--force",
    );
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(
      (await run({ DENO_KV_PATH: dst }, "tasks/restore.ts")).code,
      2,
    );
    const kv = await Deno.openKv(dst);
    assert.deepEqual(await entries(kv), expected);
    kv.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
