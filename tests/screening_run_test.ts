/** Pure rules of the screening run (lib/screening/run.ts): per-picture tallies and the run clock with its pauses. */
import assert from "node:assert/strict";
const assertEquals: (a: unknown, b: unknown) => void = (a, b) => assert.deepEqual(a, b);
import {
  addFrame,
  newTally,
  NO_FACE_PAUSE_MS,
  overallProgress,
  startClock,
  stepClock,
  summarize,
  topEmotion,
  toSubmission,
} from "@/lib/screening/run.ts";
import { EMOTIONS } from "@/lib/screening/model.ts";
import { MIN_FACE_SHARE } from "@/lib/screening/result.ts";

const p = (over: Partial<Record<(typeof EMOTIONS)[number], number>>) =>
  Object.assign(Object.fromEntries(EMOTIONS.map((e) => [e, 0])), over) as Record<(typeof EMOTIONS)[number], number>;

Deno.test("topEmotion: highest probability, ties to the first in EMOTIONS order", () => {
  assertEquals(topEmotion(p({ happy: 0.6, sad: 0.3 })), "happy");
  assertEquals(topEmotion(p({ sad: 0.4, angry: 0.4 })), "sad");
  assertEquals(topEmotion(p({})), "neutral");
});

Deno.test("tally: counts per top emotion sum to face frames; means over face frames only", () => {
  const t = newTally("s1");
  addFrame(t, { face: true, probs: p({ happy: 0.8, neutral: 0.2 }) });
  addFrame(t, { face: true, probs: p({ happy: 0.6, sad: 0.4 }) });
  addFrame(t, { face: true, probs: p({ sad: 0.9, happy: 0.1 }) });
  addFrame(t, { face: false, probs: null });
  const s = summarize(t);
  assertEquals(s.frames, 4);
  assertEquals(s.faceFrames, 3);
  assertEquals(s.emotions.happy, 2);
  assertEquals(s.emotions.sad, 1);
  assertEquals(Object.values(s.emotions).reduce((a, b) => a + b, 0), s.faceFrames);
  assertEquals(s.dominant, "happy");
  assertEquals(s.share, 2 / 3);
  assert(Math.abs(s.meanProbs.happy - 0.5) < 1e-9);
  assert(s.enoughFace);
  const sub = toSubmission([t]);
  assertEquals(Object.keys(sub[0]).sort(), ["emotions", "faceFrames", "frames", "stimulusId"]);
  assert(Object.values(sub[0].emotions).every(Number.isInteger));
});

Deno.test("tally: below half the frames with a face is not enough; none at all has no dominant", () => {
  const t = newTally("s2");
  addFrame(t, { face: true, probs: p({ angry: 1 }) });
  for (let i = 0; i < 2; i++) addFrame(t, { face: false, probs: null });
  assertEquals(summarize(t).enoughFace, 1 / 3 >= MIN_FACE_SHARE);
  const half = newTally("s3");
  addFrame(half, { face: true, probs: p({ angry: 1 }) });
  addFrame(half, { face: false, probs: null });
  assert(summarize(half).enoughFace, "exactly 50 % is enough");
  const empty = summarize(newTally("s4"));
  assertEquals(empty.dominant, null);
  assertEquals(empty.share, 0);
  assertEquals(empty.enoughFace, false);
});

Deno.test("clock: pictures advance every pictureMs and the run finishes after count pictures", () => {
  let c = startClock(0);
  const face = (t: number) => ({ hidden: false, lastFaceMs: t });
  c = stepClock(c, 900, face(900), 1000, 3);
  assertEquals([c.index, c.elapsedMs], [0, 900]);
  c = stepClock(c, 1500, face(1500), 1000, 3);
  assertEquals([c.index, c.elapsedMs], [1, 500]);
  assertEquals(overallProgress(c, 1000, 3), 0.5);
  c = stepClock(c, 3000, face(3000), 1000, 3);
  assert(c.finished);
  assertEquals(overallProgress(c, 1000, 3), 1);
});

Deno.test("clock: no face for 3 s pauses, the next face frame resumes, paused time does not count", () => {
  let c = startClock(0);
  c = stepClock(c, 1000, { hidden: false, lastFaceMs: 500 }, 10_000, 14);
  assertEquals(c.pause, null);
  c = stepClock(c, 500 + NO_FACE_PAUSE_MS, { hidden: false, lastFaceMs: 500 }, 10_000, 14);
  assertEquals(c.pause, "no_face");
  const frozen = c.elapsedMs;
  c = stepClock(c, 9000, { hidden: false, lastFaceMs: 500 }, 10_000, 14);
  assertEquals([c.pause, c.elapsedMs], ["no_face", frozen]);
  c = stepClock(c, 9100, { hidden: false, lastFaceMs: 9050 }, 10_000, 14);
  assertEquals(c.pause, null);
  c = stepClock(c, 9200, { hidden: false, lastFaceMs: 9150 }, 10_000, 14);
  assertEquals(c.elapsedMs, frozen + 100);
});

Deno.test("clock: a hidden tab pauses; coming back restarts the no-face timer", () => {
  let c = startClock(0);
  c = stepClock(c, 1000, { hidden: true, lastFaceMs: 0 }, 10_000, 14);
  assertEquals(c.pause, "hidden");
  c = stepClock(c, 60_000, { hidden: true, lastFaceMs: 0 }, 10_000, 14);
  assertEquals([c.pause, c.elapsedMs], ["hidden", 0]);
  c = stepClock(c, 60_100, { hidden: false, lastFaceMs: 0 }, 10_000, 14);
  assertEquals(c.pause, null);
  c = stepClock(c, 62_000, { hidden: false, lastFaceMs: 0 }, 10_000, 14);
  assertEquals([c.pause, c.elapsedMs], [null, 1900]);
  c = stepClock(c, 60_100 + NO_FACE_PAUSE_MS, { hidden: false, lastFaceMs: 0 }, 10_000, 14);
  assertEquals(c.pause, "no_face");
});
