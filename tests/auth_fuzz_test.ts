/**
 * Property-based tests (fast-check, 500 runs per endpoint): random and hostile
 * bodies — wrong types, huge strings, unicode, control characters,
 * prototype-pollution keys, missing fields, broken JSON/forms, wrong content
 * types — thrown at EVERY accounts endpoint, JSON and form. Properties:
 * - never a 5xx;
 * - JSON endpoints answer errors as `{ error: { code, message } }`;
 * - nothing is created or changed from invalid input (KV entries of users,
 *   credentials, sessions, codes, audit log and outbox counted before and
 *   after; the target users compared field by field).
 *
 * Each structured body starts from a valid one and corrupts at least one field
 * with a value that field's rule refuses, so no body is valid — and invalid
 * input is refused before any password hashing, which keeps 500 runs fast.
 * The rule judges the value as it is sent (see `onTheWire`: `Infinity` is sent
 * as `null`, lone surrogates in forms as U+FFFD), never the generated value.
 * Seeds: see tests/fuzz.ts (`FC_SEED`, `FC_PATH`, `FC_NUM_RUNS`).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { asText, fuzz } from "./fuzz.ts";
import {
  apiLogin,
  appHandler,
  countKeys,
  freshKv,
  type Handler,
  makeUser,
  ORIGIN,
  type ReqOpts,
  signIn,
} from "./helpers.ts";
import { getKv } from "@/lib/db/kv.ts";
import * as S from "@/lib/auth/schemas.ts";
import { parseIdentifier } from "@/lib/auth/accounts.ts";
import { getUser, type User } from "@/lib/auth/users.ts";
import type { z } from "zod";

const RUNS = 500;
const WATCHED = [
  "users",
  "users_by_email",
  "users_by_phone",
  "users_by_role",
  "credentials",
  "sessions",
  "sessions_by_user",
  "otp",
  "audit",
  "outbox",
];

// ------------------------------------------------------------------ arbitraries

const nasty = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "\u0000\u0001\u001f",
  "<script>alert(1)</script>",
  "' OR '1'='1' --",
  "../../etc/passwd",
  "%00%0d%0a",
  "\u202eevil",
  "😀".repeat(200),
  "a".repeat(5000),
  "__proto__",
  "constructor",
  "{}",
  "[]",
  "null",
  "NaN",
  "-1",
  "1e309",
  "0812",
  "@",
  "a@",
  "@b.co",
  "x".repeat(300) + "@a.co",
  "12345",
  "1234567",
  "abcdef",
  "2024-02-30",
  "99999-01-01",
  "ｆｕｌｌｗｉｄｔｈ",
  "\ud800",
);
const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 3, arbitrary: nasty },
  { weight: 1, arbitrary: fc.string({ minLength: 500, maxLength: 4000 }) },
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 1,
    arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }),
  },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.string({ maxLength: 8 }),
      fc.jsonValue({ maxDepth: 1 }),
      { maxKeys: 3 },
    ),
  },
  { weight: 1, arbitrary: fc.constant({ $ne: null }) },
);
const hostileKey = fc.oneof(
  fc.constantFrom(
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "role",
    "status",
    "mustChangePassword",
    "id",
    "isAdmin",
    "lang",
    "all",
    "scope",
    "next",
  ),
  fc.string({ maxLength: 12 }),
);

/** A field rule: true when the value is REFUSED by that field. */
type Refuses = (v: unknown) => boolean;
const by = (schema: z.ZodType): Refuses => (v) => !schema.safeParse(v).success;

/** Values that every field rule here refuses at least one of. */
const FALLBACKS: unknown[] = [
  { $ne: null },
  "\u0000",
  "",
  "x".repeat(300),
  "not valid at all",
];

/**
 * The value the server actually receives for a generated field value, so that
 * the oracle judges what was sent, not what was generated:
 * - JSON bodies: `JSON.parse(JSON.stringify(v))` (`Infinity`/`NaN` become `null`,
 *   `-0` becomes `0`, `undefined` inside arrays `null` and inside objects gone);
 * - form bodies: the text as UTF-8 carries it (lone surrogates become U+FFFD).
 * `undefined` (a deleted field) stays `undefined`.
 */
