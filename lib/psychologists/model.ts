/**
 * The psychologist profile and its services: the shapes every counselling
 * module shares (directory, availability, booking, payments). Rules in
 * docs/domain-rules.md "Counselling".
 */
import { z } from "@/lib/validation.ts";

/** Specialisation categories shown as directory filters (i18n `psy.category.<id>`). */
export const CATEGORIES = [
  "anxiety",
  "depression",
  "stress",
  "relationships",
  "family",
  "career",
  "trauma",
  "self_esteem",
  "addiction",
] as const;
export const categorySchema = z.enum(CATEGORIES, "field.invalid_choice");
export type Category = z.infer<typeof categorySchema>;

/** How a session takes place. */
export const SERVICE_TYPES = ["chat", "video", "in_person"] as const;
export const serviceTypeSchema = z.enum(SERVICE_TYPES, "field.invalid_choice");
export type ServiceType = z.infer<typeof serviceTypeSchema>;

/**
 * Bounds of a service. Durations are whole multiples of `CELL_MINUTES`
 * (lib/booking/cells.ts) so a booking covers whole time cells; prices are whole
 * rupiah (Midtrans takes integer IDR amounts, docs.midtrans.com "Transaction details").
 */
export const SERVICE_LIMITS = {
  minDurationMinutes: 15,
  maxDurationMinutes: 240,
  durationStepMinutes: 5,
  minPriceIdr: 10_000,
  maxPriceIdr: 50_000_000,
  maxServices: 6,
} as const;

/** A bookable service of a psychologist: `{id, type, durationMinutes, priceIdr}`. */
export const serviceSchema = z.object({
  id: z.string().min(1).max(40),
  type: serviceTypeSchema,
  durationMinutes: z.number().int()
    .min(SERVICE_LIMITS.minDurationMinutes, "psy.error.duration")
    .max(SERVICE_LIMITS.maxDurationMinutes, "psy.error.duration")
    .refine((n) => n % SERVICE_LIMITS.durationStepMinutes === 0, "psy.error.duration"),
  priceIdr: z.number().int()
    .min(SERVICE_LIMITS.minPriceIdr, "psy.error.price")
    .max(SERVICE_LIMITS.maxPriceIdr, "psy.error.price"),
});
export type Service = z.infer<typeof serviceSchema>;

/** Where a psychologist stands with the admins: listed and bookable only when `verified`. */
export const verificationSchema = z.enum(["pending", "verified", "rejected"]);
export type Verification = z.infer<typeof verificationSchema>;

/**
 * A psychologist's profile, keyed by the psychologist's user id. Listed in the
 * directory and bookable only when `verification === "verified"` and `active`
 * (see {@link isBookable}). Ratings are running sums kept by the reviews module.
 */
export const psychologistSchema = z.object({
  schemaVersion: z.literal(1),
  /** The psychologist's user id (role `psychologist`). */
  id: z.string(),
  name: z.string(),
  /** Professional title, e.g. "M.Psi., Psikolog". */
  title: z.string(),
  /** File-store id of the profile photo (public image), or null. */
  photoFileId: z.string().nullable(),
  specialisations: z.array(categorySchema),
  education: z.array(z.string()),
  /** SIPP (Surat Izin Praktik Psikolog) or STR number as written on the licence. */
  licenceNumber: z.string(),
  practicePlace: z.string(),
  yearsOfExperience: z.number().int(),
  /** Languages of practice as BCP 47 primary tags, e.g. ["id", "en", "jv"]. */
  languages: z.array(z.string()),
  bio: z.string(),
  services: z.array(serviceSchema),
  verification: verificationSchema,
  verifiedAt: z.string().nullable(),
  /** False when an admin deactivated the psychologist (hidden from the directory). */
  active: z.boolean(),
  ratingSum: z.number().int(),
  ratingCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Psychologist = z.infer<typeof psychologistSchema>;

/** True when clients may find and book `p`: verified and active. */
export function isBookable(p: Pick<Psychologist, "verification" | "active">): boolean {
  return p.verification === "verified" && p.active;
}

/** Average rating (1–5, one decimal) or null without reviews. */
export function averageRating(p: Pick<Psychologist, "ratingSum" | "ratingCount">): number | null {
  return p.ratingCount > 0 ? Math.round((p.ratingSum / p.ratingCount) * 10) / 10 : null;
}

// ---------------------------------------------------------------- input

/** Bounds of the profile's text fields (characters) and lists. */
export const PROFILE_LIMITS = {
  nameMax: 100,
  titleMax: 100,
  licenceMin: 3,
  licenceMax: 60,
  practicePlaceMax: 200,
  educationItemMax: 200,
  educationMax: 6,
  bioMax: 3000,
  languagesMax: 6,
  yearsMax: 60,
} as const;

// deno-lint-ignore no-control-regex
const noControl = (s: string) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s);
const line = (max: number) =>
  z.string().trim().max(max, "field.too_long").refine((s) => noControl(s) && !/[\r\n]/.test(s), "field.invalid");

/**
 * A SIPP (Surat Izin Praktik Psikolog) or STR number as written on the licence:
 * 3–60 letters, digits, spaces and `. / -` (e.g. `SIPP 0123-18-2-1`, `503/0471/SIPP/DPMPTSP/2024`).
 */
export const licenceNumberSchema = z.string().trim()
  .min(PROFILE_LIMITS.licenceMin, "psy.error.licence")
  .max(PROFILE_LIMITS.licenceMax, "psy.error.licence")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ./-]*$/, "psy.error.licence");

