/**
 * CnBuddy, the FAQ chatbot (docs/domain-rules.md "CnBuddy"): one question in,
 * one answer out, nothing stored.
 *
 * Order of work for each message:
 * 1. crisis detection ({@link detectCrisis}), first and independently of the
 *    classifier: on a hit the answer is the crisis reply with `intent:
 *    "crisis"`, whatever the classifier would have said;
 * 2. the language: `lang` when given, else detected ({@link detectLang});
 * 3. the intent ({@link getClassifier}); below {@link CONFIDENCE_THRESHOLD}
 *    the intent is `unknown`;
 * 4. the reply from the id/en dictionaries (`lib/i18n/chatbot.ts`), with the
 *    real lowest and highest service prices of the directory for `pricing`.
 */
import { z } from "@/lib/validation.ts";
import { translate } from "@/lib/i18n/mod.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
import { formatIdr } from "@/lib/i18n/format.ts";
import { allCards } from "@/lib/psychologists/directory.ts";
import { getKv } from "@/lib/db/kv.ts";
import { hit, type Limit } from "@/lib/ratelimit.ts";
import { TooManyRequests } from "@/lib/errors.ts";
import { detectCrisis } from "./crisis.ts";
import { CONFIDENCE_THRESHOLD, getClassifier, type Intent, INTENTS } from "./classifier.ts";
import { detectLang } from "./lang.ts";
import { codePoints } from "./normalize.ts";

export { CONFIDENCE_THRESHOLD, INTENTS };

/** Longest message, in Unicode code points after trimming. */
export const MAX_MESSAGE_CODE_POINTS = 1000;

/**
 * Largest request body, in bytes (16 KiB): 1,000 code points written as JSON
 * `\u` escapes (12 bytes per emoji) plus the field names fit.
 */
export const CHATBOT_MAX_BODY_BYTES = 16 * 1024;

const langSchema = z.enum(["id", "en"], "field.invalid_choice");

/**
 * `POST /api/chatbot` body (and the `/chatbot` form): `message` 1–1,000 code
 * points after trimming; `lang` optional (`id`/`en`; detected when absent or
 * empty). Errors are field keys (400).
 */
export const chatbotInputSchema = z.object({
  message: z.string("field.required").trim().min(1, "field.required")
    .max(2 * MAX_MESSAGE_CODE_POINTS, "chatbot.error.too_long")
    .refine((s) => codePoints(s) <= MAX_MESSAGE_CODE_POINTS, "chatbot.error.too_long")
    .describe(`The question, 1–${MAX_MESSAGE_CODE_POINTS} Unicode code points after trimming`),
  lang: z.preprocess((v) => (v === "" || v === null ? undefined : v), langSchema.optional())
    .describe("Language of the answer; detected from the message when absent"),
});
export type ChatbotInput = z.output<typeof chatbotInputSchema>;

/** Every intent an answer can carry: the classifier's, `unknown`, and `crisis` (the override). */
export const answerIntentSchema = z.enum([...INTENTS, "unknown", "crisis"]);
export type AnswerIntent = z.infer<typeof answerIntentSchema>;

/** A link shown with an answer (`href` is a path of the app, `tel:` or an https URL). */
export const chatbotActionSchema = z.object({
  label: z.string(),
  href: z.string(),
  kind: z.enum(["primary", "secondary", "danger"]),
});
export type ChatbotAction = z.infer<typeof chatbotActionSchema>;

/** CnBuddy's answer. */
export const chatbotAnswerSchema = z.object({
  reply: z.string().describe("The answer, in `lang`"),
  intent: answerIntentSchema,
  confidence: z.number().min(0).max(1).describe(
    `Classifier confidence 0–1; below ${CONFIDENCE_THRESHOLD} the intent is \`unknown\`; 1 for \`crisis\``,
  ),
  crisis: z.boolean().describe("True when the message suggests suicide or self-harm (checked before the classifier)"),
  suggestions: z.array(z.string()).describe("Questions to ask next (send one as a new `message`)"),
  actions: z.array(chatbotActionSchema).describe("Links to show with the answer (crisis lines, the directory…)"),
  lang: langSchema.describe("Language of the reply"),
});
export type ChatbotAnswer = z.infer<typeof chatbotAnswerSchema>;

/** Topics suggested after each intent (always three, never the one just answered, when there is a better one). */
const NEXT: Record<Intent | "unknown", readonly Intent[]> = {
  greeting: ["mental_health", "stress", "booking"],
  mental_health: ["screening", "self_care", "booking"],
  stress: ["self_care", "sleep", "booking"],
  anxiety: ["self_care", "sleep", "booking"],
  depression: ["self_care", "booking", "screening"],
  sleep: ["self_care", "stress", "booking"],
  self_care: ["stress", "sleep", "mental_health"],
  booking: ["pricing", "privacy", "screening"],
  pricing: ["booking", "privacy", "screening"],
  privacy: ["booking", "pricing", "mental_health"],
  screening: ["mental_health", "booking", "privacy"],
  thanks: ["self_care", "booking", "mental_health"],
  goodbye: ["mental_health", "self_care", "booking"],
  unknown: ["mental_health", "stress", "sleep", "booking", "pricing"],
};

