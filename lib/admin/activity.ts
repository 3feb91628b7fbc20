/**
 * When users were last active: one UTC day per user, recorded at sign-in and
 * when a session is used on a new day (lib/auth/sessions.ts calls
 * {@link recordActivity}), so "active users in the last 30 days" is one
 * bounded range count. Key layout in `./keys.ts`.
 */
import { getKv } from "@/lib/db/kv.ts";
import * as K from "./keys.ts";

/** The UTC day (`YYYY-MM-DD`) of an instant in ms since epoch. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Records that `userId` was active at `nowMs`: at most one write per user and
 * day (a read, then a checked commit moving the user's index entry to the new
 * day). A lost race means another request recorded the same day: harmless.
 */
export async function recordActivity(userId: string, nowMs: number = Date.now()): Promise<void> {
  const day = utcDay(nowMs);
  const kv = await getKv();
  const cur = await kv.get<string>(K.lastActiveKey(userId));
  if (cur.value !== null && cur.value >= day) return;
  const op = kv.atomic().check(cur)
    .set(K.lastActiveKey(userId), day)
    .set(K.byLastActiveKey(day, userId), true);
  if (cur.value !== null) op.delete(K.byLastActiveKey(cur.value, userId));
  await op.commit();
}

/** Days counted by {@link countActiveUsers}: today (UTC) and the 29 before it. */
export const ACTIVE_DAYS = 30;

/**
 * Users active on one of the last {@link ACTIVE_DAYS} UTC days (today
 * included): one key range over the last-active index.
 */
export async function countActiveUsers(nowMs: number = Date.now(), days: number = ACTIVE_DAYS): Promise<number> {
  const kv = await getKv();
  const from = utcDay(nowMs - (days - 1) * 86_400_000);
  let n = 0;
  for await (
    const _ of kv.list({ start: [...K.BY_LAST_ACTIVE_PREFIX, from], end: [...K.BY_LAST_ACTIVE_PREFIX, "\uffff"] }, {
      batchSize: 1000,
    })
  ) n++;
  return n;
}
