/**
 * The screening's stimulus sets and mapping tables (lib/screening/stimuli.ts): the built-in
 * version 1 created once under concurrency, admin edits as new immutable versions, the
 * 14-active rule, old versions still readable, audit entries, and `GET /api/screening/stimuli`.
 */
import assert from "node:assert/strict";
import { EMOTIONS, type StimulusSet, STYLES, THEMES } from "@/lib/screening/model.ts";
import {
  ACTIVE_COUNT,
  activeStimuli,
  addUploadedStimulus,
  DEFAULT_VOTES,
  getActiveStimulusSet,
  getMappingTable,
  getStimulusSet,
  listVersions,
  saveMappingTable,
  saveStimulusSet,
  stimulusSeconds,
} from "@/lib/screening/stimuli.ts";
import * as K from "@/lib/screening/stimuli_keys.ts";
import { listAudit } from "@/lib/audit.ts";
import { saveFile } from "@/lib/files/store.ts";
import { Conflict, Forbidden, ValidationError } from "@/lib/errors.ts";
import { freshKv, makeUser } from "./helpers.ts";
import { png } from "./article_fixtures.ts";

/** The edit form of a set: every item as it is. */
export function editOf(set: StimulusSet) {
  return {
    baseVersion: set.version,
    items: set.items.map((s) => ({
      id: s.id,
      theme: s.theme,
      order: s.order,
      active: s.active,
      captionId: s.caption.id,
      captionEn: s.caption.en,
    })),
  };
}

Deno.test("stimuli: the default set v1 has the 14 shipped SVGs, one per theme, with id/en captions", async () => {
  await freshKv();
  const set = await getActiveStimulusSet();
  assert.equal(set.version, 1);
  assert.equal(set.createdBy, "system");
  const active = activeStimuli(set);
  assert.equal(active.length, ACTIVE_COUNT);
  assert.deepEqual(active.map((s) => s.theme), [...THEMES]);
  for (const s of active) {
    assert.equal(s.imageUrl, `/stimuli/${s.theme}.svg`);
    assert.ok(s.caption.id.length > 5 && s.caption.en.length > 5 && s.caption.id !== s.caption.en);
    const svg = await Deno.readTextFile(new URL(`../static/stimuli/${s.theme}.svg`, import.meta.url));
    assert.match(svg, /^<svg [^>]*viewBox="0 0 800 600"/);
    assert.match(svg, /<title[^>]*>[^<]+<\/title>/);
    assert.doesNotMatch(svg, /<script|on\w+=|href=|<image|<foreignObject/i, `${s.theme}.svg is self-contained`);
  }
});

Deno.test("stimuli: the default mapping v1 covers 14 × 7 cells, warm-up votes for nobody, every style reachable", async () => {
  await freshKv();
  const table = (await getMappingTable())!;
  assert.equal(table.version, 1);
  assert.deepEqual(table.votes, DEFAULT_VOTES);
  assert.deepEqual(Object.keys(table.votes), [...THEMES]);
  for (const t of THEMES) assert.deepEqual(Object.keys(table.votes[t]), [...EMOTIONS]);
  assert.ok(EMOTIONS.every((e) => table.votes.neutral_play[e] === null));
  const cells = THEMES.flatMap((t) => EMOTIONS.map((e) => table.votes[t][e]));
  for (const s of STYLES) assert.ok(cells.filter((c) => c === s).length >= 9, `${s} has votes`);
  assert.equal(table.votes.reunion.happy, "secure");
  assert.equal(table.votes.departure.sad, "anxious");
  assert.equal(table.votes.grave.neutral, "avoidant");
  assert.equal(table.votes.bench_alone.neutral, null, "neutral at a mild scene is no vote");
  assert.equal(await getMappingTable(2), null);
  assert.deepEqual(await getMappingTable(1), table);
});

Deno.test("stimuli: version 1 is created exactly once under concurrent first reads", async () => {
  const kv = await freshKv();
  const sets = await Promise.all(Array.from({ length: 12 }, () => getActiveStimulusSet()));
  const tables = await Promise.all(Array.from({ length: 12 }, () => getMappingTable()));
  assert.ok(sets.every((s) => s.version === 1 && s.createdAt === sets[0].createdAt));
  assert.ok(tables.every((t) => t!.version === 1 && t!.createdAt === tables[0]!.createdAt));
  let n = 0;
  for await (const _ of kv.list({ prefix: K.setsPrefix() })) n++;
  assert.equal(n, 1);
  assert.equal((await kv.get(K.currentSetKey())).value, 1);
  assert.equal((await kv.get(K.currentMappingKey())).value, 1);
});

