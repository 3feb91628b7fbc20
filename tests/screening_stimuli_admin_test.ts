/**
 * The admin page `/admin/screening` (routes/admin/screening/index.tsx): admins only, the three
 * forms each write a new version, refusals re-render with field errors and write nothing,
 * old versions viewable; plus property tests (fast-check via tests/fuzz.ts) of the three forms and
 * of `GET /api/screening/stimuli`: never a 5xx, and the stored versions always satisfy the set
 * rules (exactly 14 active, one per theme) with the pointer on the newest version.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import { apiLogin, appHandler, freshKv, get, makeUser, ORIGIN, postForm, signIn } from "./helpers.ts";
import { png } from "./article_fixtures.ts";
import { EMOTIONS, type MappingTable, type StimulusSet, STYLES, THEMES } from "@/lib/screening/model.ts";
import { activeStimuli, checkSetRules, getActiveStimulusSet, getMappingTable } from "@/lib/screening/stimuli.ts";
import * as K from "@/lib/screening/stimuli_keys.ts";

/** The set table form of `set`, as the page posts it. */
function setForm(set: StimulusSet): Record<string, string> {
  const f: Record<string, string> = { action: "set", baseVersion: String(set.version) };
  set.items.forEach((s, i) => {
    f[`items.${i}.id`] = s.id;
    f[`items.${i}.theme`] = s.theme;
    f[`items.${i}.order`] = String(s.order);
    if (s.active) f[`items.${i}.active`] = "on";
    f[`items.${i}.captionId`] = s.caption.id;
    f[`items.${i}.captionEn`] = s.caption.en;
  });
  return f;
}

/** The mapping grid form of `table`. */
function mappingForm(table: MappingTable): Record<string, string> {
  const f: Record<string, string> = { action: "mapping", baseVersion: String(table.version) };
  for (const t of THEMES) for (const e of EMOTIONS) f[`votes.${t}.${e}`] = table.votes[t][e] ?? "none";
  return f;
}

async function upload(
  h: (r: Request) => Promise<Response>,
  cookie: string,
  fields: Record<string, string>,
  file: Uint8Array | null,
  name = "pic.png",
): Promise<Response> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  if (file) fd.set("file", new File([file as Uint8Array<ArrayBuffer>], name));
  return await h(
    new Request(`${ORIGIN}/admin/screening`, { method: "POST", body: fd, headers: { cookie, origin: ORIGIN } }),
  );
}

/** Every stored set version obeys the set rules, and the pointers name the newest versions. */
async function consistent(kv: Deno.Kv): Promise<void> {
  let newestSet = 0;
  for await (const e of kv.list<StimulusSet>({ prefix: K.setsPrefix() })) {
    checkSetRules(e.value.items);
    assert.equal(e.key[1], e.value.version);
    newestSet = Math.max(newestSet, e.value.version);
  }
  assert.equal((await kv.get(K.currentSetKey())).value, newestSet || null);
  let newestMap = 0;
  for await (const e of kv.list<MappingTable>({ prefix: K.mappingsPrefix() })) {
    assert.deepEqual(Object.keys(e.value.votes), [...THEMES]);
    for (const t of THEMES) {
      for (const em of EMOTIONS) {
        const v = e.value.votes[t][em];
        assert.ok(v === null || STYLES.includes(v));
      }
    }
    newestMap = Math.max(newestMap, e.value.version);
  }
  assert.equal((await kv.get(K.currentMappingKey())).value, newestMap || null, "no table stored yet: no pointer");
}

