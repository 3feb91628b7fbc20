import assert from "node:assert/strict";
import { freshKv, makeUser } from "./helpers.ts";
import { makePsychologist, profileInput } from "./psychologist_fixtures.ts";
import { Conflict, Forbidden, ValidationError } from "@/lib/errors.ts";
import {
  createPsychologistProfile,
  getBookablePsychologist,
  getPsychologist,
  setPsychologistActive,
  updatePsychologistProfile,
} from "@/lib/psychologists/store.ts";
import * as K from "@/lib/psychologists/keys.ts";
import { seedPsychologists } from "@/lib/seed/psychologists.ts";
import { seedAccounts } from "@/lib/seed/accounts.ts";
import { CATEGORIES, isBookable, type Psychologist } from "@/lib/psychologists/model.ts";
import { getFile } from "@/lib/files/store.ts";
import { verifyProfile } from "@/lib/psychologists/applications.ts";

async function card(kv: Deno.Kv, id: string) {
  return (await kv.get(K.cardKey(id))).value;
}

Deno.test("psychologists: a verified profile has a card; pending has none; deactivation removes it", async () => {
  const kv = await freshKv();
  const admin = await makeUser("admin");
  const p = await makePsychologist();
  assert.equal(p.profile.verification, "verified");
  assert.match(p.profile.services[0].id, /^[0-9A-Z]{26}$/);
  assert.ok(await card(kv, p.id));
  assert.ok(await getBookablePsychologist(p.id));

  const pending = await makePsychologist({}, { verification: "pending" });
  assert.equal(await card(kv, pending.id), null);
  assert.equal(await getBookablePsychologist(pending.id), null);

  await setPsychologistActive(admin, p.id, false);
  assert.equal(await card(kv, p.id), null);
  assert.equal(await getBookablePsychologist(p.id), null);
  await setPsychologistActive(admin, p.id, true);
  assert.ok(await card(kv, p.id));
  await assert.rejects(setPsychologistActive(p, p.id, false), Forbidden);
  kv.close();
});

Deno.test("psychologists: a second profile for the same account is refused; bad input names the field", async () => {
  const kv = await freshKv();
  const p = await makePsychologist();
  await assert.rejects(createPsychologistProfile(p.id, profileInput("X")), Conflict);
  const u = await makeUser("psychologist");
  await assert.rejects(
    createPsychologistProfile(
      u.id,
      profileInput("Y", { services: [{ type: "chat", durationMinutes: 33, priceIdr: 5 }] }),
    ),
    (e: unknown) =>
      e instanceof ValidationError && e.fields["services.0.durationMinutes"] === "psy.error.duration" &&
      e.fields["services.0.priceIdr"] === "psy.error.price",
  );
  assert.equal(await getPsychologist(u.id), null, "nothing written");
  kv.close();
});

Deno.test("psychologists: editing keeps service ids that exist, gives new ones, and only the owner or an admin edits", async () => {
  const kv = await freshKv();
  const p = await makePsychologist();
  const other = await makeUser("psychologist");
  const [chat] = p.profile.services;
  const next = await updatePsychologistProfile(
    p,
    p.id,
    profileInput(p.profile.name, {
      services: [
        { id: chat.id, type: "chat", durationMinutes: 45, priceIdr: 175_000 },
        { id: "forged-id", type: "in_person", durationMinutes: 60, priceIdr: 400_000 },
      ],
    }),
  );
  assert.equal(next.verification, "verified");
  assert.equal(next.services[0].id, chat.id);
  assert.notEqual(next.services[1].id, "forged-id");
  assert.equal(next.services.length, 2);
  const c = (await kv.get<{ name: string; priceFromIdr: number }>(K.cardKey(p.id))).value!;
  assert.equal(c.name, p.profile.name);
  assert.equal(c.priceFromIdr, 175_000);
  await assert.rejects(updatePsychologistProfile(other, p.id, profileInput("Z")), Forbidden);
  kv.close();
});

Deno.test("psychologists: changing the name or licence of a verified profile needs verification again", async () => {
  const kv = await freshKv();
  const admin = await makeUser("admin");
  for (const change of [{ name: "Nama Lain" }, { licenceNumber: "SIPP 9999-18-2-1" }]) {
    const p = await makePsychologist();
    const input = profileInput(change.name ?? p.profile.name, change.licenceNumber ? change : {});
    const next = await updatePsychologistProfile(p, p.id, input);
    assert.equal(next.verification, "pending");
    assert.equal(next.verifiedAt, null);
    assert.equal(await card(kv, p.id), null, "delisted");
    assert.equal(await getBookablePsychologist(p.id), null, "not bookable");
    // The admin re-verifies it from the psychologists list.
    const again = await verifyProfile(admin, p.id);
    assert.equal(again.verification, "verified");
    assert.ok(await card(kv, p.id));
  }
  kv.close();
});

Deno.test("psychologist seed: ≥ 12 verified across every category, photos stored, idempotent", async () => {
  const kv = await freshKv();
  await seedAccounts();
  const first = await seedPsychologists();
  assert.ok(first.ids.length >= 12);
  const profiles = (await Promise.all(first.ids.map(getPsychologist))) as Psychologist[];
  assert.ok(profiles.every((p) => p && isBookable(p) && p.services.length >= 2));
  const cats = new Set(profiles.flatMap((p) => p.specialisations));
  for (const c of CATEGORIES) assert.ok(cats.has(c), `category ${c} covered`);
  for (const p of profiles) {
    const f = await getFile(p.photoFileId!);
    assert.equal(f?.type, "image/png");
    assert.equal(f?.access, "public");
  }
  const count = async () => {
    let n = 0;
    for await (const _ of kv.list({ prefix: [] })) n++;
    return n;
  };
  const before = await count();
  const again = await seedPsychologists();
  assert.deepEqual(again.ids, first.ids);
  assert.equal(await count(), before, "a second run writes nothing");
  kv.close();
});
