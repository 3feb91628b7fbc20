/**
 * The booking seed: klien1 has a booking with psikolog1 in every state, each
 * with its payment in the matching state, made through the real flow; a
 * second run changes nothing.
 */
import assert from "node:assert/strict";
import { freshKv } from "./helpers.ts";
import { seedAccounts } from "@/lib/seed/accounts.ts";
import { seedPsychologists } from "@/lib/seed/psychologists.ts";
import { seedAvailability } from "@/lib/seed/availability.ts";
import { seedBookings } from "@/lib/seed/bookings.ts";
import { getUserByEmail } from "@/lib/auth/users.ts";
import { listBookings } from "@/lib/booking/store.ts";
import { BOOKING_STATUSES } from "@/lib/booking/model.ts";
import { getPayment } from "@/lib/payments/store.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import { config } from "@/lib/config.ts";

Deno.test({
  name: "seed: klien1's bookings with psikolog1 cover every state, each with its payment; idempotent",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const kv = await freshKv();
    await seedAccounts();
    const psy = await seedPsychologists();
    await seedAvailability(psy.ids);
    // The seed's clock is noon tomorrow in the centre's zone: a session "in progress" needs a slot that starts
    // about now and ends before midnight, which a run late in the evening cannot have (the seed then leaves it out).
    const noon = Temporal.Now.zonedDateTimeISO(config.timeZone).add({ days: 1 }).with({ hour: 12, minute: 0 });
    const now = new Date(noon.epochMilliseconds);
    const lines = await seedBookings(now);
    assert.match(lines.join("\n"), /10 bookings/);
    const client = (await getUserByEmail("klien1@demo.test"))!;
    const { items } = await listBookings({ clientId: client.id }, { limit: 100 });
    assert.deepEqual([...new Set(items.map((b) => b.status))].sort(), [...BOOKING_STATUSES].sort());
    const expected: Record<string, string[]> = {
      awaiting_payment: ["pending"],
      expired: ["expired"],
      paid: ["paid"],
      confirmed: ["paid"],
      in_session: ["paid"],
      completed: ["paid"],
      no_show: ["paid"],
      rejected: ["paid"],
      cancelled: ["paid"],
    };
    for (const b of items) {
      const p = await getPayment(b.orderId);
      assert.ok(p, `payment of ${b.status}`);
      assert.ok(expected[b.status].includes(p.status), `${b.status} booking has a ${p.status} payment`);
      if (b.status === "rejected" || b.status === "cancelled") assert.equal(b.refund?.status, "due");
    }
    const before = (await Array.fromAsync(kv.list({ prefix: ["bookings"] }))).length;
    assert.match((await seedBookings(now)).join(""), /exist/);
    assert.equal((await Array.fromAsync(kv.list({ prefix: ["bookings"] }))).length, before);
    await bookingMailIdle();
  },
});
