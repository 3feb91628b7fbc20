/**
 * The booking core against a real KV: time cells make overlapping bookings of
 * different lengths impossible, the start is checked by the slot function
 * (minimum notice: calcom #14465), holds expire (also when the job is late),
 * and every lifecycle move keeps booking, indexes and cells consistent.
 */
import assert from "node:assert/strict";
import { freshKv, makeUser } from "./helpers.ts";
import { bookablePsychologist, jakartaAt } from "./booking_fixtures.ts";
import { reserveBooking } from "@/lib/booking/create.ts";
import { rescheduleBooking } from "@/lib/booking/create.ts";
import {
  cancelBooking,
  completeBooking,
  confirmBooking,
  markNoShow,
  rejectBooking,
  startSession,
} from "@/lib/booking/lifecycle.ts";
import { runDueBookings } from "@/lib/booking/jobs.ts";
import { getBooking, listBookings } from "@/lib/booking/store.ts";
import { bookingCells, readBusy } from "@/lib/booking/cells.ts";
import { bookingPaymentEffect } from "@/lib/booking/payment_effect.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import { listOutbox } from "@/lib/mail/mod.ts";
import type { Booking } from "@/lib/booking/model.ts";
import type { Payment } from "@/lib/payments/model.ts";
import { getKv } from "@/lib/db/kv.ts";
import { AppError } from "@/lib/errors.ts";
import { createUser } from "@/lib/auth/users.ts";

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return "ok";
}

/** Marks booking `b` paid through the payment effect, in one commit as the payment module does. */
async function pay(b: Booking): Promise<Booking> {
  const kv = await getKv();
  const payment = { orderId: b.orderId, purpose: { kind: "booking", id: b.id }, method: "qris" } as Payment;
  const op = kv.atomic();
  const after = await bookingPaymentEffect(op, payment, "pending", "paid");
  assert.ok((await op.commit()).ok);
  if (after) await after();
  return (await getBooking(b.id))!;
}

async function cellsOwned(b: Booking): Promise<number> {
  const kv = await getKv();
  let n = 0;
  for (const c of bookingCells(b)) {
    const v = (await kv.get<{ bookingId: string }>(["slot_cells", b.psychologistId, c])).value;
    if (v?.bookingId === b.id) n++;
  }
  return n;
}

Deno.test("booking: a reserved slot holds every cell it covers with its buffer; overlapping bookings of other lengths are refused", async () => {
  await freshKv();
  const psy = await bookablePsychologist();
  const [chat, video] = psy.profile.services;
  const a = await makeUser("client");
  const b = await makeUser("client");
  const first = await reserveBooking(a, {
    psychologistId: psy.id,
    serviceId: video.id,
    startsAt: jakartaAt(2, "10:00"),
  });
  assert.equal(first.status, "awaiting_payment");
  assert.equal(first.endsAt, new Date(Date.parse(first.startsAt) + 50 * 60_000).toISOString());
  // 50 min + 10 min buffer after = 12 cells of 5 minutes.
  assert.equal(bookingCells(first).length, 12);
  assert.equal(await cellsOwned(first), 12);
  // A 30-minute chat at 10:30 overlaps the video (and its buffer): refused although its start differs.
  assert.equal(
    await code(reserveBooking(b, { psychologistId: psy.id, serviceId: chat.id, startsAt: jakartaAt(2, "10:30") })),
    "slot_taken",
  );
  // 11:00 is free: the video's buffer ends there.
  const next = await reserveBooking(b, { psychologistId: psy.id, serviceId: chat.id, startsAt: jakartaAt(2, "11:00") });
  assert.equal(next.status, "awaiting_payment");
  const busy = await readBusy(psy.id, Date.parse(jakartaAt(2, "00:00")), Date.parse(jakartaAt(3, "00:00")), Date.now());
  assert.deepEqual(busy, [{ start: Date.parse(jakartaAt(2, "10:00")), end: Date.parse(jakartaAt(2, "11:40")) }]);
});

