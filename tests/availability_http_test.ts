/**
 * Availability over real HTTP (app.handler()): the settings API, the public
 * slots endpoint, the preview, and the no-JavaScript page (save, errors next to
 * fields, add/remove rows). Fuzz of every endpoint and the form: no 5xx and
 * nothing half-written.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { apiLogin, appHandler, freshKv, get, makeUser, post, postForm, sendJson, signIn } from "./helpers.ts";
import { makePsychologist } from "./psychologist_fixtures.ts";
import { availabilityKey } from "@/lib/availability/keys.ts";
import { availabilitySchema } from "@/lib/availability/model.ts";
import { getAvailability, putAvailability } from "@/lib/availability/store.ts";
import { asText, fuzz } from "./fuzz.ts";

const DAY = 86_400_000;

/** Every day 08:00–20:00 (so tests do not depend on today's weekday). */
const everyDay = {
  timeZone: "Asia/Jakarta",
  weekly: Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [{ start: "08:00", end: "20:00" }]])),
  overrides: {},
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 10,
  minimumNoticeMinutes: 120,
  horizonDays: 30,
  slotIntervalMinutes: null,
};

function localDate(ms: number, tz = "Asia/Jakarta"): string {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz).toPlainDate().toString();
}

Deno.test("settings API: roles, save, validation errors without writing", async () => {
  await freshKv();
  const handler = await appHandler();
  const psy = await makePsychologist();
  const client = await makeUser("client");
  const { token } = await apiLogin(handler, psy.email!, psy.password);
  const { token: clientToken } = await apiLogin(handler, client.email!, client.password);

  assert.equal((await get(handler, "/api/psychologist/availability")).status, 401);
  assert.equal((await get(handler, "/api/psychologist/availability", { token: clientToken })).status, 403);
  const r0 = await get(handler, "/api/psychologist/availability", { token });
  assert.equal(r0.status, 200);
  assert.deepEqual((await r0.json()).availability.weekly["1"], []);

  const put = await sendJson(handler, "/api/psychologist/availability", everyDay, { token, method: "PUT" });
  assert.equal(put.status, 200);
  const saved = availabilitySchema.parse((await put.json()).availability);
  assert.equal(saved.bufferAfterMinutes, 10);
  const r1 = await get(handler, "/api/psychologist/availability", { token });
  assert.deepEqual((await r1.json()).availability, saved);

  const bad = await sendJson(handler, "/api/psychologist/availability", {
    ...everyDay,
    timeZone: "Nowhere/Land",
    weekly: { "1": [{ start: "10:00", end: "09:00" }] },
  }, { token, method: "PUT" });
  assert.equal(bad.status, 400);
  const body = await bad.json();
  assert.equal(body.error.code, "validation_failed");
  assert.equal(body.error.fields.timeZone, "Zona waktu tidak dikenal (contoh: Asia/Jakarta).");
  assert.ok(body.error.fields["weekly.1.0.end"]);
  assert.deepEqual(await getAvailability(psy.id), saved);
  assert.equal(
    (await sendJson(handler, "/api/psychologist/availability", everyDay, { token: clientToken, method: "PUT" }))
      .status,
    403,
  );
});

