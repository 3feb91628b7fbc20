/**
 * Test fixtures of the consultation chat: a client, a psychologist and a
 * booking between them written straight into KV (the booking flow itself is
 * tested in booking_*_test.ts), plus bearer tokens for API calls.
 */
import { getKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import type { User } from "@/lib/auth/users.ts";
import type { Booking, BookingStatus } from "@/lib/booking/model.ts";
import { putBookingOps } from "@/lib/booking/store.ts";
import { makeUser, type TestUser } from "./helpers.ts";
import { makePsychologist } from "./psychologist_fixtures.ts";

/** A booking of `client` with `psy`, `status`, starting `startOffsetMin` minutes from now (30 minutes long). */
export async function makeChatBooking(
  client: User,
  psy: User,
  opts: { status?: BookingStatus; startOffsetMin?: number; durationMin?: number; nowMs?: number } = {},
): Promise<Booking> {
  const now = opts.nowMs ?? Date.now();
  const start = now + (opts.startOffsetMin ?? -5) * 60_000;
  const duration = opts.durationMin ?? 30;
  const at = new Date(now).toISOString();
  const b: Booking = {
    schemaVersion: 1,
    id: newId(now),
    clientId: client.id,
    clientName: client.name,
    psychologistId: psy.id,
    psychologistName: psy.name,
    serviceId: "svc-chat",
    serviceType: "chat",
    durationMinutes: duration,
    priceIdr: 150_000,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + duration * 60_000).toISOString(),
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    timeZone: "Asia/Jakarta",
    status: opts.status ?? "confirmed",
    holdUntil: null,
    orderId: `RP-${newId(now)}`,
    refund: null,
    rescheduleCount: 0,
    history: [{ status: opts.status ?? "confirmed", at, by: "system", reason: null }],
    createdAt: at,
    updatedAt: at,
  };
  const kv = await getKv();
  const res = await putBookingOps(kv.atomic(), null, b).commit();
  if (!res.ok) throw new Error("booking fixture not written");
  return b;
}

/** Sets a booking's status (as a lifecycle move would). */
export async function setBookingStatus(id: string, status: BookingStatus): Promise<void> {
  const kv = await getKv();
  const e = await kv.get<Booking>(["bookings", id]);
  const b = { ...e.value!, status, updatedAt: new Date().toISOString() };
  const res = await putBookingOps(kv.atomic().check(e), e.value, b).commit();
  if (!res.ok) throw new Error("status not set");
}

/** A signed-in party with a bearer token. */
export type Party = TestUser & { token: string };

async function withToken(u: TestUser): Promise<Party> {
  return { ...u, token: (await createSession(u.id, "bearer")).token };
}

/**
 * The cast of the authorization matrix: the booking's client and
 * psychologist, another client, another psychologist, an admin — each with a
 * token — and a confirmed booking in session now.
 */
export async function chatCast(opts: Parameters<typeof makeChatBooking>[2] = {}) {
  const client = await withToken(await makeUser("client"));
  const psy = await withToken(await makePsychologist());
  const otherClient = await withToken(await makeUser("client"));
  const otherPsy = await withToken(await makePsychologist());
  const admin = await withToken(await makeUser("admin"));
  const booking = await makeChatBooking(client, psy, opts);
  return { client, psy, otherClient, otherPsy, admin, booking };
}
