/**
 * Stored screenings (lib/screening/store.ts): validation refusals with nothing stored, the server's own
 * result, consent, versions, the daily limit, authorization (own client; a booked psychologist, audited;
 * another client, an unrelated psychologist and admins denied), encryption at rest and deletion.
 */
import assert from "node:assert/strict";
import { freshKv, makeUser } from "./helpers.ts";
import { bodyVoting, bookedPsychologist, consentedClient, current, only } from "./screening_fixtures.ts";
import {
  countScreenings,
  createScreening,
  deleteScreening,
  getScreeningFor,
  listScreenings,
  listScreeningsForPsychologist,
  type ScreeningRecord,
} from "@/lib/screening/store.ts";
import { CONSENT_TEXT_VERSION, currentConsent, recordConsent } from "@/lib/screening/consent.ts";
import { AppError, Conflict, Forbidden, NotFound, UnprocessableContent, ValidationError } from "@/lib/errors.ts";
import { listAudit } from "@/lib/audit.ts";
import { open } from "@/lib/crypto/data_key.ts";
import { makeChatBooking } from "./chat_fixtures.ts";

/** Keys under the screening prefixes (consents excluded). */
async function stored(kv: Deno.Kv): Promise<number> {
  let n = 0;
  for (const p of ["screenings", "screenings_by_client"]) {
    for await (const _ of kv.list({ prefix: [p] })) n++;
  }
  return n;
}

async function refused(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  assert.fail("expected a refusal");
}

Deno.test("screening: a valid run is stored; the server computes the result and counts", async () => {
  const kv = await freshKv();
  try {
    const client = await consentedClient();
    const { set, table } = await current();
    const { body, expected } = bodyVoting(set, table, "secure");
    const s = await createScreening(client, body);
    assert.deepEqual(s.counts, expected);
    const max = Math.max(expected.secure, expected.anxious, expected.avoidant);
    assert.equal(s.counts[s.result], max);
    assert.equal(s.perStimulus.length, 14);
    assert.equal(s.clientId, client.id);
    assert.equal(s.backend, "wasm");
    assert.equal(s.stimulusSetVersion, set.version);
    assert.equal(s.mappingVersion, table.version);
    assert.deepEqual(s.perStimulus[0].emotions, body.stimuli[0].emotions);
    assert.equal(await stored(kv), 2, "the record and its index");
    assert.equal(await countScreenings(), 1);
    assert.deepEqual((await getScreeningFor(client, s.id)).counts, s.counts);
    const page = await listScreenings(client);
    assert.deepEqual(page.items.map((x) => x.id), [s.id]);
  } finally {
    kv.close();
  }
});

Deno.test("screening: refusals answer 400 with the field and store nothing", async () => {
  const kv = await freshKv();
  try {
    const client = await consentedClient();
    const { set, table } = await current();
    const { body } = bodyVoting(set, table, "anxious");
    const cases: [string, (b: typeof body) => unknown, string][] = [
      ["a client's own result", (b) => ({ ...b, result: "secure" }), "result"],
      [
        "an image",
        (b) => ({ ...b, stimuli: b.stimuli.map((s, i) => (i === 2 ? { ...s, image: "data:" } : s)) }),
        "stimuli.2.image",
      ],
      [
        "landmarks in the counts",
        (b) => ({
          ...b,
          stimuli: b.stimuli.map((s, i) => (i === 1 ? { ...s, emotions: { ...s.emotions, landmarks: 3 } } : s)),
        }),
        "stimuli.1.emotions.landmarks",
      ],
      [
        "faceFrames > frames",
        (b) => ({
          ...b,
          stimuli: b.stimuli.map((
            s,
            i,
          ) => (i === 0 ? { ...s, frames: 5, faceFrames: 6, emotions: only("happy", 6) } : s)),
        }),
        "stimuli.0.faceFrames",
      ],
      [
        "counts not summing to faceFrames",
        (b) => ({
          ...b,
          stimuli: b.stimuli.map((
            s,
            i,
          ) => (i === 4 ? { ...s, emotions: { ...s.emotions, neutral: s.emotions.neutral + 1 } } : s)),
        }),
        "stimuli.4.emotions",
      ],
      [
        "a negative count",
        (b) => ({ ...b, stimuli: b.stimuli.map((s, i) => (i === 3 ? { ...s, frames: -1 } : s)) }),
        "stimuli.3.frames",
      ],
      [
        "a fraction",
        (b) => ({ ...b, stimuli: b.stimuli.map((s, i) => (i === 3 ? { ...s, frames: 90.5 } : s)) }),
        "stimuli.3.frames",
      ],
      [
        "a count too large",
        (b) => ({ ...b, stimuli: b.stimuli.map((s, i) => (i === 3 ? { ...s, frames: 10_001 } : s)) }),
        "stimuli.3.frames",
      ],
      ["a missing emotion", (b) => ({
        ...b,
        stimuli: b.stimuli.map((s, i) => {
          if (i !== 5) return s;
          const { happy: _h, ...rest } = s.emotions;
          return { ...s, emotions: rest };
        }),
      }), "stimuli.5.emotions.happy"],
      ["13 pictures", (b) => ({ ...b, stimuli: b.stimuli.slice(1) }), "stimuli"],
      [
        "a duplicate picture",
        (b) => ({ ...b, stimuli: [...b.stimuli.slice(0, 13), b.stimuli[0]] }),
        "stimuli.13.stimulusId",
      ],
      [
        "an unknown picture",
        (b) => ({ ...b, stimuli: b.stimuli.map((s, i) => (i === 6 ? { ...s, stimulusId: "not-in-set" } : s)) }),
        "stimuli.6.stimulusId",
      ],
      ["an unknown backend", (b) => ({ ...b, backend: "gpu-magic" }), "backend"],
      ["no model version", (b) => ({ ...b, modelVersion: "" }), "modelVersion"],
      [
        "a string count",
        (b) => ({ ...b, stimuli: b.stimuli.map((s, i) => (i === 0 ? { ...s, frames: "100" } : s)) }),
        "stimuli.0.frames",
      ],
    ];
    for (const [name, mutate, field] of cases) {
      const err = await refused(createScreening(client, mutate(structuredClone(body))));
      assert.ok(err instanceof ValidationError, `${name}: ${err.code}`);
      assert.ok(field in err.fields, `${name}: fields ${JSON.stringify(err.fields)} lack ${field}`);
    }
    assert.equal(await stored(kv), 0, "nothing stored");
  } finally {
    kv.close();
  }
});

