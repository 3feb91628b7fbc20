/**
 * The edge of the chat API: input parsing with the zod schemas of `./model.ts`
 * and the answers' shapes, so route files stay one call each
 * (docs/domain-rules.md "Chat").
 */
import { parseInput, z } from "@/lib/validation.ts";
import type { User } from "@/lib/auth/users.ts";
import { listBookings } from "@/lib/booking/store.ts";
import {
  chatState,
  chatStateSchema,
  historyQuerySchema,
  messageSchema,
  receiptInputSchema,
  sendInputSchema,
  typingInputSchema,
} from "./model.ts";
import {
  chatAccess,
  endChat,
  getRoom,
  headOf,
  history,
  markReceipt,
  sendMessage,
  stateOf,
  unreadCount,
} from "./store.ts";
import { presenceOf, setTyping } from "./live.ts";

/** `{message}`, the answer of a send. */
export const sendAnswerSchema = z.object({ message: messageSchema });

/** One participant's receipt as the API shows it. */
export const receiptSchema = z.object({
  deliveredUpTo: z.int(),
  deliveredAt: z.string().nullable(),
  readUpTo: z.int(),
  readAt: z.string().nullable(),
  readCount: z.int(),
});

/** Presence of the other participant. */
export const presenceSchema = z.object({
  userId: z.string(),
  online: z.boolean(),
  lastSeen: z.string().nullable().describe("UTC; null when this server has not seen them since it started"),
});

/** `GET /api/bookings/{id}/chat`. */
export const chatInfoSchema = z.object({
  state: chatStateSchema,
  head: z.int().describe("Seq of the newest message (0: none)"),
  unread: z.int().describe("Messages of the other side not yet read by the caller"),
  receipts: z.record(z.string(), receiptSchema).describe("Per participant id"),
  presence: presenceSchema,
  me: z.string(),
  other: z.object({ id: z.string(), name: z.string() }),
});

/** Validates and runs `POST /api/bookings/{id}/messages`. */
export async function sendFromInput(user: User, id: string, body: Record<string, unknown>, nowMs = Date.now()) {
  const a = await chatAccess(user, id);
  const input = parseInput(sendInputSchema, body);
  return await sendMessage(a, input.clientId, input.text, nowMs);
}

/** Validates and runs `GET /api/bookings/{id}/messages?before=&after=&limit=`. */
export async function historyFromQuery(user: User, id: string, query: Record<string, string>) {
  const a = await chatAccess(user, id);
  const q = parseInput(historyQuerySchema, query);
  return await history(a.booking.id, q);
}

/** Validates and runs `POST /api/bookings/{id}/chat/read` or `/chat/delivered`. */
export async function receiptFromInput(
  user: User,
  id: string,
  kind: "delivered" | "read",
  body: Record<string, unknown>,
  nowMs = Date.now(),
) {
  const a = await chatAccess(user, id);
  const { upTo } = parseInput(receiptInputSchema, body);
  return { receipt: await markReceipt(a, kind, upTo, nowMs) };
}

/** Validates and runs `POST /api/bookings/{id}/chat/typing` (only while the conversation is writable). */
export async function typingFromInput(user: User, id: string, body: Record<string, unknown>, nowMs = Date.now()) {
  const a = await chatAccess(user, id);
  const { typing } = parseInput(typingInputSchema, body);
  const s = await stateOf(a, nowMs);
  if (s.writable || !typing) setTyping(a.booking.id, user.id, typing && s.writable);
  return { ok: true as const };
}

/** Runs `POST /api/bookings/{id}/chat/end`. */
export async function endFromInput(user: User, id: string, nowMs = Date.now()) {
  const a = await chatAccess(user, id);
  return { state: await endChat(a, nowMs) };
}

/** `GET /api/bookings/{id}/chat`: the conversation's state for one participant. */
export async function chatInfo(user: User, id: string, nowMs = Date.now()): Promise<z.infer<typeof chatInfoSchema>> {
  const a = await chatAccess(user, id);
  const room = await getRoom(a.booking.id);
  const b = a.booking;
  return {
    state: chatState(b, room, nowMs),
    head: await headOf(b.id),
    unread: await unreadCount(a),
    receipts: room.receipts,
    presence: presenceOf(a.otherId),
    me: user.id,
    other: a.isPsychologist
      ? { id: b.clientId, name: b.clientName }
      : { id: b.psychologistId, name: b.psychologistName },
  };
}

/** One conversation in a participant's list. */
export const conversationSchema = z.object({
  bookingId: z.string(),
  other: z.object({ id: z.string(), name: z.string() }),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.string().describe("Booking status"),
  state: chatStateSchema,
  head: z.int(),
  unread: z.int(),
});
export type Conversation = z.infer<typeof conversationSchema>;

/** `GET /api/chat/conversations` query. */
export const conversationsQuerySchema = z.object({
  cursor: z.string().max(512, "field.invalid").optional(),
  limit: z.coerce.number("field.invalid").int("field.invalid").min(1, "field.invalid").max(50, "field.invalid")
    .default(20),
});

/**
 * The caller's conversations (a psychologist's, or a client's): bookings that
 * are open now or have messages, in start order (one page of bookings at a time), with unread counts.
 * Bookings without any chat (never confirmed, no messages) are left out.
 */
export async function conversationsOf(user: User, query: Record<string, string>, nowMs = Date.now()) {
  const q = parseInput(conversationsQuerySchema, query);
  const owner = user.role === "psychologist" ? { psychologistId: user.id } : { clientId: user.id };
  const page = await listBookings(owner, { scope: "all", cursor: q.cursor ?? null, limit: q.limit });
  const items: Conversation[] = [];
  for (const b of page.items) {
    const room = await getRoom(b.id);
    const state = chatState(b, room, nowMs);
    const head = await headOf(b.id);
    if (head === 0 && !state.writable) continue;
    const a = { booking: b, me: user, otherId: b.clientId === user.id ? b.psychologistId : b.clientId };
    items.push({
      bookingId: b.id,
      other: b.clientId === user.id
        ? { id: b.psychologistId, name: b.psychologistName }
        : { id: b.clientId, name: b.clientName },
      startsAt: b.startsAt,
      endsAt: b.endsAt,
      status: b.status,
      state,
      head,
      unread: await unreadCount(a),
    });
  }
  return { items, cursor: page.cursor };
}
