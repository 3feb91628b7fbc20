/**
 * Crisis detection: runs before, and independently of, the intent classifier
 * (docs/domain-rules.md "CnBuddy"). A message that suggests suicide or
 * self-harm, in Indonesian or English, slang and common typos included, is a
 * crisis whatever the classifier says; the reply then shows the crisis
 * resources and a way to reach a psychologist at once.
 *
 * How: the message is folded by {@link foldForCrisis} (case, accents, stretched
 * letters, digits as letters, letters typed one by one) and matched against
 * the patterns below (written in plain spelling and squeezed the same way
 * when compiled: "kill" matches "kil"). Words are separated by `" "`; `GAP` allows
 * up to two filler words ("pengen cepet mati"). The patterns favour recall:
 * a false alarm shows help that was not needed, a miss can cost a life
 * (WHO, "Preventing suicide: a resource for media professionals", 2023 — treat
 * every mention as serious).
 *
 * Deliberate non-matches (everyday Indonesian and English idioms, tested):
 * "mati lampu/listrik" (power cut), "mati gaya" (bored), "mati ketawa"
 * (dying of laughter), "hp/motor mati", "this deadline is killing me",
 * "dying to see", "dead tired", "to die for".
 */
import { foldForCrisis } from "./normalize.ts";

/** Up to two filler words between two parts of a phrase. */
const GAP = "(?:[a-z]+ ){0,2}";
/** "mati" (to die), but not the idioms that use it for machines, boredom or laughter. */
const MATI =
  "(?:mati|mampus|modar|mokad)(?! (?:lampu|listrik|gaya|ketawa|tertawa|kutu|rasa|suri|kelaparan|penasaran|bosan|bosen|kaget|mendadak|total))";
/** Wanting (Indonesian, with slang and typos). */
const WANT =
  "(?:pengen|pengn|pngen|pngn|pgn|pingin|pengin|kepengen|kepingin|ingin|ingn|pen|mau|mo|rasanya|rasa|mending|lebih baik|lebih baek|mendingan|biar)";
/** Negation (Indonesian). */
const NOT = "(?:gak|ga|gk|g|ngak|nga|engak|enga|tidak|tdk|tak|ndak|udah gak|udah ga|sudah tidak)";

/** How many of the patterns below are the Indonesian ones (they come first). */
const ID_PATTERNS = 14;

/** The patterns, grouped by language only for documentation: every message is checked against all of them. */
export const CRISIS_PATTERNS: readonly { lang: "id" | "en"; re: RegExp }[] = [
  // Indonesian
  "bunuh ?diri|bundir|bnh ?diri|bunuh ?dri|bnuh ?diri|membunuh ?diri|ngebunuh ?diri",
  `${WANT} ${GAP}${MATI}(?: |$)`,
  `${MATI} (?:aja|saja|ajah|aj)(?: |$)`,
  `${NOT} ${GAP}(?:kuat|sanggup|pengen|mau|ingin|betah|pingin) ${GAP}hidup`,
  `(?:akhiri|akhirin|mengakhiri|ngakhiri|ngakhirin|sudahi|udahin|nyudahin) ${GAP}(?:hidup|nyawa|semuanya)`,
  `(?:nyakitin|menyakiti|sakitin|nyakiti|lukai|melukai|ngelukain|ngelukai|nglukain|lukain) ${GAP}(?:diri|badan|tangan)`,
  "(?:nyilet|silet|sayat|menyayat|nyayat|iris|ngiris|potong) (?:tangan|nadi|lengan|pergelangan)|(?:nyilet|menyilet)(?: |$)",
  "gantung ?diri|minum racun|lompat dari (?:gedung|jembatan|atap|lantai)|loncat dari (?:gedung|jembatan|atap|lantai)",
  `(?:capek|lelah|cape) ${GAP}hidup(?: |$)`,
  `hidup[a-z]* ${GAP}${NOT} ${GAP}(?:ada )?(?:artinya|gunanya|guna|arti)`,
  `(?:lebih baik|lebih baek|mending|mendingan|pengen|ingin) ${GAP}${NOT} (?:pernah )?(?:hidup|lahir|dilahirkan)`,
  `tidur ${GAP}(?:${NOT}|gak usah|ga usah) ${GAP}bangun lagi`,
  `(?:${NOT}|males|malas) ${GAP}bangun lagi (?:selamanya|untuk selamanya)`,
  `(?:pengen|ingin|mau|pingin) ${GAP}(?:menghilang|ngilang|hilang) ${GAP}(?:selamanya|dari dunia)`,
  // English
  "kil ?(?:my ?self|myself|meself)|kms(?: |$)|unalive",
  "s(?:ui|iu|u)(?:c|s)?i?d(?:e|al|es)(?: |$)|suicid",
  "self ?harm|self ?injur|hurt(?:ing)? my ?self|cut(?:ing)? my ?self|harm(?:ing)? my ?self",
  `(?:want|wana|wanting|wish|ready|going|gona|gonna) ${GAP}(?:to )?(?:die|be dead|not be alive|not exist)(?: |$)`,
  "wish i (?:was|were) dead|beter of dead|beter of without me",
  "end (?:it al|my life|my own life|everything|things)(?: |$)|take my (?:own )?life|ending my life",
  `(?:dont|do not|dnt) ${GAP}want to (?:live|be alive|exist|wake up)`,
  "no reason to live|nothing to live for|cant go on living|cant live like this anymore|cant keep living",
  "not worth living|no point (?:in )?living|life is pointles|disapear (?:forever|for god|from the world)",
  "(?:fel like|want to|going to|gona|wana|ready to|thinking of|thinking about) (?:ending|end) it(?: al)?(?: |$)",
  "(?:wish|want|hope)(?: [a-z]+){0,5} never wake up",
].map((src, i) => ({
  lang: i < ID_PATTERNS ? "id" as const : "en" as const,
  // written in plain spelling; squeezed like the text (no pattern uses a backslash escape)
  re: new RegExp(`(?:^| )(?:${src.replace(/([a-z])\1+/g, "$1")})`),
}));

/** What the detector found: whether the message is a crisis and, for logs and tests, the pattern's index. */
export interface CrisisResult {
  crisis: boolean;
  /** Index into {@link CRISIS_PATTERNS} of the first pattern that matched, or -1. */
  pattern: number;
}

/**
 * Says whether `message` suggests suicide or self-harm (docs/domain-rules.md
 * "CnBuddy", crisis override). Pure and fast (≈ 20 regular expressions over a
 * ≤ 1,000-character folded string); never throws.
 * @example
 * ```ts
 * detectCrisis("gue udah gak kuat hidup lagi").crisis // true
 * detectCrisis("mati lampu lagi").crisis              // false
 * ```
 */
export function detectCrisis(message: string): CrisisResult {
  const text = foldForCrisis(message);
  for (let i = 0; i < CRISIS_PATTERNS.length; i++) {
    if (CRISIS_PATTERNS[i].re.test(text)) return { crisis: true, pattern: i };
  }
  return { crisis: false, pattern: -1 };
}
