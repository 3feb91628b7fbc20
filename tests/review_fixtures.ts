/**
 * Test fixtures of reviews: a past booking of a client with a psychologist in
 * a given state, written straight through `putBookingOps` (the booking's own
 * op-builder), so a test can review a completed session without running the
 * payment flow.
 */
import { getKv } from "@/lib/db/kv.ts";
import { idAt } from "@/lib/db/ids.ts";
import type { User } from "@/lib/auth/users.ts";
import type { Booking, BookingStatus } from "@/lib/booking/model.ts";
import { putBookingOps } from "@/lib/booking/store.ts";
import { orderIdOf } from "@/lib/booking/create.ts";
import type { TestPsychologist } from "./psychologist_fixtures.ts";
import assert from "node:assert/strict";
import type { Psychologist } from "@/lib/psychologists/model.ts";
import type { Review } from "@/lib/reviews/model.ts";

/**
 * Stores a booking of `client` with `psy` (first service) that started `daysAgo`
 * days ago (negative: in the future) and is in `status` (default `completed`);
 * `patch` overrides fields (e.g. `holdUntil`). Returns it.
 */
export async function pastBooking(
  client: User,
  psy: TestPsychologist,
  status: BookingStatus = "completed",
  daysAgo = 2,
  patch: Partial<Booking> = {},
): Promise<Booking> {
  const s = psy.profile.services[0];
  const start = Date.now() - daysAgo * 86_400_000;
  const id = idAt(Math.min(start - 86_400_000, Date.now()));
  const at = new Date(start + s.durationMinutes * 60_000).toISOString();
  const b: Booking = {
    schemaVersion: 1,
    id,
    clientId: client.id,
    clientName: client.name,
    psychologistId: psy.id,
    psychologistName: psy.profile.name,
    serviceId: s.id,
    serviceType: s.type,
    durationMinutes: s.durationMinutes,
    priceIdr: s.priceIdr,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + s.durationMinutes * 60_000).toISOString(),
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 10,
    timeZone: "Asia/Jakarta",
    status,
    holdUntil: null,
    orderId: orderIdOf(id),
    refund: null,
    rescheduleCount: 0,
    history: [{ status, at, by: psy.id, reason: null }],
    createdAt: new Date(start - 86_400_000).toISOString(),
    updatedAt: at,
    ...patch,
  };
  const kv = await getKv();
  await putBookingOps(kv.atomic(), null, b).commit();
  return b;
}

/** Every profile's sums equal its visible reviews; every review belongs to a completed booking of its client. */
export async function consistentReviews(kv: Deno.Kv): Promise<void> {
  const reviews = (await Array.fromAsync(kv.list<Review>({ prefix: ["session_reviews"] }))).map((e) => e.value);
  for await (const e of kv.list<Psychologist>({ prefix: ["psychologists"] })) {
    const mine = reviews.filter((r) => r.psychologistId === e.value.id && !r.hidden);
    assert.equal(e.value.ratingCount, mine.length, "count = visible reviews");
    assert.equal(e.value.ratingSum, mine.reduce((s, r) => s + r.rating, 0), "sum = their stars");
    const listed = await Array.fromAsync(kv.list({ prefix: ["session_reviews_by_psychologist", e.value.id] }));
    assert.equal(listed.length, mine.length, "one list copy per visible review");
  }
  const byTime = await Array.fromAsync(kv.list({ prefix: ["session_reviews_by_time"] }));
  assert.equal(byTime.length, reviews.length, "one admin copy per review");
  for (const r of reviews) {
    const b = (await kv.get<{ status: string; clientId: string }>(["bookings", r.bookingId])).value;
    assert.equal(b?.status, "completed");
    assert.equal(b?.clientId, r.clientId);
  }
}
