/**
 * Consent to the emotion screening (docs/screening-ethics.md): before a run the client
 * agrees to the consent text (processing on this device only, no image or video leaves it, what is
 * stored, a screening aid and not a diagnosis, the right to delete). Each agreement is recorded with
 * its time and the text version; a screening is accepted only within {@link CONSENT_VALID_MS} of an
 * agreement to the current {@link CONSENT_TEXT_VERSION}. Server-only (KV): a page passes the version
 * to its island as a prop.
 */
import { getKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { Conflict } from "@/lib/errors.ts";
import { z } from "@/lib/validation.ts";
import * as K from "./keys.ts";

/**
 * Version of the consent text (the run island's `srun.consent.*` dictionary entries). Raise it whenever that
 * text changes in substance: earlier agreements then no longer admit a screening.
 */
export const CONSENT_TEXT_VERSION = 1;

/** How long an agreement admits a screening (1 hour: one sitting). */
export const CONSENT_VALID_MS = 60 * 60_000;

/** Most consent records kept per user; older ones are removed when a new one is written. */
export const MAX_CONSENTS_PER_USER = 50;

/** `POST /api/screening/consent` body. */
export const consentInputSchema = z.strictObject({
  textVersion: z.int("field.invalid_number").min(1, "field.invalid_number").max(1_000_000, "field.invalid_number"),
});

/** A recorded agreement. `at` is an ISO 8601 UTC instant. */
export const consentSchema = z.object({
  id: z.string(),
  at: z.string(),
  textVersion: z.int(),
}).describe("ScreeningConsent");
export type ConsentRecord = z.infer<typeof consentSchema>;

/**
 * Records that `userId` agreed to consent text `textVersion` at `nowMs`.
 * @throws Conflict `consent_outdated` when `textVersion` is not {@link CONSENT_TEXT_VERSION} (the page
 *   showed an older text: reload)
 */
export async function recordConsent(userId: string, textVersion: number, nowMs = Date.now()): Promise<ConsentRecord> {
  if (textVersion !== CONSENT_TEXT_VERSION) throw new Conflict("consent_outdated", "screening.error.consent_outdated");
  const kv = await getKv();
  const rec: ConsentRecord = { id: newId(nowMs), at: new Date(nowMs).toISOString(), textVersion };
  const op = kv.atomic().set(K.consentKey(userId, rec.id), rec);
  // Keep the newest MAX_CONSENTS_PER_USER (the one written now included).
  let seen = 0;
  for await (const e of kv.list({ prefix: K.consentPrefix(userId) }, { reverse: true })) {
    if (++seen >= MAX_CONSENTS_PER_USER) op.delete(e.key);
    if (seen >= MAX_CONSENTS_PER_USER + 20) break;
  }
  await op.commit();
  return rec;
}

/**
 * The user's newest agreement to the current text version within the last {@link CONSENT_VALID_MS}, or
 * null.
 */
export async function currentConsent(userId: string, nowMs = Date.now()): Promise<ConsentRecord | null> {
  const kv = await getKv();
  for await (const e of kv.list<ConsentRecord>({ prefix: K.consentPrefix(userId) }, { reverse: true, limit: 5 })) {
    const at = Date.parse(e.value.at);
    if (e.value.textVersion === CONSENT_TEXT_VERSION && at <= nowMs + 60_000 && nowMs - at <= CONSENT_VALID_MS) {
      return e.value;
    }
  }
  return null;
}
