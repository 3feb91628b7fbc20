/**
 * Test fixtures of sessions: a booking taken through reserve → paid →
 * confirmed with the real lifecycle, for session notes and reminders.
 */
import assert from "node:assert/strict";
import { makeUser, type TestUser } from "./helpers.ts";
import { bookablePsychologist, jakartaAt } from "./booking_fixtures.ts";
import type { TestPsychologist } from "./psychologist_fixtures.ts";
import { reserveBooking } from "@/lib/booking/create.ts";
import { confirmBooking } from "@/lib/booking/lifecycle.ts";
import { bookingPaymentEffect } from "@/lib/booking/payment_effect.ts";
import { getBooking } from "@/lib/booking/store.ts";
import type { Booking } from "@/lib/booking/model.ts";
import type { Payment } from "@/lib/payments/model.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
import { getKv } from "@/lib/db/kv.ts";

/** Marks booking `b` paid through the payment effect, in one commit as the payment module does. */
export async function payBooking(b: Booking): Promise<Booking> {
  const kv = await getKv();
  const payment = { orderId: b.orderId, purpose: { kind: "booking", id: b.id }, method: "qris" } as Payment;
  const op = kv.atomic();
  const after = await bookingPaymentEffect(op, payment, "pending", "paid");
  assert.ok((await op.commit()).ok);
  if (after) await after();
  return (await getBooking(b.id))!;
}

/** A session and its two sides. */
export interface Session {
  psy: TestPsychologist;
  client: TestUser;
  booking: Booking;
}

/**
 * A confirmed video session (50 min) at local `hhmm` Asia/Jakarta `days` days
 * from now, reserved, paid and confirmed at `nowMs`. `psy` reuses a psychologist.
 */
export async function confirmedSession(
  opts: {
    days?: number;
    hhmm?: string;
    nowMs?: number;
    psy?: TestPsychologist;
    clientLang?: Lang;
  } = {},
): Promise<Session> {
  const nowMs = opts.nowMs ?? Date.now();
  const psy = opts.psy ?? await bookablePsychologist({}, nowMs);
  const client = await makeUser("client", { lang: opts.clientLang ?? "id" });
  const r = await reserveBooking(client, {
    psychologistId: psy.id,
    serviceId: psy.profile.services[1].id,
    startsAt: jakartaAt(opts.days ?? 2, opts.hhmm ?? "10:00", nowMs),
  }, nowMs);
  await payBooking(r);
  const { booking } = await confirmBooking(r.id, psy, nowMs);
  assert.equal(booking.status, "confirmed");
  return { psy, client, booking };
}
