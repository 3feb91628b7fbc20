/**
 * What chat pages show: the island's translated strings and whether a booking
 * page links to its chat (docs/domain-rules.md "Chat").
 */
import { dictionaries, type Lang } from "@/lib/i18n/mod.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { chatState } from "./model.ts";
import { getRoom, headOf } from "./store.ts";

/** Every `chat.*` string in `lang` (the island formats placeholders itself). */
export function chatStrings(lang: Lang): Record<string, string> {
  const d = dictionaries[lang];
  return Object.fromEntries(Object.entries(d).filter(([k]) => k.startsWith("chat.")));
}

/**
 * The chat link of a booking page: `open` while the conversation takes
 * messages, `history` when it is closed but has messages, null otherwise.
 */
export async function chatLink(b: Booking, nowMs = Date.now()): Promise<"open" | "history" | null> {
  const s = chatState(b, await getRoom(b.id), nowMs);
  if (s.writable) return "open";
  return (await headOf(b.id)) > 0 ? "history" : null;
}
