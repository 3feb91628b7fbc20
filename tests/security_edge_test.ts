/**
 * Edge hardening, through real HTTP (`app.handler()` and a real socket on 127.0.0.1):
 * - every date, week, month and start-time parameter is range-checked (years 2000–2100)
 *   before any loop uses it: far-away values answer 400 with a translated field error
 *   at once, instead of walking millions of days (`9999-12-31` used to freeze the
 *   server for minutes, since Temporal writes the day after it as `+010000-01-01`);
 * - bodies are read as streams and cut at the limit: a chunked body of a few MB without
 *   `Content-Length` answers 413 after reading little more than the limit;
 * - a body the client stops sending answers 400 (`body_aborted`), not 500, and writes no
 *   error log line;
 * - static files and island bundles carry the same security headers as pages;
 * - the global cap on open notification streams answers 503 with `Retry-After`, the
 *   per-user cap 429.
 * Property tests (fast-check, seed printed) cover the date/week/month parameters.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { apiLogin, appHandler, freshKv, type Handler, makeUser, ORIGIN, signIn } from "./helpers.ts";
import { buildApp } from "@/main.ts";
import {
  CALENDAR_MAX,
  CALENDAR_MIN,
  compareLocalDates,
  dateRange,
  inCalendarWindow,
  isIsoWeek,
  isoWeekName,
  isoWeekParam,
  isoWeekStart,
  localDateParam,
  MAX_RANGE_DAYS,
  startsAtParam,
  todayLocal,
  yearMonthParam,
} from "@/lib/guestbook/time.ts";
import { buildReport } from "@/lib/guestbook/reports.ts";
import { MAX_BODY_BYTES, readBody, readBodyBytes } from "@/lib/validation.ts";
import { BodyAborted, PayloadTooLarge, ServiceUnavailable, TooManyRequests, ValidationError } from "@/lib/errors.ts";
import { openStreamCount, reserveStream } from "@/lib/notify/hub.ts";
import { translate } from "@/lib/i18n/mod.ts";

// ---------------------------------------------------------------- property runner

/**
 * Runs a fast-check property with a seed from `FC_SEED` (or a random one), printing
 * `property <name>: seed=<n>` first so a failing run can be replayed exactly.
 */
async function fuzz<Ts>(
  t: Deno.TestContext,
  property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  opts: { numRuns?: number; label?: string } = {},
): Promise<void> {
  const name = opts.label ? `${t.name} / ${opts.label}` : t.name;
  const env = Deno.env.get("FC_SEED");
  const seed = env ? Number(env) : crypto.getRandomValues(new Int32Array(1))[0];
  console.log(`property ${name}: seed=${seed}`);
  const out = await fc.check(property as fc.IRawProperty<Ts>, { seed, numRuns: opts.numRuns });
  if (out.failed) {
    console.error(`replay: FC_SEED=${out.seed} npx deno test -A tests/security_edge_test.ts --filter '${t.name}'`);
    throw new Error(fc.defaultReportMessage(out) ?? `property ${name} failed`, { cause: out.errorInstance });
  }
}

// ---------------------------------------------------------------- helpers

interface Who {
  handler: Handler;
  teacher: string;
  desk: string;
  deskCookie: string;
}

let who: Who | null = null;
/** One KV, a teacher (bearer token) and a receptionist (cookie) for the whole file. */
async function setup(): Promise<Who> {
  if (who) return who;
  await freshKv();
  const handler = await appHandler();
  const t = await makeUser("teacher");
  const d = await makeUser("receptionist");
  const teacher = (await apiLogin(handler, t.email!, t.password)).token;
  const desk = (await apiLogin(handler, d.email!, d.password)).token;
  const deskCookie = (await signIn(handler, d.email!, d.password)).cookie;
  who = { handler, teacher, desk, deskCookie };
  return who;
}

async function getAs(handler: Handler, path: string, auth: { token?: string; cookie?: string }) {
  const headers = new Headers();
  if (auth.token) headers.set("authorization", `Bearer ${auth.token}`);
  if (auth.cookie) headers.set("cookie", auth.cookie);
  const t0 = performance.now();
  const res = await handler(new Request(ORIGIN + path, { headers }));
  return { res, ms: performance.now() - t0 };
}