function onTheWire(v: unknown, form: boolean): unknown {
  if (v === undefined) return undefined;
  if (form) return asText(v).toWellFormed();
  const text = JSON.stringify(v);
  return text === undefined ? undefined : JSON.parse(text);
}

/** Serialises entries as a JSON object, keeping keys such as `__proto__` as own keys. */
function jsonObject(entries: [string, unknown][]): string {
  return "{" +
    entries.filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",") +
    "}";
}

/**
 * Bodies derived from `valid` with ≥ 1 field of `refuses` corrupted (deleted,
 * or replaced by a value its rule refuses), plus up to 3 hostile extra keys.
 * `strings`: form bodies (every value a string).
 */
function corrupted(
  valid: Record<string, unknown>,
  refuses: Record<string, Refuses>,
  strings: boolean,
): fc.Arbitrary<[string, unknown][]> {
  const fields = Object.keys(refuses);
  return fc.tuple(
    fc.subarray(fields, { minLength: 1 }),
    fc.array(fc.tuple(fc.boolean(), hostileValue), {
      minLength: fields.length,
      maxLength: fields.length,
    }),
    fc.array(fc.tuple(hostileKey, hostileValue), { maxLength: 3 }),
  ).map(([bad, repl, extra]) => {
    const body: [string, unknown][] = [];
    let corruptedCount = 0;
    for (const [k, v] of Object.entries(valid)) {
      const i = fields.indexOf(k);
      if (!bad.includes(k)) {
        body.push([k, v]);
        continue;
      }
      const [drop, r] = repl[i];
      // Judge (and send) the value as it arrives, e.g. `phone: Infinity` arrives as `null`.
      const generated = onTheWire(r, strings);
      // Deleting counts only when the field is required; a replacement only when its rule refuses it.
      const options: unknown[] = drop ? [undefined, generated] : [generated, undefined];
      const choice = options.find((o) => refuses[k](o));
      if (choice === undefined && refuses[k](undefined)) {
        corruptedCount++;
        continue; // dropped
      }
      if (choice !== undefined) {
        corruptedCount++;
        body.push([k, choice]);
      } else body.push([k, v]);
    }
    if (corruptedCount === 0) {
      // Nothing generated was refused (e.g. only optional fields deleted): force a known-bad value.
      const k = bad[0];
      const fallback = FALLBACKS.filter((f) => !strings || typeof f === "string").find((f) => refuses[k](f));
      assert.ok(
        fallback !== undefined || refuses[k](undefined),
        `no refused value known for ${k}`,
      );
      const idx = body.findIndex(([key]) => key === k);
      if (idx >= 0) body.splice(idx, 1);
      if (fallback !== undefined) body.push([k, fallback]);
    }
    for (const [k, v] of extra) {
      if (Object.hasOwn(valid, k) || k in refuses) continue; // never override a field with something valid
      body.push([k, onTheWire(v, strings)]);
    }
    return body;
  });
}

type Body = { kind: "entries"; entries: [string, unknown][] } | {
  kind: "raw";
  text: string;
  type: string | null;
};

const rawBody: fc.Arbitrary<Body> = fc.record({
  text: fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.json({ maxDepth: 2 }),
    fc.constant("{"),
    fc.constant('{"a":'),
    fc.constant("--x\r\nContent-Disposition: form-data\r\n\r\n"),
    fc.constant("x".repeat(70_000)),
  ),
  type: fc.constantFrom(
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/plain",
    null,
  ),
}).map((r) => ({ kind: "raw", ...r }));

function bodies(
  valid: Record<string, unknown>,
  refuses: Record<string, Refuses>,
  strings: boolean,
): fc.Arbitrary<Body> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: corrupted(valid, refuses, strings).map((entries): Body => ({
        kind: "entries",
        entries,
      })),
    },
    { weight: 1, arbitrary: rawBody },
  );
}

