/**
 * Key layout of the chat capability in Deno KV — the one place it is written
 * down (docs/domain-rules.md "Chat"). A conversation ("room") is identified by
 * its booking id.
 *
 * - `["chat_msgs", room, seq]`               → StoredMessage (`./model.ts`); `seq` 1, 2, 3 … per room,
 *   text sealed with the data key (`lib/crypto/data_key.ts`)
 * - `["chat_head", room]`                    → Deno.KvU64: number of messages = the last seq; bumped with
 *   `.sum` in the commit that writes a message (the stream watches it)
 * - `["chat_client_ids", room, senderId, clientId]` → seq: the exactly-once guard, claimed with
 *   `check(null)` in the same commit
 * - `["chat_count", room, senderId]`         → Deno.KvU64: messages sent by that participant (`.sum`),
 *   for unread counts
 * - `["chat_rooms", room]`                   → RoomMeta: receipts (delivered/read up to which seq, when,
 *   and how many of the other side's messages that covers) and the end of the conversation; every
 *   change of it is checked against its versionstamp (the stream watches it too)
 * - `["chat_rooms", room, "end"]`            → `{at, by}`: the conversation was ended (set once with
 *   `check(null)`; every send checks it is still absent)
 * - `["chat_inbox", userId]`                 → Deno.KvU64: bumped (`.sum`, never checked) whenever that
 *   user's conversation list changes — a message to them, their own read receipt, an end; the list
 *   stream (`GET /api/chat/stream`) watches it
 *
 * Typing and presence are never written to KV (`./live.ts`).
 */

/** Top-level KV key prefixes owned by chat (checked by tests/kv_prefixes_test.ts). */
export const CHAT_PREFIXES: readonly string[] = [
  "chat_msgs",
  "chat_head",
  "chat_client_ids",
  "chat_count",
  "chat_rooms",
  "chat_inbox",
];

/** One message of a room. */
export const messageKey = (room: string, seq: number): Deno.KvKey => ["chat_msgs", room, seq];
/** Prefix of a room's messages (in seq order). */
export const messagesPrefix = (room: string): Deno.KvKey => ["chat_msgs", room];
/** The room's head counter (= last seq). */
export const headKey = (room: string): Deno.KvKey => ["chat_head", room];
/** The exactly-once guard of one client-generated message id. */
export const clientIdKey = (room: string, senderId: string, clientId: string): Deno.KvKey => [
  "chat_client_ids",
  room,
  senderId,
  clientId,
];
/** Messages sent by `senderId` in `room`. */
export const countKey = (room: string, senderId: string): Deno.KvKey => ["chat_count", room, senderId];
/** Receipts of a room. */
export const roomKey = (room: string): Deno.KvKey => ["chat_rooms", room];
/** The end marker of a room. */
export const endKey = (room: string): Deno.KvKey => ["chat_rooms", room, "end"];
/** A user's conversation-list change counter. */
export const inboxKey = (userId: string): Deno.KvKey => ["chat_inbox", userId];
