/**
 * Shared vocabulary of the emotion screening (docs/domain-rules.md "Emotion screening"):
 * the seven basic emotions the browser classifier reports, the fourteen picture themes (modelled on the
 * scene types of George & West's Adult Attachment Projective Picture System) and the three
 * attachment-style votes. Stimulus storage is in `./stimuli.ts`, result computation in `./result.ts`,
 * stored screenings in `./store.ts`.
 */
import { z } from "zod";
import { EMOTIONS, STYLES, THEMES } from "./vocab.ts";

export { EMOTIONS, STYLES, THEMES };

export const emotionSchema = /* @__PURE__ */ z.enum(EMOTIONS, "field.invalid_choice");
export type Emotion = z.infer<typeof emotionSchema>;

export const themeSchema = /* @__PURE__ */ z.enum(THEMES, "field.invalid_choice");
export type Theme = z.infer<typeof themeSchema>;

export const styleSchema = /* @__PURE__ */ z.enum(STYLES, "field.invalid_choice");
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
