/**
 * Translations. Indonesian (`id`) is the default language, English (`en`) the
 * second. Every user-facing string is a key looked up here; each capability
 * owns one dictionary file (`core.ts`, `auth.ts`, `guestbook.ts`, …) that
 * exports `{ id: {...}, en: {...} }` with the same keys in both languages
 * (a test checks that).
 */
import core from "./core.ts";
import auth from "./auth.ts";
import guestbook from "./guestbook.ts";
import notify from "./notify.ts";
import home from "./home.ts";
import articles from "./articles.ts";
import psychologists from "./psychologists.ts";
import availability from "./availability.ts";
import payments from "./payments.ts";
import booking from "./booking.ts";
import chat from "./chat.ts";
import adminFinance from "./admin_finance.ts";
import chatbot from "./chatbot.ts";
import reviews from "./reviews.ts";
import notes from "./notes.ts";
import workspace from "./workspace.ts";
import screeningStimuli from "./screening_stimuli.ts";
import screeningResults from "./screening_results.ts";
import screeningRun from "./screening_run.ts";
import ux from "./ux.ts";
import type { Dict, Lang, Params, T } from "./types.ts";

export type { Dict, Lang, Params, T } from "./types.ts";

/** Supported UI languages, default first. */
export const LANGS: readonly Lang[] = ["id", "en"];
export const DEFAULT_LANG: Lang = "id";

const parts: Dict[] = [
  core,
  auth,
  guestbook,
  notify,
  home,
  articles,
  psychologists,
  availability,
  payments,
  booking,
  chat,
  adminFinance,
  chatbot,
  reviews,
  notes,
  workspace,
  screeningStimuli,
  screeningResults,
  screeningRun,
  ux,
];

/** The merged dictionaries (exported for the completeness test). */
export const dictionaries: Dict = { id: {}, en: {} };
for (const p of parts) {
  Object.assign(dictionaries.id, p.id);
  Object.assign(dictionaries.en, p.en);
}

/**
 * Translates `key` into `lang`, replacing `{name}` placeholders from `params`.
 * Falls back to Indonesian, then to the key itself (visible in tests).
 */
export function translate(lang: Lang, key: string, params?: Params): string {
  const s = dictionaries[lang][key] ?? dictionaries.id[key] ?? key;
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

/** Returns a translator bound to `lang`. */
export function translator(lang: Lang): T {
  return (key, params) => translate(lang, key, params);
}

/** True when `s` is a supported language code. */
export function isLang(s: unknown): s is Lang {
  return s === "id" || s === "en";
}

/**
 * Picks the language of a request: the `lang` cookie first, then the first
 * supported language in `Accept-Language` (RFC 9110 §12.5.4, q-values honoured),
 * else Indonesian.
 */
export function negotiateLang(req: Request): Lang {
  const cookie = req.headers.get("cookie") ?? "";
  const m = cookie.match(/(?:^|;\s*)lang=(id|en)\b/);
  if (m) return m[1] as Lang;
  const al = req.headers.get("accept-language");
  if (al) {
    const ranked = al.split(",").map((part) => {
      const [tag, ...ps] = part.trim().split(";");
      const q = ps.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    }).filter((x) => x.q > 0).sort((a, b) => b.q - a.q);
    for (const { tag } of ranked) {
      const base = tag.split("-")[0];
      if (isLang(base)) return base;
      if (base === "ms") return "id";
    }
  }
  return DEFAULT_LANG;
}
