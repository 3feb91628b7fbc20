/**
 * Test fixtures of the psychologists capability, for every module that needs a
 * bookable psychologist (availability, booking, payments):
 *
 * ```ts
 * const psy = await makePsychologist();                 // verified, active, 2 services
 * psy.profile.services[0].id;                           // chat 30 min, Rp150.000
 * const { cookie } = await signIn(handler, psy.email!, psy.password);
 * ```
 */
import { makeUser, type TestUser } from "./helpers.ts";
import type { ProfileInput, Psychologist, Verification } from "@/lib/psychologists/model.ts";
import { createPsychologistProfile } from "@/lib/psychologists/store.ts";

/** A psychologist account with its profile. */
export type TestPsychologist = TestUser & { profile: Psychologist };

/** Profile fields used when a test gives none: chat 30 min Rp150.000 and video 50 min Rp300.000. */
export function profileInput(name: string, overrides: Partial<ProfileInput> = {}): ProfileInput {
  return {
    name,
    title: "M.Psi., Psikolog",
    specialisations: ["anxiety", "stress"],
    education: ["Magister Psikologi Profesi Klinis, Universitas Indonesia"],
    licenceNumber: "SIPP 0117-18-2-1",
    practicePlace: "RuangPulih, Jakarta",
    yearsOfExperience: 5,
    languages: ["id", "en"],
    bio: "Psikolog klinis dewasa.",
    services: [
      { type: "chat", durationMinutes: 30, priceIdr: 150_000 },
      { type: "video", durationMinutes: 50, priceIdr: 300_000 },
    ],
    ...overrides,
  };
}

/**
 * Creates an active psychologist account (known password, see `makeUser`) and a
 * profile, `verified` unless `opts.verification` says otherwise.
 */
export async function makePsychologist(
  overrides: Partial<ProfileInput> = {},
  opts: { verification?: Verification; photoFileId?: string | null } = {},
): Promise<TestPsychologist> {
  const user = await makeUser("psychologist");
  const profile = await createPsychologistProfile(user.id, profileInput(user.name, overrides), {
    verification: opts.verification ?? "verified",
    photoFileId: opts.photoFileId ?? null,
  });
  return { ...user, profile };
}
