/**
 * Test fixtures of the psychologist workspace: bookings written straight
 * through `putBookingOps` (the one place a booking and its indexes are
 * written), so a test can place sessions in any month or state without
 * walking the whole booking flow.
 */
import { getKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { putBookingOps } from "@/lib/booking/store.ts";
import type { Booking, BookingStatus } from "@/lib/booking/model.ts";

/** Fields a test sets on a stored booking. */
export interface BookingSpec {
  psychologistId: string;
  clientId: string;
  startsAt: string;
  status: BookingStatus;
  priceIdr?: number;
  durationMinutes?: number;
  serviceType?: Booking["serviceType"];
  clientName?: string;
  refund?: boolean;
}

/** A booking record as the booking code stores it (not written). */
export function bookingOf(s: BookingSpec): Booking {
  const id = newId();
  const dur = s.durationMinutes ?? 30;
  const at = new Date().toISOString();
  return {
    schemaVersion: 1,
    id,
    clientId: s.clientId,
    clientName: s.clientName ?? "Klien Uji",
    psychologistId: s.psychologistId,
    psychologistName: "Psikolog Uji",
    serviceId: "svc",
    serviceType: s.serviceType ?? "chat",
    durationMinutes: dur,
    priceIdr: s.priceIdr ?? 150_000,
    startsAt: new Date(s.startsAt).toISOString(),
    endsAt: new Date(Date.parse(s.startsAt) + dur * 60_000).toISOString(),
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    timeZone: "Asia/Jakarta",
    status: s.status,
    holdUntil: null,
    orderId: `RP-${id}`,
    refund: s.refund
      ? { status: "due", amountIdr: s.priceIdr ?? 150_000, reason: "rejected", dueAt: at, doneAt: null }
      : null,
    rescheduleCount: 0,
    history: [{ status: s.status, at, by: "system", reason: null }],
    createdAt: at,
    updatedAt: at,
  };
}

/** Writes bookings (new, or `before` → `after` pairs) through `putBookingOps`, up to 100 per commit. */
export async function putBookings(list: (Booking | [Booking, Booking])[]): Promise<void> {
  const kv = await getKv();
  for (let i = 0; i < list.length; i += 100) {
    const op = kv.atomic();
    for (const x of list.slice(i, i + 100)) {
      if (Array.isArray(x)) putBookingOps(op, x[0], x[1]);
      else putBookingOps(op, null, x);
    }
    const r = await op.commit();
    if (!r.ok) throw new Error("commit failed");
  }
}

/** Stores bookings made from `specs` and returns them. */
export async function storeBookings(specs: BookingSpec[]): Promise<Booking[]> {
  const list = specs.map(bookingOf);
  await putBookings(list);
  return list;
}