Deno.test("booking: the start must be a free slot — minimum notice, working hours, grid, horizon (calcom #14465)", async () => {
  await freshKv();
  const psy = await bookablePsychologist();
  const chat = psy.profile.services[0];
  const c = await makeUser("client");
  const soon = new Date(Date.now() + 60 * 60_000);
  soon.setUTCMinutes(0, 0, 0);
  const cases = [
    soon.toISOString(), // inside the 120-minute notice
    jakartaAt(2, "19:00"), // after working hours
    jakartaAt(2, "10:10"), // not on the 30-minute grid
    jakartaAt(40, "10:00"), // past the 30-day horizon
  ];
  for (const startsAt of cases) {
    assert.equal(
      await code(reserveBooking(c, { psychologistId: psy.id, serviceId: chat.id, startsAt })),
      "slot_unavailable",
      startsAt,
    );
  }
  assert.equal(
    await code(reserveBooking(c, { psychologistId: psy.id, serviceId: "nope", startsAt: jakartaAt(2, "10:00") })),
    "validation_failed",
  );
  const kv = await getKv();
  let n = 0;
  for await (const _ of kv.list({ prefix: ["bookings"] })) n++;
  assert.equal(n, 0, "nothing written");
});

Deno.test("booking: 60 concurrent reservations over overlapping slots of both services — exactly one wins", async () => {
  await freshKv();
  const psy = await bookablePsychologist();
  const [chat, video] = psy.profile.services;
  const clients = await Promise.all(
    Array.from(
      { length: 60 },
      (_, i) => createUser({ role: "client", name: `Racer ${i}`, email: `racer${i}@test.local` }),
    ),
  );
  const starts = ["10:00", "10:30", "09:30", "10:00"];
  const results = await Promise.all(clients.map((c, i) =>
    code(reserveBooking(c, {
      psychologistId: psy.id,
      serviceId: i % 2 ? chat.id : video.id,
      startsAt: jakartaAt(3, starts[i % starts.length]),
    }))
  ));
  // 09:30 chat [09:30,10:10) and 10:30 chat [10:30,11:10) do not overlap each other, so the winners are
  // one booking per group of mutually overlapping starts: assert no two stored bookings overlap.
  const won = results.filter((r) => r === "ok").length;
  assert.ok(won >= 1);
  assert.ok(results.every((r) => r === "ok" || r === "slot_taken"), results.join(","));
  const page = await listBookings({ psychologistId: psy.id }, { limit: 100 });
  assert.equal(page.items.length, won);
  const iv = page.items.map((b) => [Date.parse(b.startsAt), Date.parse(b.endsAt) + 10 * 60_000]).sort((x, y) =>
    x[0] - y[0]
  );
  for (let i = 1; i < iv.length; i++) assert.ok(iv[i][0] >= iv[i - 1][1], "no two bookings overlap");
  for (const b of page.items) assert.equal(await cellsOwned(b), bookingCells(b).length);
});

Deno.test("booking: an unpaid hold expires after the payment window and frees its cells; a late job never blocks a new booking", async () => {
  await freshKv();
  const psy = await bookablePsychologist();
  const chat = psy.profile.services[0];
  const a = await makeUser("client");
  const b = await makeUser("client");
  const t0 = Date.now();
  const startsAt = jakartaAt(2, "14:00", t0);
  const held = await reserveBooking(a, { psychologistId: psy.id, serviceId: chat.id, startsAt }, t0);
  assert.equal(
    await code(reserveBooking(b, { psychologistId: psy.id, serviceId: chat.id, startsAt }, t0 + 60_000)),
    "slot_taken",
  );
  // 16 minutes later, no job has run: the other client still gets the slot.
  const later = t0 + 16 * 60_000;
  const taken = await reserveBooking(b, { psychologistId: psy.id, serviceId: chat.id, startsAt }, later);
  assert.equal(taken.status, "awaiting_payment");
  assert.equal((await getBooking(held.id))!.status, "expired");
  assert.equal(await cellsOwned(taken), bookingCells(taken).length);
  // The catch-up job expires the second hold too, idempotently.
  await runDueBookings(later + 16 * 60_000);
  await runDueBookings(later + 16 * 60_000);
  assert.equal((await getBooking(taken.id))!.status, "expired");
  assert.equal(await cellsOwned(taken), 0);
  const kv = await getKv();
  let due = 0;
  for await (const _ of kv.list({ prefix: ["booking_due"] })) due++;
  assert.equal(due, 0, "no timed move left behind");
});