// ------------------------------------------------------------------ requests

async function send(
  h: Handler,
  method: string,
  path: string,
  body: Body,
  form: boolean,
  opts: ReqOpts,
): Promise<Response> {
  const headers = new Headers({ origin: ORIGIN, ...opts.headers });
  if (opts.cookie) headers.set("cookie", opts.cookie);
  if (opts.token) headers.set("authorization", `Bearer ${opts.token}`);
  let payload: string;
  if (body.kind === "raw") {
    payload = body.text;
    if (body.type) headers.set("content-type", body.type);
  } else if (form) {
    const p = new URLSearchParams();
    for (const [k, v] of body.entries) p.append(k, asText(v));
    payload = p.toString();
    headers.set("content-type", "application/x-www-form-urlencoded");
  } else {
    payload = jsonObject(body.entries);
    headers.set("content-type", "application/json");
  }
  return await h(
    new Request(ORIGIN + path, { method, headers, body: payload }),
  );
}

async function checkResponse(
  res: Response,
  json: boolean,
  label: string,
): Promise<void> {
  assert.ok(res.status < 500, `${label}: got ${res.status}`);
  if (json && res.status >= 400) {
    const j = await res.json();
    assert.equal(typeof j.error?.code, "string", `${label}: error shape`);
    assert.equal(typeof j.error?.message, "string", `${label}: error message`);
    assert.ok(!JSON.stringify(j).includes("argon2"), `${label}: leaked a hash`);
  } else {
    await res.body?.cancel();
  }
}

// ------------------------------------------------------------------ fixtures

interface World {
  h: Handler;
  kv: Deno.Kv;
  admin: User;
  adminCookie: string;
  adminToken: string;
  client: User;
  clientCookie: string;
  clientToken: string;
  staff: User;
  staffCookie: string;
  target: User;
}

let world: World | null = null;
async function setup(): Promise<World> {
  if (world) return world;
  const kv = await freshKv();
  const h = await appHandler();
  const admin = await makeUser("admin");
  const client = await makeUser("client");
  const staff = await makeUser("teacher", { mustChangePassword: true });
  const target = await makeUser("teacher");
  world = {
    h,
    kv,
    admin,
    adminCookie: (await signIn(h, admin.email!, admin.password)).cookie,
    adminToken: (await apiLogin(h, admin.email!, admin.password)).token,
    client,
    clientCookie: (await signIn(h, client.email!, client.password)).cookie,
    clientToken: (await apiLogin(h, client.email!, client.password)).token,
    staff,
    staffCookie: (await signIn(h, staff.email!, staff.password)).cookie,
    target,
  };
  return world;
}

/** Runs `prop` and asserts that no watched KV entry and no fixture user changed. */
async function unchanged(w: World, run: () => Promise<void>): Promise<void> {
  const kv = await getKv();
  const before = await countKeys(kv, WATCHED);
  const users = await Promise.all(
    [w.admin, w.client, w.staff, w.target].map((u) => getUser(u.id)),
  );
  await run();
  const afterCounts = await countKeys(kv, WATCHED);
  assert.deepEqual(
    afterCounts,
    before,
    `KV entries created or removed by invalid input: ${JSON.stringify({ before, afterCounts })}`,
  );
  const after = await Promise.all(
    [w.admin, w.client, w.staff, w.target].map((u) => getUser(u.id)),
  );
  assert.deepEqual(after, users, "a user record changed");
}

// ------------------------------------------------------------------ endpoint table

const identifierRefused: Refuses = (v) =>
  typeof v !== "string" || v.trim() === "" || v.length > 254 ||
  parseIdentifier(v) === null;
const passwordRefused = by(S.passwordAny);
const newPasswordRefused = by(S.newPassword);
const emailRefused = by(S.email);
const codeRefused = by(S.otpCode);
const nameRefused = by(S.name);

