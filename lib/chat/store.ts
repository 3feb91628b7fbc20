/**
 * Conversations in Deno KV: access, sending exactly once, history, receipts,
 * ending (docs/domain-rules.md "Chat"; key layout in `./keys.ts`).
 *
 * Sequence: a sender reads the head counter h and commits message h + 1 with
 * `check(messageKey(h + 1) = null)`, the client id's `check(null)`, a check on
 * the booking's and the end marker's versionstamps, and `.sum(head, 1)`. So the
 * seqs of a room are gapless and commit in order (message n + 1 can only be
 * written after the head shows n), and a message never lands after the booking
 * moved or the conversation was ended. Writers never check the head itself; two
 * senders of one room racing for the same seq retry (measured in bench/chat.ts).
 */
import { getKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { Conflict, Forbidden, NotFound } from "@/lib/errors.ts";
import { enforce } from "@/lib/ratelimit.ts";
import { open, seal } from "@/lib/crypto/data_key.ts";
import type { User } from "@/lib/auth/users.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { bookingKey } from "@/lib/booking/keys.ts";
import * as K from "./keys.ts";
import {
  chatAad,
  type ChatMessage,
  type ChatState,
  chatState,
  emptyReceipt,
  emptyRoom,
  type Receipt,
  type RoomMeta,
  type StoredMessage,
} from "./model.ts";

const ULID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** Commit attempts of one send or receipt before answering 409 `chat_busy`. */
const MAX_ATTEMPTS = 30;
/** Messages updated per receipt commit (each is one mutation; a commit takes ≤ 1,000). */
const RECEIPT_BATCH = 200;

const endKey = K.endKey;

/** A participant's view of a booking's conversation. */
export interface ChatAccess {
  booking: Booking;
  /** The booking's versionstamp when read. */
  versionstamp: string;
  me: User;
  /** The other participant's id. */
  otherId: string;
  /** Whether `me` is the psychologist. */
  isPsychologist: boolean;
}

/**
 * The booking `id` for one of its two participants.
 * @throws Forbidden `chat_private` for admins (they never read message text);
 *   NotFound `booking_not_found` for a malformed id, a missing booking, or anyone else
 */
export async function chatAccess(user: User, id: string): Promise<ChatAccess> {
  if (user.role === "admin") throw new Forbidden("chat_private", "chat.error.private");
  const kv = await getKv();
  const e = ULID_RE.test(id) ? await kv.get<Booking>(bookingKey(id)) : null;
  const b = e?.value;
  if (!e || !b || e.versionstamp === null || (b.clientId !== user.id && b.psychologistId !== user.id)) {
    throw new NotFound("booking_not_found", "booking.error.not_found");
  }
  return {
    booking: b,
    versionstamp: e.versionstamp,
    me: user,
    otherId: b.clientId === user.id ? b.psychologistId : b.clientId,
    isPsychologist: b.psychologistId === user.id,
  };
}

/** The room's receipts and end state (an empty room when nothing was written yet). */
export async function getRoom(room: string): Promise<RoomMeta> {
  const kv = await getKv();
  const [meta, end] = await kv.getMany<[RoomMeta, { at: string; by: string }]>([K.roomKey(room), endKey(room)]);
  const m = meta.value ?? emptyRoom();
  return end.value ? { ...m, endedAt: end.value.at, endedBy: end.value.by } : m;
}

/** The number of messages of a room (= its last seq). */
export async function headOf(room: string): Promise<number> {
  const kv = await getKv();
  const h = await kv.get<Deno.KvU64>(K.headKey(room));
  return h.value ? Number(h.value.value) : 0;
}

/** The conversation state of `a.booking` now (reads the end marker). */
export async function stateOf(a: Pick<ChatAccess, "booking">, nowMs = Date.now()): Promise<ChatState> {
  return chatState(a.booking, await getRoom(a.booking.id), nowMs);
}

/** Decrypts a stored message into its API form. */
export async function toMessage(room: string, m: StoredMessage): Promise<ChatMessage> {
  return {
    id: m.id,
    seq: m.seq,
    clientId: m.clientId,
    senderId: m.senderId,
    text: await open(m.sealed, chatAad(room, m.id)),
    sentAt: m.sentAt,
    deliveredAt: m.deliveredAt,
    readAt: m.readAt,
  };
}

function closedError(s: ChatState): Conflict {
  switch (s.reason) {
    case "not_open_yet":
      return new Conflict("chat_not_open", "chat.error.not_open");
    case "ended":
      return new Conflict("chat_ended", "chat.error.ended");
    default:
      return new Conflict("chat_closed", "chat.error.closed");
  }
}

/**
 * Stores one message from `a.me`, exactly once per `clientId`: a retry (or a
 * concurrent duplicate) with the same client id returns the stored message and
 * writes nothing (`created: false`). Text must already be validated (`sendInputSchema`).
 * @throws Conflict `chat_not_open` / `chat_ended` / `chat_closed` (409) when the conversation takes
 *   no messages; TooManyRequests (429, limit `chat_send`); Conflict `chat_busy` after 30 lost races
 */
export async function sendMessage(
  a: ChatAccess,
  clientId: string,
  text: string,
  nowMs = Date.now(),
): Promise<{ message: ChatMessage; created: boolean }> {
  const kv = await getKv();
  const room = a.booking.id;
  const cidKey = K.clientIdKey(room, a.me.id, clientId);
  const existing = async (): Promise<ChatMessage | null> => {
    const c = await kv.get<number>(cidKey);
    if (c.value === null) return null;
    const m = await kv.get<StoredMessage>(K.messageKey(room, c.value));
    return m.value ? await toMessage(room, m.value) : null;
  };
  const before = await existing();
  if (before) return { message: before, created: false };
  try {
    await enforce("chat_send", a.me.id, nowMs);
  } catch (err) {
    // A retry racing its original past the limit still gets the stored message.
    const dup = await existing();
    if (dup) return { message: dup, created: false };
    throw err;
  }

  const id = newId(nowMs);
  const sealed = await seal(text, chatAad(room, id));
  let booking = a.booking;
  let bookingVs = a.versionstamp;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [head, end] = await kv.getMany<[Deno.KvU64, unknown]>([K.headKey(room), endKey(room)]);
    const s = chatState(booking, end.value ? { endedAt: "x", endedBy: null } : null, nowMs);
    if (!s.writable) throw closedError(s);
    const seq = (head.value ? Number(head.value.value) : 0) + 1;
    const stored: StoredMessage = {
      schemaVersion: 1,
      id,
      seq,
      clientId,
      senderId: a.me.id,
      sealed,
      sentAt: new Date(nowMs).toISOString(),
      deliveredAt: null,
      readAt: null,
    };
    const res = await kv.atomic()
      .check({ key: cidKey, versionstamp: null })
      .check({ key: K.messageKey(room, seq), versionstamp: null })
      .check({ key: bookingKey(room), versionstamp: bookingVs })
      .check(end)
      .set(K.messageKey(room, seq), stored)
      .set(cidKey, seq)
      .sum(K.headKey(room), 1n)
      .sum(K.countKey(room, a.me.id), 1n)
      .sum(K.inboxKey(a.otherId), 1n)
      .sum(K.inboxKey(a.me.id), 1n)
      .commit();
    if (res.ok) {
      return {
        message: { id, seq, clientId, senderId: a.me.id, text, sentAt: stored.sentAt, deliveredAt: null, readAt: null },
        created: true,
      };
    }
    const dup = await existing();
    if (dup) return { message: dup, created: false };
    const b = await kv.get<Booking>(bookingKey(room));
    if (!b.value || b.versionstamp === null) throw new NotFound("booking_not_found", "booking.error.not_found");
    booking = b.value;
    bookingVs = b.versionstamp;
    // A short random pause spreads racing senders of one room.
    if (attempt > 2) await new Promise((r) => setTimeout(r, Math.random() * 2 * attempt));
  }
  throw new Conflict("chat_busy", "chat.error.busy");
}

