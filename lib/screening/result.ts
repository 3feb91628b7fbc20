/**
 * The screening result: one pure function from the per-picture emotion counts the browser measured to
 * the attachment-style votes, their counts and the final style (docs/domain-rules.md
 * "Emotion screening"). The run island uses it to decide on the repeat offer and the server recomputes
 * every stored result with it, never trusting a result sent by a client.
 *
 * Browser-safe: no server-only imports (no KV, no config, no crypto).
 *
 * Rules:
 * - A picture has "enough face" when a face was found in at least {@link MIN_FACE_SHARE} (50 %) of its
 *   frames (and it had at least one frame). Pictures without enough face cast no vote.
 * - The dominant emotion of a picture is the emotion with the most face frames; a tie goes to the
 *   emotion listed first in `EMOTIONS` (neutral, happy, sad, angry, fearful, disgusted, surprised), so a
 *   tie with neutral reads as neutral. `share` = its frames ÷ face frames (0..1).
 * - Its vote is `table.votes[theme][dominant]` (null = no vote).
 * - More than {@link MAX_NOT_ENOUGH_FACE} (3) pictures without enough face → no result (`result: null`,
 *   the run is offered again); no vote at all → no result either.
 * - Otherwise the style with the most votes wins. Tie rule: among the tied styles, the one whose votes
 *   have the larger sum of dominant shares (the more clearly expressed reactions); if that is equal too,
 *   the fixed order anxious, avoidant, secure — a screening aid errs towards suggesting a conversation
 *   with a psychologist rather than away from it.
 */
import {
  type AttachmentStyle,
  type Emotion,
  EMOTIONS,
  type MappingTable,
  type StimulusSet,
  STYLES,
  type Theme,
} from "./model.ts";

/** Smallest share of a picture's frames with a face for that picture to count (0.5 = 50 %). */
export const MIN_FACE_SHARE = 0.5;

/** Most pictures without enough face that still give a result; one more → repeat instead. */
export const MAX_NOT_ENOUGH_FACE = 3;

/** Tie order of styles after the share sum (see the module comment). */
export const STYLE_TIE_ORDER: readonly AttachmentStyle[] = ["anxious", "avoidant", "secure"];

/**
 * What the browser measured for one picture: `frames` analysed, `faceFrames` of them with a face, and
 * per emotion the number of face frames whose most probable emotion was that one (the counts sum to
 * `faceFrames`; the server validates that before calling {@link computeResult}).
 */
export interface StimulusInput {
  stimulusId: string;
  frames: number;
  faceFrames: number;
  emotions: Record<Emotion, number>;
}

/** The outcome for one picture. `share` is 0..1 (0 when there is no dominant emotion). */
export interface StimulusOutcome {
  stimulusId: string;
  theme: Theme;
  frames: number;
  faceFrames: number;
  dominant: Emotion | null;
  share: number;
  enoughFace: boolean;
  vote: AttachmentStyle | null;
}

/** Vote counts of the three styles. */
export type StyleCounts = Record<AttachmentStyle, number>;

/** What {@link computeResult} returns. */
export interface ScreeningOutcome {
  perStimulus: StimulusOutcome[];
  counts: StyleCounts;
  /** The majority style, or null (too many pictures without enough face, or no vote at all). */
  result: AttachmentStyle | null;
  /** Pictures with a face in fewer than 50 % of their frames. */
  notEnoughFace: number;
}

/** Whether a picture had a face in enough of its frames ({@link MIN_FACE_SHARE}). */
export function hasEnoughFace(frames: number, faceFrames: number): boolean {
  return frames > 0 && faceFrames >= frames * MIN_FACE_SHARE;
}

/**
 * The dominant emotion of one picture's counts and its share of the face frames; ties go to the
 * emotion earlier in `EMOTIONS`. `{dominant: null, share: 0}` when no face frame was counted.
 */
export function dominantEmotion(
  emotions: Record<Emotion, number>,
  faceFrames: number,
): { dominant: Emotion | null; share: number } {
  let best: Emotion | null = null;
  let bestCount = 0;
  for (const e of EMOTIONS) {
    const n = emotions[e] ?? 0;
    if (n > bestCount) {
      best = e;
      bestCount = n;
    }
  }
  if (best === null || faceFrames <= 0) return { dominant: null, share: 0 };
  return { dominant: best, share: Math.min(1, bestCount / faceFrames) };
}

/**
 * Computes the per-picture outcomes, the vote counts and the final style (rules in the module comment).
 * Pure and deterministic.
 * @param stimuli the measured pictures, in run order; an id that is not in `set` is skipped (the server
 *   refuses such a submission before it gets here)
 * @param set the stimulus set the run showed (gives each picture's theme)
 * @param table the mapping table `(theme, dominant emotion) → vote`
 */
export function computeResult(stimuli: StimulusInput[], set: StimulusSet, table: MappingTable): ScreeningOutcome {
  const themeOf = new Map(set.items.map((s) => [s.id, s.theme] as const));
  const counts: StyleCounts = { secure: 0, anxious: 0, avoidant: 0 };
  const shareSum: StyleCounts = { secure: 0, anxious: 0, avoidant: 0 };
  const perStimulus: StimulusOutcome[] = [];
  let notEnoughFace = 0;
  for (const s of stimuli) {
    const theme = themeOf.get(s.stimulusId);
    if (!theme) continue;
    const enoughFace = hasEnoughFace(s.frames, s.faceFrames);
    const { dominant, share } = dominantEmotion(s.emotions, s.faceFrames);
    const vote = enoughFace && dominant ? table.votes[theme]?.[dominant] ?? null : null;
    if (!enoughFace) notEnoughFace++;
    if (vote) {
      counts[vote]++;
      shareSum[vote] += share;
    }
    perStimulus.push({
      stimulusId: s.stimulusId,
      theme,
      frames: s.frames,
      faceFrames: s.faceFrames,
      dominant,
      share,
      enoughFace,
      vote,
    });
  }
  return { perStimulus, counts, result: majority(counts, shareSum, notEnoughFace), notEnoughFace };
}

/** The majority style with the tie rule, or null (see the module comment). */
function majority(counts: StyleCounts, shareSum: StyleCounts, notEnoughFace: number): AttachmentStyle | null {
  if (notEnoughFace > MAX_NOT_ENOUGH_FACE) return null;
  const top = Math.max(...STYLES.map((s) => counts[s]));
  if (top === 0) return null;
  const tied = STYLE_TIE_ORDER.filter((s) => counts[s] === top);
  // Compare share sums with a small tolerance, so float rounding never decides a tie.
  const bestShare = Math.max(...tied.map((s) => shareSum[s]));
  return tied.find((s) => shareSum[s] >= bestShare - 1e-9) ?? null;
}