Deno.test("screening: consent, versions and the face rule refuse with 409/422, nothing stored", async () => {
  const kv = await freshKv();
  try {
    const now = Date.now();
    const { set, table } = await current();
    const { body } = bodyVoting(set, table, "secure");
    const noConsent = await makeUser("client");
    const e1 = await refused(createScreening(noConsent, body, now));
    assert.ok(e1 instanceof Conflict);
    assert.equal(e1.code, "consent_required");
    // A consent older than an hour no longer admits a run.
    await recordConsent(noConsent.id, CONSENT_TEXT_VERSION, now - 61 * 60_000);
    assert.equal(await currentConsent(noConsent.id, now), null);
    assert.equal((await refused(createScreening(noConsent, body, now))).code, "consent_required");
    assert.equal((await refused(recordConsent(noConsent.id, CONSENT_TEXT_VERSION + 1, now))).code, "consent_outdated");

    const client = await consentedClient(now);
    const e2 = await refused(createScreening(client, { ...body, stimulusSetVersion: set.version + 1 }, now));
    assert.equal(e2.code, "stimulus_set_changed");
    const e3 = await refused(createScreening(client, { ...body, mappingVersion: table.version + 1 }, now));
    assert.equal(e3.code, "mapping_changed");
    // 4 pictures with a face in fewer than half of their frames.
    const faceless = structuredClone(body);
    for (let i = 0; i < 4; i++) {
      faceless.stimuli[i] = { ...faceless.stimuli[i], faceFrames: 10, emotions: only("happy", 10) };
    }
    const e4 = await refused(createScreening(client, faceless, now));
    assert.ok(e4 instanceof UnprocessableContent);
    assert.equal(e4.status, 422);
    assert.equal(e4.code, "not_enough_face");
    // Three are tolerated.
    faceless.stimuli[3] = body.stimuli[3];
    assert.equal((await createScreening(client, faceless, now)).notEnoughFace, 3);
    assert.equal(await stored(kv), 2);
  } finally {
    kv.close();
  }
});

Deno.test("screening: at most 10 a day per client (429)", async () => {
  const kv = await freshKv();
  try {
    const now = Date.now();
    const client = await consentedClient(now);
    const { set, table } = await current();
    const { body } = bodyVoting(set, table, "avoidant");
    for (let i = 0; i < 10; i++) await createScreening(client, body, now + i * 1000);
    const err = await refused(createScreening(client, body, now + 11_000));
    assert.equal(err.status, 429);
    assert.equal(await countScreenings(), 10);
  } finally {
    kv.close();
  }
});

