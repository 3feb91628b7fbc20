/**
 * Pure rules of the on-device screening run (docs/screening-engine.md), used by the
 * run island (islands/ScreeningRun.tsx) and unit-tested in `run_test.ts`. No DOM, no server imports.
 *
 * - Per frame the engine reports "face found?" and seven probabilities. Per picture we keep: frames,
 *   frames with a face, for each emotion the count of face frames whose top emotion it was, and the sum of
 *   its probability (→ the mean). The counts per emotion sum to the face frames — exactly what
 *   `POST /api/screenings` expects. Ties for a frame's top emotion go to the first in EMOTIONS order.
 * - Timing: each picture shows for `seconds`; the clock stops while the tab is hidden, and after
 *   {@link NO_FACE_PAUSE_MS} without a face the run pauses until a face is seen again. Frames analysed
 *   while paused count for no picture.
 *
 * @module
 */
import type { Emotion } from "./model.ts";
import { EMOTIONS } from "./vocab.ts";
import { hasEnoughFace } from "./result.ts";

/** A run pauses after this long without a face (docs/screening-engine.md "The run": 3 s). */
export const NO_FACE_PAUSE_MS = 3_000;

/** Running totals of one picture. */
export interface PictureTally {
  stimulusId: string;
  /** Frames analysed while this picture was shown (not paused). */
  frames: number;
  /** Of those, frames with a face. */
  faceFrames: number;
  /** Per emotion: face frames whose top emotion it was (sums to `faceFrames`). */
  emotions: Record<Emotion, number>;
  /** Per emotion: sum of its probability over the face frames (÷ faceFrames = mean). */
  probSums: Record<Emotion, number>;
}

/** A picture's summary, as shown on screen and (counts only) submitted. */
export interface PictureSummary {
  stimulusId: string;
  frames: number;
  faceFrames: number;
  emotions: Record<Emotion, number>;
  /** Mean probability per emotion over the face frames (0 when none). */
  meanProbs: Record<Emotion, number>;
  /** The emotion with the most face frames (ties: EMOTIONS order), null without face frames. */
  dominant: Emotion | null;
  /** dominant's count ÷ faceFrames (0–1), 0 without face frames. */
  share: number;
  /** result.ts `hasEnoughFace`: faceFrames ≥ 50 % of frames and frames > 0. */
  enoughFace: boolean;
}

function zeros(): Record<Emotion, number> {
  return Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Record<Emotion, number>;
}

/** An empty tally for `stimulusId`. */
export function newTally(stimulusId: string): PictureTally {
  return { stimulusId, frames: 0, faceFrames: 0, emotions: zeros(), probSums: zeros() };
}

/** The top emotion of `probs` (ties → first in EMOTIONS order). */
export function topEmotion(probs: Record<Emotion, number>): Emotion {
  let best: Emotion = EMOTIONS[0];
  for (const e of EMOTIONS) if ((probs[e] ?? 0) > (probs[best] ?? 0)) best = e;
  return best;
}

/**
 * Adds one analysed frame to `tally` (mutates and returns it).
 * @param frame `face`: a face was found; `probs`: its seven probabilities (ignored without a face).
 */
export function addFrame(
  tally: PictureTally,
  frame: { face: boolean; probs: Record<Emotion, number> | null },
): PictureTally {
  tally.frames++;
  if (frame.face && frame.probs) {
    tally.faceFrames++;
    tally.emotions[topEmotion(frame.probs)]++;
    for (const e of EMOTIONS) tally.probSums[e] += frame.probs[e] ?? 0;
  }
  return tally;
}

/** The summary of a tally (see {@link PictureSummary}). */
export function summarize(t: PictureTally): PictureSummary {
  const meanProbs = zeros();
  let dominant: Emotion | null = null;
  if (t.faceFrames > 0) {
    for (const e of EMOTIONS) meanProbs[e] = t.probSums[e] / t.faceFrames;
    dominant = EMOTIONS[0];
    for (const e of EMOTIONS) if (t.emotions[e] > t.emotions[dominant]) dominant = e;
  }
  return {
    stimulusId: t.stimulusId,
    frames: t.frames,
    faceFrames: t.faceFrames,
    emotions: { ...t.emotions },
    meanProbs,
    dominant,
    share: dominant ? t.emotions[dominant] / t.faceFrames : 0,
    enoughFace: hasEnoughFace(t.frames, t.faceFrames),
  };
}

/** The `stimuli` array of `POST /api/screenings`: integer counts only, nothing else. */
export function toSubmission(
  tallies: PictureTally[],
): { stimulusId: string; frames: number; faceFrames: number; emotions: Record<Emotion, number> }[] {
  return tallies.map((t) => ({
    stimulusId: t.stimulusId,
    frames: t.frames,
    faceFrames: t.faceFrames,
    emotions: { ...t.emotions },
  }));
}

/** Why the run is paused. */
export type PauseReason = "no_face" | "hidden";

/** The run's clock. */
export interface RunClock {
  /** Index of the picture on screen (0-based); equals `count` when finished. */
  index: number;
  /** Milliseconds the current picture has been shown (pauses excluded). */
  elapsedMs: number;
  /** Time of the last {@link stepClock} (ms, any monotonic clock). */
  lastMs: number;
  /** Time of the last frame with a face, or of the (re)start, whichever is later. */
  lastFaceMs: number;
  /** Why the clock is stopped, or null when running. */
  pause: PauseReason | null;
  finished: boolean;
}

/** A clock starting now. */
export function startClock(nowMs: number): RunClock {
  return { index: 0, elapsedMs: 0, lastMs: nowMs, lastFaceMs: nowMs, pause: null, finished: false };
}

/**
 * Advances the clock to `nowMs`.
 * @param input `hidden`: the tab is hidden; `lastFaceMs`: time of the newest frame with a face (or -Infinity).
 * @param pictureMs how long each picture shows; `count` pictures in all.
 * @returns a new clock (the old one is not changed). While hidden nothing advances; on return the
 *   no-face timer restarts. While paused for no face, the first face frame newer than the pause resumes it.
 *   A picture that ends hands the remaining time of the step to the next picture.
 */
export function stepClock(
  c: RunClock,
  nowMs: number,
  input: { hidden: boolean; lastFaceMs: number },
  pictureMs: number,
  count: number,
): RunClock {
  const n = { ...c, lastMs: nowMs, lastFaceMs: Math.max(c.lastFaceMs, input.lastFaceMs) };
  if (n.finished) return n;
  const dt = Math.max(0, nowMs - c.lastMs);
  if (input.hidden) {
    n.pause = "hidden";
    return n;
  }
  if (c.pause === "hidden") {
    n.pause = null;
    n.lastFaceMs = nowMs; // a fresh 3 s after coming back
    return n;
  }
  if (c.pause === "no_face") {
    if (input.lastFaceMs > c.lastFaceMs) n.pause = null;
    return n;
  }
  if (nowMs - n.lastFaceMs >= NO_FACE_PAUSE_MS) {
    n.pause = "no_face";
    return n;
  }
  n.elapsedMs += dt;
  while (n.elapsedMs >= pictureMs && !n.finished) {
    n.elapsedMs -= pictureMs;
    n.index++;
    if (n.index >= count) {
      n.finished = true;
      n.elapsedMs = 0;
    }
  }
  return n;
}

/** Overall progress 0–1 of a clock. */
export function overallProgress(c: RunClock, pictureMs: number, count: number): number {
  if (c.finished || count <= 0) return 1;
  return Math.min(1, (c.index * pictureMs + c.elapsedMs) / (count * pictureMs));
}
