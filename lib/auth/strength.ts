/**
 * Password strength estimate with zxcvbn-ts (`@zxcvbn-ts/core` plus the
 * `language-common` password/keyboard lists and the `language-en` word,
 * name and Wikipedia lists), ASVS 5.0 V6.2.4 ("check against a list of
 * common passwords") and V6.2.5 (no composition rules: a long passphrase
 * of plain words passes).
 *
 * Rule: the estimate must reach **score 3** ("safely unguessable: moderate
 * protection from an offline slow-hash scenario", ≥ 10^8 guesses). The
 * person's own data (name, e-mail and its local part, phone) and the
 * application's name and published demo password are added as a user-input
 * dictionary, so `ruangpulih-demo` or `Budi2024` for Budi are refused.
 *
 * Loading: the dictionaries (about 2 MB of word lists) are imported and
 * ranked on the first check only, once per process (a few hundred ms), so
 * requests that never check a password do not pay for them. Levenshtein
 * matching is off: it multiplies the cost of one check by ~30 (measured:
 * 100–350 ms instead of 2–35 ms) for little gain over the l33t/reverse
 * variants zxcvbn already tries.
 */
import type { ZxcvbnFactory, ZxcvbnResult } from "@zxcvbn-ts/core";

/** The lowest acceptable zxcvbn score (0–4). */
export const MIN_PASSWORD_SCORE = 3;

/** Words that are never part of a good password here (also refused as a whole). */
export const APP_WORDS: readonly string[] = ["ruangpulih", "ruang pulih", "ruangpulih-demo", "ruang", "pulih"];

/**
 * The zxcvbn warning keys (`@zxcvbn-ts/core` `translationKeys.warnings`) we
 * have our own i18n text for: `auth.password.weak.<key>`. Anything else
 * falls back to `auth.password.weak`.
 */
export const WEAK_WARNINGS: readonly string[] = [
  "straightRow",
  "keyPattern",
  "simpleRepeat",
  "extendedRepeat",
  "sequences",
  "recentYears",
  "dates",
  "topTen",
  "topHundred",
  "common",
  "similarToCommon",
  "wordByItself",
  "namesByThemselves",
  "commonNames",
  "userInputs",
  "pwned",
];

let estimator: Promise<ZxcvbnFactory> | null = null;

/** The shared estimator, built on first use (dynamic import keeps the lists off the start-up path). */
function getEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      useLevenshteinDistance: false,
    });
  })();
  return estimator;
}

/**
 * Starts loading the estimator in the background and returns at once. The
 * GET handlers of the pages with a new-password field call it, so the lists
 * are ready by the time the form is sent.
 */
export function preloadPasswordEstimator(): void {
  getEstimator().catch(() => {
    estimator = null; // let the next check try again (and report the error)
  });
}

/** The result of `estimatePassword`: score 0–4 and zxcvbn's feedback keys. */
export interface StrengthEstimate {
  score: number;
  /** zxcvbn warning key, e.g. `sequences`, or null. */
  warning: string | null;
  /** zxcvbn suggestion keys, e.g. `["anotherWord"]`. */
  suggestions: string[];
}

/** Splits the user's own data into dictionary words (whole value and its parts). */
export function userInputWords(inputs: readonly (string | null | undefined)[]): string[] {
  const out = new Set<string>(APP_WORDS);
  for (const raw of inputs) {
    if (!raw) continue;
    const v = raw.trim().toLowerCase();
    if (!v) continue;
    out.add(v);
    for (const part of v.split(/[\s@._+\-]+/)) if (part.length >= 3) out.add(part);
  }
  return [...out];
}

/**
 * Estimates `password` with the user's own data as extra dictionary words.
 * @param inputs name, e-mail, phone… of the account (null/undefined skipped)
 */
export async function estimatePassword(
  password: string,
  inputs: readonly (string | null | undefined)[] = [],
): Promise<StrengthEstimate> {
  const z = await getEstimator();
  const r: ZxcvbnResult = z.check(password, userInputWords(inputs));
  return { score: r.score, warning: r.feedback.warning ?? null, suggestions: r.feedback.suggestions ?? [] };
}

/** The i18n key that explains a weak estimate (`auth.password.weak.<warning>` or `auth.password.weak`). */
export function weakPasswordKey(e: StrengthEstimate): string {
  return e.warning && WEAK_WARNINGS.includes(e.warning) ? `auth.password.weak.${e.warning}` : "auth.password.weak";
}