/** A teacher's GET that must be refused with 400 and `field` → `key` (translated), fast. */
async function refused(path: string, field: string, key: string) {
  const w = await setup();
  const { res, ms } = await getAs(w.handler, path, { token: w.teacher });
  const body = await res.json();
  assert.equal(res.status, 400, `${path} → ${res.status} ${JSON.stringify(body)}`);
  assert.equal(body.error.code, "validation_failed", path);
  assert.equal(body.error.fields[field], translate("id", key), `${path}: ${JSON.stringify(body.error.fields)}`);
  assert.ok(ms < 1000, `${path} took ${ms.toFixed(0)} ms`);
}

// ---------------------------------------------------------------- dates, weeks, months

Deno.test("far-away dates, weeks and months on the report API → 400 at once, with a translated field error", async () => {
  const out = "field.date_out_of_range";
  await refused("/api/reports/daily?date=9999-12-31", "date", out);
  await refused("/api/reports/daily?date=0001-01-01", "date", out);
  await refused("/api/reports/daily?date=1999-12-31", "date", out);
  await refused("/api/reports/daily?date=2101-01-01", "date", out);
  await refused("/api/reports/daily?date=%2B010000-01-01", "date", "field.invalid_date");
  await refused("/api/reports/daily?date=-000001-01-01", "date", "field.invalid_date");
  await refused("/api/reports/daily?date=2026-02-30", "date", "field.invalid_date");
  await refused("/api/reports/weekly?date=9999-12-31", "date", out);
  await refused("/api/reports/weekly?date=0001-01-01&format=csv", "date", out);
  await refused("/api/reports/weekly?week=2026-W99999999", "week", "field.invalid_week");
  await refused("/api/reports/weekly?week=2026-W54", "week", "field.invalid_week");
  await refused("/api/reports/weekly?week=2027-W53", "week", "field.invalid_week"); // 2027 has 52 weeks
  await refused("/api/reports/weekly?week=2026-W00", "week", "field.invalid_week");
  await refused("/api/reports/weekly?week=9999-W52", "week", out);
  await refused("/api/reports/weekly?week=%2B10000-W01", "week", "field.invalid_week");
  await refused("/api/reports/monthly?month=9999-12", "month", out);
  await refused("/api/reports/monthly?month=0001-01&format=csv", "month", out);
  await refused("/api/reports/monthly?month=%2B010000-01", "month", "field.invalid_month");
  await refused("/api/reports/monthly?month=2026-13", "month", "field.invalid_month");
  await refused("/api/appointments?date=9999-12-31", "date", out);
});

