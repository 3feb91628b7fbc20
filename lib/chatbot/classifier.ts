/**
 * CnBuddy's intent classifier: nlp.js (`@nlpjs/nlp`, the NLU of AXA's nlp.js
 * v4, MIT), a small neural network per language over stemmed words, with the
 * Indonesian stemmer of `@nlpjs/lang-id` and the English one of
 * `@nlpjs/lang-en-min`, spell checking against the trained vocabulary
 * (Levenshtein distance 1, so "tidr" counts as "tidur"). It is trained in
 * memory from `lib/chatbot/corpus.json` (the `train` utterances only; the
 * `test` ones are held out for `bench/chatbot.ts`) the first time it is asked,
 * in about 0.2 s; nothing is written to disk (`autoSave` off).
 *
 * Why nlp.js: maintained, pure JavaScript (runs on Deno through `npm:`
 * specifiers, no native code, nothing downloaded at run time), and one of the
 * few classifiers with an Indonesian stemmer (docs/domain-rules.md "CnBuddy").
 */
import { containerBootstrap } from "@nlpjs/core";
import { Nlp } from "@nlpjs/nlp";
import { LangId } from "@nlpjs/lang-id";
import { LangEn } from "@nlpjs/lang-en-min";
import type { Lang } from "@/lib/i18n/mod.ts";
import { fold, foldForClassifier } from "./normalize.ts";
import corpus from "./corpus.json" with { type: "json" };

/** The intents CnBuddy answers, in the order its topic suggestions list them. */
export const INTENTS = [
  "greeting",
  "mental_health",
  "stress",
  "anxiety",
  "depression",
  "sleep",
  "self_care",
  "booking",
  "pricing",
  "privacy",
  "screening",
  "thanks",
  "goodbye",
] as const;
/** A recognised intent. */
export type Intent = (typeof INTENTS)[number];

/**
 * Below this confidence the answer is `unknown`: CnBuddy says it did not
 * understand and suggests topics. The confidence (0–1) is nlp.js's score of
 * the best intent × the share of the message's topic words the model knows
 * (`coverage` in {@link trainClassifier}). Chosen on the held-out set
 * (docs/benchmarks.md "CnBuddy"): off-topic questions fall below it, nearly
 * every real question stays above.
 */
export const CONFIDENCE_THRESHOLD = 0.4;

/** A stem seen in this many intents' training utterances is a function word (see `coverage`). */
export const FUNCTION_WORD_INTENTS = 4;

/** The shape of `corpus.json` (see its `about`). */
export interface Corpus {
  intents: Record<Intent, Record<Lang, { train: string[]; test: string[] }>>;
  unknown: Record<Lang, string[]>;
  crisis: Record<Lang, { positive: string[]; negative: string[] }>;
}

/** The corpus bundled with the app. */
export const CORPUS = corpus as unknown as Corpus;

/** A classification: the best intent (or `unknown` below the threshold) and its confidence (0–1, 3 decimals). */
export interface Classification {
  intent: Intent | "unknown";
  confidence: number;
  /** nlp.js's own score of the best intent (0–1). */
  score?: number;
  /** The message's topic-word coverage (0–1, see `coverage` in {@link trainClassifier}). */
  coverage?: number;
}

// deno-lint-ignore no-explicit-any
type NlpInstance = any;

/** A trained classifier. */
export interface Classifier {
  /** Classifies `text` (any length; the API bounds it) in `lang`. */
  classify(text: string, lang: Lang): Promise<Classification>;
  /**
   * nlp.js's trigram language guess for `text` between Indonesian and
   * English (its guesser also learns the trigrams of the training utterances):
   * the best language and its lead over the other (0–1; 0 = no idea).
   */
  guessLang(text: string): { lang: Lang; margin: number };
  /** Milliseconds the training took. */
  trainMs: number;
}

/**
 * Trains a classifier on the `train` utterances of `data` (default: the
 * bundled corpus). Each language has its own model; every utterance goes
 * through {@link foldForClassifier} first, as messages do.
 */