interface Endpoint {
  label: string;
  method: "POST" | "PUT" | "DELETE";
  path: (w: World) => string;
  form: boolean;
  auth?: (w: World) => ReqOpts;
  valid: (w: World) => Record<string, unknown>;
  refuses: Record<string, Refuses>;
  /** A body without any known field is a valid no-op (partial updates). */
  emptyIsNoop?: boolean;
}

const REGISTER = {
  name: "Fuzz Tester",
  gender: "female",
  birthDate: "1990-01-01",
  email: "fuzz@x.test",
  password: "fuzzing-is-fun-1",
};
const REGISTER_REFUSES = {
  name: nameRefused,
  gender: by(S.gender),
  birthDate: by(S.clientBirthDate),
  email: emailRefused,
  password: newPasswordRefused,
};

const ENDPOINTS: Endpoint[] = [
  // Public JSON
  {
    label: "POST /api/auth/login",
    method: "POST",
    path: () => "/api/auth/login",
    form: false,
    valid: (w) => ({ email: w.client.email, password: "wrong-but-valid" }),
    refuses: { email: identifierRefused, password: passwordRefused },
  },
  {
    label: "POST /api/auth/register",
    method: "POST",
    path: () => "/api/auth/register",
    form: false,
    valid: () => REGISTER,
    refuses: REGISTER_REFUSES,
  },
  {
    label: "POST /api/auth/verify",
    method: "POST",
    path: () => "/api/auth/verify",
    form: false,
    valid: () => ({ email: "fuzz@x.test", code: "123456" }),
    refuses: { email: emailRefused, code: codeRefused },
  },
  {
    label: "POST /api/auth/resend",
    method: "POST",
    path: () => "/api/auth/resend",
    form: false,
    valid: () => ({ email: "fuzz@x.test" }),
    refuses: { email: emailRefused },
  },
  {
    label: "POST /api/auth/forgot",
    method: "POST",
    path: () => "/api/auth/forgot",
    form: false,
    valid: (w) => ({ email: w.client.email }),
    refuses: { email: emailRefused },
  },
  {
    label: "POST /api/auth/reset",
    method: "POST",
    path: () => "/api/auth/reset",
    form: false,
    valid: (w) => ({
      email: w.client.email,
      code: "123456",
      password: "new-fuzz-pass-1",
    }),
    refuses: {
      email: emailRefused,
      code: codeRefused,
      password: newPasswordRefused,
    },
  },
  // Authenticated JSON
  {
    label: "PUT /api/auth/change-password",
    method: "PUT",
    path: () => "/api/auth/change-password",
    form: false,
    auth: (w) => ({ token: w.clientToken }),
    valid: () => ({
      currentPassword: "whatever-it-is",
      newPassword: "new-fuzz-pass-1",
    }),
    refuses: {
      currentPassword: passwordRefused,
      newPassword: newPasswordRefused,
    },
  },
  {
    label: "POST /api/users",
    method: "POST",
    path: () => "/api/users",
    form: false,
    auth: (w) => ({ token: w.adminToken }),
    valid: () => ({
      role: "teacher",
      name: "Fuzz Staff",
      email: "staff.fuzz@x.test",
      lang: "id",
    }),
    refuses: {
      role: by(S.createStaffSchema.shape.role),
      name: nameRefused,
      email: emailRefused,
      lang: by(S.createStaffSchema.shape.lang),
    },
  },
  {
    label: "PUT /api/users/{id}",
    emptyIsNoop: true,
    method: "PUT",
    path: (w) => `/api/users/${w.target.id}`,
    form: false,
    auth: (w) => ({ token: w.adminToken }),
    valid: () => ({
      name: "Renamed",
      email: "renamed@x.test",
      phone: "081299998888",
      lang: "en",
      status: "deactivated",
    }),
    refuses: Object.fromEntries(
      Object.entries(S.adminUpdateSchema.shape).map((
        [k, s],
      ) => [k, by(s as z.ZodType)]),
    ),
  },
  // Forms
  {
    label: "POST /signin",
    method: "POST",
    path: () => "/signin",
    form: true,
    valid: (w) => ({ identifier: w.client.email, password: "wrong-but-valid" }),
    refuses: { identifier: identifierRefused, password: passwordRefused },
  },
  {
    label: "POST /register",
    method: "POST",
    path: () => "/register",
    form: true,
    valid: () => REGISTER,
    refuses: REGISTER_REFUSES,
  },
  {
    label: "POST /verify",
    method: "POST",
    path: () => "/verify",
    form: true,
    valid: () => ({ email: "fuzz@x.test", code: "123456" }),
    refuses: { email: emailRefused, code: codeRefused },
  },
  {
    label: "POST /verify (resend)",
    method: "POST",
    path: () => "/verify",
    form: true,
    valid: () => ({ action: "resend", email: "fuzz@x.test" }),
    refuses: { email: emailRefused },
  },
  {
    label: "POST /forgot",
    method: "POST",
    path: () => "/forgot",
    form: true,
    valid: (w) => ({ email: w.client.email }),
    refuses: { email: emailRefused },
  },
  {
    label: "POST /reset",
    method: "POST",
    path: () => "/reset",
    form: true,
    valid: (w) => ({
      email: w.client.email,
      code: "123456",
      password: "new-fuzz-pass-1",
      confirm: "new-fuzz-pass-1",
    }),
    refuses: {
      email: emailRefused,
      code: codeRefused,
      password: newPasswordRefused,
    },
  },
  {
    label: "POST /first-password",
    method: "POST",
    path: () => "/first-password",
    form: true,
    auth: (w) => ({ cookie: w.staffCookie }),
    valid: () => ({
      password: "my-own-fuzz-pass",
      confirm: "my-own-fuzz-pass",
    }),
    refuses: {
      password: newPasswordRefused,
      confirm: (v) => v !== "my-own-fuzz-pass",
    },
  },
  {
    label: "POST /profile",
    method: "POST",
    path: () => "/profile",
    form: true,
    auth: (w) => ({ cookie: w.clientCookie }),
    valid: () => ({
      name: "Fuzz Name",
      email: "fuzz.profile@x.test",
      gender: "male",
      birthDate: "1991-02-03",
      lang: "en",
    }),
    refuses: Object.fromEntries(
      Object.entries(S.profileSchema.shape).map((
        [k, s],
      ) => [k, by(s as z.ZodType)]),
    ),
  },
  {
    label: "POST /profile/password",
    method: "POST",
    path: () => "/profile/password",
    form: true,
    auth: (w) => ({ cookie: w.clientCookie }),
    valid: () => ({
      currentPassword: "whatever-it-is",
      newPassword: "new-fuzz-pass-1",
      confirm: "new-fuzz-pass-1",
    }),
    refuses: {
      currentPassword: passwordRefused,
      newPassword: newPasswordRefused,
    },
  },
  {
    label: "POST /profile/email",
    method: "POST",
    path: () => "/profile/email",
    form: true,
    auth: (w) => ({ cookie: w.clientCookie }),
    valid: () => ({ code: "123456" }),
    refuses: { code: codeRefused },
  },
  {
    label: "POST /admin/users/new",
    method: "POST",
    path: () => "/admin/users/new",
    form: true,
    auth: (w) => ({ cookie: w.adminCookie }),
    valid: () => ({
      role: "teacher",
      name: "Fuzz Staff",
      email: "staff.fuzz@x.test",
      phone: "",
      lang: "id",
    }),
    refuses: {
      role: by(S.createStaffSchema.shape.role),
      name: nameRefused,
      email: emailRefused,
      phone: by(S.createStaffSchema.shape.phone),
    },
  },
  {
    label: "POST /admin/users/{id}",
    emptyIsNoop: true,
    method: "POST",
    path: (w) => `/admin/users/${w.target.id}`,
    form: true,
    auth: (w) => ({ cookie: w.adminCookie }),
    valid: () => ({
      action: "update",
      name: "Renamed",
      email: "renamed@x.test",
      phone: "081299998888",
      lang: "en",
    }),
    refuses: {
      name: by(S.adminUpdateSchema.shape.name),
      email: by(S.adminUpdateSchema.shape.email),
      phone: by(S.adminUpdateSchema.shape.phone),
      lang: by(S.adminUpdateSchema.shape.lang),
    },
  },
];

