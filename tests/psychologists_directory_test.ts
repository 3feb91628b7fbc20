/**
 * The directory: filters, sorts, cursor pagination (stable, no duplicates or
 * gaps), only bookable psychologists listed and fetched, through the library,
 * the JSON API and the page.
 */
import assert from "node:assert/strict";
import { appHandler, freshKv, get, makeUser } from "./helpers.ts";
import { makePsychologist, type TestPsychologist } from "./psychologist_fixtures.ts";
import { BadRequest } from "@/lib/errors.ts";
import { parseInput } from "@/lib/validation.ts";
import { commitProfile, setPsychologistActive } from "@/lib/psychologists/store.ts";
import { type DirectoryItem, directoryQuerySchema, searchPsychologists } from "@/lib/psychologists/directory.ts";
import { bumpAvailabilityVersion, putAvailability, summaryStats } from "@/lib/availability/store.ts";
import { config } from "@/lib/config.ts";
import { directoryVersionKey } from "@/lib/psychologists/keys.ts";

const NOW = Date.now();

async function rated(p: TestPsychologist, sum: number, count: number) {
  await commitProfile(p.id, (cur) => ({ ...cur, ratingSum: sum, ratingCount: count }));
}

async function search(q: Record<string, string | number>): Promise<{ items: DirectoryItem[]; cursor: string | null }> {
  return await searchPsychologists(parseInput(directoryQuerySchema, q), NOW);
}

const names = (r: { items: DirectoryItem[] }) => r.items.map((i) => i.name);

/** A local date `days` from today in the display zone. */
function localDate(days: number): string {
  return Temporal.Now.plainDateISO(config.timeZone).add({ days }).toString();
}

Deno.test("directory: search by name ignores case and accents; filters by category, service, price range and rating", async () => {
  const kv = await freshKv();
  const sena = await makePsychologist({
    name: "Séna Putri",
    specialisations: ["trauma"],
    services: [{ type: "video", durationMinutes: 50, priceIdr: 400_000 }],
  });
  const budi = await makePsychologist({
    name: "Budi Hartono",
    specialisations: ["anxiety", "career"],
    services: [
      { type: "chat", durationMinutes: 30, priceIdr: 100_000 },
      { type: "in_person", durationMinutes: 60, priceIdr: 500_000 },
    ],
  });
  await makePsychologist({
    name: "Ani Senapati",
    specialisations: ["anxiety"],
    services: [{ type: "chat", durationMinutes: 30, priceIdr: 200_000 }],
  });
  await rated(sena, 45, 10); // 4.5
  await rated(budi, 30, 10); // 3.0
  await makePsychologist({ name: "Sena Pending" }, { verification: "pending" });
  await makePsychologist({ name: "Sena Rejected" }, { verification: "rejected" });

  assert.deepEqual(names(await search({ q: "SENA" })).sort(), ["Ani Senapati", "Séna Putri"]);
  assert.deepEqual(names(await search({ q: "séna p" })), ["Séna Putri"]);
  assert.deepEqual(names(await search({ category: "anxiety", sort: "price" })), ["Budi Hartono", "Ani Senapati"]);
  assert.deepEqual(names(await search({ service: "in_person" })), ["Budi Hartono"]);
  // The price range applies to the services of the chosen type: Budi's chat (100k) is out of 150k–600k.
  assert.deepEqual(names(await search({ service: "chat", minPrice: 150_000, maxPrice: 600_000 })), ["Ani Senapati"]);
  const inRange = await search({ minPrice: 150_000, maxPrice: 450_000, sort: "price" });
  assert.deepEqual(names(inRange), ["Ani Senapati", "Séna Putri"]);
  assert.equal(inRange.items[1].priceFromIdr, 400_000);
  assert.deepEqual(names(await search({ minRating: "4" })), ["Séna Putri"]);
  assert.deepEqual(
    names(await search({})),
    ["Séna Putri", "Budi Hartono", "Ani Senapati"],
    "rating first, unrated last",
  );

  const admin = await makeUser("admin");
  await setPsychologistActive(admin, sena.id, false);
  assert.deepEqual(names(await search({ q: "sena" })), ["Ani Senapati"], "deactivated is not listed");
  kv.close();
});