Deno.test("admin screening: only admins see or post the page", async () => {
  await freshKv();
  const h = await appHandler();
  const anon = await get(h, "/admin/screening");
  assert.equal(anon.status, 303);
  await anon.body?.cancel();
  for (const role of ["client", "psychologist", "teacher"] as const) {
    const u = await makeUser(role);
    const { cookie } = await signIn(h, u.email!, u.password);
    const res = await get(h, "/admin/screening", { cookie });
    assert.equal(res.status, 403, role);
    await res.body?.cancel();
    const post = await postForm(h, "/admin/screening", setForm(await getActiveStimulusSet()), { cookie });
    assert.equal(post.status, 403, role);
    await post.body?.cancel();
  }
  assert.equal((await getActiveStimulusSet()).version, 1);
  const admin = await makeUser("admin");
  const { cookie } = await signIn(h, admin.email!, admin.password);
  const res = await get(h, "/admin/screening", { cookie });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.equal((html.match(/class="stimulus-thumb"/g) ?? []).length, 14);
  assert.equal((html.match(/<select name="votes\./g) ?? []).length, 14 * 7);
  assert.match(html, /src="\/stimuli\/grave\.svg"/);
  const home = await (await get(h, "/admin", { cookie })).text();
  assert.match(home, /href="\/admin\/screening"/);
});

Deno.test("admin screening: the set form saves v2; a 13-active form is refused with its message, nothing written", async () => {
  await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  const { cookie } = await signIn(h, admin.email!, admin.password);
  const v1 = await getActiveStimulusSet();
  const f = setForm(v1);
  f["items.0.captionEn"] = "Kids at play";
  const ok = await postForm(h, "/admin/screening", f, { cookie });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get("location"), "/admin/screening?done=set");
  const v2 = await getActiveStimulusSet();
  assert.equal(v2.version, 2);
  assert.equal(v2.items[0].caption.en, "Kids at play");
  const auditPage = await (await get(h, "/admin/audit", { cookie, headers: { "accept-language": "id" } })).text();
  assert.match(auditPage, /Set gambar skrining diubah/, "the audit log names the action");
  const bad = setForm(v2);
  delete bad["items.3.active"];
  const res = await postForm(h, "/admin/screening", bad, { cookie, headers: { "accept-language": "en" } });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.match(html, /There must be exactly 14 active pictures, one per theme \(now 13\)/);
  assert.equal((await getActiveStimulusSet()).version, 2);
  // The stale form (based on v1) is a 409 with the reload message.
  const stale = await postForm(h, "/admin/screening", setForm(v1), { cookie, headers: { "accept-language": "en" } });
  assert.equal(stale.status, 409);
  assert.match(await stale.text(), /Someone else has just saved a new version/);
  // Version 1 is still viewable, read only.
  const old = await (await get(h, "/admin/screening?set=1", { cookie })).text();
  assert.match(old, /versi lama 1/);
  assert.doesNotMatch(old, /Simpan sebagai versi/);
  const missing = await get(h, "/admin/screening?set=9", { cookie });
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
});

Deno.test("admin screening: the mapping grid saves v2, a bad cell is refused", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  const { cookie } = await signIn(h, admin.email!, admin.password);
  const f = mappingForm((await getMappingTable())!);
  f["votes.bench_alone.neutral"] = "avoidant";
  const ok = await postForm(h, "/admin/screening", f, { cookie });
  assert.equal(ok.status, 303);
  assert.equal((await getMappingTable())!.votes.bench_alone.neutral, "avoidant");
  const bad = mappingForm((await getMappingTable())!);
  bad["votes.grave.sad"] = "joyful";
  const res = await postForm(h, "/admin/screening", bad, { cookie });
  assert.equal(res.status, 400);
  await res.body?.cancel();
  assert.equal((await getMappingTable())!.version, 2);
  await consistent(kv);
});

Deno.test("admin screening: uploading a PNG or a sanitized SVG replaces a theme's picture; junk and entity SVGs are refused", async () => {
  const kv = await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  const { cookie } = await signIn(h, admin.email!, admin.password);
  const fields = {
    action: "upload",
    baseVersion: "1",
    theme: "reunion",
    captionId: "Bertemu",
    captionEn: "Meeting",
    replace: "on",
  };
  const ok = await upload(h, cookie, fields, png(40, 30));
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get("location"), "/admin/screening?done=upload");
  const v2 = await getActiveStimulusSet();
  const reunion = activeStimuli(v2).find((s) => s.theme === "reunion")!;
  assert.match(reunion.imageUrl, /^\/files\/[0-9A-Z]{26}$/);
  const img = await get(h, reunion.imageUrl);
  assert.equal(img.status, 200);
  assert.equal(img.headers.get("content-type"), "image/png");
  assert.equal(img.headers.get("x-content-type-options"), "nosniff");
  await img.body?.cancel();
  const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  const refused = await upload(h, cookie, { ...fields, baseVersion: "2" }, svg, "x.svg");
  assert.equal(refused.status, 400);
  await refused.body?.cancel();
  const none = await upload(h, cookie, { ...fields, baseVersion: "2", captionEn: "" }, null);
  assert.equal(none.status, 400);
  await none.body?.cancel();
  // A stale upload stores no file.
  let files = 0;
  for await (const _ of kv.list({ prefix: ["files"] })) files++;
  const stale = await upload(h, cookie, { ...fields, baseVersion: "1" }, png(41, 30));
  assert.equal(stale.status, 409);
  await stale.body?.cancel();
  let after = 0;
  for await (const _ of kv.list({ prefix: ["files"] })) after++;
  assert.equal(after, files);
  assert.equal((await getActiveStimulusSet()).version, 2);

  // An SVG is accepted only as rebuilt by the allow-list: scripts, handlers, styles and outside links are gone,
  // and it is served with a CSP that runs nothing even on a direct visit. DOCTYPE/entities are refused.
  const hostile = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600" ' +
    'onload="alert(1)"><script>alert(2)</script><style>*{fill:red}</style><rect width="800" height="600" ' +
    'fill="#cde" onclick="alert(3)"/><a href="javascript:alert(4)"><circle cx="400" cy="300" r="90"/></a>' +
    '<image href="https://evil.test/x.png"/><foreignObject><p>x</p></foreignObject></svg>';
  const svgOk = await upload(h, cookie, { ...fields, baseVersion: "2" }, new TextEncoder().encode(hostile), "x.svg");
  assert.equal(svgOk.status, 303);
  const v3 = await getActiveStimulusSet();
  assert.equal(v3.version, 3);
  const drawn = activeStimuli(v3).find((s) => s.theme === "reunion")!;
  const served = await get(h, drawn.imageUrl);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get("content-type"), "image/svg+xml");
  assert.match(served.headers.get("content-security-policy") ?? "", /default-src 'none'.*sandbox/);
  const body = await served.text();
  assert.match(body, /^<svg/);
  assert.match(body, /<rect[^>]*fill="#cde"/, "the drawing is kept");
  assert.match(body, /<circle/, "a refused link's content is kept");
  for (const bad of ["script", "alert", "onload", "onclick", "<style", "evil.test", "foreignObject", "javascript"]) {
    assert.ok(!body.includes(bad), `sanitized: no ${bad}`);
  }
  const entity = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg" ' +
    'viewBox="0 0 10 10"><text>&a;</text></svg>';
  const noEntity = await upload(h, cookie, { ...fields, baseVersion: "3" }, new TextEncoder().encode(entity), "e.svg");
  assert.equal(noEntity.status, 400);
  await noEntity.body?.cancel();
  assert.equal((await getActiveStimulusSet()).version, 3);
  await consistent(kv);
});

