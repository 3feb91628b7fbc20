/**
 * Shared vocabulary of the emotion screening (PRODUCT.md §6, docs/domain-rules.md "Emotion screening"):
 * the seven basic emotions the browser classifier reports, the fourteen picture themes (modelled on the
 * scene types of George & West's Adult Attachment Projective Picture System) and the three
 * attachment-style votes. Stimulus storage is in `./stimuli.ts`, result computation in `./result.ts`,
 * stored screenings in `./store.ts`.
 */
import { z } from "zod";

/**
 * The emotion classes, in the API's names. The classifier (FER2013 classes) says angry, disgust, fear,
 * happy, sad, surprise, neutral; the engine renames disgust → disgusted, fear → fearful,
 * surprise → surprised, angry → angry.
 */
export const EMOTIONS = ["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"] as const;
export const emotionSchema = z.enum(EMOTIONS, "field.invalid_choice");
export type Emotion = z.infer<typeof emotionSchema>;

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
export const themeSchema = z.enum(THEMES, "field.invalid_choice");
export type Theme = z.infer<typeof themeSchema>;

/** Attachment-style votes and results: secure, insecure-anxious, insecure-avoidant. */
export const STYLES = ["secure", "anxious", "avoidant"] as const;
export const styleSchema = z.enum(STYLES, "field.invalid_choice");
export type AttachmentStyle = z.infer<typeof styleSchema>;

/**
 * A mapping table: for each theme and dominant emotion, the style it votes for, or `null` for no vote.
 * Versioned: every saved table gets the next version number and stored screenings quote theirs.
 */
export interface MappingTable {
  version: number;
  votes: Record<Theme, Record<Emotion, AttachmentStyle | null>>;
  createdAt: string;
  createdBy: string;
}

/** One stimulus picture of a set. `imageUrl` is served by the app (a shipped SVG or a file-store id). */
export interface Stimulus {
  id: string;
  theme: Theme;
  /** 1-based position in the run. */
  order: number;
  active: boolean;
  caption: { id: string; en: string };
  imageUrl: string;
}

/** A version of the stimulus set; `items` holds every stimulus, `active` ones are shown in `order`. */
export interface StimulusSet {
  version: number;
  items: Stimulus[];
  createdAt: string;
  createdBy: string;
}
