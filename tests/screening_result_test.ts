/**
 * The pure screening result (lib/screening/result.ts): the "not enough face" rule, the dominant emotion
 * and its tie, the mapping lookup and the style tie rule, on a synthetic set and table; and properties
 * over random counts (fast-check via tests/fuzz.ts).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import {
  computeResult,
  dominantEmotion,
  hasEnoughFace,
  MAX_NOT_ENOUGH_FACE,
  type StimulusInput,
} from "@/lib/screening/result.ts";
import {
  type AttachmentStyle,
  type Emotion,
  EMOTIONS,
  type MappingTable,
  type StimulusSet,
  STYLES,
  THEMES,
} from "@/lib/screening/model.ts";
import { only } from "./screening_fixtures.ts";

const SET: StimulusSet = {
  version: 3,
  createdAt: "2026-12-01T00:00:00.000Z",
  createdBy: "test",
  items: THEMES.map((theme, i) => ({
    id: `s-${theme}`,
    theme,
    order: i + 1,
    active: true,
    caption: { id: theme, en: theme },
    imageUrl: `/stimuli/${theme}.svg`,
  })),
};

/** happy → secure, sad/fearful → anxious, angry/disgusted → avoidant, neutral/surprised → no vote. */
const VOTES: Record<Emotion, AttachmentStyle | null> = {
  neutral: null,
  happy: "secure",
  sad: "anxious",
  angry: "avoidant",
  fearful: "anxious",
  disgusted: "avoidant",
  surprised: null,
};
const TABLE: MappingTable = {
  version: 2,
  createdAt: SET.createdAt,
  createdBy: "test",
  votes: Object.fromEntries(THEMES.map((t) => [t, { ...VOTES }])) as MappingTable["votes"],
};

/** One picture per theme; `pick(i)` gives its dominant emotion and face frames (of 100 frames). */
function run(pick: (i: number) => { e: Emotion; face?: number; n?: number }): StimulusInput[] {
  return THEMES.map((theme, i) => {
    const { e, face = 80, n } = pick(i);
    return { stimulusId: `s-${theme}`, frames: 100, faceFrames: face, emotions: only(e, n ?? face) };
  });
}

Deno.test("result: every picture happy → secure 14-0-0", () => {
  const r = computeResult(run(() => ({ e: "happy" })), SET, TABLE);
  assert.equal(r.result, "secure");
  assert.deepEqual(r.counts, { secure: 14, anxious: 0, avoidant: 0 });
  assert.equal(r.notEnoughFace, 0);
  assert.equal(r.perStimulus.length, 14);
  assert.deepEqual(r.perStimulus[0], {
    stimulusId: "s-neutral_play",
    theme: "neutral_play",
    frames: 100,
    faceFrames: 80,
    dominant: "happy",
    share: 1,
    enoughFace: true,
    vote: "secure",
  });
});

Deno.test("result: majority wins with the counts of each", () => {
  const r = computeResult(run((i) => ({ e: i < 7 ? "sad" : i < 11 ? "angry" : "happy" })), SET, TABLE);
  assert.deepEqual(r.counts, { secure: 3, anxious: 7, avoidant: 4 });
  assert.equal(r.result, "anxious");
});

Deno.test("not enough face: < 50 % of frames; more than 3 such pictures → no result", () => {
  assert.equal(hasEnoughFace(100, 50), true, "exactly half is enough");
  assert.equal(hasEnoughFace(100, 49), false);
  assert.equal(hasEnoughFace(0, 0), false, "no frame at all is not enough");
  const three = computeResult(run((i) => ({ e: "happy", face: i < 3 ? 40 : 80 })), SET, TABLE);
  assert.equal(three.notEnoughFace, 3);
  assert.equal(three.result, "secure", "three are tolerated");
  assert.deepEqual(three.counts, { secure: 11, anxious: 0, avoidant: 0 }, "pictures without enough face do not vote");
  assert.equal(three.perStimulus[0].enoughFace, false);
  assert.equal(three.perStimulus[0].vote, null);
  assert.equal(three.perStimulus[0].dominant, "happy", "the dominant emotion is still reported");
  const four = computeResult(run((i) => ({ e: "happy", face: i < MAX_NOT_ENOUGH_FACE + 1 ? 10 : 80 })), SET, TABLE);
  assert.equal(four.notEnoughFace, 4);
  assert.equal(four.result, null, "more than 3 → repeat instead of a result");
});

Deno.test("dominant emotion: most frames; a tie goes to the emotion listed first; none without face frames", () => {
  assert.deepEqual(dominantEmotion({ ...only("sad", 30), happy: 30 }, 60), { dominant: "happy", share: 0.5 });
  assert.deepEqual(dominantEmotion({ ...only("neutral", 10), surprised: 10 }, 20), { dominant: "neutral", share: 0.5 });
  assert.deepEqual(dominantEmotion({ ...only("angry", 5), fearful: 6 }, 11), { dominant: "fearful", share: 6 / 11 });
  assert.deepEqual(dominantEmotion(only("happy", 0), 0), { dominant: null, share: 0 });
});

