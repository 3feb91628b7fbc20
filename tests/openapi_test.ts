/**
 * `/api/openapi.json` documents every JSON API route, and nothing that does not exist;
 * it is a valid OpenAPI 3.1 document; and real answers of the API match it (so the
 * generated schemas cannot drift from what the handlers send).
 */
import assert from "node:assert/strict";
import { startPayment } from "@/lib/payments/store.ts";
import { builtinServerKey } from "@/lib/payments/secret.ts";
import { notificationSignature } from "@/lib/payments/midtrans.ts";
import { paymentInput } from "./payments_fixtures.ts";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { useKv } from "@/lib/db/kv.ts";
import { buildApp } from "@/main.ts";
import manifest from "@/fresh.gen.ts";
import { pathToPattern } from "fresh";
import { ROLES } from "@/lib/auth/users.ts";
import { APPOINTMENT_STATUSES } from "@/lib/guestbook/model.ts";
import { apiLogin, makeUser, ORIGIN } from "./helpers.ts";
import { makePsychologist } from "./psychologist_fixtures.ts";

useKv(await Deno.openKv(":memory:"));

function toOpenApiPath(pattern: string): string {
  return pattern.replace(/:(\w+)\*?/g, "{$1}");
}

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

const handler = (await buildApp()).handler() as (req: Request) => Promise<Response>;

async function fetchDoc(): Promise<Doc> {
  const res = await handler(new Request("http://localhost/api/openapi.json"));
  assert.equal(res.status, 200);
  return await res.json();
}

/** API route files of the manifest: `./routes/api/x.ts` → `/api/x` (OpenAPI path syntax). */
function apiRoutes(): { file: string; path: string; module: Record<string, unknown> }[] {
  return Object.entries(manifest.routes)
    .map(([file, module]) => ({ file, rel: file.replace(/^\.\/routes\//, ""), module }))
    .filter(({ rel }) => rel.startsWith("api/") && !rel.includes("/_"))
    .map(({ file, rel, module }) => ({ file, path: toOpenApiPath(pathToPattern(rel)!), module }))
    .filter(({ path }) => path !== "/api/openapi.json");
}

Deno.test("every API route file is documented in /api/openapi.json and vice versa", async () => {
  const doc = await fetchDoc();
  assert.equal(doc.openapi, "3.1.0");
  const documented = new Set(Object.keys(doc.paths));
  const routes = apiRoutes().map((r) => r.path);
  const missing = routes.filter((p) => !documented.has(p));
  assert.deepEqual(missing, [], "API routes without OpenAPI documentation");
  const routeSet = new Set(routes);
  const phantom = [...documented].filter((p) => !routeSet.has(p));
  assert.deepEqual(phantom, [], "documented paths without a route");
  for (const sch of ["bearerAuth", "cookieAuth"]) assert.ok(doc.components.securitySchemes[sch]);
});

Deno.test("every method of every API handler is documented, and no other", async () => {
  const doc = await fetchDoc();
  for (const { path, module } of apiRoutes()) {
    const handled = Object.keys(module.handler as object).map((m) => m.toLowerCase()).sort();
    const documented = Object.keys(doc.paths[path] ?? {}).sort();
    assert.deepEqual(documented, handled, `methods of ${path}`);
  }
});

Deno.test("the document is a valid OpenAPI 3.1 document and every $ref resolves", async () => {
  const doc = await fetchDoc();
  const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1));
  const refs = new Set(JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? []);
  assert.ok(refs.size >= 10, "components are referenced");
  for (const r of refs) {
    const name = JSON.parse(r).split("/").pop();
    assert.ok(name in doc.components.schemas, `${r} does not resolve`);
  }
  // The shared lists are written once, as components, and referenced everywhere else (requests too).
  const all = JSON.stringify(doc);
  assert.equal(all.match(/"enum":\[[^\]]*"client"[^\]]*"teacher"/g)?.length, 1, "the role list is written once");
  // (The status-change body lists a subset that also holds no_show; the whole list starts with "scheduled".)
  assert.equal(all.match(/"enum":\["scheduled"[^\]]*"no_show"/g)?.length, 1, "the status list is written once");
  assert.deepEqual((doc.components.schemas.Role as { enum: string[] }).enum, [...ROLES]);
  assert.deepEqual((doc.components.schemas.AppointmentStatus as { enum: string[] }).enum, [...APPOINTMENT_STATUSES]);
});

/**
 * Response checker: sends a request, finds its operation in the document, requires the
 * status to be documented and a JSON body to validate against the documented schema.
 */
class Conformance {
  readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  readonly seen = new Set<string>();
  constructor(readonly doc: Doc) {
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
      a: Ajv2020,
    ) => void;
    addFormats(this.ajv);
    this.ajv.addSchema(doc, "openapi.json");
  }

  /** The documented path template matching a concrete path. */
  template(path: string): string {
    const exact = Object.keys(this.doc.paths).filter((t) => {
      const re = new RegExp("^" + t.replace(/\{\w+\}/g, "[^/]+") + "$");
      return re.test(path);
    });
    // Prefer the template with the most literal characters (`/qr/{code}` over `/{id}`).
    exact.sort((a, b) => b.replace(/\{\w+\}/g, "").length - a.replace(/\{\w+\}/g, "").length);
    assert.ok(exact[0], `no documented path for ${path}`);
    return exact[0];
  }

  /** Validates `body` as the JSON answer `status` of `method template`; returns the errors. */
  errors(method: string, template: string, status: number, body: unknown): string | null {
    const op = this.doc.paths[template]?.[method.toLowerCase()];
    assert.ok(op, `${method} ${template} is not documented`);
    assert.ok(op.responses[status], `${method} ${template} answered ${status}, which is not documented`);
    assert.ok(op.responses[status].content?.["application/json"], `${method} ${template} ${status}: no JSON schema`);
    const pointer = [
      "paths",
      template,
      method.toLowerCase(),
      "responses",
      String(status),
      "content",
      "application/json",
    ]
      .map((s) => s.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
    const validate = this.ajv.getSchema(`openapi.json#/${pointer}/schema`);
    assert.ok(validate, `schema of ${method} ${template} ${status}`);
    return validate(body) ? null : this.ajv.errorsText(validate.errors, { separator: "\n" });
  }

  /** Calls the API and checks the answer; returns status and parsed body. */
  async call(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; expect: number },
  ): Promise<any> {
    const headers = new Headers();
    if (opts.token) headers.set("authorization", `Bearer ${opts.token}`);
    if (method !== "GET") headers.set("origin", ORIGIN);
    if (opts.body !== undefined) headers.set("content-type", "application/json");
    const res = await handler(
      new Request(ORIGIN + path, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      }),
    );
    const text = await res.text();
    assert.equal(res.status, opts.expect, `${method} ${path}: ${text.slice(0, 500)}`);
    const template = this.template(new URL(ORIGIN + path).pathname);
    const body = JSON.parse(text);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    const problems = this.errors(method, template, res.status, body);
    assert.equal(problems, null, `${method} ${path} → ${res.status} does not match the document:\n${problems}`);
    this.seen.add(`${method} ${template}`);
    return body;
  }
}