Deno.test("GET /api/psychologists/{id}/slots: public, offsets in the viewer zone, window checks, bookable only", async () => {
  await freshKv();
  const handler = await appHandler();
  const psy = await makePsychologist();
  const pending = await makePsychologist({}, { verification: "pending" });
  await putAvailability(psy.id, everyDay);
  await putAvailability(pending.id, everyDay);
  const svc = psy.profile.services[0]; // chat 30 min
  const tomorrow = localDate(Date.now() + DAY);

  const r = await get(
    handler,
    `/api/psychologists/${psy.id}/slots?serviceId=${svc.id}&from=${tomorrow}&to=${tomorrow}`,
  );
  assert.equal(r.status, 200);
  const j = await r.json();
  assert.equal(j.timeZone, "Asia/Jakarta");
  assert.equal(j.slots.length, 24); // 08:00–20:00 in 30-minute sessions
  assert.equal(j.slots[0].startsAt, `${tomorrow}T08:00:00+07:00`);
  assert.equal(j.slots[23].endsAt, `${tomorrow}T20:00:00+07:00`);

  const berlin = await get(
    handler,
    `/api/psychologists/${psy.id}/slots?serviceId=${svc.id}&from=${tomorrow}T00:00:00%2B07:00&to=${tomorrow}T12:00:00%2B07:00&tz=Europe/Berlin`,
  );
  const jb = await berlin.json();
  assert.equal(berlin.status, 200);
  assert.equal(jb.timeZone, "Europe/Berlin");
  assert.equal(jb.slots.length, 8);
  assert.match(jb.slots[0].startsAt, /T0[12]:00:00\+0[12]:00$/); // 08:00 WIB is 01:00 or 02:00 in Berlin

  // Default window: now … 7 days, nothing before now + 2 h notice.
  const d = await (await get(handler, `/api/psychologists/${psy.id}/slots?serviceId=${svc.id}`)).json();
  assert.ok(d.slots.length > 0);
  assert.ok(Date.parse(d.slots[0].startsAt) >= Date.now() + 2 * 3_600_000 - 60_000);

  const status = async (qs: string, id = psy.id) => {
    const res = await get(handler, `/api/psychologists/${id}/slots?${qs}`);
    await res.body?.cancel();
    return res.status;
  };
  assert.equal(await status(`serviceId=${svc.id}`, pending.id), 404);
  assert.equal(await status(`serviceId=${svc.id}`, "nobody"), 404);
  assert.equal(await status(`serviceId=nope`), 400);
  assert.equal(await status(``), 400);
  assert.equal(await status(`serviceId=${svc.id}&from=2026-02-30`), 400);
  assert.equal(await status(`serviceId=${svc.id}&from=1999-12-31`), 400);
  assert.equal(await status(`serviceId=${svc.id}&from=2101-01-01&to=2101-01-02`), 400);
  assert.equal(await status(`serviceId=${svc.id}&from=2026-01-01&to=2026-03-15`), 400); // 74 days
  assert.equal(await status(`serviceId=${svc.id}&from=2026-01-10&to=2026-01-09`), 400);
  assert.equal(await status(`serviceId=${svc.id}&tz=Mars/Base`), 400);
  assert.equal(await status(`serviceId=${svc.id}&from=yesterday`), 400);
  const err =
    await (await get(handler, `/api/psychologists/${psy.id}/slots?serviceId=${svc.id}&from=2026-01-01&to=2026-06-01`, {
      headers: { "accept-language": "en" },
    })).json();
  assert.equal(err.error.code, "validation_failed");
  assert.ok(err.error.fields.to);
});