Deno.test("screening access: own client; booked psychologist audited; others and admins denied", async () => {
  const kv = await freshKv();
  try {
    const client = await consentedClient();
    const { set, table } = await current();
    const s = await createScreening(client, bodyVoting(set, table, "anxious").body);
    const other = await consentedClient();
    const stranger = await makeUser("psychologist");
    const admin = await makeUser("admin");
    const unpaid = await makeUser("psychologist");
    await makeChatBooking(client, unpaid, { status: "awaiting_payment", startOffsetMin: 60 });
    assert.ok((await refused(getScreeningFor(other, s.id))) instanceof NotFound, "another client");
    assert.ok((await refused(getScreeningFor(stranger, s.id))) instanceof NotFound, "an unrelated psychologist");
    assert.ok(
      (await refused(getScreeningFor(unpaid, s.id))) instanceof NotFound,
      "an unpaid reservation is no relation",
    );
    assert.ok((await refused(getScreeningFor(admin, s.id))) instanceof Forbidden, "admins never");
    assert.ok((await refused(listScreenings(admin))) instanceof Forbidden);
    assert.ok((await refused(listScreeningsForPsychologist(stranger, client.id))) instanceof Forbidden);
    assert.ok((await refused(listScreeningsForPsychologist(admin, client.id))) instanceof Forbidden);
    assert.deepEqual((await listScreenings(other)).items, [], "another client's list is their own");
    assert.equal((await listAudit({ actorId: stranger.id })).items.length, 0, "a refused read is not a read");

    const psy = await bookedPsychologist(client);
    const seen = await getScreeningFor(psy, s.id);
    assert.equal(seen.id, s.id);
    const reads = (await listAudit({ actorId: psy.id })).items;
    assert.equal(reads.length, 1);
    assert.equal(reads[0].action, "screening.read");
    assert.equal(reads[0].target, `screening:${s.id}`);
    const list = await listScreeningsForPsychologist(psy, client.id);
    assert.deepEqual(list.items.map((x) => x.id), [s.id]);
    const audits = (await listAudit({ actorId: psy.id })).items.map((a) => `${a.action} ${a.target}`);
    assert.ok(audits.includes(`screening.list user:${client.id}`), JSON.stringify(audits));
    // The psychologist cannot delete it; another client neither.
    assert.ok((await refused(deleteScreening(psy, s.id))) instanceof Forbidden);
    assert.ok((await refused(deleteScreening(other, s.id))) instanceof NotFound);
    assert.ok((await refused(deleteScreening(admin, s.id))) instanceof Forbidden);
    assert.equal(await stored(kv), 2);
  } finally {
    kv.close();
  }
});

Deno.test("screening at rest: the result and distributions are sealed, bound to the record", async () => {
  const kv = await freshKv();
  try {
    const client = await consentedClient();
    const { set, table } = await current();
    const s = await createScreening(client, bodyVoting(set, table, "secure").body);
    const raw = (await kv.get<ScreeningRecord>(["screenings", s.id])).value!;
    assert.deepEqual(Object.keys(raw).sort(), [
      "backend",
      "clientId",
      "consentId",
      "createdAt",
      "id",
      "mappingVersion",
      "modelVersion",
      "pdf",
      "schemaVersion",
      "sealed",
      "stimulusSetVersion",
    ]);
    const text = JSON.stringify(raw, (_k, v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v));
    for (const plain of [s.result, "perStimulus", "dominant", "happy", s.perStimulus[0].stimulusId]) {
      assert.ok(!text.includes(`"${plain}`) && !text.includes(plain + '"'), `plaintext ${plain} at rest`);
    }
    // Opens with its own id only.
    assert.match(await open(raw.sealed, `screening:${s.id}`), /"perStimulus"/);
    await assert.rejects(() => open(raw.sealed, `screening:01ARZ3NDEKTSV4RRFFQ69G5FAV`));
  } finally {
    kv.close();
  }
});

Deno.test("screening delete: the client removes record and index in one commit", async () => {
  const kv = await freshKv();
  try {
    const client = await consentedClient();
    const { set, table } = await current();
    const a = await createScreening(client, bodyVoting(set, table, "secure").body);
    const b = await createScreening(client, bodyVoting(set, table, "anxious").body);
    assert.deepEqual((await listScreenings(client)).items.map((x) => x.id), [b.id, a.id], "newest first");
    await deleteScreening(client, a.id);
    assert.equal(await stored(kv), 2);
    assert.deepEqual((await listScreenings(client)).items.map((x) => x.id), [b.id]);
    assert.ok((await refused(getScreeningFor(client, a.id))) instanceof NotFound);
    assert.ok((await refused(deleteScreening(client, a.id))) instanceof NotFound, "twice");
    assert.ok((await refused(getScreeningFor(client, "not-an-id"))) instanceof NotFound);
  } finally {
    kv.close();
  }
});

Deno.test("seed: klien1 gets two screenings through the real store, once", async () => {
  const kv = await freshKv();
  try {
    const { seedAccounts } = await import("@/lib/seed/accounts.ts");
    const { seedScreenings } = await import("@/lib/seed/screenings.ts");
    const { getUserByEmail } = await import("@/lib/auth/users.ts");
    await seedAccounts();
    const lines = await seedScreenings();
    assert.equal(lines.length, 2, lines.join("\n"));
    const klien = (await getUserByEmail("klien1@demo.test"))!;
    const items = (await listScreenings(klien)).items;
    assert.equal(items.length, 2);
    assert.notEqual(items[1].result, "secure", "the older one shows the paid PDF");
    assert.deepEqual(await seedScreenings(), ["screenings: klien1 has some already"]);
    assert.equal(await countScreenings(), 2);
  } finally {
    kv.close();
  }
});
