/**
 * Which language a message is written in, Indonesian or English: nlp.js's
 * trigram guesser (`@nlpjs/language-min`, the "franc" approach, which also
 * learned the training utterances' trigrams), with a short list of words that
 * belong to one language only as the tie-breaker for very short messages,
 * where trigrams say little ("ok kak", "thx").
 */
import type { Lang } from "@/lib/i18n/mod.ts";
import type { Classifier } from "./classifier.ts";
import { fold } from "./normalize.ts";

/** Words that point to one language (folded spelling). */
const ONLY: Record<Lang, Set<string>> = {
  id: new Set(
    [
      "aku",
      "gue",
      "gw",
      "saya",
      "kamu",
      "gak",
      "ga",
      "nggak",
      "tidak",
      "banget",
      "bgt",
      "apa",
      "gimana",
      "kenapa",
      "halo",
      "hai",
      "makasih",
      "terima",
      "kasih",
      "capek",
      "sedih",
      "cemas",
      "tidur",
      "berapa",
      "harga",
      "biaya",
      "dong",
      "sih",
      "aja",
      "yang",
      "dan",
      "ke",
      "dari",
      "ini",
      "itu",
      "mau",
      "pengen",
      "bisa",
      "udah",
      "sudah",
      "ya",
      "kak",
      "dadah",
      "sampai",
      "jumpa",
      "pagi",
      "siang",
      "sore",
      "malam",
      "selamat",
      "pamit",
      "trims",
      "mksh",
      "mati",
      "hidup",
      "diri",
      "bunuh",
      "lagi",
      "kerjaan",
      "susah",
      "cara",
      "tentang",
    ].map(fold),
  ),
  en: new Set(
    [
      "i",
      "im",
      "my",
      "me",
      "you",
      "the",
      "is",
      "are",
      "am",
      "what",
      "how",
      "why",
      "can",
      "cant",
      "dont",
      "want",
      "feel",
      "hello",
      "hi",
      "hey",
      "thanks",
      "thank",
      "bye",
      "goodbye",
      "sleep",
      "stressed",
      "anxious",
      "sad",
      "much",
      "cost",
      "price",
      "book",
      "session",
      "please",
      "good",
      "morning",
      "evening",
      "night",
      "to",
      "of",
      "and",
      "with",
      "thx",
      "ty",
      "die",
      "myself",
      "kill",
      "self",
      "care",
      "tips",
      "there",
      "do",
      "does",
      "work",
    ].map(fold),
  ),
};

/**
 * Guesses the language of `text`. The trigram guess wins when it leads by at
 * least 0.1; otherwise the words of the lists above vote; a tie falls back to
 * `fallback` (the page's language).
 * @example
 * ```ts
 * detectLang(await getClassifier(), "gue capek banget", "en") // "id"
 * detectLang(await getClassifier(), "ok", "id")               // "id" (fallback)
 * ```
 */
export function detectLang(classifier: Pick<Classifier, "guessLang">, text: string, fallback: Lang): Lang {
  const words = fold(text).split(" ").filter(Boolean);
  let id = 0;
  let en = 0;
  for (const w of words) {
    const inId = ONLY.id.has(w);
    const inEn = ONLY.en.has(w);
    if (inId && !inEn) id++;
    else if (inEn && !inId) en++;
  }
  const guess = classifier.guessLang(text);
  if (guess.margin >= 0.1 && !(id && en === 0 && guess.lang === "en") && !(en && id === 0 && guess.lang === "id")) {
    return guess.lang;
  }
  if (id !== en) return id > en ? "id" : "en";
  return guess.margin > 0 ? guess.lang : fallback;
}