Deno.test("fuzz oracle judges the body as sent: Infinity/NaN arrive as null, -0 as 0, lone surrogates as U+FFFD", () => {
  assert.equal(onTheWire(Infinity, false), null);
  assert.equal(onTheWire(Number.NaN, false), null);
  assert.ok(Object.is(onTheWire(-0, false), 0));
  assert.deepEqual(onTheWire([undefined, 1], false), [null, 1]);
  assert.deepEqual(onTheWire({ a: undefined, b: 1 }, false), { b: 1 });
  assert.equal(onTheWire("\ud800", false), "\ud800", "JSON escapes a lone surrogate and keeps it");
  assert.equal(onTheWire("a\ud800", true), "a\ufffd", "UTF-8 form bodies replace it");
  assert.equal(onTheWire(Infinity, true), "Infinity");
  // The case CI once hit: `phone: Infinity` is `phone: null` on the wire, which clears the phone (valid).
  const phone = by(S.adminUpdateSchema.shape.phone);
  assert.equal(phone(Infinity), true, "the raw value is refused…");
  assert.equal(phone(onTheWire(Infinity, false)), false, "…but what is sent is accepted");
});

/** The body as the server parses it (JSON text or form fields). */
function parsedPayload(entries: [string, unknown][], form: boolean): Record<string, unknown> {
  if (!form) return JSON.parse(jsonObject(entries));
  const p = new URLSearchParams();
  for (const [k, v] of entries) p.append(k, asText(v));
  return Object.fromEntries(new URLSearchParams(new TextDecoder().decode(new TextEncoder().encode(p.toString()))));
}