/** Stored messages of `room` with `from ≤ seq ≤ to`, ascending. */
export async function storedRange(room: string, from: number, to: number): Promise<StoredMessage[]> {
  if (to < from) return [];
  const kv = await getKv();
  const out: StoredMessage[] = [];
  const iter = kv.list<StoredMessage>({
    start: K.messageKey(room, from),
    end: K.messageKey(room, to + 1),
  }, { batchSize: Math.min(500, to - from + 1) });
  for await (const e of iter) out.push(e.value);
  return out;
}

/** A page of history. `cursor`: pass it as `before` (or as `after` when paging forward with `after`). */
export interface HistoryPage {
  items: ChatMessage[];
  /** null when there is nothing more in the paging direction. */
  cursor: string | null;
}

/**
 * Messages of `room` in seq order. Without `after`: the newest `limit` with
 * seq < `before` (default: the newest), `cursor` = their first seq when older
 * ones exist. With `after`: the oldest `limit` with seq > `after` (and < `before`
 * if given), `cursor` = their last seq when more follow.
 */
export async function history(
  room: string,
  q: { before?: number; after?: number; limit: number },
): Promise<HistoryPage> {
  const head = await headOf(room);
  const hi = Math.min(head, q.before === undefined ? head : q.before - 1);
  const lo = (q.after ?? 0) + 1;
  if (hi < lo) return { items: [], cursor: null };
  let from: number, to: number, more: boolean;
  if (q.after !== undefined) {
    from = lo;
    to = Math.min(hi, lo + q.limit - 1);
    more = to < hi;
  } else {
    to = hi;
    from = Math.max(lo, hi - q.limit + 1);
    more = from > lo;
  }
  const stored = await storedRange(room, from, to);
  const items = await Promise.all(stored.map((m) => toMessage(room, m)));
  const edge = q.after !== undefined ? to : from;
  return { items, cursor: more ? String(edge) : null };
}

