/**
 * Demo screenings (`deno task seed`): `klien1` has two stored screenings made through the real store
 * (consent, then `createScreening` with the clock set back): an insecure-anxious one 20 days ago (its PDF
 * to be paid) and a secure one 3 days ago (its PDF free). The counts are built from the current
 * stimulus set and mapping table, so each picture's dominant emotion votes the intended style where the
 * table allows it. Idempotent: skipped when `klien1` already has screenings. Needs the accounts seed.
 */
import { getUserByEmail } from "@/lib/auth/users.ts";
import { type AttachmentStyle, type Emotion, EMOTIONS } from "@/lib/screening/model.ts";
import { activeStimuli, getActiveStimulusSet, getMappingTable } from "@/lib/screening/stimuli.ts";
import { CONSENT_TEXT_VERSION, recordConsent } from "@/lib/screening/consent.ts";
import { createScreening, listScreenings, type ScreeningInput } from "@/lib/screening/store.ts";

const DAY = 24 * 3600_000;

/** Seeds `klien1`'s screenings (see the module comment); returns printable lines. */
export async function seedScreenings(nowMs = Date.now()): Promise<string[]> {
  const client = await getUserByEmail("klien1@demo.test");
  if (!client) return [];
  if ((await listScreenings(client, { limit: 1 })).items.length) return ["screenings: klien1 has some already"];
  const set = await getActiveStimulusSet();
  const table = (await getMappingTable())!;
  const body = (style: AttachmentStyle, seed: number): ScreeningInput => ({
    stimulusSetVersion: set.version,
    mappingVersion: table.version,
    modelVersion: "human-3.3/emotion-1",
    backend: "wasm",
    stimuli: activeStimuli(set).map((s, i) => {
      const votes = table.votes[s.theme];
      const e: Emotion = EMOTIONS.find((x) => votes[x] === style) ?? EMOTIONS.find((x) => votes[x]) ?? "neutral";
      const other: Emotion = e === "neutral" ? "happy" : "neutral";
      const frames = 140 + ((i * 7 + seed) % 20);
      const faceFrames = i === 4 ? Math.floor(frames * 0.4) : frames - ((i + seed) % 9);
      const main = Math.round(faceFrames * (0.55 + ((i * 3 + seed) % 30) / 100));
      const emotions = Object.fromEntries(EMOTIONS.map((x) => [x, 0])) as Record<Emotion, number>;
      emotions[e] = main;
      emotions[other] = faceFrames - main;
      return { stimulusId: s.id, frames, faceFrames, emotions };
    }),
  });
  const lines: string[] = [];
  for (const [style, daysAgo] of [["anxious", 20], ["secure", 3]] as const) {
    const at = nowMs - daysAgo * DAY;
    await recordConsent(client.id, CONSENT_TEXT_VERSION, at - 60_000);
    const s = await createScreening(client, body(style, daysAgo), at);
    lines.push(`screening ${s.id}: klien1, ${s.result} (${s.counts.secure}/${s.counts.anxious}/${s.counts.avoidant})`);
  }
  return lines;
}