Deno.test("the window's own edges still work: 2000-01-01, 2100-12-31, 2100-12, 2026-W53", async () => {
  const w = await setup();
  for (
    const [path, from, to] of [
      ["/api/reports/daily?date=2000-01-01", "2000-01-01", "2000-01-01"],
      ["/api/reports/weekly?date=2100-12-31", "2100-12-27", "2101-01-02"],
      ["/api/reports/monthly?month=2100-12", "2100-12-01", "2100-12-31"],
      ["/api/reports/weekly?week=2026-W53", "2026-12-28", "2027-01-03"],
      ["/api/reports/weekly?week=2000-W01", "2000-01-03", "2000-01-09"],
    ]
  ) {
    const { res } = await getAs(w.handler, path, { token: w.teacher });
    const body = await res.json();
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(body)}`);
    assert.deepEqual(body.period, { from, to }, path);
  }
});

Deno.test("the desk's report page refuses far-away dates at once (400) with a translated message and shows the current period", async () => {
  const w = await setup();
  const today = todayLocal();
  for (
    const [path, key] of [
      ["/frontdesk/reports?period=week&date=9999-12-31", "field.date_out_of_range"],
      ["/frontdesk/reports?period=day&date=0001-01-01", "field.date_out_of_range"],
      ["/frontdesk/reports?period=month&month=9999-12", "field.date_out_of_range"],
      ["/frontdesk/reports?period=week&week=2026-W99999999", "field.invalid_week"],
      ["/frontdesk/reports?period=day&date=%2B010000-01-01", "field.invalid_date"],
    ]
  ) {
    const { res, ms } = await getAs(w.handler, path, { cookie: w.deskCookie });
    const html = await res.text();
    assert.equal(res.status, 400, path);
    assert.ok(ms < 2000, `${path} took ${ms.toFixed(0)} ms`);
    const msg = translate("id", "fd.reports.fallback", { problem: translate("id", key) });
    assert.ok(html.includes(msg), `${path}: page names the problem`);
    assert.ok(
      html.includes(`value="${path.includes("month=") ? today.slice(0, 7) : today}"`),
      `${path}: current period`,
    );
  }
  const ok = await getAs(w.handler, "/frontdesk/reports?period=day&date=&month=", { cookie: w.deskCookie });
  assert.equal(ok.res.status, 200);
  assert.ok(!(await ok.res.text()).includes('class="alert alert-error"'), "empty fields are no error");
  // The step links never leave the window.
  const edge = await getAs(w.handler, "/frontdesk/reports?period=day&date=2100-12-31", { cookie: w.deskCookie });
  const html = await edge.res.text();
  assert.equal(edge.res.status, 200);
  assert.ok(!html.includes("2101-01-01"), "no link past the window");
});

Deno.test("appointment start times outside the window → 400 (9999-12-31 used to pass the 'too far ahead' check)", async () => {
  const w = await setup();
  for (
    const startsAt of ["9999-12-31T23:30:00Z", "9999-12-31T23:30", "0001-01-01T09:00:00+07:00", "2101-01-01T08:00"]
  ) {
    const res = await w.handler(
      new Request(ORIGIN + "/api/appointments", {
        method: "POST",
        headers: { authorization: `Bearer ${w.teacher}`, "content-type": "application/json", origin: ORIGIN },
        body: JSON.stringify({ guestName: "Tamu Jauh", guestPhone: "081234567890", purpose: "Uji", startsAt }),
      }),
    );
    const body = await res.json();
    assert.equal(res.status, 400, `${startsAt}: ${JSON.stringify(body)}`);
    assert.equal(body.error.fields.startsAt, translate("id", "field.date_out_of_range"), startsAt);
  }
  assert.throws(() => startsAtParam.parse(new Date(8.64e15)));
});

Deno.test("date loops follow the calendar, not text order, and are bounded", async () => {
  // Text order puts "+010000-01-01" before "9999-12-31"; the calendar does not.
  assert.ok("+010000-01-01" < "9999-12-31");
  assert.equal(compareLocalDates("9999-12-31", "+010000-01-01"), -1);
  assert.deepEqual(dateRange("9999-12-30", "+010000-01-01"), ["9999-12-30", "9999-12-31", "+010000-01-01"]);
  assert.deepEqual(dateRange("2026-11-02", "2026-11-01"), []);
  assert.equal(dateRange("2028-01-01", "2028-12-31").length, 366);
  assert.throws(() => dateRange("2026-01-01", "2027-01-02"), RangeError);
  assert.throws(() => dateRange("0001-01-01", "9999-12-31"), RangeError);
  // A report over an absurd period is refused before it loops.
  const t0 = performance.now();
  await assert.rejects(buildReport("daily", "9999-12-31", "+010000-01-01"), ValidationError);
  await assert.rejects(buildReport("monthly", "0001-01-01", "9999-12-31"), ValidationError);
  await assert.rejects(buildReport("weekly", "2026-11-08", "2026-11-02"), ValidationError);
  assert.ok(performance.now() - t0 < 200);
});

/** Any `YYYY-MM-DD`-shaped text, real or not, near or far. */
const dateText = fc.tuple(
  fc.integer({ min: 0, max: 9999 }),
  fc.integer({ min: 0, max: 13 }),
  fc.integer({ min: 0, max: 32 }),
)
  .map(([y, m, d]) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
const nearYear = fc.integer({ min: 1990, max: 2110 });
const anyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    "+010000-01-01",
    "-000001-12-31",
    "2026-W",
    "2026-1-1",
    " 2026-11-20",
    "2026-11-20 ",
    "２０２６-11-20",
  ),
);

Deno.test("property: a date parameter is accepted exactly when it is a real day in 2000..2100", (t) =>
  fuzz(
    t,
    fc.property(
      fc.oneof(dateText, fc.tuple(nearYear, dateText).map(([y, s]) => `${y}${s.slice(4)}`), anyText),
      (s) => {
        const r = localDateParam.safeParse(s);
        let real = false;
        try {
          real = /^\d{4}-\d{2}-\d{2}$/.test(s) && Temporal.PlainDate.from(s, { overflow: "reject" }).toString() === s;
        } catch { /* not a day */ }
        const expected = real && inCalendarWindow(Temporal.PlainDate.from(s));
        assert.equal(r.success, expected, s);
      },
    ),
    { numRuns: 2000 },
  ));

Deno.test("property: month and week parameters are accepted exactly inside the window; weeks map to their Monday", (t) =>
  fuzz(
    t,
    fc.property(
      fc.oneof(fc.integer({ min: 0, max: 9999 }), nearYear),
      fc.integer({ min: -1, max: 99_999_999 }),
      (y, n) => {
        const year = String(y).padStart(4, "0");
        const mm = String(Math.abs(n) % 100).padStart(2, "0");
        const month = `${year}-${mm}`;
        const realMonth = Number(mm) >= 1 && Number(mm) <= 12;
        assert.equal(yearMonthParam.safeParse(month).success, realMonth && y >= 2000 && y <= 2100, month);
        const week = `${year}-W${n >= 0 && n < 100 ? String(n).padStart(2, "0") : n}`;
        const ok = isoWeekParam.safeParse(week).success;
        if (!isIsoWeek(week)) return assert.equal(ok, false, week);
        const monday = Temporal.PlainDate.from(isoWeekStart(week));
        assert.equal(monday.dayOfWeek, 1, week);
        assert.equal(isoWeekName(monday.toString()), week, "round trip");
        assert.equal(ok, inCalendarWindow(monday), week);
      },
    ),
    { numRuns: 2000 },
  ));

Deno.test("property: the report endpoints answer 200 inside the window and 400 outside it, never 5xx, fast", async (t) => {
  const w = await setup();
  const param = fc.oneof(
    dateText.map((d) => ["daily", `date=${d}`] as const),
    dateText.map((d) => ["weekly", `date=${d}`] as const),
    fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 60 })).map(([y, n]) =>
      ["weekly", `week=${String(y).padStart(4, "0")}-W${String(n).padStart(2, "0")}`] as const
    ),
    fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 })).map(([y, m]) =>
      ["monthly", `month=${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}`] as const
    ),
    anyText.map((s) => ["daily", `date=${encodeURIComponent(s)}`] as const),
  );
  await fuzz(
    t,
    fc.asyncProperty(param, async ([kind, q]) => {
      const { res, ms } = await getAs(w.handler, `/api/reports/${kind}?${q}`, { token: w.teacher });
      const body = await res.json();
      assert.ok(res.status === 200 || res.status === 400, `${kind}?${q} → ${res.status}`);
      assert.ok(ms < 1000, `${kind}?${q} took ${ms.toFixed(0)} ms`);
      const value = decodeURIComponent(q.slice(q.indexOf("=") + 1));
      const schema = q.startsWith("date=") ? localDateParam : q.startsWith("week=") ? isoWeekParam : yearMonthParam;
      assert.equal(res.status === 200, schema.safeParse(value).success, `${kind}?${q}`);
      if (res.status === 400) assert.equal(typeof Object.values(body.error.fields)[0], "string");
      else assert.ok(body.byDay.length >= 1 && body.byDay.length <= 31);
    }),
    { numRuns: 150 },
  );
});

Deno.test("the window constants are what the messages say", () => {
  assert.equal(CALENDAR_MIN.toString(), "2000-01-01");
  assert.equal(CALENDAR_MAX.toString(), "2100-12-31");
  assert.equal(MAX_RANGE_DAYS, 366);
  assert.match(translate("en", "field.date_out_of_range"), /2000 and 2100/);
});

// ---------------------------------------------------------------- bodies

/** A body of `total` bytes in `chunk`-byte pieces, counting how much was pulled. */
function countingBody(total: number, chunk = 16 * 1024, fill = 0x20) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (seen.pulled >= total) return c.close();
      const n = Math.min(chunk, total - seen.pulled);
      seen.pulled += n;
      c.enqueue(new Uint8Array(n).fill(fill));
    },
    cancel() {
      seen.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, seen };
}

Deno.test("a chunked body of a few MB (no Content-Length) → 413, translated, after reading little more than the limit", async () => {
  const w = await setup();
  for (
    const [path, type, auth] of [
      ["/api/auth/login", "application/json", {}],
      ["/signin", "application/x-www-form-urlencoded", {}],
      ["/api/appointments", "application/json", { authorization: `Bearer ${w.teacher}` }],
      ["/signin", "multipart/form-data; boundary=xyz", {}],
    ] as const
  ) {
    const { stream, seen } = countingBody(4 * 1024 * 1024);
    const req = new Request(ORIGIN + path, {
      method: "POST",
      headers: { "content-type": type, origin: ORIGIN, accept: "application/json", ...auth },
      body: stream,
      // @ts-ignore: `duplex` is required for stream bodies (Fetch standard), not in every lib.d.ts
      duplex: "half",
    });
    assert.equal(req.headers.get("content-length"), null, "chunked: no length declared");
    const t0 = performance.now();
    const res = await w.handler(req);
    const body = await res.json();
    assert.equal(res.status, 413, `${path} (${type}): ${JSON.stringify(body)}`);
    assert.equal(body.error.code, "payload_too_large");
    assert.equal(body.error.message, translate("id", "error.payload_too_large"));
    assert.ok(seen.pulled <= MAX_BODY_BYTES + 64 * 1024, `${path}: pulled ${seen.pulled} bytes of 4 MiB`);
    assert.ok(seen.cancelled, `${path}: the rest of the body is cancelled, not read`);
    assert.ok(performance.now() - t0 < 1000);
  }
});

Deno.test("a declared Content-Length over the limit → 413 before a byte is read; a body just under it is read", async () => {
  const { stream, seen } = countingBody(MAX_BODY_BYTES + 1);
  const big = new Request(ORIGIN + "/x", {
    method: "POST",
    headers: { "content-length": String(MAX_BODY_BYTES + 1) },
    body: stream,
    // @ts-ignore: see above
    duplex: "half",
  });
  await assert.rejects(readBodyBytes(big), PayloadTooLarge);
  assert.equal(seen.pulled, 0);
  const json = JSON.stringify({ pad: "x".repeat(MAX_BODY_BYTES - 20) });
  const ok = await readBody(new Request(ORIGIN + "/x", { method: "POST", body: json }));
  assert.equal((ok.pad as string).length, MAX_BODY_BYTES - 20);
  // Uploads pass their own limit.
  const up = countingBody(200 * 1024);
  const bytes = await readBodyBytes(
    // @ts-ignore: see above
    new Request(ORIGIN + "/x", { method: "POST", body: up.stream, duplex: "half" }),
    256 * 1024,
  );
  assert.equal(bytes.byteLength, 200 * 1024);
});

/** A body that sends `prefix` and then fails, like a connection reset mid-upload. */
function abortingBody(prefix: string) {
  let sent = false;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (!sent) {
        sent = true;
        c.enqueue(new TextEncoder().encode(prefix));
      } else c.error(new Deno.errors.ConnectionReset("connection reset by peer"));
    },
  });
}

/** Runs `fn` while counting error-level log lines (console.error). */
async function countingErrorLogs<T>(fn: () => Promise<T>): Promise<{ value: T; errors: string[] }> {
  const errors: string[] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => {
    errors.push(a.map(String).join(" "));
  };
  try {
    return { value: await fn(), errors };
  } finally {
    console.error = orig;
  }
}

Deno.test("a body the client stops sending → 400 body_aborted (JSON and form), no error log, no 500", async () => {
  const w = await setup();
  for (
    const [path, type] of [
      ["/api/auth/login", "application/json"],
      ["/signin", "application/x-www-form-urlencoded"],
    ] as const
  ) {
    const { value: res, errors } = await countingErrorLogs(() =>
      w.handler(
        new Request(ORIGIN + path, {
          method: "POST",
          headers: { "content-type": type, origin: ORIGIN, accept: "application/json" },
          body: abortingBody(type.includes("json") ? '{"email":"a@b.c","pass' : "identifier=a%40b.c&pass"),
          // @ts-ignore: see above
          duplex: "half",
        }),
      )
    );
    const body = await res.json();
    assert.equal(res.status, 400, `${path}: ${JSON.stringify(body)}`);
    assert.equal(body.error.code, "body_aborted");
    assert.equal(body.error.message, translate("id", "error.body_aborted"));
    assert.deepEqual(errors.filter((l) => l.includes('"level":"error"')), [], "no error log line");
  }
  await assert.rejects(
    // @ts-ignore: see above
    readBodyBytes(new Request(ORIGIN + "/x", { method: "POST", body: abortingBody("{"), duplex: "half" })),
    BodyAborted,
  );
});

Deno.test("over a real socket: a client that hangs up mid-body gets no 500 (handler answers 400)", async () => {
  const w = await setup();
  const statuses: number[] = [];
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
    onError: () => new Response(null, { status: 599 }),
  }, async (req) => {
    const res = await w.handler(req);
    statuses.push(res.status);
    return res;
  });
  try {
    const { errors } = await countingErrorLogs(async () => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
      const head = "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
        "Content-Length: 50000\r\n\r\n" + '{"email":"someone@test.local","password":"';
      await conn.write(new TextEncoder().encode(head));
      await new Promise((r) => setTimeout(r, 50));
      conn.close();
      for (let i = 0; i < 100 && statuses.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    });
    assert.deepEqual(statuses, [400], "the body read failed as a client error");
    assert.deepEqual(errors.filter((l) => l.includes('"level":"error"')), [], "no error log line");
  } finally {
    await server.shutdown();
  }
});

Deno.test("no code reads a request body except through the bounded reader in lib/validation.ts", async () => {
  const offenders: string[] = [];
  const root = new URL("../", import.meta.url).pathname;
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(root + dir)) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else if (/\.(ts|tsx)$/.test(e.name) && path !== "lib/validation.ts") {
        const text = await Deno.readTextFile(root + path);
        if (/\b(req|request)\.(json|text|formData|arrayBuffer|blob|bytes)\(|\breq(uest)?\.body\b/.test(text)) {
          offenders.push(path);
        }
      }
    }
  };
  for (const dir of ["lib", "routes", "components", "islands"]) await walk(dir);
  assert.deepEqual(offenders, []);
});

// ---------------------------------------------------------------- headers

function assertSecurityHeaders(res: Response, what: string) {
  assert.equal(res.headers.get("x-content-type-options"), "nosniff", what);
  assert.equal(res.headers.get("referrer-policy"), "strict-origin-when-cross-origin", what);
  assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/, what);
  assert.match(res.headers.get("strict-transport-security") ?? "", /max-age=\d+/, what);
  assert.equal(res.headers.get("x-frame-options"), "DENY", what);
}

Deno.test("static files (200 and 304), island bundles, API errors and pages all carry the security headers", async () => {
  const w = await setup();
  const css = await w.handler(new Request(ORIGIN + "/base.css"));
  assert.equal(css.status, 200);
  assert.match(css.headers.get("content-type") ?? "", /^text\/css/);
  assertSecurityHeaders(css, "/base.css");
  const etag = css.headers.get("etag")!;
  await css.body?.cancel();
  const again = await w.handler(new Request(ORIGIN + "/favicon.svg"));
  assertSecurityHeaders(again, "/favicon.svg");
  await again.body?.cancel();
  const cached = await w.handler(new Request(ORIGIN + "/base.css", { headers: { "if-none-match": etag } }));
  assert.equal(cached.status, 304);
  assertSecurityHeaders(cached, "304");
  const api = await w.handler(new Request(ORIGIN + "/api/reports/daily"));
  assert.equal(api.status, 401);
  assertSecurityHeaders(api, "API 401");
  await api.body?.cancel();
  const missing = await w.handler(new Request(ORIGIN + "/no-such-file.css"));
  assertSecurityHeaders(missing, "404");
  await missing.body?.cancel();

  // Island bundles (served by the app, not staticFiles) get them too.
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/boot.js`, "export const boot = () => {};");
    const app = await buildApp({ build: { buildId: "sec1", outDir: dir, boot: "boot.js", islands: {}, entries: {} } });
    const res = await app.handler()(new Request(ORIGIN + "/_fresh/js/sec1/boot.js"));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("cache-control") ?? "", /immutable/);
    assertSecurityHeaders(res, "bundle");
    await res.body?.cancel();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------- notification streams