Deno.test("GET /api/psychologists/{id}/slots: at most `limit` slots (default 200, ≤ 500) with `next`, rate-limited per IP", async () => {
  await freshKv();
  const handler = await appHandler();
  const psy = await makePsychologist();
  // The review's case: 24 h days, a start every 5 minutes, a long horizon, a 62-day window.
  const always = Object.fromEntries(
    ["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [{ start: "00:00", end: "24:00" }]]),
  );
  await putAvailability(psy.id, { ...everyDay, weekly: always, horizonDays: 365, slotIntervalMinutes: 5 });
  const svc = psy.profile.services[0];
  // The day after tomorrow: tomorrow's midnight is inside the minimum notice when the test runs late in the evening.
  const from = localDate(Date.now() + 2 * DAY);
  const to = localDate(Date.now() + 62 * DAY);
  const base = `/api/psychologists/${psy.id}/slots?serviceId=${svc.id}&from=${from}&to=${to}`;

  const d = await (await get(handler, base)).json();
  assert.equal(d.slots.length, 200);
  assert.equal(d.slots[0].startsAt, `${from}T00:00:00+07:00`);
  assert.equal(d.next, d.slots[199].startsAt.replace("T16:35", "T16:40")); // 200 × 5 min after midnight
  const page2 =
    await (await get(handler, `${base.replace(`from=${from}`, `from=${encodeURIComponent(d.next)}`)}&limit=500`))
      .json();
  assert.equal(page2.slots.length, 500);
  assert.equal(page2.slots[0].startsAt, d.next);
  const one = await (await get(handler, `${base}&limit=1`)).json();
  assert.deepEqual(one.slots, d.slots.slice(0, 1));
  // A short window: everything fits, no next page.
  const day = await (await get(
    handler,
    `/api/psychologists/${psy.id}/slots?serviceId=${svc.id}&from=${from}&to=${from}&limit=500`,
  ))
    .json();
  assert.equal(day.slots.length, 24 * 12 - svc.durationMinutes / 5 + 1);
  assert.equal(day.next, null);
  for (const bad of ["0", "501", "-1", "1.5", "many"]) {
    const res = await get(handler, `${base}&limit=${bad}`, { headers: { "accept-language": "en" } });
    assert.equal(res.status, 400, `limit=${bad}`);
    assert.ok((await res.json()).error.fields.limit);
  }

  // 120 queries a minute per address (in-process requests all come from "unknown"); this test made 9 so far.
  for (let i = 0; i < 111; i++) {
    const res = await get(handler, `/api/psychologists/nobody/slots?serviceId=x`);
    await res.body?.cancel();
    assert.equal(res.status, 404, `request ${i + 10}`);
  }
  const limited = await get(handler, base);
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get("retry-after")) >= 1);
  await limited.body?.cancel();
});

Deno.test("preview: unsaved settings → next slots (JSON and the form's fields), nothing saved", async () => {
  await freshKv();
  const handler = await appHandler();
  const psy = await makePsychologist();
  const { token } = await apiLogin(handler, psy.email!, psy.password);
  const r = await post(handler, "/api/psychologist/availability/preview", {
    ...everyDay,
    serviceId: psy.profile.services[1].id,
  }, { token });
  assert.equal(r.status, 200);
  const j = await r.json();
  assert.equal(j.durationMinutes, 50);
  assert.equal(j.slots.length, 10);
  assert.ok(j.slots[0].label.length > 5);
  const form = await postForm(handler, "/api/psychologist/availability/preview", {
    timeZone: "Asia/Kolkata",
    bufferBeforeMinutes: "0",
    bufferAfterMinutes: "0",
    minimumNoticeMinutes: "0",
    horizonDays: "30",
    slotIntervalMinutes: "",
    "w1.0.start": "09:00",
    "w1.0.end": "10:00",
  }, { token });
  assert.equal(form.status, 200);
  const jf = await form.json();
  assert.equal(jf.timeZone, "Asia/Kolkata");
  assert.match(jf.slots[0].startsAt, /T09:00:00\+05:30$/);
  const badForm = await postForm(handler, "/api/psychologist/availability/preview", {
    timeZone: "Asia/Jakarta",
    bufferBeforeMinutes: "0",
    bufferAfterMinutes: "0",
    minimumNoticeMinutes: "0",
    horizonDays: "30",
    "w3.4.start": "11:00",
    "w3.4.end": "",
  }, { token });
  assert.equal(badForm.status, 400);
  assert.deepEqual(Object.keys((await badForm.json()).error.fields), ["w3.4.end"]);
  assert.equal(await (await freshKvGet(psy.id)), null);
});

async function freshKvGet(id: string) {
  const { getKv } = await import("@/lib/db/kv.ts");
  return (await (await getKv()).get(availabilityKey(id))).value;
}

