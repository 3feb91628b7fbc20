/**
 * CnBuddy's parts without HTTP (lib/chatbot, docs/domain-rules.md "CnBuddy"):
 * every intent in both languages, informal Indonesian and typos, `unknown`
 * below the threshold, the crisis override (both languages, slang, typos,
 * leetspeak, spaced letters) whatever the classifier says, the idioms that
 * must not raise it, the language of the reply, and `pricing` quoting the
 * directory's real lowest and highest prices.
 */
import assert from "node:assert/strict";
import { freshKv } from "./helpers.ts";
import { makePsychologist } from "./psychologist_fixtures.ts";
import { answer, chatbotAnswerSchema, clearPriceCache, CONFIDENCE_THRESHOLD, INTENTS } from "@/lib/chatbot/mod.ts";
import { CORPUS, getClassifier } from "@/lib/chatbot/classifier.ts";
import { detectCrisis } from "@/lib/chatbot/crisis.ts";
import { fold, foldForClassifier, foldForCrisis } from "@/lib/chatbot/normalize.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { formatIdr } from "@/lib/i18n/format.ts";

Deno.env.set("APP_ENV", "test");
await freshKv();

/** Messages that are not in the corpus, informal Indonesian and typos included. */
const EXAMPLES: Record<(typeof INTENTS)[number], { id: string[]; en: string[] }> = {
  greeting: { id: ["haloo kak", "selamat pagi cnbuddy"], en: ["hello!", "hey there cnbuddy"] },
  mental_health: { id: ["kesehatan mental itu apa ya"], en: ["what is mental health exactly"] },
  stress: { id: ["gue stres bgt sama kerjaan", "capek banget tugas numpuk"], en: ["work stress is too much"] },
  anxiety: { id: ["aku cemas dan panik terus"], en: ["i get panic attacks and worry a lot"] },
  depression: { id: ["aku sedih dan hampa terus"], en: ["i feel empty and hopeless"] },
  sleep: { id: ["aku gak bisa tidur tiap malem", "susah tidr"], en: ["i can't sleep at all"] },
  self_care: { id: ["tips self care dong"], en: ["any self care tips"] },
  booking: { id: ["gimana cara booking psikolog"], en: ["how do i book a session with a psychologist"] },
  pricing: { id: ["brp biaya konseling", "harga sesi berapa ya"], en: ["how much is a session"] },
  privacy: { id: ["data aku aman gak sih"], en: ["is my data private"] },
  screening: { id: ["skrining itu gimana"], en: ["how does the screening work"] },
  thanks: { id: ["makasih banyak kak"], en: ["thanks a lot!"] },
  goodbye: { id: ["dadah sampai jumpa"], en: ["bye, see you later"] },
};

Deno.test("each intent in both languages, informal Indonesian and typos; the reply is that intent's, in that language", async () => {
  for (const intent of INTENTS) {
    for (const lang of ["id", "en"] as const) {
      const suggestion = translate(lang, `chatbot.suggest.${intent}`);
      const messages = [...EXAMPLES[intent][lang], ...(suggestion.startsWith("chatbot.") ? [] : [suggestion])];
      for (const message of messages) {
        const a = await answer({ message }, lang === "id" ? "en" : "id"); // the page's language is the other one
        assert.equal(a.intent, intent, `${lang} ${JSON.stringify(message)} → ${a.intent} (${a.confidence})`);
        assert.equal(a.lang, lang, `${JSON.stringify(message)} is answered in ${lang}`);
        assert.equal(a.crisis, false);
        assert.ok(a.confidence >= CONFIDENCE_THRESHOLD && a.confidence <= 1);
        if (intent !== "pricing") assert.equal(a.reply, translate(lang, `chatbot.reply.${intent}`));
        assert.equal(a.suggestions.length, 3);
        chatbotAnswerSchema.parse(a);
      }
    }
  }
});