export async function trainClassifier(data: Corpus = CORPUS): Promise<Classifier> {
  const started = performance.now();
  const container = await containerBootstrap();
  // Quiet training, spell check on (nlp.js NLU settings; the rest are its defaults).
  container.registerConfiguration("nlu-??", {
    keepStopwords: true,
    nonefeatureValue: 1,
    nonedeltaMultiplier: 1.2,
    spellCheck: true,
    spellCheckDistance: 1,
    filterZeros: true,
    log: false,
  }, true);
  container.use(Nlp);
  container.use(LangId);
  container.use(LangEn);
  const nlp: NlpInstance = container.get("nlp");
  nlp.settings.autoSave = false;
  nlp.settings.autoLoad = false;
  nlp.settings.threshold = 0; // the threshold is ours (CONFIDENCE_THRESHOLD), applied below
  nlp.addLanguage("id");
  nlp.addLanguage("en");
  for (const intent of INTENTS) {
    for (const lang of ["id", "en"] as const) {
      for (const u of data.intents[intent][lang].train) nlp.addDocument(lang, foldForClassifier(u), intent);
    }
  }
  await nlp.train();
  const trainMs = performance.now() - started;
  /**
   * Stems that occur in the training utterances of at least
   * {@link FUNCTION_WORD_INTENTS} intents of a language ("aku", "apa", "my",
   * "is"): function words, which say nothing about the topic.
   */
  const functionStems: Record<string, Set<string>> = {};
  for (const lang of ["id", "en"] as const) {
    const domain = nlp.nluManager.domainManagers[lang].domains.master_domain;
    const seen = new Map<string, Set<string>>();
    for (const intent of INTENTS) {
      for (const u of data.intents[intent][lang].train) {
        for (const stem of Object.keys(await domain.prepare(foldForClassifier(u)))) {
          (seen.get(stem) ?? seen.set(stem, new Set()).get(stem)!).add(intent);
        }
      }
    }
    functionStems[lang] = new Set([...seen].filter(([, i]) => i.size >= FUNCTION_WORD_INTENTS).map(([s]) => s));
  }
  /**
   * Share (0–1) of the message's topic stems (function words left out) that
   * the model of `lang` was trained on; a stem of 4 or more letters known only
   * after spell check counts half. A network only sees the words it knows and
   * is sure of itself on "who was the first president" when one word is known;
   * scaling its score by this share turns such off-topic questions into
   * `unknown`. A message of function words only counts as fully covered.
   */
  const coverage = async (lang: Lang, folded: string): Promise<number> => {
    const domain = nlp.nluManager.domainManagers[lang].domains.master_domain;
    const all = Object.keys(await domain.prepare(folded) as Record<string, number>);
    if (!all.length) return 0;
    const stems = all.filter((s) => !functionStems[lang].has(s));
    if (!stems.length) return 1;
    let known = 0;
    for (const s of stems) {
      if (s in domain.features) known += 1;
      else if (s.length >= 4 && Object.keys(domain.spellCheck.check({ [s]: 1 }, 1)).some((c) => c in domain.features)) {
        known += 0.5;
      }
    }
    return known / stems.length;
  };
  return {
    trainMs,
    guessLang(text: string) {
      let g: { alpha2: string; score: number }[];
      try {
        g = nlp.nluManager.guesser.guess(fold(text), ["id", "en"], 2);
      } catch {
        // The guesser throws on some scripts it has models for but not for id/en (e.g. Cyrillic): no idea, then.
        return { lang: "id", margin: 0 };
      }
      const top = g[0];
      if (!top || (top.alpha2 !== "id" && top.alpha2 !== "en")) return { lang: "id", margin: 0 };
      const margin = Math.max(0, Math.min(1, top.score - (g[1]?.score ?? 0)));
      return { lang: top.alpha2, margin: Number.isFinite(margin) ? margin : 0 };
    },
    async classify(text: string, lang: Lang): Promise<Classification> {
      const folded = foldForClassifier(text);
      if (!folded) return { intent: "unknown", confidence: 0 };
      const r = await nlp.process(lang, folded);
      const best = (r.classifications as { intent: string; score: number }[] | undefined)?.[0];
      const score = typeof best?.score === "number" && Number.isFinite(best.score) ? best.score : 0;
      const cover = await coverage(lang, folded);
      const confidence = Math.round(score * cover * 1000) / 1000;
      const intent = best && (INTENTS as readonly string[]).includes(best.intent) && confidence >= CONFIDENCE_THRESHOLD
        ? best.intent as Intent
        : "unknown";
      return { intent, confidence, score, coverage: cover };
    },
  };
}

let shared: Promise<Classifier> | null = null;

/** The process's classifier, trained on first use (concurrent first callers share one training). */
export function getClassifier(): Promise<Classifier> {
  shared ??= trainClassifier().catch((e) => {
    shared = null;
    throw e;
  });
  return shared;
}