Deno.test("preview: at most 60 a minute per psychologist (429 with Retry-After), others unaffected", async () => {
  await freshKv();
  const handler = await appHandler();
  const psy = await makePsychologist();
  const other = await makePsychologist();
  const { token } = await apiLogin(handler, psy.email!, psy.password);
  const { token: otherToken } = await apiLogin(handler, other.email!, other.password);
  const preview = (t: string) => post(handler, "/api/psychologist/availability/preview", everyDay, { token: t });
  for (let i = 0; i < 60; i++) {
    const res = await preview(token);
    await res.body?.cancel();
    assert.equal(res.status, 200, `preview ${i + 1}`);
  }
  const limited = await preview(token);
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get("retry-after")) >= 1);
  await limited.body?.cancel();
  const res = await preview(otherToken);
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("page /psychologist/availability: save without JavaScript, errors beside fields, add and remove rows", async () => {
  await freshKv();
  const handler = await appHandler();
  const psy = await makePsychologist();
  const { cookie } = await signIn(handler, psy.email!, psy.password);
  const page = await get(handler, "/psychologist/availability", { cookie });
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /name="w1\.0\.start"/);
  assert.match(html, /name="o\.0\.date"/);
  assert.match(html, /data-testid="avail-preview"/);

  const base = {
    timeZone: "Asia/Jakarta",
    bufferBeforeMinutes: "0",
    bufferAfterMinutes: "15",
    minimumNoticeMinutes: "120",
    horizonDays: "30",
    slotIntervalMinutes: "",
    "w1.0.start": "09:00",
    "w1.0.end": "12:00",
    "w1.1.start": "",
    "w1.1.end": "",
    "w5.0.start": "13:00",
    "w5.0.end": "17:00",
    "o.0.date": localDate(Date.now() + 3 * DAY),
    "o.0.start": "",
    "o.0.end": "",
  };
  const saved = await postForm(handler, "/psychologist/availability", { ...base, intent: "save" }, { cookie });
  assert.equal(saved.status, 303);
  assert.equal(saved.headers.get("location"), "/psychologist/availability?done=saved");
  const a = await getAvailability(psy.id);
  assert.deepEqual(a.weekly["1"], [{ start: "09:00", end: "12:00" }]);
  assert.deepEqual(a.weekly["5"], [{ start: "13:00", end: "17:00" }]);
  assert.deepEqual(Object.values(a.overrides), [[]]);
  assert.equal(a.bufferAfterMinutes, 15);
  const again = await (await get(handler, "/psychologist/availability?done=saved", { cookie })).text();
  assert.match(again, /Jadwal tersimpan\./);
  assert.match(again, /value="13:00"/);

  // Errors next to their fields; nothing saved.
  const bad = await postForm(handler, "/psychologist/availability", {
    ...base,
    "w1.1.start": "11:00",
    "w1.1.end": "13:00",
    horizonDays: "999",
  }, { cookie });
  assert.equal(bad.status, 400);
  const badHtml = await bad.text();
  assert.match(badHtml, /id="err-w1\.1\.start"[^>]*>Rentang jam ini bertumpuk/);
  assert.match(badHtml, /Batas pemesanan harus 1–365 hari\./);
  assert.deepEqual((await getAvailability(psy.id)).weekly["1"], [{ start: "09:00", end: "12:00" }]);

  // Add a row to Tuesday and remove Friday's, unsaved.
  const added = await (await postForm(handler, "/psychologist/availability", { ...base, intent: "add:w2" }, { cookie }))
    .text();
  assert.match(added, /name="w2\.0\.start"/);
  assert.match(added, /name="w2\.1\.start"/);
  assert.match(added, /Perubahan belum disimpan/);
  const removed = await (await postForm(handler, "/psychologist/availability", { ...base, intent: "remove:w5.0" }, {
    cookie,
  })).text();
  assert.doesNotMatch(removed, /value="13:00"/);
  assert.deepEqual((await getAvailability(psy.id)).weekly["5"], [{ start: "13:00", end: "17:00" }]);

  // Clients and visitors are kept out.
  const client = await makeUser("client");
  const c = await signIn(handler, client.email!, client.password);
  const denied = await get(handler, "/psychologist/availability", { cookie: c.cookie });
  assert.equal(denied.status, 403);
  await denied.body?.cancel();
});

