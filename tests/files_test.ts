/**
 * The shared file store: magic bytes decide the type, limits (size while
 * streaming, image dimensions), chunked storage, and the headers a file is
 * served with (real KV, real HTTP through the app's handler).
 */
import assert from "node:assert/strict";
import { png } from "./article_fixtures.ts";
import { CHUNK_BYTES, getFile, readFileBytes, saveFile } from "@/lib/files/store.ts";
import { Forbidden, ValidationError } from "@/lib/errors.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { apiLogin, appHandler, freshKv, get, makeUser, ORIGIN } from "./helpers.ts";

/** A minimal baseline JPEG header (SOI, JFIF APP0, SOF0 with the size, EOI): enough for type and size sniffing. */
function jpeg(w: number, h: number): Uint8Array {
  return new Uint8Array([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0x00,
    0x10,
    0x4a,
    0x46,
    0x49,
    0x46,
    0x00,
    0x01,
    0x01,
    0x00,
    0x00,
    0x01,
    0x00,
    0x01,
    0x00,
    0x00,
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    h >> 8,
    h & 255,
    w >> 8,
    w & 255,
    0x03,
    0x01,
    0x22,
    0x00,
    0x02,
    0x11,
    0x01,
    0x03,
    0x11,
    0x01,
    0xff,
    0xd9,
  ]);
}

