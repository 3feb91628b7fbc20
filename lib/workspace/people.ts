/**
 * What the workspace shows about a booking's client: their age in whole years
 * (from `birthDate`, lib/auth/users.ts) and a WhatsApp click-to-chat reminder
 * link in the client's language.
 */
import { getKv } from "@/lib/db/kv.ts";
import { config } from "@/lib/config.ts";
import type { User } from "@/lib/auth/users.ts";
import { userKey } from "@/lib/auth/keys.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { formatDate, formatTime } from "@/lib/i18n/format.ts";
import type { Booking } from "@/lib/booking/model.ts";

/**
 * Age in whole years on local date `today` (`YYYY-MM-DD`) of someone born on
 * `birthDate` (`YYYY-MM-DD`); null when the birth date is missing, malformed or
 * after `today`.
 */
export function ageOn(birthDate: string | null | undefined, today: string): number | null {
  if (!birthDate) return null;
  try {
    const b = Temporal.PlainDate.from(birthDate, { overflow: "reject" });
    const t = Temporal.PlainDate.from(today);
    if (Temporal.PlainDate.compare(b, t) > 0) return null;
    return b.until(t, { largestUnit: "years" }).years;
  } catch {
    return null;
  }
}

/** The users with the given ids (unknown ids left out), read 10 at a time (`getMany`'s limit). */
export async function usersById(ids: Iterable<string>): Promise<Map<string, User>> {
  const kv = await getKv();
  const list = [...new Set(ids)];
  const out = new Map<string, User>();
  for (let i = 0; i < list.length; i += 10) {
    const entries = await kv.getMany<User[]>(list.slice(i, i + 10).map((id) => userKey(id)));
    for (const e of entries) if (e.value) out.set(e.value.id, e.value);
  }
  return out;
}

/**
 * A WhatsApp click-to-chat link (`https://wa.me/<digits>?text=<reminder>`, WhatsApp's
 * "Click to chat" format: the number in international form, digits only) that opens a
 * reminder of booking `b` to its client, in the client's language with times in
 * `TIME_ZONE` (as the client's e-mails). Null when the client has no phone.
 */
export function whatsappReminder(b: Booking, client: Pick<User, "phone" | "lang" | "name"> | null): string | null {
  const digits = client?.phone?.replace(/\D/g, "") ?? "";
  if (digits.length < 8) return null;
  const lang = client?.lang ?? "id";
  const tz = config.timeZone;
  const text = translate(lang, "workspace.wa.reminder", {
    name: client?.name ?? b.clientName,
    psychologist: b.psychologistName,
    service: translate(lang, `booking.service.${b.serviceType}`),
    date: formatDate(b.startsAt, lang, tz),
    time: formatTime(b.startsAt, lang, tz),
    zone: tz,
  });
  return `https://wa.me/${digits}?text=${encodeURIComponent(text)}`;
}
