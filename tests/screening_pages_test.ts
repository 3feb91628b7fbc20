/**
 * The screening pages over the app's handler with session cookies: the result page (style, meaning,
 * counts, chart, notice, crisis resources, "talk to a psychologist", PDF pay/download, delete with a
 * confirmation step), who may see it, the history list, the client home card and nav link; and a fuzz
 * of the result page's form (no 5xx, nothing half-written).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { appHandler, freshKv, get, makeUser, postForm, signIn } from "./helpers.ts";
import { fuzz } from "./fuzz.ts";
import { bodyVoting, bookedPsychologist, current } from "./screening_fixtures.ts";
import { CONSENT_TEXT_VERSION, recordConsent } from "@/lib/screening/consent.ts";
import { createScreening } from "@/lib/screening/store.ts";
import { listAudit } from "@/lib/audit.ts";
import { translate } from "@/lib/i18n/mod.ts";

Deno.env.set("APP_ENV", "test");
Deno.env.delete("MIDTRANS_SERVER_KEY");
Deno.env.delete("MIDTRANS_ENV");
Deno.env.set("BASE_URL", "http://127.0.0.1:9");

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

async function setup() {
  const h = await appHandler();
  const client = await makeUser("client");
  await recordConsent(client.id, CONSENT_TEXT_VERSION);
  const { set, table } = await current();
  const s = await createScreening(client, bodyVoting(set, table, "anxious").body);
  const cookie = (await signIn(h, client.email!, client.password)).cookie;
  return { h, client, s, cookie };
}

Deno.test("result page: style, meaning, counts, chart, notice, crisis resources, psychologists, PDF, delete", async () => {
  const kv = await freshKv();
  try {
    const { h, s, cookie } = await setup();
    const res = await get(h, `/screening/${s.id}`, { cookie });
    assert.equal(res.status, 200);
    const html = await res.text();
    const t = (k: string) => esc(translate("id", k));
    assert.ok(html.includes(t(`screening.style.${s.result}`)));
    assert.ok(html.includes(t(`screening.meaning.${s.result}`)));
    assert.ok(html.includes(t("screening.res.notice")), "screening aid, not a diagnosis");
    assert.ok(html.includes("healing119.id") && html.includes("119 ext 8"), "crisis resources");
    assert.ok(html.includes('href="/psychologists"'), "talk to a psychologist");
    assert.match(html, /<svg[^>]*role="img"/, "the server-rendered chart");
    assert.ok(html.includes('data-testid="pdf-pay"'), "an insecure result's PDF is paid");
    assert.ok(html.includes(`href="/screening/${s.id}?confirm=delete#confirm"`));
    assert.equal(res.headers.get("cache-control")?.includes("no-store"), true);

    // Pay: redirected to the (builtin sandbox) Snap page.
    const pay = await postForm(h, `/screening/${s.id}`, { action: "pay" }, { cookie });
    assert.equal(pay.status, 303);
    assert.match(pay.headers.get("location") ?? "", /\/sandbox\/midtrans\//);
    const after = await (await get(h, `/screening/${s.id}`, { cookie })).text();
    assert.ok(after.includes(t("screening.pdf.pending")), "a pending payment is mentioned");

    // Delete asks first, then removes.
    const ask = await (await get(h, `/screening/${s.id}?confirm=delete`, { cookie })).text();
    assert.ok(ask.includes('data-testid="confirm-step"'));
    const noConfirm = await postForm(h, `/screening/${s.id}`, { action: "delete" }, { cookie });
    assert.equal(noConfirm.status, 400, "without confirm=1 nothing is deleted");
    await noConfirm.body?.cancel();
    const del = await postForm(h, `/screening/${s.id}`, { action: "delete", confirm: "1" }, { cookie });
    assert.equal(del.status, 303);
    assert.equal(del.headers.get("location"), "/screening/history?done=deleted");
    const hist = await (await get(h, "/screening/history?done=deleted", { cookie })).text();
    assert.ok(hist.includes(t("screening.del.done")));
    assert.ok(hist.includes(t("screening.hist.empty")));
    const gone = await get(h, `/screening/${s.id}`, { cookie });
    assert.equal(gone.status, 404);
    await gone.body?.cancel();
  } finally {
    kv.close();
  }
});

Deno.test("result page: a secure result downloads its PDF; who may see the page", async () => {
  const kv = await freshKv();
  try {
    const { h, client, s, cookie } = await setup();
    const { set, table } = await current();
    const secure = await createScreening(client, bodyVoting(set, table, "secure").body);
    const html = await (await get(h, `/screening/${secure.id}`, { cookie })).text();
    assert.ok(html.includes(`href="/api/screenings/${secure.id}/pdf"`));

    const hist = await (await get(h, "/screening/history", { cookie })).text();
    assert.ok(hist.indexOf(`/screening/${secure.id}`) < hist.indexOf(`/screening/${s.id}`), "newest first");
    const badCursor = await get(h, "/screening/history?cursor=%25%25", { cookie });
    assert.equal(badCursor.status, 400);
    await badCursor.body?.cancel();

    const other = await makeUser("client");
    const otherCookie = (await signIn(h, other.email!, other.password)).cookie;
    const r1 = await get(h, `/screening/${s.id}`, { cookie: otherCookie });
    assert.equal(r1.status, 404);
    await r1.body?.cancel();
    const otherDel = await postForm(h, `/screening/${s.id}`, { action: "delete", confirm: "1" }, {
      cookie: otherCookie,
    });
    assert.equal(otherDel.status, 404);
    await otherDel.body?.cancel();
    const admin = await makeUser("admin");
    const adminCookie = (await signIn(h, admin.email!, admin.password)).cookie;
    const r2 = await get(h, `/screening/${s.id}`, { cookie: adminCookie });
    assert.equal(r2.status, 403);
    await r2.body?.cancel();
    const stranger = await makeUser("psychologist");
    const strangerCookie = (await signIn(h, stranger.email!, stranger.password)).cookie;
    const r3 = await get(h, `/screening/${s.id}`, { cookie: strangerCookie });
    assert.equal(r3.status, 404);
    await r3.body?.cancel();
    const psy = await bookedPsychologist(client);
    const psyCookie = (await signIn(h, psy.email!, psy.password)).cookie;
    const r4 = await get(h, `/screening/${s.id}`, { cookie: psyCookie });
    assert.equal(r4.status, 200);
    const psyHtml = await r4.text();
    assert.ok(!psyHtml.includes('data-testid="pdf-pay"') && !psyHtml.includes("confirm=delete"), "read-only");
    assert.equal((await listAudit({ actorId: psy.id })).items[0]?.action, "screening.read");
    // Patient details list the client's screenings, linked (the list read audited).
    const patient = await get(h, `/psychologist/patients/${client.id}`, { cookie: psyCookie });
    assert.equal(patient.status, 200);
    const patientHtml = await patient.text();
    assert.ok(
      patientHtml.includes(`href="/screening/${s.id}"`) && patientHtml.includes(`href="/screening/${secure.id}"`),
    );
    assert.ok((await listAudit({ actorId: psy.id })).items.some((a) => a.action === "screening.list"));
    const psyPost = await postForm(h, `/screening/${s.id}`, { action: "delete", confirm: "1" }, { cookie: psyCookie });
    assert.equal(psyPost.status, 403);
    await psyPost.body?.cancel();

    // Client home: the screening card opens the run; the nav links the screening pages.
    const home = await (await get(h, "/client", { cookie })).text();
    assert.ok(home.includes('href="/screening"'));
    assert.ok(home.includes('href="/screening/history"'));
  } finally {
    kv.close();
  }
});

Deno.test("result page form fuzz: no 5xx, nothing half-written", async (t) => {
  const kv = await freshKv();
  try {
    const { h, s, cookie } = await setup();
    const field = fc.oneof(
      fc.constantFrom("delete", "pay", "1", "0", "", "\u0000", "a".repeat(500)),
      fc.string({ maxLength: 30 }),
    );
    await fuzz(
      t,
      fc.asyncProperty(
        field,
        field,
        fc.constantFrom(s.id, "x", "01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        async (action, confirm, id) => {
          const res = await postForm(h, `/screening/${encodeURIComponent(id)}`, { action, confirm }, { cookie });
          assert.ok(res.status < 500, `${res.status} for ${JSON.stringify({ action, confirm, id })}`);
          await res.body?.cancel();
          let records = 0, index = 0;
          for await (const _ of kv.list({ prefix: ["screenings"] })) records++;
          for await (const _ of kv.list({ prefix: ["screenings_by_client"] })) index++;
          assert.equal(records, index, "record and index together");
        },
      ),
      { numRuns: 40 },
    );
  } finally {
    kv.close();
  }
});
