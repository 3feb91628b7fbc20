/**
 * Property tests of the psychologists endpoints and forms (fast-check through
 * tests/fuzz.ts, which prints each seed): the directory API and page, the
 * application form (fields and files), the profile editor, the admin's
 * decision and "new psychologist" forms. Properties:
 * - never a 5xx; API errors as `{ error: { code, message } }`;
 * - nothing half-written: a refused request changes no key of the capability
 *   (nor files, accounts); an accepted application stores account, profile,
 *   application and exactly its files together.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import { appHandler, countKeys, freshKv, get, type Handler, makeUser, ORIGIN, signIn } from "./helpers.ts";
import { makePsychologist } from "./psychologist_fixtures.ts";
import { PSYCHOLOGISTS_PREFIXES } from "@/lib/psychologists/keys.ts";
import { getPsychologist } from "@/lib/psychologists/store.ts";
import { getUserByEmail } from "@/lib/auth/users.ts";
import { applicationOfUser } from "@/lib/psychologists/applications.ts";
import { certificatePdf } from "@/lib/seed/psychologists.ts";
import { drawAvatar } from "@/lib/seed/avatar.ts";
import { CATEGORIES, SERVICE_TYPES } from "@/lib/psychologists/model.ts";

const WATCHED = [...PSYCHOLOGISTS_PREFIXES, "users", "users_by_email", "credentials", "files", "file_chunks"];

const nasty = fc.constantFrom(
  "",
  " ",
  "\u0000\u0001",
  "\ud800",
  "😀".repeat(30),
  "a".repeat(5000),
  "__proto__",
  "-1",
  "1e9",
  "NaN",
  "0",
  "5",
  "4.5",
  "150.000",
  "2026-12-31",
  "2100-12-31",
  "1999-12-31",
  "9999-99-99",
  "<script>alert(1)</script>",
  "01JAAAAAAAAAAAAAAAAAAAAAAA",
  ...CATEGORIES,
  ...SERVICE_TYPES,
  "rating",
  "price",
  "soonest",
);
const text = fc.oneof(nasty, fc.string({ maxLength: 120 }));

/** A query string of directory parameters, plausible and hostile. */
const directoryQuery = fc.dictionary(
  fc.constantFrom(
    "q",
    "category",
    "minRating",
    "minPrice",
    "maxPrice",
    "service",
    "availableOn",
    "sort",
    "cursor",
    "limit",
    "other",
  ),
  text,
  { maxKeys: 6 },
).map((d) => new URLSearchParams(d).toString());

Deno.test("fuzz: the directory API and page answer 200 or a 4xx, never 5xx", async (t) => {
  const kv = await freshKv();
  const handler = await appHandler();
  for (let i = 0; i < 3; i++) await makePsychologist({ name: `Psikolog ${i}` });
  await fuzz(
    t,
    fc.asyncProperty(directoryQuery, async (qs) => {
      const api = await get(handler, `/api/psychologists?${qs}`);
      const body = await api.json();
      assert.ok(api.status === 200 || api.status === 400, `${api.status} for ${qs}`);
      if (api.status === 400) assert.equal(typeof body.error.code, "string");
      else assert.ok(Array.isArray(body.items));
      const page = await get(handler, `/psychologists?${qs}`);
      await page.body?.cancel();
      assert.ok(page.status === 200 || page.status === 400, `page ${page.status} for ${qs}`);
    }),
    { numRuns: 120 },
  );
  const ids = await get(handler, `/api/psychologists/${encodeURIComponent("../../x")}`);
  await ids.body?.cancel();
  assert.equal(ids.status, 404);
  kv.close();
});

type FilePart = { name: string; bytes: Uint8Array };
const filePart: fc.Arbitrary<FilePart> = fc.oneof(
  fc.constant({ name: "sipp.pdf", bytes: certificatePdf("SIPP 1") }),
  fc.constant({ name: "c.png", bytes: drawAvatar("AB", [1, 2, 3], 32) }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ name: "x.pdf", bytes })),
  fc.uint8Array({ maxLength: 100 }).map((b) => ({
    name: "fake.png",
    bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, ...b]),
  })),
  fc.constant({ name: "empty.pdf", bytes: new Uint8Array(0) }),
);

/** A valid application with some fields replaced by hostile values, and 0–4 files. */
const applicationForm = fc.record({
  replace: fc.dictionary(
    fc.constantFrom(
      "name",
      "email",
      "password",
      "title",
      "licenceNumber",
      "specialisations",
      "education",
      "yearsOfExperience",
      "languages",
      "bio",
      "practicePlace",
    ),
    text,
    { maxKeys: 3 },
  ),
  files: fc.array(filePart, { minLength: 0, maxLength: 4 }),
  n: fc.nat(),
});

async function sendApplication(handler: Handler, fields: Record<string, string>, files: FilePart[]): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append("certificates", new File([f.bytes as Uint8Array<ArrayBuffer>], f.name));
  return await handler(
    new Request(`${ORIGIN}/psychologists/apply`, { method: "POST", headers: { origin: ORIGIN }, body: form }),
  );
}