Deno.test("booking: paid → confirmed by its psychologist only; e-mails to both sides in their language", async () => {
  await freshKv();
  const psy = await bookablePsychologist();
  const other = await bookablePsychologist();
  const c = await makeUser("client", { lang: "en" });
  const r = await reserveBooking(c, {
    psychologistId: psy.id,
    serviceId: psy.profile.services[0].id,
    startsAt: jakartaAt(2, "09:00"),
  });
  const paid = await pay(r);
  assert.equal(paid.status, "paid");
  assert.equal(paid.holdUntil, null);
  const kv = await getKv();
  const cell = await kv.get<{ holdUntil: number | null }>(["slot_cells", psy.id, bookingCells(paid)[0]]);
  assert.equal(cell.value?.holdUntil, null, "a paid booking's cells no longer expire");
  assert.equal(await code(confirmBooking(r.id, other)), "booking_not_found");
  assert.equal(await code(confirmBooking(r.id, c)), "booking_not_found");
  const done = await confirmBooking(r.id, psy);
  assert.equal(done.booking.status, "confirmed");
  assert.equal((await confirmBooking(r.id, psy)).changed, false, "repeating a move changes nothing");
  await bookingMailIdle();
  const mails = (await listOutbox()).items;
  const toClient = mails.filter((m) => m.to === c.email);
  const toPsy = mails.filter((m) => m.to === psy.email);
  assert.ok(toClient.some((m) => m.subject.startsWith("Session confirmed")), toClient.map((m) => m.subject).join("|"));
  assert.ok(toPsy.some((m) => m.subject.startsWith("Sesi dikonfirmasi")));
});

Deno.test("booking: reject needs a reason, frees the slot and makes the full price due back", async () => {
  await freshKv();
  const psy = await bookablePsychologist();
  const c = await makeUser("client");
  const r = await pay(
    await reserveBooking(c, {
      psychologistId: psy.id,
      serviceId: psy.profile.services[1].id,
      startsAt: jakartaAt(2, "13:00"),
    }),
  );
  assert.equal(await code(rejectBooking(r.id, psy, "  ")), "validation_failed");
  const { booking } = await rejectBooking(r.id, psy, "Sedang cuti");
  assert.equal(booking.status, "rejected");
  assert.deepEqual([booking.refund?.status, booking.refund?.amountIdr, booking.refund?.reason], [
    "due",
    300_000,
    "rejected",
  ]);
  assert.equal(await cellsOwned(booking), 0);
  assert.equal(await code(confirmBooking(r.id, psy)), "invalid_transition");
  // The slot is bookable again.
  const again = await reserveBooking(c, {
    psychologistId: psy.id,
    serviceId: psy.profile.services[1].id,
    startsAt: jakartaAt(2, "13:00"),
  });
  assert.equal(again.status, "awaiting_payment");
});