Deno.test("held-out utterances (never trained on): at least 90 % right per language", async () => {
  const c = await getClassifier();
  for (const lang of ["id", "en"] as const) {
    let ok = 0;
    let n = 0;
    for (const intent of INTENTS) {
      for (const s of CORPUS.intents[intent][lang].test) {
        n++;
        if ((await c.classify(s, lang)).intent === intent) ok++;
      }
      const train = new Set(CORPUS.intents[intent][lang].train);
      for (const s of CORPUS.intents[intent][lang].test) assert.ok(!train.has(s), `held out: ${s}`);
      assert.ok(CORPUS.intents[intent][lang].train.length >= 15, `${intent}/${lang}: ≥ 15 training utterances`);
    }
    assert.ok(ok / n >= 0.9, `${lang}: ${ok}/${n}`);
  }
});

Deno.test("off-topic messages are `unknown`: says it did not understand and suggests topics", async () => {
  for (
    const [lang, message] of [
      ["id", "siapa presiden pertama indonesia"],
      ["id", "resep nasi goreng enak"],
      ["en", "what is the capital of france"],
      ["en", "my cat is orange"],
      ["id", "asdfgh qwerty"],
      ["en", "🙂🙂🙂"],
      ["id", "Ѐ"],
      ["en", "Привет, как дела"],
      ["id", "مرحبا"],
      ["en", "你好"],
    ] as const
  ) {
    assert.equal((await answer({ message }, lang)).intent, "unknown", `${message}, language detected`);
    const a = await answer({ message, lang }, lang);
    assert.equal(a.intent, "unknown", `${message} → ${a.intent} (${a.confidence})`);
    assert.ok(a.confidence < CONFIDENCE_THRESHOLD);
    assert.equal(a.reply, translate(lang, "chatbot.reply.unknown"));
    assert.ok(a.suggestions.length >= 4, "topics suggested");
    for (const s of a.suggestions) assert.equal((await answer({ message: s, lang }, lang)).intent === "unknown", false);
  }
});

Deno.test("crisis in both languages (slang, typos, leetspeak, spaced letters) overrides any intent", async () => {
  for (const lang of ["id", "en"] as const) {
    for (const message of CORPUS.crisis[lang].positive) {
      assert.ok(detectCrisis(message).crisis, `${lang}: ${JSON.stringify(message)} (${foldForCrisis(message)})`);
    }
  }
  // Mixed with words of other intents: the crisis wins whatever the classifier would say.
  for (
    const message of [
      "halo kak, aku pengen mati",
      "makasih ya, tapi gue mau bunuh diri",
      "berapa harga konseling? aku udah gak kuat hidup lagi",
      "aku susah tidur dan pengen nyakitin diri",
      "hello, i want to kill myself",
      "thanks but i'm going to end it all",
      "how much does a session cost, i self harm",
      "i can't sleep and i want to die",
      "PENGEN MATIII",
      "k i l l m y s e l f",
    ]
  ) {
    for (const lang of [undefined, "id", "en"] as const) {
      const a = await answer({ message, lang }, "id");
      assert.equal(a.crisis, true, message);
      assert.equal(a.intent, "crisis");
      assert.equal(a.confidence, 1);
      assert.equal(a.reply, translate(a.lang, "chatbot.reply.crisis"));
      assert.match(a.reply, /healing119\.id/);
      assert.match(a.reply, /119 ext 8/);
      assert.match(a.reply, /119/);
      const hrefs = a.actions.map((x) => x.href);
      assert.deepEqual(hrefs, ["tel:119", "/psychologists", "tel:119,8", "https://healing119.id"]);
      assert.equal(a.actions[1].label, translate(a.lang, "chatbot.crisis.psychologist"));
      if (lang) assert.equal(a.lang, lang);
    }
  }
  assert.equal((await answer({ message: "i want to end it all" }, "id")).lang, "en");
  assert.equal((await answer({ message: "aku pengen mati" }, "en")).lang, "id");
});

