/**
 * The screening's word lists as plain constants, without zod, so that browser code (the run island,
 * the engine) can import them without bundling zod (≈ 450 KB). `./model.ts` re-exports them with their
 * zod schemas; server code keeps importing from there.
 *
 * @module
 */

/**
 * The emotion classes, in the API's names. The classifier (FER2013 classes) says angry, disgust, fear,
 * happy, sad, surprise, neutral; the engine renames disgust → disgusted, fear → fearful,
 * surprise → surprised, angry → angry.
 */
export const EMOTIONS = ["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"] as const;

/**
 * The fourteen picture themes (one stimulus each in the shipped set). Keys are stable: stored
 * screenings and mapping tables refer to them.
 */
export const THEMES = [
  "neutral_play", // children playing: the warm-up picture
  "child_window", // a child looking out of a window
  "departure", // someone leaving with a suitcase
  "bench_alone", // a person alone on a bench
  "bedtime", // a child in bed, a parent at the door
  "ambulance", // an ambulance outside a house
  "grave", // a person standing at a grave
  "child_corner", // a child huddled in a corner
  "reunion", // people meeting again at a station
  "comfort_hug", // one person comforting another
  "family_meal", // a family at the table
  "exclusion", // a group turning away from one person
  "argument", // two people arguing
  "achievement_shared", // someone showing a prize to someone who cheers
] as const;

/** Attachment-style votes and results: secure, insecure-anxious, insecure-avoidant. */
export const STYLES = ["secure", "anxious", "avoidant"] as const;

/** One of {@link EMOTIONS} (same type as model.ts `Emotion`). */
export type EmotionName = typeof EMOTIONS[number];
