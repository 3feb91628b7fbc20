/**
 * The editor's live preview: unsaved settings → the next free slots they would
 * give, with the psychologist's real bookings (the same `freeSlots`).
 */
import { getPsychologist } from "@/lib/psychologists/store.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
import { checkForm, decodeForm } from "./form.ts";
import type { SlotView } from "./model.ts";
import { loadSlotInput, normaliseAvailability } from "./store.ts";
import { freeSlots } from "./slots.ts";
import { slotLabel, slotView } from "./view.ts";

/** Slots the preview lists at most. */
export const PREVIEW_LIMIT = 10;
/** Session length used when the psychologist has no service yet, minutes. */
export const PREVIEW_DEFAULT_DURATION = 60;

/** The preview's answer. */
export interface Preview {
  timeZone: string;
  durationMinutes: number;
  slots: (SlotView & { label: string })[];
}

/**
 * The next {@link PREVIEW_LIMIT} free slots of `body`'s settings for
 * psychologist `userId`, for the service `body.serviceId` (default their first
 * service, or 60 minutes without any), labelled in `lang` in the settings' zone.
 * @param form true when `body` holds the availability form's fields (errors then use form field names)
 * @throws ValidationError for invalid settings
 */
export async function previewSlots(
  userId: string,
  body: Record<string, unknown>,
  form: boolean,
  lang: Lang,
  nowMs: number = Date.now(),
): Promise<Preview> {
  const settings = form
    ? checkForm(decodeForm(body), (input) => normaliseAvailability(userId, input, nowMs))
    : normaliseAvailability(userId, { ...body, serviceId: undefined }, nowMs);
  const p = await getPsychologist(userId);
  const services = p?.services ?? [];
  const service = services.find((s) => s.id === body.serviceId) ?? services[0];
  const durationMinutes = service?.durationMinutes ?? PREVIEW_DEFAULT_DURATION;
  const input = await loadSlotInput(userId, { durationMinutes }, nowMs, nowMs, nowMs + 366 * 86_400_000, { settings });
  const slots = freeSlots({ ...input, maxCount: PREVIEW_LIMIT });
  return {
    timeZone: settings.timeZone,
    durationMinutes,
    slots: slots.map((s) => ({ ...slotView(s, settings.timeZone), label: slotLabel(s, lang, settings.timeZone) })),
  };
}