Deno.test("idioms with risky words are not a crisis (mati lampu, mati gaya, killing it, dying to…)", async () => {
  for (const lang of ["id", "en"] as const) {
    for (const message of CORPUS.crisis[lang].negative) {
      const r = detectCrisis(message);
      assert.equal(r.crisis, false, `${lang}: ${JSON.stringify(message)} matched pattern ${r.pattern}`);
    }
    for (const intent of INTENTS) {
      for (const s of [...CORPUS.intents[intent][lang].train, ...CORPUS.intents[intent][lang].test]) {
        assert.equal(detectCrisis(s).crisis, false, `${intent}: ${s}`);
      }
    }
  }
  const a = await answer({ message: "deadline ini bikin mati gaya, stres banget" }, "id");
  assert.equal(a.crisis, false);
  assert.equal(a.intent, "stress");
});

Deno.test("normalisation: case, accents, stretched letters, apostrophes, leetspeak, spaced letters, slang", () => {
  assert.equal(fold("Pengeeen MATI!!"), "pengen mati");
  assert.equal(fold("I can't   sleep"), "i cant slep");
  assert.equal(fold("Café  ☕ 119"), "cafe 119");
  assert.equal(foldForCrisis("k1ll mys3lf"), "kil myself");
  assert.equal(foldForCrisis("b u n u h d i r i"), "bunuhdiri");
  assert.equal(foldForCrisis("call 119"), "cal 119", "numbers alone stay numbers");
  assert.equal(foldForClassifier("Gue gak bisa tidur bgt"), "aku gak bisa tidur banget");
  assert.equal(foldForClassifier("nggak enggak tdk"), "gak gak gak");
});

Deno.test("pricing quotes the directory's real lowest and highest prices (listed psychologists only)", async () => {
  clearPriceCache();
  const none = await answer({ message: "berapa biaya konseling?" }, "id");
  assert.equal(none.intent, "pricing");
  assert.equal(none.reply, translate("id", "chatbot.reply.pricing_none"));

  await makePsychologist({ services: [{ type: "chat", durationMinutes: 30, priceIdr: 125_000 }] });
  await makePsychologist({
    services: [
      { type: "chat", durationMinutes: 30, priceIdr: 200_000 },
      { type: "video", durationMinutes: 60, priceIdr: 475_000 },
    ],
  });
  // Not verified: not in the directory, its prices are not quoted.
  await makePsychologist({ services: [{ type: "chat", durationMinutes: 30, priceIdr: 50_000 }] }, {
    verification: "pending",
  });
  clearPriceCache();
  for (const lang of ["id", "en"] as const) {
    const a = await answer({ message: lang === "id" ? "harga sesi berapa" : "how much is a session" }, lang);
    assert.equal(a.intent, "pricing");
    assert.equal(
      a.reply,
      translate(lang, "chatbot.reply.pricing", { min: formatIdr(125_000, lang), max: formatIdr(475_000, lang) }),
    );
    assert.ok(a.actions.some((x) => x.href.startsWith("/psychologists")));
  }
});

Deno.test("booking links the directory; screening says it is an aid, not a diagnosis, and links what exists", async () => {
  const b = await answer({ message: "gimana cara booking psikolog" }, "id");
  assert.deepEqual(b.actions.map((x) => x.href), ["/psychologists"]);
  for (const lang of ["id", "en"] as const) {
    const s = await answer({ message: lang === "id" ? "skrining itu apa" : "what is screening" }, lang);
    assert.equal(s.intent, "screening");
    assert.match(s.reply, lang === "id" ? /bukan diagnosis/ : /not a diagnosis/);
    assert.deepEqual(s.actions.map((x) => x.href), ["/screening", "/psychologists"]);
    assert.doesNotMatch(s.reply, /disiapkan|being prepared/, "the screening exists now");
  }
});
