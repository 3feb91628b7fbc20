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
