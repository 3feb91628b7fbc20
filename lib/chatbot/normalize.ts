/**
 * Text normalisation shared by the crisis detector and the intent classifier
 * (docs/domain-rules.md "CnBuddy"): what people type on phones — capitals,
 * accents, stretched letters ("sedihhh"), apostrophes ("can't"), digits used as
 * letters ("k1ll") and letters typed one by one ("b u n u h") — is folded to
 * one form before anything is matched.
 */

/** Digits and signs read as letters ("leetspeak"), only inside words. */
const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s" };

/**
 * Folds `text` to lower-case ASCII-ish words separated by single spaces:
 * NFKD with combining marks removed, apostrophes dropped ("can't" → "cant"),
 * every other non-letter/digit becomes a space, runs of one letter squeezed to
 * one ("pengeeen" → "pengen", "kill" → "kil"; the same fold is applied to
 * everything it is compared with).
 * @example
 * ```ts
 * fold("Pengeeen MATI!!") // "pengen mati"
 * ```
 */
export function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
    .replace(/['’`´]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .replace(/(\p{L})\1+/gu, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * {@link fold}, then digits and `@`/`$` inside a word that also has letters
 * read as letters ("d1r1" → "diri", "k1ll" → "kil"; "119" stays), and runs of
 * three or more single-letter words joined ("b u n u h d i r i" → "bunuhdiri").
 * Used by the crisis detector, whose patterns allow the joined forms.
 */
export function foldForCrisis(text: string): string {
  const raw = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/['’`´]/g, "");
  const words = raw.split(/[^\p{L}\p{N}@$]+/u).filter(Boolean).map((w) =>
    /\p{L}/u.test(w) ? w.replace(/[0134578@$]/g, (c) => LEET[c] ?? c) : w
  );
  const joined: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length >= 3) joined.push(run.join(""));
    else joined.push(...run);
    run = [];
  };
  for (const w of words) {
    if (w.length === 1 && /\p{L}/u.test(w)) run.push(w);
    else {
      flush();
      joined.push(w);
    }
  }
  flush();
  return fold(joined.join(" "));
}

/**
 * Informal Indonesian folded to one spelling before classification, so that the
 * classifier learns one word for many ("gue", "gw", "saya" → "aku"; "gak",
 * "nggak", "tdk" → "gak"; "bgt" → "banget"). English words are not touched.
 * Written in plain spelling; keys and values are {@link fold}ed once at load.
 */
const SLANG_WORDS: Record<string, string> = {
  gue: "aku",
  gw: "aku",
  gua: "aku",
  sy: "aku",
  saya: "aku",
  ak: "aku",
  aq: "aku",
  ga: "gak",
  gk: "gak",
  ngak: "gak",
  nggak: "gak",
  ngga: "gak",
  enggak: "gak",
  engga: "gak",
  tdk: "gak",
  tidak: "gak",
  bgt: "banget",
  bngt: "banget",
  gmn: "gimana",
  gmna: "gimana",
  bagaimana: "gimana",
  yg: "yang",
  dgn: "dengan",
  krn: "karena",
  karna: "karena",
  utk: "untuk",
  buat: "untuk",
  brp: "berapa",
  hrg: "harga",
  pengin: "pengen",
  pingin: "pengen",
  pgn: "pengen",
  ingin: "pengen",
  mo: "mau",
  cape: "capek",
  lelah: "capek",
  konsul: "konsultasi",
  stresed: "stres",
};

const SLANG: Record<string, string> = Object.fromEntries(
  Object.entries(SLANG_WORDS).map(([k, v]) => [fold(k), fold(v)]),
);

/**
 * The classifier's view of a message: {@link fold} plus the {@link SLANG} map,
 * word by word. Applied to training utterances and to messages alike.
 */
export function foldForClassifier(text: string): string {
  return fold(text).split(" ").map((w) => SLANG[w] ?? w).join(" ");
}

/** Number of Unicode code points of `s` (emoji count as one, as the text limit is stated). */
export function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
