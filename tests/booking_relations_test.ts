import assert from "node:assert/strict";
import { freshKv, makeUser } from "./helpers.ts";
import { makeChatBooking, setBookingStatus } from "./chat_fixtures.ts";
import { hasCareRelationship } from "@/lib/booking/relations.ts";

Deno.test("care relationship: only a paid-or-later booking with that psychologist counts", async () => {
  const kv = await freshKv();
  try {
    const client = await makeUser("client");
    const psy = await makeUser("psychologist");
    const other = await makeUser("psychologist");
    assert.equal(await hasCareRelationship(client.id, psy.id), false);
    const b = await makeChatBooking(client, psy, { status: "awaiting_payment", startOffsetMin: 60 });
    assert.equal(await hasCareRelationship(client.id, psy.id), false, "an unpaid reservation is not a relationship");
    await setBookingStatus(b.id, "expired");
    assert.equal(await hasCareRelationship(client.id, psy.id), false);
    await makeChatBooking(client, psy, { status: "completed", startOffsetMin: -120 });
    assert.equal(await hasCareRelationship(client.id, psy.id), true);
    assert.equal(await hasCareRelationship(client.id, other.id), false, "another psychologist has none");
    assert.equal(await hasCareRelationship(psy.id, client.id), false, "the relation is not symmetric");
    assert.equal(await hasCareRelationship("", psy.id), false);
  } finally {
    kv.close();
  }
});