async function upload(body: BodyInit, token: string, type = "image/png", kind = "article_cover") {
  const h = await appHandler();
  return await h(
    new Request(`${ORIGIN}/api/files?kind=${kind}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": type, origin: ORIGIN },
      body,
    }),
  );
}

Deno.test("files: magic bytes decide the type, not the name or Content-Type", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  const { token } = await apiLogin(h, admin.email!, admin.password);
  const res = await upload(png(40, 30) as Uint8Array<ArrayBuffer>, token, "image/jpeg");
  assert.equal(res.status, 201);
  const { file, url } = await res.json();
  assert.equal(file.type, "image/png");
  assert.deepEqual([file.width, file.height], [40, 30]);
  const j = await upload(jpeg(800, 600) as Uint8Array<ArrayBuffer>, token, "image/png");
  assert.equal(j.status, 201);
  assert.equal((await j.json()).file.type, "image/jpeg");
  for (
    const bad of [
      new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      new TextEncoder().encode("<html><script>alert(1)</script></html>"),
      new TextEncoder().encode("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"),
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]), // PNG signature, no header
      new Uint8Array(0),
    ]
  ) {
    const r = await upload(bad as Uint8Array<ArrayBuffer>, token, "image/png");
    assert.equal(r.status, 400, new TextDecoder().decode(bad));
    const body = await r.json();
    const expected = ["files.type_not_allowed", "files.empty"].map((k) => translate("id", k));
    assert.ok(expected.includes(body.error.fields.file), JSON.stringify(body));
  }
  // Served with its sniffed type and the hardening headers.
  const served = await get(h, url);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get("content-type"), "image/png");
  assert.equal(served.headers.get("x-content-type-options"), "nosniff");
  assert.equal(served.headers.get("content-security-policy"), "sandbox");
  assert.match(served.headers.get("content-disposition")!, /^inline; filename="[0-9A-Z]{26}\.png"$/);
  assert.equal(served.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal(served.headers.get("etag"), `"${file.sha256}"`);
  assert.deepEqual(new Uint8Array(await served.arrayBuffer()), png(40, 30));
  const again = await get(h, url, { headers: { "if-none-match": `"${file.sha256}"` } });
  assert.equal(again.status, 304);
  assert.equal((await get(h, "/files/01JAAAAAAAAAAAAAAAAAAAAAAA")).status, 404);
  assert.equal((await get(h, "/files/..%2F..%2Fetc")).status, 404);
  kv.close();
});

Deno.test("files: an oversized streamed upload is cut off with 413 without reading it all", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  const { token } = await apiLogin(h, admin.email!, admin.password);
  let pulled = 0;
  const total = 20 * 1024 * 1024;
  const head = png(10, 10);
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (pulled >= total) return c.close();
      const chunk = pulled === 0 ? head : new Uint8Array(64 * 1024);
      pulled += chunk.byteLength;
      c.enqueue(chunk);
    },
  });
  const res = await upload(stream, token);
  assert.equal(res.status, 413);
  assert.ok(pulled < 2 * 1024 * 1024 + 4 * 64 * 1024, `read ${pulled} of ${total} bytes`);
  // A declared Content-Length over the limit is refused before reading.
  const r2 = await h(
    new Request(`${ORIGIN}/api/files?kind=article_cover`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, origin: ORIGIN, "content-length": String(3 * 1024 * 1024) },
      body: new Uint8Array(10),
    }),
  );
  assert.equal(r2.status, 413);
  let count = 0;
  for await (const _ of kv.list({ prefix: ["file_chunks"] })) count++;
  assert.equal(count, 0, "nothing stored");
  kv.close();
});

Deno.test("files: images over 4000 px a side are refused; big files are chunked and read back intact", async () => {
  const kv = await freshKv();
  const admin = await makeUser("admin");
  await assert.rejects(
    saveFile(png(4001, 1), "article_cover", admin),
    (e) => e instanceof ValidationError && e.fields.file === "files.dimensions",
  );
  await assert.rejects(
    saveFile(jpeg(1000, 5000), "article_cover", admin),
    (e) => e instanceof ValidationError && e.fields.file === "files.dimensions",
  );
  const big = png(700, 700, true);
  assert.ok(big.byteLength > 10 * CHUNK_BYTES && big.byteLength <= 2 * 1024 * 1024, String(big.byteLength));
  const f = await saveFile(big, "article_cover", admin);
  assert.equal(f.chunks, Math.ceil(big.byteLength / CHUNK_BYTES));
  assert.ok(f.chunks > 10, "more than one commit of chunks");
  for await (const e of kv.list<Uint8Array>({ prefix: ["file_chunks", f.id] })) {
    assert.ok(e.value.byteLength <= CHUNK_BYTES);
  }
  assert.deepEqual(await readFileBytes((await getFile(f.id))!), big);
  // The same public content is the same file.
  assert.equal((await saveFile(big, "article_cover", admin)).id, f.id);
  const tooBig = png(1000, 1000, true);
  await assert.rejects(
    saveFile(tooBig, "article_cover", admin),
    (e) => e instanceof ValidationError && e.fields.file === "files.too_big",
  );
  kv.close();
});

Deno.test("files: only admins upload covers", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  for (const role of ["client", "teacher", "receptionist", "psychologist"] as const) {
    const u = await makeUser(role);
    await assert.rejects(saveFile(png(2, 2), "article_cover", u), Forbidden);
    const { token } = await apiLogin(h, u.email!, u.password);
    const r = await upload(png(2, 2) as Uint8Array<ArrayBuffer>, token);
    assert.equal(r.status, 403);
    await r.body?.cancel();
  }
  const anon = await h(
    new Request(`${ORIGIN}/api/files?kind=article_cover`, { method: "POST", headers: { origin: ORIGIN }, body: "x" }),
  );
  assert.equal(anon.status, 401);
  await anon.body?.cancel();
  let count = 0;
  for await (const _ of kv.list({ prefix: ["files"] })) count++;
  assert.equal(count, 0);
  kv.close();
});

Deno.test("files: chunks left by an interrupted upload are swept after an hour; stored files are kept", async () => {
  const kv = await freshKv();
  const admin = await makeUser("admin");
  const kept = await saveFile(png(4, 4), "article_cover", admin);
  const { idAt } = await import("@/lib/db/ids.ts");
  const { sweepOrphanChunks } = await import("@/lib/files/store.ts");
  const now = Date.now();
  const old = idAt(now - 2 * 3600_000);
  const fresh = idAt(now - 60_000);
  for (const id of [old, fresh]) {
    await kv.set(["file_chunks", id, 0], new Uint8Array(10));
    await kv.set(["file_chunks", id, 1], new Uint8Array(10));
  }
  assert.equal(await sweepOrphanChunks(new Date(now)), 1);
  const left = new Set<string>();
  for await (const e of kv.list({ prefix: ["file_chunks"] })) left.add(String(e.key[1]));
  assert.deepEqual([...left].sort(), [kept.id, fresh].sort());
  assert.deepEqual(await readFileBytes((await getFile(kept.id))!), png(4, 4));
  kv.close();
});

Deno.test("files: the 21st upload of a user in an hour is 429 before its body is read, every kind together", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const psy = await makeUser("psychologist");
  const { token } = await apiLogin(h, psy.email!, psy.password);
  for (let n = 1; n <= 20; n++) {
    const r = await upload(png(n, 1) as Uint8Array<ArrayBuffer>, token, "image/png", "psychologist_photo");
    assert.equal(r.status, 201, `upload ${n}`);
    await r.body?.cancel();
  }
  // Not a valid image: a limit checked after the body would answer 400.
  const limited = await upload("not an image", token, "image/png", "psychologist_photo");
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get("retry-after")) >= 1);
  assert.equal((await limited.json()).error.code, "rate_limited");
  // Another user is not affected.
  const other = await makeUser("psychologist");
  const t2 = (await apiLogin(h, other.email!, other.password)).token;
  const ok = await upload(png(1, 1) as Uint8Array<ArrayBuffer>, t2, "image/png", "psychologist_photo");
  assert.equal(ok.status, 201);
  // Same bytes from another owner are a file of their own (never shared, see the next test).
  assert.equal((await ok.json()).file.ownerId, other.id);
  kv.close();
});

Deno.test("files: replacing or removing a psychologist's photo deletes the old file; another owner's copy stays", async () => {
  const kv = await freshKv();
  const { createPsychologistProfile, setPsychologistPhoto } = await import("@/lib/psychologists/store.ts");
  const { profileInput } = await import("./psychologist_fixtures.ts");
  const psy = await makeUser("psychologist");
  const twin = await makeUser("psychologist");
  await createPsychologistProfile(psy.id, profileInput(psy.name), { verification: "verified" });
  await createPsychologistProfile(twin.id, profileInput(twin.name), { verification: "verified" });
  const first = await saveFile(png(10, 10), "psychologist_photo", psy);
  const twinCopy = await saveFile(png(10, 10), "psychologist_photo", twin);
  assert.notEqual(twinCopy.id, first.id);
  await setPsychologistPhoto(psy, psy.id, first.id);
  await setPsychologistPhoto(twin, twin.id, twinCopy.id);
  const second = await saveFile(png(12, 12), "psychologist_photo", psy);
  await setPsychologistPhoto(psy, psy.id, second.id);
  assert.equal(await getFile(first.id), null, "old photo deleted");
  assert.equal((await kv.list({ prefix: ["file_chunks", first.id] }).next()).done, true, "its chunks too");
  assert.ok(await getFile(twinCopy.id), "the other owner's copy stays");
  await setPsychologistPhoto(psy, psy.id, second.id); // same photo again: kept
  assert.ok(await getFile(second.id));
  await setPsychologistPhoto(psy, psy.id, null);
  assert.equal(await getFile(second.id), null, "removed photo deleted");
  kv.close();
});

Deno.test("files: the daily sweep deletes psychologist photos no profile uses, after an hour", async () => {
  const kv = await freshKv();
  const { createPsychologistProfile, sweepUnreferencedPhotos } = await import("@/lib/psychologists/store.ts");
  const { profileInput } = await import("./psychologist_fixtures.ts");
  const { runDailyJobs } = await import("@/lib/jobs.ts");
  const psy = await makeUser("psychologist");
  const admin = await makeUser("admin");
  const used = await saveFile(png(5, 5), "psychologist_photo", psy);
  await createPsychologistProfile(psy.id, profileInput(psy.name), { verification: "verified", photoFileId: used.id });
  const loose = await saveFile(png(6, 6), "psychologist_photo", psy);
  const cover = await saveFile(png(7, 7), "article_cover", admin);
  const now = Date.now();
  assert.equal(await sweepUnreferencedPhotos(new Date(now + 30 * 60_000)), 0, "younger than an hour: kept");
  assert.ok(await getFile(loose.id));
  const dir = await Deno.makeTempDir({ prefix: "daily-photos-" });
  Deno.env.set("BACKUP_DIR", dir);
  try {
    await runDailyJobs(new Date(now + 61 * 60_000));
  } finally {
    Deno.env.delete("BACKUP_DIR");
    await Deno.remove(dir, { recursive: true });
  }
  assert.equal(await getFile(loose.id), null, "unreferenced photo deleted by the daily job");
  assert.ok(await getFile(used.id), "the profile's photo stays");
  assert.ok(await getFile(cover.id), "other kinds are not this sweep's");
  kv.close();
});