Deno.test({
  name: "fuzz generators: every structured body has a refused field as the server receives it",
  fn(t) {
    for (const ep of ENDPOINTS) {
      const valid = ep.valid({ client: { email: "c@x.test" } } as unknown as World);
      fuzz(
        t,
        fc.property(corrupted(valid, ep.refuses, ep.form), (entries) => {
          const sent = parsedPayload(entries, ep.form);
          const refused = Object.entries(ep.refuses).some(([k, refuses]) => refuses(sent[k]));
          assert.ok(refused, `${ep.label}: a valid body was generated: ${JSON.stringify(sent)}`);
        }),
        { numRuns: 300, label: ep.label },
      );
    }
  },
});

for (const ep of ENDPOINTS) {
  Deno.test({
    name: `fuzz ${ep.label}: no 5xx, errors well-formed, nothing written (${RUNS} runs)`,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn(t) {
      const w = await setup();
      await unchanged(w, async () => {
        await fuzz(
          t,
          fc.asyncProperty(
            bodies(ep.valid(w), ep.refuses, ep.form),
            async (body) => {
              const res = await send(
                w.h,
                ep.method,
                ep.path(w),
                body,
                ep.form,
                ep.auth?.(w) ?? {},
              );
              if (!(ep.emptyIsNoop && body.kind === "raw")) {
                assert.ok(
                  res.status >= 400,
                  `${ep.label}: invalid input accepted with ${res.status}: ${JSON.stringify(body)}`,
                );
              }
              await checkResponse(res, !ep.form, ep.label);
            },
          ),
          { numRuns: RUNS },
        );
      });
    },
  });
}

// Endpoints whose input is not a body, or whose valid use has effects we keep out of the properties.

const pathSegment = fc.oneof(hostileString, fc.stringMatching(/^[0-9A-Z]{26}$/))
  .filter((s) => {
    try {
      return s.length > 0 && encodeURIComponent(s).length > 0;
    } catch {
      return false; // lone surrogates cannot be put in a URL
    }
  });

