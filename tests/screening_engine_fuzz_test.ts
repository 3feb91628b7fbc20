/**
 * Fuzz of the on-device engine's parts: `GET /models/{version}/{file}` with arbitrary path segments
 * never answers 5xx and serves only the shipped files; the run's tallies always submit integer counts
 * that sum to the face frames (what POST /api/screenings requires); the run clock never goes backwards,
 * never counts paused time and always ends after the last picture. Seeds are printed (tests/fuzz.ts).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import { appHandler, freshKv, get } from "./helpers.ts";
import { HUMAN_VERSION, MODEL_FILES } from "@/lib/screening/engine_config.ts";
import { EMOTIONS } from "@/lib/screening/model.ts";
import { addFrame, newTally, startClock, stepClock, summarize, toSubmission } from "@/lib/screening/run.ts";

Deno.test("fuzz: GET /models/{version}/{file} — no 5xx, only the shipped files are 200", async (t) => {
  await freshKv();
  const h = await appHandler();
  const segment = fc.oneof(
    fc.constantFrom(HUMAN_VERSION, ...MODEL_FILES, "..", "%2e%2e", "models.json", "facemesh.bin", ""),
    fc.string({ maxLength: 40 }),
  );
  await fuzz(
    t,
    fc.asyncProperty(segment, segment, async (v, f) => {
      const path = `/models/${encodeURIComponent(v)}/${encodeURIComponent(f)}`;
      const res = await get(h, path);
      await res.body?.cancel();
      assert.ok(res.status < 500, `${path} → ${res.status}`);
      if (!new URL(path, "http://x").pathname.startsWith("/models/")) return; // "." / ".." segments: URL normalised them away
      const shipped = v === HUMAN_VERSION && (MODEL_FILES as readonly string[]).includes(f);
      if (shipped) assert.equal(res.status, 200, path);
      else assert.notEqual(res.status, 200, path);
    }),
    { numRuns: 150 },
  );
});

const probs = fc.record(
  Object.fromEntries(EMOTIONS.map((e) => [e, fc.double({ min: 0, max: 1, noNaN: true })])),
) as fc.Arbitrary<Record<(typeof EMOTIONS)[number], number>>;

Deno.test("fuzz: tallies submit integer counts summing to the face frames", (t) => {
  fuzz(
    t,
    fc.property(fc.array(fc.option(probs, { nil: null }), { maxLength: 200 }), (frames) => {
      const tally = newTally("s");
      for (const p of frames) addFrame(tally, { face: p !== null, probs: p });
      const [sub] = toSubmission([tally]);
      const sum = Object.values(sub.emotions).reduce((a, b) => a + b, 0);
      assert.equal(sum, sub.faceFrames);
      assert.ok(sub.faceFrames <= sub.frames);
      assert.equal(sub.frames, frames.length);
      const s = summarize(tally);
      if (s.dominant) assert.ok(s.share > 0 && s.share <= 1);
      else assert.equal(sub.faceFrames, 0);
    }),
  );
});

Deno.test("fuzz: the run clock is monotonic, ignores paused time and ends after the last picture", (t) => {
  const step = fc.record({ dt: fc.integer({ min: 0, max: 5_000 }), hidden: fc.boolean(), face: fc.boolean() });
  fuzz(
    t,
    fc.property(fc.array(step, { maxLength: 300 }), fc.integer({ min: 1, max: 20 }), (steps, count) => {
      const pictureMs = 1_000;
      let now = 0, lastFace = 0;
      let c = startClock(0);
      let shown = 0; // ms the clock may count: only steps that end un-paused and with a recent face
      for (const s of steps) {
        now += s.dt;
        if (s.face) lastFace = now;
        const before = c;
        c = stepClock(c, now, { hidden: s.hidden, lastFaceMs: s.face ? lastFace : -Infinity }, pictureMs, count);
        assert.ok(c.index >= before.index, "pictures never go back");
        assert.ok(c.elapsedMs >= 0 && c.elapsedMs < pictureMs);
        assert.ok(c.index <= count);
        if (s.hidden && !c.finished) assert.equal(c.pause, "hidden");
        const progressed = (c.index - before.index) * pictureMs + c.elapsedMs - before.elapsedMs;
        if (!before.finished && (before.pause !== null || c.pause !== null)) {
          assert.equal(progressed, 0, "a paused step (or the one that pauses or resumes) counts no time");
        }
        if (!c.finished) assert.ok(progressed <= s.dt, "never more than the time that passed");
        shown += Math.max(0, progressed);
      }
      assert.equal(c.finished, c.index === count);
      if (c.finished) assert.ok(shown <= now);
    }),
  );
});
