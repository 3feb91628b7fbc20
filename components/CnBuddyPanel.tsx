/**
 * Props of the CnBuddy island (`islands/CnBuddy.tsx`) for a page in `t`'s
 * language: its strings, the topics offered first and the crisis panel's
 * links, so that `/chatbot` and the client home render it the same way.
 */
import type { Lang, T } from "@/lib/i18n/mod.ts";
import { crisisActions, INTENTS } from "@/lib/chatbot/mod.ts";
import { CNBUDDY_KEYS, type CnBuddyProps } from "@/islands/CnBuddy.tsx";

/** Topics suggested before the first question (the chatbot's suggestion phrases). */
const TOPICS = ["mental_health", "stress", "sleep", "booking", "pricing"] as const;

/** The island's props except `initial`, `draft`, `error`, `compact` and `inputId`. */
export function cnBuddyProps(t: T, lang: Lang): Pick<CnBuddyProps, "strings" | "topics" | "crisisActions"> {
  const strings: Record<string, string> = Object.fromEntries(
    Object.entries(CNBUDDY_KEYS).map(([k, key]) => [k, t(key)]),
  );
  for (const i of [...INTENTS, "unknown", "crisis"]) strings[`intent.${i}`] = t(`chatbot.intent.${i}`);
  return { strings, topics: TOPICS.map((i) => t(`chatbot.suggest.${i}`)), crisisActions: crisisActions(lang) };
}
