/**
 * The `/chatbot` page over the app's real handler, signed out: the island
 * renders a plain form, and the no-JavaScript path (a form POST to
 * `/chatbot`) answers on the page — the crisis panel included — or shows the
 * translated field error (400) with the text kept; fuzzing the form never
 * gives a 5xx.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { appHandler, freshKv, get, postForm } from "./helpers.ts";
import { fuzz } from "./fuzz.ts";
import { translate } from "@/lib/i18n/mod.ts";

Deno.env.set("APP_ENV", "test");
Deno.env.set("TRUST_PROXY", "1");
let n = 0;
const ip = () => ({ headers: { "x-forwarded-for": `10.77.${Math.floor(++n / 250)}.${n % 250}` } });

Deno.test("/chatbot signed out: the form, topics and the disclaimer, in the page's language", async () => {
  await freshKv();
  const h = await appHandler();
  for (const lang of ["id", "en"] as const) {
    const r = await get(h, "/chatbot", { headers: { cookie: `lang=${lang}` } });
    assert.equal(r.status, 200);
    const body = await r.text();
    assert.match(body, /<form class="cnbuddy-form" method="post" action="\/chatbot"/);
    assert.match(body, /<textarea id="cnbuddy-message" name="message"/);
    assert.ok(body.includes(translate(lang, "chatbot.intro")));
    assert.ok(body.includes(translate(lang, "chatbot.suggest.stress")), "topics offered");
    assert.ok(body.includes(translate(lang, "chatbot.disclaimer")));
    assert.match(body, /chatbot[^"]*\.css/, "the chatbot sheet is linked");
    assert.match(body, /<fresh-island/, "the island is there");
    assert.doesNotMatch(body, /data-testid="cnbuddy-crisis"/);
  }
});

Deno.test("no JavaScript: the form POST answers on the page; a crisis shows the panel; errors keep the text", async () => {
  await freshKv();
  const h = await appHandler();
  const ok = await postForm(h, "/chatbot", { message: "gimana cara booking psikolog?" }, ip());
  assert.equal(ok.status, 200);
  const okBody = await ok.text();
  assert.match(okBody, /data-intent="booking"/);
  assert.ok(okBody.includes(translate("id", "chatbot.reply.booking")));
  assert.match(okBody, /href="\/psychologists"/);

  const crisis = await postForm(h, "/chatbot", { message: "i want to kill myself" }, ip());
  assert.equal(crisis.status, 200);
  const cb = await crisis.text();
  assert.match(cb, /data-testid="cnbuddy-crisis"/);
  for (const href of ["tel:119", "/psychologists", "tel:119,8", "https://healing119.id"]) {
    assert.ok(cb.includes(`href="${href}"`), href);
  }
  assert.ok(cb.includes(translate("en", "chatbot.reply.crisis").slice(0, 40)), "answered in English");

  const empty = await postForm(h, "/chatbot", { message: "   " }, { headers: { ...ip().headers, cookie: "lang=en" } });
  assert.equal(empty.status, 400);
  assert.ok((await empty.text()).includes(translate("en", "field.required")));
  const long = "ä".repeat(1001);
  const tooLong = await postForm(h, "/chatbot", { message: long }, ip());
  assert.equal(tooLong.status, 400);
  const tl = await tooLong.text();
  assert.ok(tl.includes(translate("id", "chatbot.error.too_long")));
  assert.ok(tl.includes(long), "the text is kept in the box");
});

Deno.test("fuzz the /chatbot form: never 5xx", async (t) => {
  await freshKv();
  const h = await appHandler();
  await fuzz(
    t,
    fc.asyncProperty(
      fc.dictionary(
        fc.constantFrom("message", "lang", "x"),
        fc.oneof(fc.string({ maxLength: 1100 }), fc.constantFrom("", " ", "pengen mati", "😀".repeat(1000), "\u0000")),
        { maxKeys: 3 },
      ),
      async (fields) => {
        const r = await postForm(h, "/chatbot", fields, ip());
        assert.ok([200, 400, 413].includes(r.status), `status ${r.status}`);
        await r.body?.cancel();
      },
    ),
    { numRuns: 60 },
  );
});