Deno.test("directory: 'available on' and 'soonest' use the psychologists' free slots", async () => {
  const kv = await freshKv();
  const weekly = Object.fromEntries(
    ["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [{ start: "08:00", end: "20:00" }]]),
  );
  const base = {
    timeZone: config.timeZone,
    overrides: {},
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 120,
    horizonDays: 30,
    slotIntervalMinutes: null,
  };
  const every = await makePsychologist({ name: "Every Day" });
  const later = await makePsychologist({ name: "Later Only" });
  await makePsychologist({ name: "Never Free" });
  const in3 = localDate(3);
  const in10 = localDate(10);
  await putAvailability(every.id, { ...base, weekly }, NOW);
  await putAvailability(
    later.id,
    { ...base, weekly: {}, overrides: { [in10]: [{ start: "09:00", end: "12:00" }] } },
    NOW,
  );

  assert.deepEqual(names(await search({ availableOn: in3 })), ["Every Day"]);
  assert.deepEqual(names(await search({ availableOn: in10 })).sort(), ["Every Day", "Later Only"]);
  const soonest = await search({ sort: "soonest" });
  assert.deepEqual(names(soonest), ["Every Day", "Later Only", "Never Free"]);
  assert.ok(soonest.items[0].nextFreeAt && Date.parse(soonest.items[0].nextFreeAt) >= NOW + 120 * 60_000);
  assert.equal(soonest.items[2].nextFreeAt, null);

  // Ten concurrent "soonest" searches after a change: one computation (single-flight), the same answer.
  await bumpAvailabilityVersion(kv.atomic(), every.id).commit();
  await kv.set(directoryVersionKey(), crypto.randomUUID()); // a new directory marker: the memo is not reused
  const before = summaryStats.computations;
  const results = await Promise.all(Array.from({ length: 10 }, () => search({ sort: "soonest" })));
  assert.equal(summaryStats.computations - before, 1, "only Every Day changed: computed once for 10 searches");
  for (const r of results) assert.deepEqual(r, results[0]);
  kv.close();
});

Deno.test("directory: cursor pages are stable — no duplicates, no gaps, even when a card arrives between pages", async () => {
  const kv = await freshKv();
  for (let i = 0; i < 14; i++) {
    await makePsychologist({
      name: `Psikolog ${String.fromCharCode(65 + i)}`,
      services: [{ type: "chat", durationMinutes: 30, priceIdr: 100_000 + (i % 4) * 25_000 }],
    });
  }
  for (const sort of ["rating", "soonest", "price"] as const) {
    const all = (await search({ sort, limit: 50 })).items.map((i) => i.id);
    assert.equal(all.length, 14);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: DirectoryItem[]; cursor: string | null } = await search({
        sort,
        limit: 4,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.cursor;
      if (pages === 0 && sort === "price") {
        // A new, cheap psychologist arrives after the first page (the last sort tested): it sorts
        // before the cursor, so it does not shift the remaining pages.
        await makePsychologist({
          name: "AAA Baru",
          services: [{ type: "chat", durationMinutes: 30, priceIdr: 50_000 }],
        });
      }
      pages++;
    } while (cursor && pages < 10);
    assert.deepEqual(seen, all, `${sort}: the pages together are the full list, in order`);
    assert.equal(pages, 4);
  }
  const one = await search({ sort: "rating", limit: 2 });
  await assert.rejects(search({ sort: "price", cursor: one.cursor! }), BadRequest, "a cursor is tied to its sort");
  await assert.rejects(search({ cursor: "bm90LWEtY3Vyc29y" }), BadRequest);
  kv.close();
});

Deno.test("directory API: bounded parameters (400 with fields), public profile only when bookable", async () => {
  const kv = await freshKv();
  const handler = await appHandler();
  const ok = await makePsychologist({ name: "Dewi Lestari" });
  const pending = await makePsychologist({ name: "Dewi Pending" }, { verification: "pending" });
  const off = await makePsychologist({ name: "Dewi Off" });
  await setPsychologistActive(await makeUser("admin"), off.id, false);

  const res = await get(handler, "/api/psychologists?q=dewi&limit=10");
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.deepEqual(body.items.map((i: DirectoryItem) => i.id), [ok.id]);
  assert.equal(body.cursor, null);
  for (
    const [qs, field] of [
      ["limit=51", "limit"],
      ["limit=0", "limit"],
      ["availableOn=2101-01-01", "availableOn"],
      ["availableOn=2026-02-30", "availableOn"],
      ["maxPrice=50000001", "maxPrice"],
      ["minPrice=500000&maxPrice=100000", "maxPrice"],
      ["minRating=6", "minRating"],
      ["category=astrology", "category"],
      ["service=phone", "service"],
      ["sort=random", "sort"],
      [`q=${"a".repeat(101)}`, "q"],
    ]
  ) {
    const r = await get(handler, `/api/psychologists?${qs}`);
    const j = await r.json();
    assert.equal(r.status, 400, qs);
    assert.ok(j.error.fields?.[field], `${qs}: field ${field} (${JSON.stringify(j.error)})`);
  }
  const badCursor = await get(handler, "/api/psychologists?cursor=zzz");
  assert.equal(badCursor.status, 400);
  assert.equal((await badCursor.json()).error.code, "invalid_cursor");

  const one = await get(handler, `/api/psychologists/${ok.id}`);
  assert.equal(one.status, 200);
  const p = (await one.json()).psychologist;
  assert.equal(p.name, "Dewi Lestari");
  assert.equal(p.services.length, 2);
  assert.equal("ratingSum" in p, false);
  for (const id of [pending.id, off.id, "01JAAAAAAAAAAAAAAAAAAAAAAA", "x".repeat(60)]) {
    const r = await get(handler, `/api/psychologists/${id}`);
    assert.equal(r.status, 404, id);
    assert.equal((await r.json()).error.code, "psychologist_not_found");
  }
  for (const id of [pending.id, off.id]) {
    const r = await get(handler, `/psychologists/${id}`);
    await r.body?.cancel();
    assert.equal(r.status, 404, "the profile page too");
  }
  kv.close();
});

Deno.test("directory page: works without JavaScript, shows field errors, links each slot to the booking page", async () => {
  const kv = await freshKv();
  const handler = await appHandler();
  const p = await makePsychologist({ name: "Rina Kartika" });
  const weekly = Object.fromEntries(
    ["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [{ start: "08:00", end: "20:00" }]]),
  );
  await putAvailability(p.id, {
    timeZone: config.timeZone,
    weekly,
    overrides: {},
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 120,
    horizonDays: 30,
    slotIntervalMinutes: null,
  });
  const res = await get(handler, "/psychologists?q=rina&category=&service=&minRating=&sort=rating");
  const html = await res.text();
  assert.equal(res.status, 200);
  assert.match(html, new RegExp(`href="/psychologists/${p.id}"`));
  assert.doesNotMatch(html, /<script[^>]*src=/, "no island scripts");
  assert.match(html, /Asia\/Jakarta|psy-card-next/);

  const bad = await get(handler, "/psychologists?availableOn=2200-01-01&maxPrice=abc");
  const badHtml = await bad.text();
  assert.equal(bad.status, 400);
  assert.match(badHtml, /id="err-availableOn"/);
  assert.match(badHtml, /id="err-maxPrice"/);

  const prof = await get(handler, `/psychologists/${p.id}`);
  const profHtml = await prof.text();
  assert.equal(prof.status, 200);
  const links = [...profHtml.matchAll(/href="(\/psychologists\/[^"/]+\/book\?[^"]+)"/g)].map((m) =>
    m[1].replaceAll("&amp;", "&")
  );
  assert.ok(links.length >= 6, "next free slots per service");
  const u = new URL(links[0], "http://x");
  assert.ok(p.profile.services.some((s) => s.id === u.searchParams.get("serviceId")));
  assert.ok(Date.parse(u.searchParams.get("startsAt")!) > Date.now());
  kv.close();
});
