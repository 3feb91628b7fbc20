/**
 * Shapes of the consultation chat: stored messages, the room's receipts, the
 * JSON the API sends, input schemas, and when a conversation is open
 * (docs/domain-rules.md "Chat").
 */
import { z } from "@/lib/validation.ts";
import { config } from "@/lib/config.ts";
import type { Sealed } from "@/lib/crypto/data_key.ts";
import type { Booking } from "@/lib/booking/model.ts";

/** Most characters (Unicode code points, after trimming) of one message. */
export const MAX_TEXT_CODE_POINTS = 1000;

/** A message as stored at `["chat_msgs", room, seq]`. Instants are ISO 8601 UTC. */
export interface StoredMessage {
  schemaVersion: 1;
  /** Server-made ULID. */
  id: string;
  seq: number;
  /** The sender's own id for this message (exactly-once key). */
  clientId: string;
  senderId: string;
  /** The text, AES-GCM sealed with additional data `chatAad(room, id)`. */
  sealed: Sealed;
  sentAt: string;
  deliveredAt: string | null;
  readAt: string | null;
}

/** What the additional authenticated data of a message's ciphertext is. */
export const chatAad = (room: string, id: string) => `chat:${room}:${id}`;

/** One participant's receipts in a room: how far the other side's messages reached them. */
export interface Receipt {
  /** Greatest seq this participant's client has received (0: none). */
  deliveredUpTo: number;
  deliveredAt: string | null;
  /** Greatest seq this participant has had on screen (0: none). */
  readUpTo: number;
  readAt: string | null;
  /** How many of the *other* side's messages have seq ≤ readUpTo (unread = their count − this). */
  readCount: number;
}

/** `["chat_rooms", room]`: receipts per participant id and the end of the conversation. */
export interface RoomMeta {
  schemaVersion: 1;
  receipts: Record<string, Receipt>;
  /** When a participant ended the conversation (then read-only), or null. */
  endedAt: string | null;
  endedBy: string | null;
}

/** An empty room. */
export function emptyRoom(): RoomMeta {
  return { schemaVersion: 1, receipts: {}, endedAt: null, endedBy: null };
}

/** An empty receipt. */
export function emptyReceipt(): Receipt {
  return { deliveredUpTo: 0, deliveredAt: null, readUpTo: 0, readAt: null, readCount: 0 };
}

/** A message as the API and the stream send it. */
export const messageSchema = z.object({
  id: z.string().describe("Server id (ULID)"),
  seq: z.number().int().describe("Per-room sequence: 1, 2, 3 …, the same order on both sides"),
  clientId: z.string().describe("The sender's own id of this message (retries reuse it)"),
  senderId: z.string(),
  text: z.string(),
  sentAt: z.string().describe("Stored at (UTC)"),
  deliveredAt: z.string().nullable().describe("The other side's client received it"),
  readAt: z.string().nullable().describe("The other side had it on screen"),
});
export type ChatMessage = z.infer<typeof messageSchema>;

/** Why a conversation takes no new messages. */
export type ClosedReason = "not_open_yet" | "ended" | "session_over" | "booking_closed";

/** The state of a conversation at one instant. */
export const chatStateSchema = z.object({
  writable: z.boolean(),
  /** null when writable. */
  reason: z.enum(["not_open_yet", "ended", "session_over", "booking_closed"]).nullable(),
  opensAt: z.string().describe("UTC: CHAT_OPENS_MINUTES_BEFORE before the start"),
  closesAt: z.string().describe("UTC: CHAT_GRACE_MINUTES after the end"),
  endedAt: z.string().nullable(),
  endedBy: z.string().nullable(),
});
export type ChatState = z.infer<typeof chatStateSchema>;

/** Booking states whose conversation takes messages inside the window. */
export const CHAT_WRITABLE_STATUSES: readonly Booking["status"][] = ["confirmed", "in_session"];

/**
 * Whether the conversation of `b` takes messages at `nowMs`: the booking is
 * `confirmed` or `in_session`, the time lies in
 * [start − CHAT_OPENS_MINUTES_BEFORE, end + CHAT_GRACE_MINUTES), and nobody
 * ended it. Every other booking state is read-only history (`completed`,
 * `no_show` after the session; `cancelled`, `rejected`, `expired` never had one;
 * `awaiting_payment`/`paid` not yet). docs/domain-rules.md "Chat".
 */
export function chatState(
  b: Booking,
  room: Pick<RoomMeta, "endedAt" | "endedBy"> | null,
  nowMs = Date.now(),
): ChatState {
  const opens = Date.parse(b.startsAt) - config.chatOpensMinutesBefore * 60_000;
  const closes = Date.parse(b.endsAt) + config.chatGraceMinutes * 60_000;
  let reason: ClosedReason | null = null;
  if (room?.endedAt) reason = "ended";
  else if (b.status === "awaiting_payment" || b.status === "paid") reason = "not_open_yet";
  else if (!CHAT_WRITABLE_STATUSES.includes(b.status)) reason = "booking_closed";
  else if (nowMs < opens) reason = "not_open_yet";
  else if (nowMs >= closes) reason = "session_over";
  return {
    writable: reason === null,
    reason,
    opensAt: new Date(opens).toISOString(),
    closesAt: new Date(closes).toISOString(),
    endedAt: room?.endedAt ?? null,
    endedBy: room?.endedBy ?? null,
  };
}

/** Counts Unicode code points (an emoji is one, as people count). */
export function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Message text: trimmed, 1–1000 code points, well-formed UTF-16 (no lone surrogates). */
export const textSchema = z.string("field.required")
  .max(MAX_TEXT_CODE_POINTS * 2 + 4096, "chat.error.too_long")
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, "chat.error.empty")
  .refine((s) => codePoints(s) <= MAX_TEXT_CODE_POINTS, "chat.error.too_long")
  .refine((s) => s.isWellFormed(), "field.invalid");

/** A client-generated message id: 8–64 of `A–Z a–z 0–9 _ -` (a UUID or ULID fits). */
export const clientIdSchema = z.string("field.required").regex(/^[A-Za-z0-9_-]{8,64}$/, "chat.error.client_id")
  .describe("Client-generated id (8–64 of A–Z a–z 0–9 _ -); a retry with the same id stores nothing new");

/** `POST /api/bookings/{id}/messages`. */
export const sendInputSchema = z.object({
  clientId: clientIdSchema,
  text: textSchema.describe("1–1000 characters (code points) after trimming"),
});

/** A sequence number in a query or body (0 … 2^31). */
const seqNumber = z.coerce.number("field.invalid").int("field.invalid").min(0, "field.invalid").max(
  2 ** 31,
  "field.invalid",
);

/** `GET /api/bookings/{id}/messages` query. */
export const historyQuerySchema = z.object({
  before: seqNumber.optional().describe("Only messages with seq < before"),
  after: seqNumber.optional().describe("Only messages with seq > after"),
  limit: z.coerce.number("field.invalid").int("field.invalid").min(1, "field.invalid").max(100, "field.invalid")
    .default(50).describe("1–100, default 50"),
});

/** `POST /api/bookings/{id}/chat/read` and `/chat/delivered`. */
export const receiptInputSchema = z.object({
  upTo: z.number("field.invalid").int("field.invalid").min(1, "field.invalid").max(2 ** 31, "field.invalid")
    .describe("Every message of the other side with seq ≤ upTo"),
});

/** `POST /api/bookings/{id}/chat/typing`. */
export const typingInputSchema = z.object({
  typing: z.boolean("field.invalid").describe("true while keys are pressed (repeat at most every 2 s); false to stop"),
});
