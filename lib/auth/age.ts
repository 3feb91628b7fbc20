/**
 * Client age rules (docs/domain-rules.md "Roles and accounts": allowed age range configurable; Companion
 * used 18–29; default min 18 via `CLIENT_MIN_AGE`, no max unless `CLIENT_MAX_AGE`).
 */
import { config } from "@/lib/config.ts";

/** Age in whole years on `today` of someone born on `birthDate` (`YYYY-MM-DD`). */
export function ageOn(birthDate: string, today: Temporal.PlainDate): number {
  const b = Temporal.PlainDate.from(birthDate);
  let age = today.year - b.year;
  if (today.month < b.month || (today.month === b.month && today.day < b.day)) {
    age--;
  }
  return age;
}

/** Today's calendar date in the configured time zone (`TIME_ZONE`). */
export function localToday(): Temporal.PlainDate {
  return Temporal.Now.plainDateISO(config.timeZone);
}

/**
 * i18n key of the problem with a client's birth date, or null: in the future,
 * implausible (> 130 years), younger than `clientMinAge`, older than `clientMaxAge`.
 */
export function birthDateProblem(
  birthDate: string,
  today: Temporal.PlainDate = localToday(),
): string | null {
  if (
    Temporal.PlainDate.compare(Temporal.PlainDate.from(birthDate), today) > 0
  ) return "auth.birth_date.future";
  const age = ageOn(birthDate, today);
  if (age > 130) return "field.invalid_date";
  if (age < config.clientMinAge) return "auth.birth_date.too_young";
  const max = config.clientMaxAge;
  if (max !== null && age > max) return "auth.birth_date.too_old";
  return null;
}