/** A language of practice: a BCP 47 primary tag (2–3 lower-case letters). */
export const languageTagSchema = z.string().trim().toLowerCase().regex(/^[a-z]{2,3}$/, "psy.error.language");

/** A service as typed in the editor: without `id` it is a new service (an id is given on save). */
export const serviceInputSchema = serviceSchema.extend({
  id: z.string().regex(/^[0-9A-Za-z_-]{1,40}$/).optional(),
});
export type ServiceInput = z.infer<typeof serviceInputSchema>;

/**
 * The editable part of a profile (the editor, the admin's "create a verified
 * psychologist", the application form and the seed all parse this). Unknown keys
 * are dropped. Lists: 1–9 categories, ≤ 6 education lines, 1–6 languages, ≤ 6 services.
 */
export const profileInputSchema = z.object({
  name: line(PROFILE_LIMITS.nameMax).pipe(z.string().min(1, "field.required")),
  title: line(PROFILE_LIMITS.titleMax).default(""),
  specialisations: z.array(categorySchema).min(1, "psy.error.categories").max(CATEGORIES.length)
    .transform((a) => [...new Set(a)]),
  education: z.array(line(PROFILE_LIMITS.educationItemMax).pipe(z.string().min(1, "field.required")))
    .max(PROFILE_LIMITS.educationMax, "psy.error.too_many").default([]),
  licenceNumber: licenceNumberSchema,
  practicePlace: line(PROFILE_LIMITS.practicePlaceMax).default(""),
  yearsOfExperience: z.number("field.invalid_number").int("field.invalid_number").min(0, "field.invalid_number")
    .max(PROFILE_LIMITS.yearsMax, "field.invalid_number"),
  languages: z.array(languageTagSchema).min(1, "psy.error.languages").max(PROFILE_LIMITS.languagesMax)
    .transform((a) => [...new Set(a)]),
  bio: z.string().trim().max(PROFILE_LIMITS.bioMax, "field.too_long").refine(noControl, "field.invalid").default(""),
  services: z.array(serviceInputSchema).max(SERVICE_LIMITS.maxServices, "psy.error.too_many_services").default([]),
});
export type ProfileInput = z.input<typeof profileInputSchema>;
export type ParsedProfileInput = z.output<typeof profileInputSchema>;

// ---------------------------------------------------------------- directory card

/**
 * The compact directory entry of a listed psychologist (`["psychologist_cards", id]`):
 * what the directory filters, sorts and shows, about 400 bytes, so 2,000 of them
 * are read and filtered in memory in a few milliseconds (docs/benchmarks.md).
 */
export const directoryCardSchema = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string(),
  photoFileId: z.string().nullable(),
  specialisations: z.array(categorySchema),
  languages: z.array(z.string()),
  yearsOfExperience: z.int(),
  services: z.array(serviceSchema),
  /** Cheapest service price (whole rupiah), or null without services. */
  priceFromIdr: z.int().nullable(),
  /** Average rating 1–5 (one decimal) or null. */
  rating: z.number().nullable(),
  ratingCount: z.int(),
});
export type DirectoryCard = z.infer<typeof directoryCardSchema>;

/** The card of `p` (see {@link directoryCardSchema}). */
export function cardOf(p: Psychologist): DirectoryCard {
  return {
    id: p.id,
    name: p.name,
    title: p.title,
    photoFileId: p.photoFileId,
    specialisations: p.specialisations,
    languages: p.languages,
    yearsOfExperience: p.yearsOfExperience,
    services: p.services,
    priceFromIdr: p.services.length ? Math.min(...p.services.map((s) => s.priceIdr)) : null,
    rating: averageRating(p),
    ratingCount: p.ratingCount,
  };
}

/** A profile as the public API answers it (`GET /api/psychologists/{id}`). */
export const publicPsychologistSchema = psychologistSchema.omit({
  schemaVersion: true,
  ratingSum: true,
  verification: true,
  active: true,
}).extend({
  rating: z.number().nullable().describe("Average rating 1–5, one decimal; null without reviews"),
  photoUrl: z.string().nullable().describe("Path of the profile photo (`/files/{id}`)"),
});
export type PublicPsychologist = z.infer<typeof publicPsychologistSchema>;

/** The public view of `p`. */
export function publicPsychologist(p: Psychologist): PublicPsychologist {
  const { schemaVersion: _v, ratingSum: _s, verification: _ver, active: _a, ...rest } = p;
  return { ...rest, rating: averageRating(p), photoUrl: p.photoFileId ? `/files/${p.photoFileId}` : null };
}

// ---------------------------------------------------------------- application

/** Where an application stands. */
export const applicationStatusSchema = z.enum(["pending", "approved", "rejected"]);
export type ApplicationStatus = z.infer<typeof applicationStatusSchema>;

/** Certificates per application: at least 1, at most 3 files. */
export const CERTIFICATES = { min: 1, max: 3 } as const;

/**
 * An application for verification (`["psychologist_applications", id]`). The
 * applicant's profile fields live in their profile (verification `pending`); the
 * application holds the certificate files and the admin's decision.
 */
export const applicationSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  /** The applicant's account (role psychologist). */
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  lang: z.enum(["id", "en"]),
  certificateFileIds: z.array(z.string()).min(CERTIFICATES.min).max(CERTIFICATES.max),
  status: applicationStatusSchema,
  /** The admin's reason (required for a rejection). */
  reason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Application = z.infer<typeof applicationSchema>;