Deno.test("booking: cancel — unpaid any time, paid until the cut-off with a refund, not after", async () => {
  await freshKv();
  const psy = await bookablePsychologist();
  const chat = psy.profile.services[0];
  const c = await makeUser("client");
  const unpaid = await reserveBooking(c, {
    psychologistId: psy.id,
    serviceId: chat.id,
    startsAt: jakartaAt(2, "08:00"),
  });
  assert.equal(await code(cancelBooking(unpaid.id, psy)), "booking_not_found", "only the client cancels");
  const u = await cancelBooking(unpaid.id, c);
  assert.equal(u.booking.status, "cancelled");
  assert.equal(u.booking.refund, null);
  const paid = await pay(
    await reserveBooking(c, { psychologistId: psy.id, serviceId: chat.id, startsAt: jakartaAt(3, "08:00") }),
  );
  const p = await cancelBooking(paid.id, c, "Berhalangan");
  assert.equal(p.booking.refund?.status, "due");
  assert.equal(await cellsOwned(p.booking), 0);
  // Within 24 h of the start: refused. The start must be at least the notice ahead, so book and look from later.
  const late = await pay(
    await reserveBooking(c, { psychologistId: psy.id, serviceId: chat.id, startsAt: jakartaAt(3, "09:00") }),
  );
  const within = Date.parse(late.startsAt) - 23 * 3600_000;
  assert.equal(await code(cancelBooking(late.id, c, null, within)), "cancel_cutoff_passed");
  assert.equal((await getBooking(late.id))!.status, "paid");
});

Deno.test("booking: reschedule once to another free start — old cells freed, new ones claimed, back to paid", async () => {
  await freshKv();
  const psy = await bookablePsychologist();
  const video = psy.profile.services[1];
  const c = await makeUser("client");
  const other = await makeUser("client");
  const b = await pay(
    await reserveBooking(c, { psychologistId: psy.id, serviceId: video.id, startsAt: jakartaAt(3, "10:00") }),
  );
  await confirmBooking(b.id, psy);
  // An overlapping move (10:00 → 10:30 shares cells with itself) is allowed: its own cells do not block it.
  const moved = await rescheduleBooking(b.id, c, jakartaAt(3, "10:30"));
  assert.equal(moved.booking.status, "paid");
  assert.equal(moved.booking.rescheduleCount, 1);
  assert.equal(await cellsOwned(moved.booking), bookingCells(moved.booking).length);
  const busy = await readBusy(psy.id, Date.parse(jakartaAt(3, "00:00")), Date.parse(jakartaAt(4, "00:00")), Date.now());
  assert.deepEqual(busy, [{ start: Date.parse(jakartaAt(3, "10:30")), end: Date.parse(jakartaAt(3, "11:30")) }]);
  // 10:00 is free again for someone else (chat 10:00–10:30 + 10 min buffer would touch 10:30: refused; 09:00 fine).
  assert.equal(
    await code(
      reserveBooking(other, {
        psychologistId: psy.id,
        serviceId: psy.profile.services[0].id,
        startsAt: jakartaAt(3, "10:00"),
      }),
    ),
    "slot_taken",
  );
  assert.equal(
    (await reserveBooking(other, {
      psychologistId: psy.id,
      serviceId: psy.profile.services[0].id,
      startsAt: jakartaAt(3, "09:00"),
    })).status,
    "awaiting_payment",
  );
  assert.equal(await code(rescheduleBooking(b.id, c, jakartaAt(4, "10:00"))), "reschedule_used");
  const byClient = await listBookings({ clientId: c.id }, {});
  assert.equal(byClient.items.length, 1, "the index moved with the start");
  assert.equal(Date.parse(byClient.items[0].startsAt), Date.parse(jakartaAt(3, "10:30")));
});

