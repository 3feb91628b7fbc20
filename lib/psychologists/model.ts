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
