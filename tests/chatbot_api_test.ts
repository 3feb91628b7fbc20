/**
 * `POST /api/chatbot` over the app's real handler (real KV): works signed out,
 * validates the body (translated 400s, 413 past 16 KiB), is rate-limited per
 * client address (429 with Retry-After), and under fuzzing never answers 5xx
 * and always answers with the documented shape, storing nothing but
 * rate-limit counters.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { appHandler, freshKv, ORIGIN, post } from "./helpers.ts";
import { asText, fuzz } from "./fuzz.ts";
import { CHATBOT_LIMIT, chatbotAnswerSchema } from "@/lib/chatbot/mod.ts";
import { translate } from "@/lib/i18n/mod.ts";

Deno.env.set("APP_ENV", "test");
Deno.env.set("TRUST_PROXY", "1");

let ipSeq = 0;
/** A fresh client address per call, so that only the rate-limit test meets the limit. */
const fresh = () => ({ headers: { "x-forwarded-for": `10.9.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}` } });

Deno.test("signed out: an answer with intent, confidence, crisis, suggestions, in the message's language", async () => {
  await freshKv();
  const h = await appHandler();
  const r = await post(h, "/api/chatbot", { message: "aku susah tidur terus" }, fresh());
  assert.equal(r.status, 200);
  const a = chatbotAnswerSchema.parse(await r.json());
  assert.equal(a.intent, "sleep");
  assert.equal(a.lang, "id");
  assert.equal(a.crisis, false);
  assert.equal(a.reply, translate("id", "chatbot.reply.sleep"));
  assert.ok(a.suggestions.length > 0);

  const en = chatbotAnswerSchema.parse(await (await post(h, "/api/chatbot", { message: "hi there" }, fresh())).json());
  assert.equal(en.intent, "greeting");
  assert.equal(en.lang, "en");

  const forced = await (await post(h, "/api/chatbot", { message: "hi there", lang: "id" }, fresh())).json();
  assert.equal(forced.lang, "id", "`lang` wins over detection");

  const crisis = await (await post(h, "/api/chatbot", { message: "gue pengen mati aja" }, fresh())).json();
  assert.equal(crisis.crisis, true);
  assert.equal(crisis.intent, "crisis");
  assert.ok(crisis.actions.some((x: { href: string }) => x.href === "https://healing119.id"));

  // A form body works too (the no-JavaScript page posts one).
  const form = await h(
    new Request(`${ORIGIN}/api/chatbot`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", ...fresh().headers },
      body: new URLSearchParams({ message: "makasih ya" }).toString(),
    }),
  );
  assert.equal((await form.json()).intent, "thanks");
});

Deno.test("bad bodies: translated 400s, 413 past the limit; 1,000 code points (emoji) are fine", async () => {
  await freshKv();
  const h = await appHandler();
  const cases: [unknown, string, string][] = [
    [{}, "message", "field.required"],
    [{ message: "" }, "message", "field.required"],
    [{ message: "   \n\t " }, "message", "field.required"],
    [{ message: 42 }, "message", "field.required"],
    [{ message: "a".repeat(1001) }, "message", "chatbot.error.too_long"],
    [{ message: "😀".repeat(1001) }, "message", "chatbot.error.too_long"],
    [{ message: "hai", lang: "fr" }, "lang", "field.invalid_choice"],
  ];
  for (const lang of ["id", "en"] as const) {
    for (const [body, field, key] of cases) {
      const r = await post(h, "/api/chatbot", body, { headers: { ...fresh().headers, cookie: `lang=${lang}` } });
      assert.equal(r.status, 400, JSON.stringify(body));
      const e = (await r.json()).error;
      assert.equal(e.code, "validation_failed");
      assert.equal(e.fields[field], translate(lang, key), `${lang} ${JSON.stringify(body).slice(0, 40)}`);
    }
  }
  assert.equal((await post(h, "/api/chatbot", { message: "😀".repeat(1000) }, fresh())).status, 200);
  assert.equal((await post(h, "/api/chatbot", { message: "  " + "a".repeat(1000) + "  " }, fresh())).status, 200);
  const notJson = await h(
    new Request(`${ORIGIN}/api/chatbot`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json", ...fresh().headers },
      body: "{nope",
    }),
  );
  assert.equal(notJson.status, 400);
  const big = await post(h, "/api/chatbot", { message: "a".repeat(1000), pad: "x".repeat(17 * 1024) }, fresh());
  assert.equal(big.status, 413);
  const get = await h(new Request(`${ORIGIN}/api/chatbot`));
  assert.equal(get.status, 405);
});