Deno.test("booking: a paid booking not confirmed by its start is rejected by the job with a refund; session moves", async () => {
  await freshKv();
  const psy = await bookablePsychologist();
  const c = await makeUser("client");
  const chat = psy.profile.services[0];
  const a = await pay(
    await reserveBooking(c, { psychologistId: psy.id, serviceId: chat.id, startsAt: jakartaAt(2, "15:00") }),
  );
  const start = Date.parse(a.startsAt);
  await runDueBookings(start - 60_000);
  assert.equal((await getBooking(a.id))!.status, "paid", "not before the start");
  await runDueBookings(start + 1000);
  const r = (await getBooking(a.id))!;
  assert.equal(r.status, "rejected");
  assert.equal(r.refund?.reason, "not_confirmed");

  const b = await pay(
    await reserveBooking(c, { psychologistId: psy.id, serviceId: chat.id, startsAt: jakartaAt(2, "16:00") }),
  );
  await confirmBooking(b.id, psy);
  const bs = Date.parse(b.startsAt);
  assert.equal(await code(startSession(b.id, psy, bs - 60 * 60_000)), "not_session_time");
  assert.equal((await startSession(b.id, psy, bs - 5 * 60_000)).booking.status, "in_session");
  assert.equal((await completeBooking(b.id, psy, bs + 30 * 60_000)).booking.status, "completed");
  const d = await pay(
    await reserveBooking(c, { psychologistId: psy.id, serviceId: chat.id, startsAt: jakartaAt(2, "17:00") }),
  );
  await confirmBooking(d.id, psy);
  assert.equal(await code(markNoShow(d.id, psy, "client", Date.parse(d.startsAt) - 1000)), "not_session_time");
  assert.equal((await markNoShow(d.id, psy, "client", Date.parse(d.startsAt) + 20 * 60_000)).booking.status, "no_show");
});

Deno.test("booking: a payment failing expires the booking and frees it; a payment after the hold was taken over is refunded", async () => {
  await freshKv();
  const psy = await bookablePsychologist();
  const chat = psy.profile.services[0];
  const a = await makeUser("client");
  const b = await makeUser("client");
  const kv = await getKv();
  const apply = async (bk: Booking, to: "paid" | "failed", atMs: number) => {
    const payment = {
      orderId: bk.orderId,
      purpose: { kind: "booking", id: bk.id },
      method: "qris",
      updatedAt: new Date(atMs).toISOString(),
    } as Payment;
    const op = kv.atomic();
    const after = await bookingPaymentEffect(op, payment, "pending", to);
    assert.ok((await op.commit()).ok);
    if (after) await after();
    return (await getBooking(bk.id))!;
  };
  const t0 = Date.now();
  const denied = await reserveBooking(a, {
    psychologistId: psy.id,
    serviceId: chat.id,
    startsAt: jakartaAt(2, "12:00"),
  }, t0);
  const failed = await apply(denied, "failed", t0 + 60_000);
  assert.equal(failed.status, "expired");
  assert.equal(await cellsOwned(failed), 0);

  const late = await reserveBooking(
    a,
    { psychologistId: psy.id, serviceId: chat.id, startsAt: jakartaAt(2, "13:00") },
    t0,
  );
  // The hold passes, another client takes the slot, then the first client's payment arrives.
  const other = await reserveBooking(
    b,
    { psychologistId: psy.id, serviceId: chat.id, startsAt: jakartaAt(2, "13:00") },
    t0 + 20 * 60_000,
  );
  const paidLate = await apply(late, "paid", t0 + 21 * 60_000);
  assert.equal(paidLate.status, "expired");
  assert.deepEqual([paidLate.refund?.status, paidLate.refund?.reason], ["due", "late_payment"]);
  assert.equal(await cellsOwned(other), bookingCells(other).length, "the new booking keeps the slot");
  await bookingMailIdle();
});

Deno.test("booking: one client's concurrent reservations cannot race past the cap of unpaid holds", async () => {
  await freshKv();
  const psy = await bookablePsychologist();
  const c = await makeUser("client");
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) =>
    code(reserveBooking(c, {
      psychologistId: psy.id,
      serviceId: psy.profile.services[0].id,
      startsAt: jakartaAt(2 + i, "10:00"),
    }))));
  const held = (await listBookings({ clientId: c.id }, { status: "awaiting_payment", limit: 100 })).items;
  assert.equal(held.length, 3, results.join(","));
  assert.equal(results.filter((r) => r === "ok").length, 3);
  assert.ok(results.every((r) => r === "ok" || r === "too_many_unpaid" || r === "booking_busy"), results.join(","));
});