Deno.test("open notification streams: global cap → 503 with Retry-After, per-user cap → 429, slots freed on close", async () => {
  const w = await setup();
  const other = await makeUser("teacher");
  const otherToken = (await apiLogin(w.handler, other.email!, other.password)).token;
  const before = openStreamCount();
  const saved = [Deno.env.get("SSE_MAX_STREAMS"), Deno.env.get("SSE_MAX_STREAMS_PER_USER")];
  Deno.env.set("SSE_MAX_STREAMS", String(before + 2));
  Deno.env.set("SSE_MAX_STREAMS_PER_USER", "1");
  const open: Response[] = [];
  try {
    const a = await getAs(w.handler, "/api/notifications/stream", { token: w.teacher });
    assert.equal(a.res.status, 200);
    open.push(a.res);
    const same = await getAs(w.handler, "/api/notifications/stream", { token: w.teacher });
    const sb = await same.res.json();
    assert.equal(same.res.status, 429, "per-user cap");
    assert.equal(sb.error.code, "too_many_streams");
    const b = await getAs(w.handler, "/api/notifications/stream", { token: otherToken });
    assert.equal(b.res.status, 200);
    open.push(b.res);
    assert.equal(openStreamCount(), before + 2);

    Deno.env.set("SSE_MAX_STREAMS_PER_USER", "20");
    const busy = await getAs(w.handler, "/api/notifications/stream", { token: w.desk });
    const body = await busy.res.json();
    assert.equal(busy.res.status, 503, JSON.stringify(body));
    assert.equal(busy.res.headers.get("retry-after"), "30");
    assert.equal(body.error.code, "streams_busy");
    assert.equal(body.error.message, translate("id", "notify.streams_busy", { seconds: 30 }));
    assertSecurityHeaders(busy.res, "503");

    await open.shift()!.body!.cancel();
    assert.equal(openStreamCount(), before + 1, "closing a stream frees its slot");
    const c = await getAs(w.handler, "/api/notifications/stream", { token: w.desk });
    assert.equal(c.res.status, 200);
    open.push(c.res);
  } finally {
    for (const r of open) await r.body?.cancel();
    for (const [i, name] of ["SSE_MAX_STREAMS", "SSE_MAX_STREAMS_PER_USER"].entries()) {
      if (saved[i] === undefined) Deno.env.delete(name);
      else Deno.env.set(name, saved[i]!);
    }
  }
  assert.equal(openStreamCount(), before);
});

Deno.test("reserveStream: a burst cannot overshoot the caps (the slot is taken synchronously)", () => {
  const caps = { global: openStreamCount() + 3, perUser: 2 };
  const releases: (() => void)[] = [];
  let busy = 0, perUser = 0;
  for (let i = 0; i < 10; i++) {
    try {
      releases.push(reserveStream(`u${i % 2}`, caps));
    } catch (e) {
      if (e instanceof ServiceUnavailable) busy++;
      else if (e instanceof TooManyRequests) perUser++;
      else throw e;
    }
  }
  assert.equal(releases.length, 3);
  assert.equal(busy + perUser, 7);
  assert.ok(perUser >= 1 && busy >= 1);
  for (const r of releases) {
    r();
    r(); // idempotent
  }
  assert.equal(openStreamCount("u0"), 0);
  assert.equal(openStreamCount("u1"), 0);
});
