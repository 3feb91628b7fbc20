/**
 * Server-side props for `islands/NotificationBell.tsx`, so the island ships only the
 * texts it shows (not the whole dictionary). Usage in the header (signed-in users):
 *
 * ```tsx
 * <NotificationBell {...await notificationBellProps(user.id, state.lang)} />
 * ```
 */
import { getKv } from "@/lib/db/kv.ts";
import { type Lang, translate } from "@/lib/i18n/mod.ts";
import { keys, unreadCount } from "./notifications.ts";
import { ulidFloor } from "./stream.ts";

/** The `notify.*` keys the island uses. */
export const BELL_KEYS: readonly string[] = [
  "notify.title",
  "notify.bell",
  "notify.bell_unread",
  "notify.empty",
  "notify.unread",
  "notify.mark_read",
  "notify.mark_all_read",
  "notify.delete",
  "notify.load_more",
  "notify.loading",
  "notify.load_error",
  "notify.action_error",
  "notify.reconnecting",
  "notify.sound_on",
  "notify.sound_off",
  "notify.new_count",
];

/** The island's texts in `lang` (placeholders such as `{count}` left in). */
export function bellStrings(lang: Lang): Record<string, string> {
  return Object.fromEntries(BELL_KEYS.map((k) => [k, translate(lang, k)]));
}

/**
 * All props of the bell for `userId`: unread count, language, texts, and `since` = the
 * newest notification id at render time (or a ULID floor for "now" when there is none),
 * so the first stream connection also delivers what arrives between render and connect.
 */
export async function notificationBellProps(
  userId: string,
  lang: Lang,
): Promise<{ initialUnread: number; lang: Lang; strings: Record<string, string>; since: string }> {
  const kv = await getKv();
  let since = ulidFloor(Date.now());
  for await (const e of kv.list({ prefix: keys.userPrefix(userId) }, { reverse: true, limit: 1 })) {
    since = e.key[2] as string;
  }
  return { initialUnread: await unreadCount(userId), lang, strings: bellStrings(lang), since };
}