Deno.test("stimuli: an admin edit writes the next version, old ones stay readable, audited", async () => {
  await freshKv();
  const admin = await makeUser("admin");
  const v1 = await getActiveStimulusSet();
  const edit = editOf(v1);
  edit.items[0].captionEn = "Children at play.";
  [edit.items[1].order, edit.items[2].order] = [edit.items[2].order, edit.items[1].order];
  const v2 = await saveStimulusSet(admin, edit);
  assert.equal(v2.version, 2);
  assert.equal(v2.createdBy, admin.id);
  assert.equal((await getActiveStimulusSet()).version, 2);
  assert.equal(activeStimuli(v2)[1].theme, "departure");
  assert.equal(v2.items[0].caption.en, "Children at play.");
  const old = (await getStimulusSet(1))!;
  assert.equal(old.items[0].caption.en, v1.items[0].caption.en, "version 1 unchanged");
  assert.equal(await getStimulusSet(3), null);
  const entries = (await listAudit({ target: "screening_set:2" })).items;
  assert.equal(entries.length, 1);
  assert.equal(entries[0].action, "screening.stimuli.save");
  assert.equal(entries[0].actorId, admin.id);
  const { sets } = await listVersions();
  assert.deepEqual(sets.map((s) => s.version), [2, 1]);
});

Deno.test("stimuli: a set must keep exactly 14 active pictures, one per theme, distinct orders", async () => {
  await freshKv();
  const admin = await makeUser("admin");
  const v1 = await getActiveStimulusSet();
  const off = editOf(v1);
  off.items[3].active = false;
  await assert.rejects(() => saveStimulusSet(admin, off), (e) => {
    assert.ok(e instanceof ValidationError);
    assert.equal(e.fields.items, "screening.stimuli.active_count");
    assert.deepEqual(e.fieldParams.items, { count: 14, active: 13 });
    return true;
  });
  const twice = editOf(v1);
  twice.items[4].theme = "reunion";
  await assert.rejects(() => saveStimulusSet(admin, twice), (e) => {
    assert.ok(e instanceof ValidationError);
    assert.ok(Object.values(e.fields).includes("screening.stimuli.theme_twice"));
    return true;
  });
  const order = editOf(v1);
  order.items[5].order = order.items[6].order;
  await assert.rejects(() => saveStimulusSet(admin, order), (e) => {
    assert.ok(e instanceof ValidationError);
    assert.equal(e.fields["items.6.order"], "screening.stimuli.order_taken");
    return true;
  });
  const missing = editOf(v1);
  missing.items.pop();
  await assert.rejects(() => saveStimulusSet(admin, missing), ValidationError);
  const extra = { ...editOf(v1), surprise: 1 };
  await assert.rejects(() => saveStimulusSet(admin, extra), ValidationError);
  assert.equal((await getActiveStimulusSet()).version, 1, "nothing was written");
  assert.equal((await listAudit({ target: "screening_set:2" })).items.length, 0);
});

Deno.test("stimuli: a stale base version is a conflict; only admins edit", async () => {
  await freshKv();
  const admin = await makeUser("admin");
  const v1 = await getActiveStimulusSet();
  await saveStimulusSet(admin, editOf(v1));
  await assert.rejects(() => saveStimulusSet(admin, editOf(v1)), (e) => e instanceof Conflict);
  const client = await makeUser("client");
  await assert.rejects(() => saveStimulusSet(client, editOf(v1)), Forbidden);
  const table = (await getMappingTable())!;
  const grid = Object.fromEntries(
    THEMES.map((t) => [t, Object.fromEntries(EMOTIONS.map((e) => [e, table.votes[t][e] ?? "none"]))]),
  );
  await assert.rejects(() => saveMappingTable(client, { baseVersion: 1, votes: grid }), Forbidden);
  // Two admins saving the same base at once: exactly one wins.
  const r = await Promise.allSettled([
    saveMappingTable(admin, { baseVersion: 1, votes: grid }),
    saveMappingTable(admin, { baseVersion: 1, votes: grid }),
  ]);
  assert.equal(r.filter((x) => x.status === "fulfilled").length, 1);
  assert.ok(r.some((x) => x.status === "rejected" && x.reason instanceof Conflict));
  assert.equal((await getMappingTable())!.version, 2);
});

