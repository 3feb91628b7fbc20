/**
 * Creating and rescheduling bookings: the start is accepted only by the same
 * slot function that lists free slots (`checkBookableStart` in
 * lib/availability — Cal.com's booking API skipped its minimum-notice rule:
 * calcom #14465), and the booking claims its time cells in the commit that
 * writes it, so overlapping bookings can never both succeed (docs/domain-rules.md
 * "Booking").
 */
import { getKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { config } from "@/lib/config.ts";
import { Conflict, NotFound, ValidationError } from "@/lib/errors.ts";
import { log } from "@/lib/log.ts";
import { translate } from "@/lib/i18n/mod.ts";
import type { User } from "@/lib/auth/users.ts";
import { getPsychologist } from "@/lib/psychologists/store.ts";
import { isBookable, type Psychologist, type Service } from "@/lib/psychologists/model.ts";
import { bumpAvailabilityVersion, checkBookableStart, getAvailability } from "@/lib/availability/store.ts";
import { startPayment } from "@/lib/payments/store.ts";
import type { Payment } from "@/lib/payments/model.ts";
import type { Booking } from "./model.ts";
import { bookingCells, cellBlocks, type CellValue, readCells } from "./cells.ts";
import { getBooking, listBookings, putBookingOps } from "./store.ts";
import * as K from "./keys.ts";
import { type Actor, cutoffMs, expireHold, moveBooking, withStatus } from "./lifecycle.ts";
import { mailBookingChange } from "./mail.ts";
import { scheduleDue } from "./jobs.ts";

/** Most unpaid bookings one client may hold at once (slot hoarding; OWASP ASVS 5.0 V2.4.1 anti-automation). */
export const MAX_UNPAID_PER_CLIENT = 3;

/** Rebuilds of a reservation that lost a commit race (cells, the client's lock) before answering 409 `booking_busy`. */
const MAX_RESERVE_ATTEMPTS = 8;

/** Booking order id for Midtrans: `RP-` + the booking's ULID (29 characters of `[A-Z0-9-]`). */
export function orderIdOf(bookingId: string): string {
  return `RP-${bookingId}`;
}

/** Input of {@link createBooking}. `startsAt` is an ISO 8601 instant. */
export interface NewBooking {
  psychologistId: string;
  serviceId: string;
  startsAt: string;
}

async function bookableService(psychologistId: string, serviceId: string): Promise<{ p: Psychologist; s: Service }> {
  const p = await getPsychologist(psychologistId);
  if (!p || !isBookable(p)) throw new NotFound("psychologist_not_found", "booking.error.psychologist_not_found");
  const s = p.services.find((x) => x.id === serviceId);
  if (!s) throw new ValidationError({ serviceId: "booking.error.service_not_found" });
  return { p, s };
}

function parseStart(startsAt: string): number {
  const ms = Date.parse(startsAt);
  if (!Number.isFinite(ms)) throw new ValidationError({ startsAt: "field.invalid_datetime" });
  return ms;
}

/**
 * Frees the cells of expired unpaid holds among `entries` (each through its own
 * idempotent expiry move), so a late expiry job never blocks a new booking.
 * Returns true when it expired something (the caller reads the cells again).
 */
async function clearExpiredHolds(entries: Deno.KvEntryMaybe<CellValue>[], nowMs: number): Promise<boolean> {
  const stale = new Set<string>();
  for (const e of entries) if (e.value && !cellBlocks(e.value, nowMs)) stale.add(e.value.bookingId);
  for (const id of stale) await expireHold(id, nowMs).catch(() => undefined);
  return stale.size > 0;
}

/**
 * Claims the cells of `after` in `op` (check each is absent; cells `keepFrom`
 * already holds are kept, re-pointed to `after`). Returns false when a cell is
 * held by another booking.
 */
function claimCellsOps(
  op: Deno.AtomicOperation,
  after: Booking,
  entries: Deno.KvEntryMaybe<CellValue>[],
  keepFrom: string | null,
  nowMs: number,
): boolean | "stale" {
  const value: CellValue = { bookingId: after.id, holdUntil: after.holdUntil ? Date.parse(after.holdUntil) : null };
  let stale = false;
  for (const e of entries) {
    if (e.versionstamp === null) op.check({ key: e.key, versionstamp: null });
    else if (keepFrom && e.value?.bookingId === keepFrom) op.check(e);
    else if (e.value && !cellBlocks(e.value, nowMs)) stale = true;
    else return false;
    op.set(e.key, value);
  }
  return stale ? "stale" : true;
}

/**
 * Reserves a slot: a new booking `awaiting_payment` holding its cells for
 * `PAYMENT_WINDOW_MINUTES`, committed atomically with its indexes — no payment
 * yet (see {@link createBooking}).
 * @throws NotFound `psychologist_not_found` (unknown, unverified or deactivated);
 *   ValidationError `serviceId`/`startsAt`; Conflict `slot_taken` (another
 *   booking holds a cell), `slot_unavailable` (outside working hours, before the
 *   minimum notice or past the horizon), `too_many_unpaid`, `booking_busy`
 *   (every attempt lost a commit race)
 */
export async function reserveBooking(client: User, input: NewBooking, nowMs = Date.now()): Promise<Booking> {
  const { p, s } = await bookableService(input.psychologistId, input.serviceId);
  const startMs = parseStart(input.startsAt);
  const av = await getAvailability(p.id);
  const id = newId(nowMs);
  const now = new Date(nowMs).toISOString();
  const booking: Booking = {
    schemaVersion: 1,
    id,
    clientId: client.id,
    clientName: client.name,
    psychologistId: p.id,
    psychologistName: p.name,
    serviceId: s.id,
    serviceType: s.type,
    durationMinutes: s.durationMinutes,
    priceIdr: s.priceIdr,
    startsAt: new Date(startMs).toISOString(),
    endsAt: new Date(startMs + s.durationMinutes * 60_000).toISOString(),
    bufferBeforeMinutes: av.bufferBeforeMinutes,
    bufferAfterMinutes: av.bufferAfterMinutes,
    timeZone: av.timeZone,
    status: "awaiting_payment",
    holdUntil: new Date(nowMs + config.paymentWindowMinutes * 60_000).toISOString(),
    orderId: orderIdOf(id),
    refund: null,
    rescheduleCount: 0,
    history: [{ status: "awaiting_payment", at: now, by: client.id, reason: null }],
    createdAt: now,
    updatedAt: now,
  };
  const kv = await getKv();
  const cells = bookingCells(booking);
  for (let attempt = 0; attempt < MAX_RESERVE_ATTEMPTS; attempt++) {
    // The client's lock key is checked and rewritten by the commit below, so concurrent reservations of one
    // client are serialised and each counts the holds committed before it (the cap cannot be raced).
    const lock = await kv.get(K.clientLockKey(client.id));
    const unpaid = await listBookings({ clientId: client.id }, { status: "awaiting_payment", limit: 100 });
    const holding = unpaid.items.filter((b) => b.holdUntil && Date.parse(b.holdUntil) > nowMs);
    if (holding.length >= MAX_UNPAID_PER_CLIENT) {
      throw new Conflict("too_many_unpaid", "booking.error.too_many_unpaid", { count: MAX_UNPAID_PER_CLIENT });
    }
    const entries = await readCells(p.id, cells);
    if (!await checkBookableStart(p, s, startMs, nowMs)) {
      if (await clearExpiredHolds(entries, nowMs)) continue;
      // Read again: a booking committed since the first read is why the start is no longer free.
      const taken = (await readCells(p.id, cells)).some((e) => e.value && cellBlocks(e.value, nowMs));
      throw taken
        ? new Conflict("slot_taken", "booking.error.slot_taken")
        : new Conflict("slot_unavailable", "booking.error.slot_unavailable");
    }
    const op = kv.atomic();
    const claimed = claimCellsOps(op, booking, entries, null, nowMs);
    if (claimed === false) throw new Conflict("slot_taken", "booking.error.slot_taken");
    if (claimed === "stale") {
      await clearExpiredHolds(entries, nowMs);
      continue;
    }
    op.check({ key: ["bookings", id], versionstamp: null });
    op.check(lock).set(K.clientLockKey(client.id), id);
    putBookingOps(op, null, booking);
    bumpAvailabilityVersion(op, p.id);
    const res = await op.commit();
    if (res.ok) return booking;
    // Lost the race for a cell, the client's lock (another reservation of theirs) or an expired hold: look again.
    const now2 = await readCells(p.id, cells);
    if (now2.some((e) => e.value && cellBlocks(e.value, nowMs))) {
      throw new Conflict("slot_taken", "booking.error.slot_taken");
    }
  }
  throw new Conflict("booking_busy", "booking.error.busy");
}

/**
 * Books a slot and starts its payment: {@link reserveBooking}, then a Midtrans
 * Snap transaction for the price (expiring with the hold). When the payment
 * provider cannot be reached the hold is released at once (the booking
 * expires) and the provider's error is rethrown.
 * @returns the booking and its payment (Snap token and redirect URL)
 * @throws everything {@link reserveBooking} throws; the payment module's
 *   provider error (503)
 */
export async function createBooking(
  client: User,
  input: NewBooking,
  nowMs = Date.now(),
): Promise<{ booking: Booking; payment: Payment }> {
  const booking = await reserveBooking(client, input, nowMs);
  let payment: Payment;
  try {
    payment = await startPayment({
      orderId: booking.orderId,
      purpose: { kind: "booking", id: booking.id },
      payerId: client.id,
      payeeId: booking.psychologistId,
      grossAmountIdr: booking.priceIdr,
      itemDetails: [{
        id: booking.serviceId,
        // Midtrans item names are at most 50 characters (docs.midtrans.com, Snap "item_details").
        name: translate(client.lang, "booking.item", {
          service: translate(client.lang, `booking.service.${booking.serviceType}`),
          minutes: booking.durationMinutes,
          name: booking.psychologistName,
        }).slice(0, 50),
        priceIdr: booking.priceIdr,
        quantity: 1,
      }],
      customer: { firstName: client.name, email: client.email ?? undefined, phone: client.phone ?? undefined },
      expiresAt: booking.holdUntil!,
      finishUrl: `${config.baseUrl}/client/bookings/${booking.id}`,
    }, nowMs);
  } catch (err) {
    await moveBooking(
      booking.id,
      (b) =>
        b.status === "awaiting_payment"
          ? { next: withStatus(b, "expired", "system", nowMs, "payment_unavailable"), releaseCells: true }
          : null,
    ).catch((e) => log("error", "could not release a booking after a payment error", { error: String(e) }));
    throw err;
  }
  await scheduleDue(booking, nowMs).catch((err) =>
    log("warn", "could not enqueue a hold expiry", { error: String(err) })
  );
  await mailBookingChange(null, booking).catch((err) =>
    log("warn", "booking mail failed", { booking: booking.id, error: String(err) })
  );
  return { booking, payment };
}

/**
 * The client moves a paid or confirmed booking, once, until
 * `CANCEL_CUTOFF_HOURS` before its start, to another free start of the same
 * service: the old cells are freed and the new ones claimed in one commit. The
 * booking goes back to `paid` (the psychologist confirms the new time).
 * @throws NotFound; Conflict `invalid_transition`, `reschedule_used`,
 *   `cancel_cutoff_passed`, `slot_taken`, `slot_unavailable`; ValidationError `startsAt`
 */
export async function rescheduleBooking(id: string, actor: Actor, startsAt: string, nowMs = Date.now()) {
  const startMs = parseStart(startsAt);
  const first = await getBooking(id);
  if (!first || actor === "system" || actor.role !== "client" || first.clientId !== actor.id) {
    throw new NotFound("booking_not_found", "booking.error.not_found");
  }
  const { p, s } = await bookableService(first.psychologistId, first.serviceId).catch(() => {
    throw new Conflict("slot_unavailable", "booking.error.slot_unavailable");
  });
  const kv = await getKv();
  for (let attempt = 0; attempt < 4; attempt++) {
    const cur = await kv.get<Booking>(["bookings", id]);
    const b = cur.value!;
    if (b.status !== "paid" && b.status !== "confirmed") {
      throw new Conflict("invalid_transition", "booking.error.invalid_transition", { from: b.status, to: b.status });
    }
    if (b.rescheduleCount >= 1) throw new Conflict("reschedule_used", "booking.error.reschedule_used");
    if (nowMs > cutoffMs(b)) {
      throw new Conflict("cancel_cutoff_passed", "booking.error.cutoff_passed", { hours: config.cancelCutoffHours });
    }
    if (startMs === Date.parse(b.startsAt)) return { booking: b, changed: false };
    const next: Booking = withStatus(b, "paid", actor, nowMs, "rescheduled", {
      startsAt: new Date(startMs).toISOString(),
      endsAt: new Date(startMs + b.durationMinutes * 60_000).toISOString(),
      rescheduleCount: b.rescheduleCount + 1,
    });
    const newCells = bookingCells(next);
    const entries = await readCells(p.id, newCells);
    if (!await checkBookableStart(p, s, startMs, nowMs, { ignoreBookingId: b.id })) {
      if (await clearExpiredHolds(entries, nowMs)) continue;
      const taken = (await readCells(p.id, newCells)).some((e) =>
        e.value && e.value.bookingId !== b.id && cellBlocks(e.value, nowMs)
      );
      throw taken
        ? new Conflict("slot_taken", "booking.error.slot_taken")
        : new Conflict("slot_unavailable", "booking.error.slot_unavailable");
    }
    const op = kv.atomic().check(cur);
    const claimed = claimCellsOps(op, next, entries, b.id, nowMs);
    if (claimed === false) throw new Conflict("slot_taken", "booking.error.slot_taken");
    if (claimed === "stale") {
      await clearExpiredHolds(entries, nowMs);
      continue;
    }
    const keep = new Set(newCells);
    for (const e of await readCells(p.id, bookingCells(b))) {
      if (e.value?.bookingId === b.id && !keep.has(e.key[2] as number)) op.check(e).delete(e.key);
    }
    putBookingOps(op, b, next);
    bumpAvailabilityVersion(op, p.id);
    if ((await op.commit()).ok) {
      await scheduleDue(next, nowMs).catch((err) =>
        log("warn", "could not enqueue a booking move", { error: String(err) })
      );
      await mailBookingChange(b, next).catch((err) =>
        log("warn", "booking mail failed", { booking: id, error: String(err) })
      );
      return { booking: next, changed: true };
    }
  }
  throw new Conflict("slot_taken", "booking.error.slot_taken");
}