Deno.test("mapping: a null vote counts for nobody; no vote at all → no result", () => {
  const r = computeResult(run(() => ({ e: "neutral" })), SET, TABLE);
  assert.deepEqual(r.counts, { secure: 0, anxious: 0, avoidant: 0 });
  assert.equal(r.result, null);
  // The theme decides: a table where only the grave picture's sadness votes.
  const votes = structuredClone(TABLE.votes);
  for (const t of THEMES) votes[t].sad = t === "grave" ? "secure" : null;
  const r2 = computeResult(run(() => ({ e: "sad" })), SET, { ...TABLE, votes });
  assert.deepEqual(r2.counts, { secure: 1, anxious: 0, avoidant: 0 });
  assert.equal(r2.result, "secure");
});

Deno.test("tie rule: the larger sum of dominant shares, then anxious > avoidant > secure", () => {
  // 5 anxious (share 1), 5 avoidant (share 0.6), 4 secure: anxious and avoidant tie, shares decide.
  const byShare = computeResult(
    run((i) => {
      if (i < 5) return { e: "sad" };
      if (i < 10) return { e: "angry", n: 48, face: 80 }; // + 32 frames elsewhere below
      return { e: "happy" };
    }).map((s, i) => (i >= 5 && i < 10 ? { ...s, emotions: { ...s.emotions, surprised: 32 } } : s)),
    SET,
    TABLE,
  );
  assert.deepEqual(byShare.counts, { secure: 4, anxious: 5, avoidant: 5 });
  assert.equal(byShare.perStimulus[5].share, 0.6);
  assert.equal(byShare.result, "anxious");
  // The same with the shares the other way round: avoidant.
  const flipped = computeResult(
    run((i) => {
      if (i < 5) return { e: "sad", n: 48, face: 80 };
      if (i < 10) return { e: "angry" };
      return { e: "happy" };
    }).map((s, i) => (i < 5 ? { ...s, emotions: { ...s.emotions, surprised: 32 } } : s)),
    SET,
    TABLE,
  );
  assert.equal(flipped.result, "avoidant");
  // Equal shares: the fixed order. 7 secure, 7 avoidant → avoidant; 7 secure, 7 anxious → anxious.
  const order1 = computeResult(run((i) => ({ e: i < 7 ? "happy" : "angry" })), SET, TABLE);
  assert.deepEqual(order1.counts, { secure: 7, anxious: 0, avoidant: 7 });
  assert.equal(order1.result, "avoidant");
  const order2 = computeResult(run((i) => ({ e: i < 7 ? "angry" : "sad" })), SET, TABLE);
  assert.equal(order2.result, "anxious");
});

Deno.test("result: stimuli not in the set are skipped", () => {
  const input = run(() => ({ e: "happy" }));
  input.push({ stimulusId: "unknown", frames: 10, faceFrames: 10, emotions: only("sad", 10) });
  const r = computeResult(input, SET, TABLE);
  assert.equal(r.perStimulus.length, 14);
  assert.deepEqual(r.counts, { secure: 14, anxious: 0, avoidant: 0 });
});

Deno.test("result properties: counts = votes cast, the result has the most votes, order does not matter", (t) => {
  const picture = fc.record({
    frames: fc.integer({ min: 0, max: 600 }),
    faceShare: fc.double({ min: 0, max: 1, noNaN: true }),
    weights: fc.array(fc.nat({ max: 50 }), { minLength: 7, maxLength: 7 }),
  });
  fuzz(
    t,
    fc.property(fc.array(picture, { minLength: 14, maxLength: 14 }), fc.nat(), (pics, rot) => {
      const input: StimulusInput[] = pics.map((p, i) => {
        const faceFrames = Math.floor(p.frames * p.faceShare);
        const total = p.weights.reduce((a, b) => a + b, 0) || 1;
        const emotions = only("neutral", 0);
        let left = faceFrames;
        EMOTIONS.forEach((e, k) => {
          const n = k === 6 ? left : Math.min(left, Math.floor((faceFrames * p.weights[k]) / total));
          emotions[e] = n;
          left -= n;
        });
        return { stimulusId: `s-${THEMES[i]}`, frames: p.frames, faceFrames, emotions };
      });
      const r = computeResult(input, SET, TABLE);
      const votes = r.perStimulus.filter((o) => o.vote).length;
      assert.equal(r.counts.secure + r.counts.anxious + r.counts.avoidant, votes);
      assert.equal(r.notEnoughFace, r.perStimulus.filter((o) => !o.enoughFace).length);
      for (const o of r.perStimulus) {
        assert.ok(o.share >= 0 && o.share <= 1);
        if (!o.enoughFace) assert.equal(o.vote, null);
      }
      if (r.notEnoughFace > MAX_NOT_ENOUGH_FACE || votes === 0) assert.equal(r.result, null);
      else {
        assert.ok(r.result);
        assert.equal(r.counts[r.result], Math.max(...STYLES.map((s) => r.counts[s])));
      }
      const k = rot % 14;
      const rotated = computeResult([...input.slice(k), ...input.slice(0, k)], SET, TABLE);
      assert.equal(rotated.result, r.result, "the picture order does not change the result");
      assert.deepEqual(rotated.counts, r.counts);
    }),
    { numRuns: 300 },
  );
});