/**
 * Records that `a.me`'s client received (`delivered`) or showed (`read`) every
 * message of the other side with seq ≤ `upTo` (clamped to the head): sets
 * `deliveredAt`/`readAt` (now) on those messages that lack it and moves the
 * participant's watermark, in commits checked against the room's versionstamp.
 * Reading implies delivery. Idempotent: a watermark never moves back.
 * @returns the participant's receipt after the change
 * @throws Conflict `chat_busy` after 30 lost races
 */
export async function markReceipt(
  a: ChatAccess,
  kind: "delivered" | "read",
  upTo: number,
  nowMs = Date.now(),
): Promise<Receipt> {
  const kv = await getKv();
  const room = a.booking.id;
  const at = new Date(nowMs).toISOString();
  const target = Math.min(upTo, await headOf(room));
  for (let attempt = 0; attempt < MAX_ATTEMPTS;) {
    const metaEntry = await kv.get<RoomMeta>(K.roomKey(room));
    const meta = metaEntry.value ?? emptyRoom();
    const mine = meta.receipts[a.me.id] ?? emptyReceipt();
    const mark = kind === "read" ? mine.readUpTo : mine.deliveredUpTo;
    if (target <= mark) return mine;
    const to = Math.min(target, mark + RECEIPT_BATCH);
    const msgs = await storedRange(room, mark + 1, to);
    const op = kv.atomic().check(metaEntry);
    let othersRead = 0;
    for (const m of msgs) {
      if (m.senderId === a.me.id) continue;
      const next = { ...m };
      let changed = false;
      if (next.deliveredAt === null) {
        next.deliveredAt = at;
        changed = true;
      }
      if (kind === "read") {
        othersRead++;
        if (next.readAt === null) {
          next.readAt = at;
          changed = true;
        }
      }
      if (changed) op.set(K.messageKey(room, m.seq), next);
    }
    const r: Receipt = { ...mine };
    if (kind === "read") {
      r.readUpTo = to;
      r.readAt = at;
      r.readCount = mine.readCount + othersRead;
    }
    if (to > r.deliveredUpTo) {
      r.deliveredUpTo = to;
      r.deliveredAt = at;
    }
    const next: RoomMeta = { ...meta, receipts: { ...meta.receipts, [a.me.id]: r } };
    if (kind === "read") op.sum(K.inboxKey(a.me.id), 1n);
    const res = await op.set(K.roomKey(room), next).commit();
    if (!res.ok) {
      attempt++;
      continue;
    }
    if (to >= target) return r;
  }
  throw new Conflict("chat_busy", "chat.error.busy");
}

/**
 * Ends the conversation (either participant, while it is writable or already
 * ended): read-only from then on for both, history kept. Idempotent.
 * @returns the state after ending
 * @throws Conflict `chat_not_open` / `chat_closed` when there is nothing to end
 */
export async function endChat(a: ChatAccess, nowMs = Date.now()): Promise<ChatState> {
  const kv = await getKv();
  const room = a.booking.id;
  const s = await stateOf(a, nowMs);
  if (s.reason === "ended") return s;
  if (!s.writable) throw closedError(s);
  const at = new Date(nowMs).toISOString();
  const res = await kv.atomic()
    .check({ key: endKey(room), versionstamp: null })
    .set(endKey(room), { at, by: a.me.id })
    .sum(K.inboxKey(a.me.id), 1n)
    .sum(K.inboxKey(a.otherId), 1n)
    .commit();
  if (!res.ok) return await stateOf(a, nowMs);
  return chatState(a.booking, { endedAt: at, endedBy: a.me.id }, nowMs);
}

/** Unread messages of the other side for participant `a` (their count − what `a` read). */
export async function unreadCount(a: Pick<ChatAccess, "booking" | "me" | "otherId">): Promise<number> {
  const kv = await getKv();
  const room = a.booking.id;
  const [count, meta] = await kv.getMany<[Deno.KvU64, RoomMeta]>([K.countKey(room, a.otherId), K.roomKey(room)]);
  const theirs = count.value ? Number(count.value.value) : 0;
  const read = meta.value?.receipts[a.me.id]?.readCount ?? 0;
  return Math.max(0, theirs - read);
}

/** The keys a live stream of `room` watches (head, receipts, end marker, booking). */
export function watchKeys(room: string): [Deno.KvKey, Deno.KvKey, Deno.KvKey, Deno.KvKey] {
  return [K.headKey(room), K.roomKey(room), endKey(room), bookingKey(room)];
}