Deno.test("rate limit per client address: the next message past the limit is 429 with Retry-After", async () => {
  await freshKv();
  const h = await appHandler();
  const me = { headers: { "x-forwarded-for": "10.200.0.1" } };
  for (let i = 0; i < CHATBOT_LIMIT.limit; i++) {
    assert.equal((await post(h, "/api/chatbot", { message: "halo" }, me)).status, 200, `message ${i + 1}`);
  }
  const r = await post(h, "/api/chatbot", { message: "halo" }, me);
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get("retry-after")) >= 1);
  assert.equal((await r.json()).error.code, "rate_limited");
  const other = await post(h, "/api/chatbot", { message: "halo" }, { headers: { "x-forwarded-for": "10.200.0.2" } });
  assert.equal(other.status, 200, "another address is not limited");
});

Deno.test("fuzz POST /api/chatbot: never 5xx; 200s have the documented shape; crisis answers always carry the lines", async (t) => {
  const kv = await freshKv();
  const h = await appHandler();
  let answered = 0;
  const word = fc.constantFrom(
    "halo",
    "mati",
    "lampu",
    "bunuh",
    "diri",
    "pengen",
    "gak",
    "kuat",
    "hidup",
    "kill",
    "myself",
    "end",
    "it",
    "all",
    "berapa",
    "harga",
    "tidur",
    "stres",
    "😀",
    "\u0000",
    "\ud800",
    "<script>",
    "1",
    "0",
    "@",
    "$",
    " ",
    "\n",
    "ẞ",
    "İ",
  );
  const message = fc.oneof(
    fc.string({ maxLength: 1200 }),
    fc.string({ unit: "grapheme", maxLength: 300 }),
    fc.array(word, { maxLength: 40 }).map((w) => w.join(" ")),
    fc.constant("a".repeat(1000)),
  );
  const value = fc.oneof(
    message,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.object({ maxDepth: 1 }),
  );
  const body = fc.record({
    message: fc.option(value, { freq: 8 }),
    lang: fc.option(fc.oneof(fc.constantFrom("id", "en", "", "EN", "fr"), value), { freq: 2 }),
  }, { requiredKeys: [] });
  await fuzz(
    t,
    fc.asyncProperty(body, fc.boolean(), async (b, asForm) => {
      const init: RequestInit = asForm
        ? {
          method: "POST",
          headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", ...fresh().headers },
          body: new URLSearchParams(
            Object.entries(b).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, asText(v)]),
          ).toString(),
        }
        : {
          method: "POST",
          headers: { origin: ORIGIN, "content-type": "application/json", ...fresh().headers },
          body: JSON.stringify(b),
        };
      const r = await h(new Request(`${ORIGIN}/api/chatbot`, init));
      assert.ok(r.status < 500, `status ${r.status}`);
      const json = await r.json();
      if (r.status === 200) {
        answered++;
        const a = chatbotAnswerSchema.parse(json);
        if (a.crisis) {
          assert.equal(a.intent, "crisis");
          assert.ok(a.actions.some((x) => x.href === "tel:119"));
        }
      } else {
        assert.ok([400, 413].includes(r.status), `status ${r.status}`);
        assert.equal(typeof json.error.message, "string");
      }
    }),
    { numRuns: 150 },
  );
  // Nothing is stored but the rate-limit counters of the messages that were answered.
  let keys = 0;
  for await (const e of kv.list({ prefix: [] })) {
    keys++;
    assert.equal(e.key[0], "ratelimit", `only rate-limit counters: ${JSON.stringify(e.key)}`);
  }
  assert.ok(keys <= answered, `${keys} counters for ${answered} answers`);
});