Deno.test("fuzz: the application form never fails with 5xx and never half-writes", async (t) => {
  const kv = await freshKv();
  const handler = await appHandler();
  Deno.env.set("RATE_LIMITS", "off");
  try {
    await fuzz(
      t,
      fc.asyncProperty(applicationForm, async ({ replace, files, n }) => {
        const email = `fuzz${n}-${crypto.randomUUID().slice(0, 8)}@psikolog.test`;
        const fields: Record<string, string> = {
          name: "Wulan Sari",
          email,
          password: "lembayung-senja-di-ujung-bukit",
          licenceNumber: "SIPP 0101-20-2-1",
          specialisations: "stress",
          yearsOfExperience: "4",
          languages: "id",
          ...replace,
        };
        const before = await countKeys(kv, WATCHED);
        const res = await sendApplication(handler, fields, files);
        await res.body?.cancel();
        assert.ok([303, 400, 413].includes(res.status), `status ${res.status}`);
        const target = typeof fields.email === "string" ? fields.email.trim().toLowerCase() : "";
        const user = target.includes("@") ? await getUserByEmail(target) : null;
        if (res.status !== 303 || !user) {
          assert.deepEqual(await countKeys(kv, WATCHED), before, "a refused application writes nothing");
          return;
        }
        const profile = await getPsychologist(user.id);
        const app = await applicationOfUser(user.id);
        assert.ok(profile && app, "account, profile and application together");
        assert.equal(profile.verification, "pending");
        const after = await countKeys(kv, ["files"]);
        assert.equal(after.files - before.files, app.certificateFileIds.length);
      }),
      { numRuns: 40 },
    );
  } finally {
    Deno.env.delete("RATE_LIMITS");
  }
  const stored = (await countKeys(kv, ["psychologist_applications"])).psychologist_applications;
  console.log(`applications accepted: ${stored}`);
  kv.close();
});

/** Form fields of the profile editor and the admin's "new psychologist", some hostile. */
const profileForm = fc.dictionary(
  fc.constantFrom(
    "name",
    "title",
    "licenceNumber",
    "specialisations",
    "education",
    "yearsOfExperience",
    "languages",
    "bio",
    "email",
    "lang",
    "service_type_0",
    "service_duration_0",
    "service_price_0",
    "service_id_0",
    "service_type_3",
    "service_duration_3",
    "service_price_3",
    "service_type_9",
  ),
  text,
  { maxKeys: 6 },
);

async function postUrlencoded(handler: Handler, path: string, fields: Record<string, string>, cookie: string) {
  return await handler(
    new Request(ORIGIN + path, {
      method: "POST",
      headers: { origin: ORIGIN, cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

Deno.test("fuzz: profile editor, admin decision and admin 'new psychologist' answer 303 or 4xx; refusals change nothing", async (t) => {
  const kv = await freshKv();
  const handler = await appHandler();
  const psy = await makePsychologist({ name: "Editor Satu" });
  const admin = await makeUser("admin");
  const psyCookie = (await signIn(handler, psy.email!, psy.password)).cookie;
  const adminCookie = (await signIn(handler, admin.email!, admin.password)).cookie;
  const valid: Record<string, string> = {
    action: "profile",
    name: "Editor Satu",
    licenceNumber: "SIPP 0117-18-2-1",
    specialisations: "anxiety",
    yearsOfExperience: "5",
    languages: "id",
    service_type_0: "chat",
    service_duration_0: "30",
    service_price_0: "150.000",
  };
  await fuzz(
    t,
    fc.asyncProperty(profileForm, async (replace) => {
      const before = await getPsychologist(psy.id);
      const res = await postUrlencoded(handler, "/psychologist/profile", { ...valid, ...replace }, psyCookie);
      await res.body?.cancel();
      assert.ok(res.status === 303 || res.status === 400, `editor ${res.status}`);
      if (res.status === 400) assert.deepEqual(await getPsychologist(psy.id), before, "refused: unchanged");
    }),
    { numRuns: 60, label: "editor" },
  );
  await fuzz(
    t,
    fc.asyncProperty(profileForm, fc.nat(), async (replace, n) => {
      const before = await countKeys(kv, WATCHED);
      const res = await postUrlencoded(handler, "/admin/psychologists/new", {
        ...valid,
        email: `baru${n}-${crypto.randomUUID().slice(0, 6)}@psikolog.test`,
        ...replace,
      }, adminCookie);
      await res.body?.cancel();
      assert.ok(res.status === 303 || res.status === 400, `new ${res.status}`);
      if (res.status === 400) assert.deepEqual(await countKeys(kv, WATCHED), before, "refused: nothing written");
    }),
    { numRuns: 40, label: "admin new" },
  );
  await fuzz(
    t,
    fc.asyncProperty(
      fc.dictionary(fc.constantFrom("decision", "reason", "other"), text, { maxKeys: 3 }),
      fc.constantFrom("01JAAAAAAAAAAAAAAAAAAAAAAA", "nope", "x".repeat(80)),
      async (body, id) => {
        const res = await postUrlencoded(handler, `/admin/psychologists/applications/${id}`, body, adminCookie);
        await res.body?.cancel();
        assert.ok(res.status < 500 && res.status >= 400, `decision ${res.status}`);
      },
    ),
    { numRuns: 30, label: "decision" },
  );
  kv.close();
});