Deno.test({
  name: `fuzz DELETE/GET/PUT /api/users/{id} and POST …/reset-password with hostile ids (${RUNS} runs)`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const w = await setup();
    await unchanged(w, async () => {
      await fuzz(
        t,
        fc.asyncProperty(
          pathSegment,
          fc.constantFrom("GET", "DELETE", "PUT", "POST"),
          rawBody,
          async (seg, method, body) => {
            const id = encodeURIComponent(seg);
            const path = method === "POST" ? `/api/users/${id}/reset-password` : `/api/users/${id}`;
            const res = method === "GET"
              ? await w.h(
                new Request(ORIGIN + path, {
                  headers: { authorization: `Bearer ${w.adminToken}` },
                }),
              )
              : await send(
                w.h,
                method,
                path,
                method === "PUT" ? { kind: "entries", entries: [["name", 42]] } : body,
                false,
                { token: w.adminToken },
              );
            await checkResponse(res, true, `${method} ${path}`);
          },
        ),
        { numRuns: RUNS },
      );
    });
  },
});

const queryArb = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom(
        "role",
        "q",
        "cursor",
        "limit",
        "next",
        "email",
        "to",
        "done",
        "pending",
        "resent",
        "mail",
      ),
      fc.string({ maxLength: 8 }),
    ),
    hostileString,
  ),
  {
    maxLength: 5,
  },
).map((pairs) => {
  const p = new URLSearchParams();
  for (const [k, v] of pairs) p.append(k, v);
  return p.toString();
});

Deno.test({
  name: `fuzz query strings of every accounts GET page and GET /api/users (${RUNS} runs)`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const w = await setup();
    const pages: [string, ReqOpts, boolean][] = [
      ["/api/users", { token: w.adminToken }, true],
      ["/admin/users", { cookie: w.adminCookie }, false],
      ["/admin/audit", { cookie: w.adminCookie }, false],
      [`/admin/users/${w.target.id}`, { cookie: w.adminCookie }, false],
      ["/admin/users/new", { cookie: w.adminCookie }, false],
      ["/signin", {}, false],
      ["/register", {}, false],
      ["/verify", {}, false],
      ["/forgot", {}, false],
      ["/reset", {}, false],
      ["/profile", { cookie: w.clientCookie }, false],
      ["/first-password", { cookie: w.staffCookie }, false],
      ["/home", { cookie: w.clientCookie }, false],
      ["/lang", { cookie: w.clientCookie }, false],
      ["/dev/outbox", {}, false],
      ["/api/auth/me", { token: w.clientToken }, true],
    ];
    await unchanged(w, async () => {
      await fuzz(
        t,
        fc.asyncProperty(
          fc.constantFrom(...pages),
          queryArb,
          async ([path, opts, json], query) => {
            const headers = new Headers();
            if (opts.cookie) headers.set("cookie", opts.cookie);
            if (opts.token) {
              headers.set("authorization", `Bearer ${opts.token}`);
            }
            // `/lang` with a random `to` may switch the language; keep it to invalid values.
            const qs = path === "/lang" ? query.replace(/(^|&)to=(id|en)(&|$)/g, "$1to=xx$3") : query;
            const res = await w.h(
              new Request(`${ORIGIN}${path}?${qs}`, { headers }),
            );
            await checkResponse(res, json, `GET ${path}?${qs}`);
          },
        ),
        { numRuns: RUNS },
      );
    });
  },
});

Deno.test({
  name: `fuzz POST /api/auth/logout, /signout and /lang without a session (${RUNS} runs)`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const w = await setup();
    await unchanged(w, async () => {
      await fuzz(
        t,
        fc.asyncProperty(
          fc.constantFrom(["/api/auth/logout", false], ["/signout", true], [
            "/lang",
            true,
          ]) as fc.Arbitrary<[string, boolean]>,
          bodies({ lang: "xx" }, { lang: by(S.lang) }, false),
          async ([path, form], body) => {
            const res = await send(w.h, "POST", path, body, form, {});
            await checkResponse(res, path.startsWith("/api/"), `POST ${path}`);
          },
        ),
        { numRuns: RUNS },
      );
    });
  },
});
