/**
 * The screening API's edge: query and answer schemas (the same zod schemas validate requests and
 * describe them in the OpenAPI document) and the small dispatch of who lists whose screenings.
 */
import { parseInput, ulid, z } from "@/lib/validation.ts";
import { pageQuery } from "@/lib/guestbook/http.ts";
import { Forbidden } from "@/lib/errors.ts";
import { consentInputSchema, consentSchema, recordConsent } from "./consent.ts";
import { enforce } from "@/lib/ratelimit.ts";
import { listScreenings, listScreeningsForPsychologist, screeningViewSchema, type Viewer } from "./store.ts";

/** `GET /api/screenings` query: a page; `clientId` (psychologists: a client who booked them). */
export const screeningListQuery = pageQuery.extend({
  clientId: ulid.optional().describe("Psychologists: whose screenings (a client who booked you); clients: leave out"),
});

/** `{screening}` answer. */
export const screeningAnswerSchema = z.object({ screening: screeningViewSchema });

/** `{consent}` answer. */
export const consentAnswerSchema = z.object({ consent: consentSchema });

/**
 * `GET /api/screenings`: a client's own screenings, or (psychologist, `clientId` given) a client's who
 * booked them (audited).
 * @throws ValidationError for a bad query; Forbidden for other roles, a psychologist without `clientId`
 *   or without a care relationship, a client passing another `clientId`
 */
export function screeningsOf(user: Viewer, query: Record<string, string>) {
  const q = parseInput(screeningListQuery, query);
  const opts = { cursor: q.cursor ?? null, limit: q.limit };
  if (user.role === "client") {
    if (q.clientId && q.clientId !== user.id) throw new Forbidden();
    return listScreenings(user, opts);
  }
  if (user.role === "psychologist" && q.clientId) return listScreeningsForPsychologist(user, q.clientId, opts);
  throw new Forbidden();
}

/**
 * `POST /api/screening/consent {textVersion}`: records the agreement (limit `screening_consent`).
 * @throws ValidationError; Conflict `consent_outdated`; TooManyRequests
 */
export async function consentFromInput(user: Viewer, body: Record<string, unknown>, nowMs = Date.now()) {
  const input = parseInput(consentInputSchema, body);
  await enforce("screening_consent", user.id, nowMs);
  return await recordConsent(user.id, input.textVersion, nowMs);
}
