/**
 * Property tests of the booking pages' forms (fast-check through tests/fuzz.ts,
 * which prints each seed): the client's book, cancel and reschedule forms and
 * the psychologist's confirm/reject/no-show form get hostile fields. Never a
 * 5xx; a refused post re-renders the page with a translated message; and
 * after every post every booking still holds exactly its cells and indexes.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import { appHandler, freshKv, makeUser, postForm, signIn } from "./helpers.ts";
import { bookablePsychologist, jakartaAt } from "./booking_fixtures.ts";
import { reserveBooking } from "@/lib/booking/create.ts";
import { bookingCells } from "@/lib/booking/cells.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import type { Booking } from "@/lib/booking/model.ts";

async function consistent(kv: Deno.Kv): Promise<void> {
  const bookings: Booking[] = [];
  for await (const e of kv.list<Booking>({ prefix: ["bookings"] })) bookings.push(e.value);
  for await (const e of kv.list<{ bookingId: string }>({ prefix: ["slot_cells"] })) {
    const b = bookings.find((x) => x.id === e.value.bookingId);
    assert.ok(b && bookingCells(b).includes(e.key[2] as number), "every cell lies inside its booking");
  }
  let idx = 0;
  for await (const e of kv.list<string>({ prefix: ["bookings_by_client"] })) {
    idx++;
    assert.equal(e.key[2], bookings.find((b) => b.id === e.value)?.startsAt);
  }
  assert.equal(idx, bookings.length);
}

Deno.test({
  name: "booking forms fuzz: book, cancel, reschedule, confirm/reject — no 5xx, nothing half-written",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const kv = await freshKv();
    const h = await appHandler();
    const psy = await bookablePsychologist();
    const client = await makeUser("client");
    const c = await signIn(h, client.email!, client.password);
    const p = await signIn(h, psy.email!, psy.password);
    const b = await reserveBooking(client, {
      psychologistId: psy.id,
      serviceId: psy.profile.services[0].id,
      startsAt: jakartaAt(3, "09:00"),
    });
    const value = fc.oneof(
      fc.constantFrom(
        "",
        "cancel",
        "confirm",
        "reject",
        "start",
        "complete",
        "no_show",
        "psychologist",
        psy.profile.services[0].id,
        psy.profile.services[1].id,
        jakartaAt(3, "09:00"),
        jakartaAt(4, "10:00"),
        jakartaAt(4, "10:10"),
        "9999-12-31T23:59:59Z",
        "2026-13-40T99:99",
        "\u0000",
        "a".repeat(3000),
        "<script>alert(1)</script>",
      ),
      fc.string({ maxLength: 30 }),
    );
    const fields = fc.dictionary(
      fc.constantFrom("action", "serviceId", "startsAt", "reason", "absent", "confirm", "psychologistId"),
      value,
      { maxKeys: 5 },
    );
    const target = fc.constantFrom(
      [`/psychologists/${psy.id}/book`, c.cookie],
      [`/client/bookings/${b.id}`, c.cookie],
      [`/client/bookings/${b.id}/reschedule`, c.cookie],
      [`/psychologist/bookings/${b.id}`, p.cookie],
      [`/psychologist/bookings/01JAAAAAAAAAAAAAAAAAAAAAAA`, p.cookie],
    );
    await fuzz(
      t,
      fc.asyncProperty(target, fields, async ([path, cookie], f) => {
        const res = await postForm(h, path, f as Record<string, string>, { cookie });
        assert.ok(res.status < 500, `${path} ${JSON.stringify(f)} → ${res.status}`);
        assert.ok([200, 303, 400, 404, 409, 429].includes(res.status), `${path} → ${res.status}`);
        await res.body?.cancel();
        await consistent(kv);
      }),
      { numRuns: 120 },
    );
    await bookingMailIdle();
  },
});