Deno.test({
  name: "admin screening fuzz: set, mapping and upload forms — no 5xx, every stored version valid",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const kv = await freshKv();
    const h = await appHandler();
    const admin = await makeUser("admin");
    const { cookie } = await signIn(h, admin.email!, admin.password);
    const value = fc.oneof(
      fc.constantFrom(
        "",
        "on",
        "off",
        "0",
        "1",
        "2",
        "14",
        "99",
        "100",
        "-1",
        "1e9",
        "NaN",
        "secure",
        "anxious",
        "avoidant",
        "none",
        ...THEMES,
        "default-grave",
        "default-reunion",
        "\u0000",
        "a".repeat(400),
        "<script>alert(1)</script>",
      ),
      fc.string({ maxLength: 20 }),
    );
    const key = fc.oneof(
      fc.constantFrom("action", "baseVersion", "theme", "captionId", "captionEn", "replace", "fileId"),
      fc.tuple(fc.integer({ min: 0, max: 45 }), fc.constantFrom("id", "theme", "order", "active", "captionId"))
        .map(([i, f]) => `items.${i}.${f}`),
      fc.tuple(fc.constantFrom(...THEMES, "x"), fc.constantFrom(...EMOTIONS, "joy")).map(([a, b]) => `votes.${a}.${b}`),
    );
    await fuzz(
      t,
      fc.asyncProperty(
        fc.constantFrom("set", "mapping", "raw"),
        fc.dictionary(key, value, { maxKeys: 8 }),
        async (base, extra) => {
          const set = await getActiveStimulusSet();
          const fields = base === "set"
            ? { ...setForm(set), ...extra }
            : base === "mapping"
            ? { ...mappingForm((await getMappingTable())!), ...extra }
            : extra;
          const res = await postForm(h, "/admin/screening", fields, { cookie });
          assert.ok(res.status < 500, `status ${res.status}`);
          assert.ok([303, 400, 403, 404, 409].includes(res.status), `status ${res.status}`);
          await res.body?.cancel();
          await consistent(kv);
        },
      ),
      { numRuns: 60, label: "forms" },
    );
    await fuzz(
      t,
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom("baseVersion", "theme", "captionId", "captionEn", "replace"), value, {
          maxKeys: 5,
        }),
        fc.oneof(
          fc.constant(null),
          fc.uint8Array({ maxLength: 200 }),
          fc.integer({ min: 1, max: 60 }).map((n) => png(n, n)),
        ),
        async (fields, file) => {
          const res = await upload(h, cookie, { action: "upload", ...fields }, file);
          // 429: the file store's 20-uploads-an-hour limit, counted before the body is read.
          assert.ok([303, 400, 409, 429].includes(res.status), `status ${res.status}`);
          await res.body?.cancel();
          await consistent(kv);
        },
      ),
      { numRuns: 40, label: "upload" },
    );
  },
});

Deno.test({
  name: "stimuli API fuzz: hostile query strings and methods — 200/405, never a 5xx",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await freshKv();
    const h = await appHandler();
    const client = await makeUser("client");
    const { token } = await apiLogin(h, client.email!, client.password);
    await fuzz(
      t,
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PUT", "DELETE"),
        fc.string({ maxLength: 40 }),
        fc.constantFrom("id", "en", "fr", "", "*;q=0"),
        async (method, q, lang) => {
          const res = await h(
            new Request(`${ORIGIN}/api/screening/stimuli?${encodeURIComponent(q)}`, {
              method,
              headers: { authorization: `Bearer ${token}`, "accept-language": lang, origin: ORIGIN },
            }),
          );
          assert.ok(res.status < 500, `status ${res.status}`);
          if (method === "GET") {
            assert.equal(res.status, 200);
            const body = await res.json();
            assert.equal(body.items.length, 14);
          } else {
            assert.equal(res.status, 405);
            await res.body?.cancel();
          }
        },
      ),
      { numRuns: 40 },
    );
  },
});