Deno.test("stimuli: a mapping edit writes the next version with the changed cells, audited", async () => {
  await freshKv();
  const admin = await makeUser("admin");
  const grid = Object.fromEntries(
    THEMES.map((t) => [t, Object.fromEntries(EMOTIONS.map((e) => [e, DEFAULT_VOTES[t][e] ?? "none"]))]),
  ) as Record<string, Record<string, string>>;
  grid.bench_alone.neutral = "avoidant";
  grid.reunion.happy = "none";
  const v2 = await saveMappingTable(admin, { baseVersion: 1, votes: grid });
  assert.equal(v2.version, 2);
  assert.equal(v2.votes.bench_alone.neutral, "avoidant");
  assert.equal(v2.votes.reunion.happy, null);
  assert.equal((await getMappingTable(1))!.votes.reunion.happy, "secure", "v1 unchanged");
  const [entry] = (await listAudit({ target: "screening_mapping:2" })).items;
  assert.equal(entry.action, "screening.mapping.save");
  assert.equal(entry.meta.changed, 2);
  const bad = structuredClone(grid);
  bad.grave.sad = "happy";
  await assert.rejects(() => saveMappingTable(admin, { baseVersion: 2, votes: bad }), (e) => {
    assert.ok(e instanceof ValidationError);
    assert.equal(e.fields["votes.grave.sad"], "field.invalid_choice");
    return true;
  });
  const short = structuredClone(grid);
  delete short.argument;
  await assert.rejects(() => saveMappingTable(admin, { baseVersion: 2, votes: short }), ValidationError);
  assert.equal((await getMappingTable())!.version, 2);
});

Deno.test("stimuli: an uploaded PNG replaces its theme's picture, or joins inactive", async () => {
  await freshKv();
  const admin = await makeUser("admin");
  const file = await saveFile(png(4, 3), "screening_stimulus", admin);
  const v2 = await addUploadedStimulus(admin, {
    baseVersion: 1,
    fileId: file.id,
    theme: "grave",
    captionId: "Makam baru",
    captionEn: "A new grave picture",
    replace: "on",
  });
  assert.equal(v2.version, 2);
  const active = activeStimuli(v2);
  assert.equal(active.length, 14);
  const grave = active.find((s) => s.theme === "grave")!;
  assert.equal(grave.imageUrl, `/files/${file.id}`);
  assert.equal(grave.order, 7, "takes the replaced picture's place");
  const old = v2.items.find((s) => s.id === "default-grave")!;
  assert.equal(old.active, false);
  const other = await saveFile(png(5, 3), "screening_stimulus", admin);
  const v3 = await addUploadedStimulus(admin, {
    baseVersion: 2,
    fileId: other.id,
    theme: "reunion",
    captionId: "Stasiun",
    captionEn: "Station",
  });
  assert.equal(v3.items.length, 16);
  assert.equal(v3.items.at(-1)!.active, false);
  assert.equal(activeStimuli(v3).length, 14);
  // A file of another kind is refused.
  const cover = await saveFile(png(6, 3), "article_cover", admin);
  await assert.rejects(
    () =>
      addUploadedStimulus(admin, { baseVersion: 3, fileId: cover.id, theme: "grave", captionId: "a", captionEn: "b" }),
    (e) => e instanceof ValidationError && e.fields.fileId === "files.not_found",
  );
  assert.equal((await listAudit({ target: "screening_set:2" })).items[0].action, "screening.stimuli.upload");
});

Deno.test("stimuli: SCREENING_STIMULUS_SECONDS shortens a picture, decimals allowed, clamped", () => {
  const before = Deno.env.get("SCREENING_STIMULUS_SECONDS");
  try {
    Deno.env.delete("SCREENING_STIMULUS_SECONDS");
    assert.equal(stimulusSeconds(), 10);
    Deno.env.set("SCREENING_STIMULUS_SECONDS", "0.5");
    assert.equal(stimulusSeconds(), 0.5);
    Deno.env.set("SCREENING_STIMULUS_SECONDS", "0.1");
    assert.equal(stimulusSeconds(), 0.5);
    Deno.env.set("SCREENING_STIMULUS_SECONDS", "abc");
    assert.equal(stimulusSeconds(), 10);
  } finally {
    if (before === undefined) Deno.env.delete("SCREENING_STIMULUS_SECONDS");
    else Deno.env.set("SCREENING_STIMULUS_SECONDS", before);
  }
});