/**
 * Messages per client address (API and page together): 30 a minute, several
 * times what a person types, low enough that one address cannot use the
 * classifier as a free compute service (OWASP API Security Top 10 2023, API4
 * "Unrestricted Resource Consumption").
 */
export const CHATBOT_LIMIT: Limit = { limit: 30, windowSec: 60 };

/**
 * Counts one message of `subject` (the client address) against {@link CHATBOT_LIMIT}.
 * @throws TooManyRequests (429 with `Retry-After`) when the limit is reached
 */
export async function enforceChatbotLimit(subject: string): Promise<void> {
  const r = await hit("chatbot_ip", subject, CHATBOT_LIMIT);
  if (!r.ok) throw new TooManyRequests(r.retryAfter);
}

/** How long the price range from the directory is reused, in milliseconds. */
export const PRICE_CACHE_MS = 60_000;

let priceCache: { at: number; kv: unknown; range: { min: number; max: number } | null } | null = null;

/**
 * The lowest and highest price (whole rupiah) among the services of every
 * listed psychologist (`allCards` of the directory, itself cached by the
 * directory marker), reused for {@link PRICE_CACHE_MS}; null when none lists
 * a service.
 */
export async function priceRange(nowMs: number = Date.now()): Promise<{ min: number; max: number } | null> {
  const kv = await getKv();
  if (priceCache && priceCache.kv === kv && nowMs - priceCache.at < PRICE_CACHE_MS) return priceCache.range;
  let min = Infinity;
  let max = -Infinity;
  for (const { card } of await allCards()) {
    for (const s of card.services) {
      if (s.priceIdr < min) min = s.priceIdr;
      if (s.priceIdr > max) max = s.priceIdr;
    }
  }
  const range = Number.isFinite(min) ? { min, max } : null;
  priceCache = { at: nowMs, kv, range };
  return range;
}

/** Forgets the cached price range (tests that change prices). */
export function clearPriceCache(): void {
  priceCache = null;
}

/** The crisis answer's actions in `lang`: call 119, a psychologist now, Kemenkes 119 ext 8, healing119.id. */
export function crisisActions(lang: Lang): ChatbotAction[] {
  const t = (k: string) => translate(lang, k);
  return [
    { label: t("chatbot.crisis.call119"), href: "tel:119", kind: "danger" },
    { label: t("chatbot.crisis.psychologist"), href: "/psychologists", kind: "primary" },
    { label: t("chatbot.crisis.kemenkes"), href: "tel:119,8", kind: "secondary" },
    { label: t("chatbot.crisis.healing"), href: "https://healing119.id", kind: "secondary" },
  ];
}

/**
 * Answers one message.
 * @param input a parsed {@link chatbotInputSchema} (`message` trimmed, 1–1,000 code points)
 * @param fallbackLang the page's language, used when `lang` is absent and the message's language is unclear
 * @returns the {@link ChatbotAnswer}; never throws for any text
 * @example
 * ```ts
 * const a = await answer({ message: "gue gak bisa tidur" }, "id");
 * a.intent // "sleep"; a.lang "id"
 * (await answer({ message: "i want to end it all" }, "id")).crisis // true, intent "crisis"
 * ```
 */
export async function answer(input: ChatbotInput, fallbackLang: Lang): Promise<ChatbotAnswer> {
  const message = input.message;
  const crisis = detectCrisis(message).crisis;
  const classifier = await getClassifier();
  const lang = input.lang ?? detectLang(classifier, message, fallbackLang);
  const t = (k: string, p?: Record<string, string>) => translate(lang, k, p);
  const suggest = (intents: readonly Intent[]) => intents.map((i) => t(`chatbot.suggest.${i}`));
  if (crisis) {
    return {
      reply: t("chatbot.reply.crisis"),
      intent: "crisis",
      confidence: 1,
      crisis: true,
      suggestions: [],
      actions: crisisActions(lang),
      lang,
    };
  }
  const { intent, confidence } = await classifier.classify(message, lang);
  let reply = t(`chatbot.reply.${intent}`);
  const actions: ChatbotAction[] = [];
  if (intent === "pricing") {
    const range = await priceRange();
    reply = range
      ? t("chatbot.reply.pricing", { min: formatIdr(range.min, lang), max: formatIdr(range.max, lang) })
      : t("chatbot.reply.pricing_none");
    actions.push({ label: t("chatbot.action.booking"), href: "/psychologists?sort=price", kind: "secondary" });
  } else if (intent === "booking") {
    actions.push({ label: t("chatbot.action.booking"), href: "/psychologists", kind: "primary" });
  } else if (intent === "screening") {
    actions.push({ label: t("chatbot.action.screening"), href: "/screening", kind: "primary" });
    actions.push({ label: t("chatbot.action.booking"), href: "/psychologists", kind: "secondary" });
  } else if (intent === "depression" || intent === "anxiety" || intent === "stress") {
    actions.push({ label: t("chatbot.action.booking"), href: "/psychologists", kind: "secondary" });
  } else if (intent === "goodbye") {
    actions.push({ label: t("chatbot.action.help"), href: "/help", kind: "secondary" });
  }
  return { reply, intent, confidence, crisis: false, suggestions: suggest(NEXT[intent]), actions, lang };
}
