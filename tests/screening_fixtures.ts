/**
 * Test fixtures of stored screenings: request bodies built from the CURRENT stimulus set and mapping
 * table (so the tests hold for any admin-edited table), a consented client, and a psychologist the
 * client booked.
 */
import {
  type AttachmentStyle,
  type Emotion,
  EMOTIONS,
  type MappingTable,
  type StimulusSet,
} from "@/lib/screening/model.ts";
import { activeStimuli, getActiveStimulusSet, getMappingTable } from "@/lib/screening/stimuli.ts";
import { CONSENT_TEXT_VERSION, recordConsent } from "@/lib/screening/consent.ts";
import type { ScreeningInput } from "@/lib/screening/store.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { makeUser, type TestUser } from "./helpers.ts";
import { makeChatBooking } from "./chat_fixtures.ts";

/** Counts with every emotion 0 except `e` = n. */
export function only(e: Emotion, n: number): Record<Emotion, number> {
  return Object.fromEntries(EMOTIONS.map((x) => [x, x === e ? n : 0])) as Record<Emotion, number>;
}

/** An emotion whose vote for `theme` is `style` in `table`, or null when the table has none. */
export function emotionVoting(table: MappingTable, theme: keyof MappingTable["votes"], style: AttachmentStyle | null) {
  return EMOTIONS.find((e) => table.votes[theme][e] === style) ?? null;
}

/**
 * A valid body for `set`/`table` where each picture's dominant emotion votes `style` when the table
 * allows it (otherwise the first emotion with any vote). `expected` are the counts the server must find.
 */
export function bodyVoting(
  set: StimulusSet,
  table: MappingTable,
  style: AttachmentStyle,
  opts: { frames?: number; backend?: ScreeningInput["backend"] } = {},
): { body: ScreeningInput; expected: Record<AttachmentStyle, number> } {
  const frames = Math.max(30, opts.frames ?? 100);
  const expected = { secure: 0, anxious: 0, avoidant: 0 };
  const faceFrames = frames - 10;
  const stimuli = activeStimuli(set).map((s) => {
    const e = emotionVoting(table, s.theme, style) ??
      EMOTIONS.find((x) => table.votes[s.theme][x] !== null) ?? "neutral";
    const v = table.votes[s.theme][e];
    if (v) expected[v]++;
    // The dominant emotion gets all face frames but 20, which go to another one.
    const other = EMOTIONS.find((x) => x !== e)!;
    return { stimulusId: s.id, frames, faceFrames, emotions: { ...only(e, faceFrames - 20), [other]: 20 } };
  });
  return {
    body: {
      stimulusSetVersion: set.version,
      mappingVersion: table.version,
      modelVersion: "human-3.3/emotion-1",
      backend: opts.backend ?? "wasm",
      stimuli,
    },
    expected,
  };
}

/** The current set and table. */
export async function current(): Promise<{ set: StimulusSet; table: MappingTable }> {
  return { set: await getActiveStimulusSet(), table: (await getMappingTable())! };
}

/** A client who consented just now, with a bearer token. */
export async function consentedClient(nowMs = Date.now()): Promise<TestUser & { token: string }> {
  const u = await makeUser("client");
  await recordConsent(u.id, CONSENT_TEXT_VERSION, nowMs);
  return { ...u, token: (await createSession(u.id, "bearer")).token };
}

/** A psychologist `client` booked (a completed session), with a bearer token. */
export async function bookedPsychologist(client: TestUser): Promise<TestUser & { token: string }> {
  const psy = await makeUser("psychologist");
  await makeChatBooking(client, psy, { status: "completed", startOffsetMin: -120 });
  return { ...psy, token: (await createSession(psy.id, "bearer")).token };
}

/** A user of `role` with a bearer token. */
export async function withToken(role: Parameters<typeof makeUser>[0]): Promise<TestUser & { token: string }> {
  const u = await makeUser(role);
  return { ...u, token: (await createSession(u.id, "bearer")).token };
}