Deno.test("fuzz: settings API, preview, form and slots query never answer 5xx and never half-write", async (t) => {
  await freshKv();
  const handler = await appHandler();
  const psy = await makePsychologist();
  const { token } = await apiLogin(handler, psy.email!, psy.password);
  const { cookie } = await signIn(handler, psy.email!, psy.password);
  const time = fc.oneof(
    fc.constantFrom("09:00", "24:00", "00:00", "12:30", "25:00", "9:00", "", "12:03"),
    fc.string({ maxLength: 6 }),
  );
  const range = fc.record({ start: time, end: time });
  const anyVal = fc.oneof(fc.integer({ min: -1000, max: 100_000 }), fc.string({ maxLength: 8 }), fc.constant(null));
  const settings = fc.record({
    timeZone: fc.oneof(fc.constantFrom("Asia/Jakarta", "Europe/Berlin", "UTC", "Bad/Zone", ""), fc.string()),
    weekly: fc.oneof(
      fc.dictionary(fc.constantFrom("1", "2", "3", "7", "8", "x"), fc.array(range, { maxLength: 9 })),
      anyVal,
    ),
    overrides: fc.oneof(
      fc.dictionary(
        fc.oneof(fc.constantFrom(localDate(Date.now()), localDate(Date.now() + 5 * DAY), "2020-01-01"), fc.string()),
        fc.array(range, { maxLength: 3 }),
      ),
      anyVal,
    ),
    bufferBeforeMinutes: anyVal,
    bufferAfterMinutes: anyVal,
    minimumNoticeMinutes: anyVal,
    horizonDays: anyVal,
    slotIntervalMinutes: anyVal,
  }, { requiredKeys: [] });
  // Mostly valid settings with one field from the wild, so saves succeed as well as fail.
  const mixed = fc.oneof(
    settings,
    settings.map((x) => ({ ...everyDay, ...Object.fromEntries(Object.entries(x).slice(0, 1)) })),
    fc.constant(everyDay),
  );
  const seen = new Set<string>();
  await fuzz(
    t,
    fc.asyncProperty(mixed, fc.constantFrom("put", "preview", "form", "slots"), fc.string({ maxLength: 30 }), async (
      s,
      which,
      junk,
    ) => {
      const before = await getAvailability(psy.id);
      let res: Response;
      if (which === "put") {
        res = await sendJson(handler, "/api/psychologist/availability", s, { token, method: "PUT" });
      } else if (which === "preview") {
        res = await post(handler, "/api/psychologist/availability/preview", s, { token });
      } else if (which === "form") {
        const f: Record<string, string> = {};
        for (const [k, v] of Object.entries(s)) {
          if (typeof v !== "object" || v === null) {
            f[k] = v === null ? "" : asText(v);
          }
        }
        const w = typeof s.weekly === "object" && s.weekly
          ? s.weekly as Record<string, { start: string; end: string }[]>
          : {};
        for (const [d, rs] of Object.entries(w)) {
          rs.forEach((r, i) => {
            f[`w${d}.${i}.start`] = r.start;
            f[`w${d}.${i}.end`] = r.end;
          });
        }
        f.intent = junk.length % 3 === 0 ? "save" : junk;
        res = await postForm(handler, "/psychologist/availability", f, { cookie });
      } else {
        const qs = new URLSearchParams({
          serviceId: junk.length % 2 ? psy.profile.services[0].id : junk,
          from: String(s.timeZone ?? ""),
          to: String(s.horizonDays ?? ""),
          tz: String(s.timeZone ?? ""),
          limit: String(s.horizonDays ?? ""),
        });
        res = await get(handler, `/api/psychologists/${psy.id}/slots?${qs}`);
      }
      assert.ok(res.status < 500, `${which} → ${res.status}`);
      seen.add(`${which}:${res.status}`);
      await res.body?.cancel();
      const after = await getAvailability(psy.id);
      if (res.status >= 400 || which === "preview" || which === "slots") {
        assert.deepEqual(after, before, `${which} ${res.status} changed the settings`);
      } else {
        availabilitySchema.parse(after);
      }
    }),
    { numRuns: 200 },
  );
  for (const k of ["put:200", "put:400", "preview:200", "preview:400", "form:303", "form:400", "slots:400"]) {
    assert.ok(seen.has(k), `the fuzz never produced ${k} (${[...seen].join(", ")})`);
  }
});