Deno.test("real API answers validate against the generated schemas", async () => {
  const api = new Conformance(await fetchDoc());
  const admin = await makeUser("admin");
  const teacher = await makeUser("teacher");
  const receptionist = await makeUser("receptionist");
  const guest = await makeUser("guest");

  // Accounts: token, me, users, errors.
  const login = await api.call("POST", "/api/auth/login", {
    body: { email: admin.email, password: admin.password },
    expect: 200,
  });
  const a = login.token as string;
  await api.call("POST", "/api/auth/login", { body: { email: admin.email, password: "wrong-pass" }, expect: 401 });
  await api.call("POST", "/api/auth/login", { body: { password: "" }, expect: 400 });
  await api.call("GET", "/api/auth/me", { token: a, expect: 200 });
  await api.call("GET", "/api/auth/me", { expect: 401 });
  await api.call("GET", "/api/users?limit=2", { token: a, expect: 200 });
  const created = await api.call("POST", "/api/users", {
    token: a,
    body: { role: "teacher", name: "Guru Baru", email: "guru.baru@test.local" },
    expect: 201,
  });
  await api.call("GET", `/api/users/${created.user.id}`, { token: a, expect: 200 });
  await api.call("PUT", `/api/users/${created.user.id}`, { token: a, body: { name: "Guru Lama" }, expect: 200 });
  await api.call("GET", "/api/users/01ARZ3NDEKTSV4RRFFQ69G5FAV", { token: a, expect: 404 });

  const t = (await apiLogin(handler, teacher.email!, teacher.password)).token;
  const r = (await apiLogin(handler, receptionist.email!, receptionist.password)).token;

  // Guest book: create, list, walk-in (checks in and notifies), status, QR, review, reports.
  const booked = await api.call("POST", "/api/appointments", {
    token: t,
    body: {
      guestName: "Tamu Dokumen",
      guestPhone: "0812 3456 7890",
      purpose: "Rapat",
      startsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    },
    expect: 201,
  });
  await api.call("POST", "/api/appointments", { token: t, body: { guestName: "" }, expect: 400 });
  await api.call("GET", "/api/appointments", { token: t, expect: 200 });
  await api.call("GET", `/api/appointments/${booked.appointment.id}`, { token: t, expect: 200 });
  await api.call("GET", `/api/appointments/teacher/${teacher.id}`, { token: r, expect: 200 });
  const walkIn = await api.call("POST", "/api/appointments/walk-in", {
    token: r,
    body: { guestName: "Tamu Datang", guestPhone: guest.phone, purpose: "Konsultasi", teacherId: teacher.id },
    expect: 201,
  });
  await api.call("GET", "/api/appointments/today", { token: r, expect: 200 });
  await api.call("GET", "/api/reports/today", { token: r, expect: 200 });
  const id = walkIn.appointment.id as string;
  await api.call("PUT", `/api/appointments/${id}/status`, { token: t, body: { status: "in_meeting" }, expect: 200 });
  await api.call("PUT", `/api/appointments/${id}/status`, { token: t, body: { status: "finished" }, expect: 200 });
  await api.call("PUT", `/api/appointments/${id}/status`, { token: t, body: { status: "finished" }, expect: 409 });
  const code = encodeURIComponent(walkIn.qrCode);
  const outcome = await api.call("GET", `/api/appointments/qr/${code}`, { token: r, expect: 200 });
  assert.equal(outcome.outcome, "review");
  await api.call("POST", "/api/appointments/review", { body: { code: walkIn.qrCode, rating: 5 }, expect: 201 });
  await api.call("GET", `/api/appointments/${id}`, { token: t, expect: 200 });
  await api.call("GET", `/api/reports/ratings?teacherId=${teacher.id}`, { token: a, expect: 200 });
  await api.call("GET", "/api/reports/daily", { token: r, expect: 200 });
  await api.call("GET", "/api/reports/monthly?month=2026-13", { token: r, expect: 400 });

  // Guests.
  const guests = await api.call("GET", "/api/guests", { token: r, expect: 200 });
  assert.ok(guests.items.length >= 2);
  await api.call("GET", `/api/guests/search?q=Tamu`, { token: r, expect: 200 });
  await api.call("POST", "/api/guests", { token: r, body: { name: "Tamu Baru", phone: "081299990000" }, expect: 201 });
  // A teacher typing a known phone gets the minimal record (`GuestRef`).
  await api.call("POST", "/api/guests", { token: t, body: { name: "Tamu Lain", phone: "081299990000" }, expect: 200 });
  await api.call("GET", `/api/guests/${guest.id}`, { token: r, expect: 200 });

  // Notifications: the walk-in told the teacher.
  const notes = await api.call("GET", "/api/notifications", { token: t, expect: 200 });
  assert.equal(notes.items.length, 1);
  await api.call("GET", `/api/notifications/${notes.items[0].id}`, { token: t, expect: 200 });
  await api.call("PUT", `/api/notifications/${notes.items[0].id}/read`, { token: t, expect: 200 });
  await api.call("PUT", "/api/notifications/read-all", { token: t, expect: 200 });
  await api.call("DELETE", `/api/notifications/${notes.items[0].id}`, { token: t, expect: 200 });

  // Articles.
  const art = await api.call("POST", "/api/articles", {
    token: a,
    body: { title: "Tidur", lang: "id", body: "**Tidur** cukup.", tags: ["tidur"], status: "published" },
    expect: 201,
  });
  await api.call("POST", "/api/articles", { token: t, body: { title: "x" }, expect: 403 });
  await api.call("POST", "/api/articles", { token: a, body: { title: "" }, expect: 400 });
  await api.call("GET", "/api/articles?lang=en&tag=tidur", { expect: 200 });
  await api.call("GET", `/api/articles/${art.article.slug}`, { expect: 200 });
  await api.call("GET", `/api/articles/${art.article.slug}`, { token: a, expect: 200 });
  await api.call("PUT", `/api/articles/${art.article.slug}`, {
    token: a,
    body: { title: "Tidur", lang: "id", body: "Baru.", status: "draft" },
    expect: 200,
  });
  await api.call("GET", `/api/articles/${art.article.slug}`, { expect: 404 });
  await api.call("POST", "/api/articles/preview", { token: a, body: { body: "# x" }, expect: 200 });
  await api.call("DELETE", `/api/articles/${art.article.slug}`, { token: a, expect: 200 });

  // Availability: own settings, preview, public slots.
  const psy = await makePsychologist();
  const pt = (await apiLogin(handler, psy.email!, psy.password)).token;
  const hours = {
    timeZone: "Asia/Jakarta",
    weekly: Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [{ start: "08:00", end: "20:00" }]])),
    overrides: {},
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 10,
    minimumNoticeMinutes: 120,
    horizonDays: 30,
    slotIntervalMinutes: null,
  };
  await api.call("GET", "/api/psychologist/availability", { token: pt, expect: 200 });
  await api.call("GET", "/api/psychologist/availability", { token: t, expect: 403 });
  await api.call("PUT", "/api/psychologist/availability", { token: pt, body: hours, expect: 200 });
  await api.call("PUT", "/api/psychologist/availability", {
    token: pt,
    body: { ...hours, horizonDays: 0 },
    expect: 400,
  });
  await api.call("POST", "/api/psychologist/availability/preview", { token: pt, body: hours, expect: 200 });
  const svc = psy.profile.services[0].id;
  const slots = await api.call("GET", `/api/psychologists/${psy.id}/slots?serviceId=${svc}`, { expect: 200 });
  assert.ok(slots.slots.length > 0);
  await api.call("GET", `/api/psychologists/${psy.id}/slots?serviceId=x`, { expect: 400 });
  await api.call("GET", `/api/psychologists/nobody/slots?serviceId=${svc}`, { expect: 404 });
  // Psychologists: the directory (with availability), a public profile, errors.
  const dir = await api.call("GET", "/api/psychologists?sort=soonest&limit=5", { expect: 200 });
  assert.ok(dir.items.some((i: { id: string }) => i.id === psy.id));
  await api.call("GET", "/api/psychologists?limit=99", { expect: 400 });
  await api.call("GET", `/api/psychologists/${psy.id}`, { expect: 200 });
  await api.call("GET", "/api/psychologists/01ARZ3NDEKTSV4RRFFQ69G5FAV", { expect: 404 });
  // Payments: a client's history, the notification endpoint.
  const payer = await makeUser("client");
  const payerToken = (await apiLogin(handler, payer.email!, payer.password)).token;
  await startPayment(paymentInput("bk-openapi-1", { payerId: payer.id }));
  const paid = await api.call("GET", "/api/payments?status=pending", { token: payerToken, expect: 200 });
  assert.equal(paid.items.length, 1);
  await api.call("GET", "/api/payments", { token: a, expect: 200 });
  await api.call("GET", "/api/payments?from=2026-13-01", { token: payerToken, expect: 400 });
  await api.call("GET", "/api/payments", { token: r, expect: 403 });
  await api.call("POST", "/api/payments/midtrans/notification", { body: { order_id: "x" }, expect: 400 });
  await api.call("POST", "/api/payments/midtrans/notification", {
    body: { order_id: "x", status_code: "200", gross_amount: "1.00", signature_key: "00" },
    expect: 403,
  });
  const key = await builtinServerKey();
  await api.call("POST", "/api/payments/midtrans/notification", {
    body: {
      order_id: "nobody-2",
      status_code: "200",
      gross_amount: "1.00",
      signature_key: await notificationSignature("nobody-2", "200", "1.00", key),
    },
    expect: 200,
  });

  // CnBuddy: an answer (signed out), the crisis override, an empty message.
  await api.call("POST", "/api/chatbot", { body: { message: "berapa biaya konseling?" }, expect: 200 });
  await api.call("POST", "/api/chatbot", { body: { message: "i want to end it all", lang: "en" }, expect: 200 });
  await api.call("POST", "/api/chatbot", { body: { message: " " }, expect: 400 });

  await api.call("POST", "/api/auth/logout", { token: a, body: {}, expect: 200 });
  assert.ok(api.seen.size >= 25, `operations exercised: ${api.seen.size}`);
});

Deno.test("a drifted answer fails the check (the check can fail)", async () => {
  const api = new Conformance(await fetchDoc());
  const u = await makeUser("teacher");
  const { user } = await apiLogin(handler, u.email!, u.password);
  assert.equal(api.errors("GET", "/api/auth/me", 200, { user }), null);
  // An extra field (e.g. a leaked credential), a missing one, a role or date outside the schema.
  assert.ok(api.errors("GET", "/api/auth/me", 200, { user: { ...user, passwordHash: "x" } }));
  const { email: _email, ...noEmail } = user;
  assert.ok(api.errors("GET", "/api/auth/me", 200, { user: noEmail }));
  assert.ok(api.errors("GET", "/api/auth/me", 200, { user: { ...user, role: "superuser" } }));
  assert.ok(api.errors("GET", "/api/auth/me", 200, { user: { ...user, createdAt: "yesterday" } }));
  assert.ok(api.errors("GET", "/api/auth/me", 401, { error: { code: 1 } }));
  assert.throws(() => api.errors("GET", "/api/auth/me", 418, {}), /not documented/);
});
