/**
 * The reminder mail, in the recipient's language and time zone (client:
 * `TIME_ZONE`; psychologist: the zone of the booking), in the style of the
 * booking mails (`lib/booking/mail.ts`). The text states the start time and
 * how long is left at the moment of sending — never "tomorrow" or "in 24
 * hours" — so a reminder sent late by a catch-up is still true.
 */
import { config } from "@/lib/config.ts";
import { type Lang, translate } from "@/lib/i18n/mod.ts";
import { formatDateTime } from "@/lib/i18n/format.ts";
import { escapeHtml } from "@/lib/mail/templates.ts";
import type { Mail } from "@/lib/mail/mod.ts";
import type { Booking } from "@/lib/booking/model.ts";

/** "3 jam" / "45 menit": the time left until `startsAt` at `nowMs` (hours from 2 h on, rounded). */
export function timeLeft(startsAt: string, nowMs: number, lang: Lang): string {
  const minutes = Math.max(1, Math.round((Date.parse(startsAt) - nowMs) / 60_000));
  return minutes >= 120
    ? translate(lang, "reminder.left.hours", { n: Math.round(minutes / 60) })
    : translate(lang, "reminder.left.minutes", { n: minutes });
}

/** The reminder of booking `b` for one side, rendered at `nowMs` (exported for tests). */
export function renderReminderMail(
  b: Booking,
  side: "client" | "psychologist",
  lang: Lang,
  to: string,
  nowMs: number,
): Mail {
  const zone = side === "client" ? config.timeZone : b.timeZone;
  const url = `${config.baseUrl}/${side}/bookings/${b.id}`;
  const p = {
    app: translate(lang, "app.name"),
    other: side === "client" ? b.psychologistName : b.clientName,
    when: `${formatDateTime(b.startsAt, lang, zone)} (${zone})`,
    left: timeLeft(b.startsAt, nowMs, lang),
    service: translate(lang, `booking.service.${b.serviceType}`),
    minutes: b.durationMinutes,
  };
  const t = (k: string) => translate(lang, k, p);
  const lines = [
    t(`reminder.mail.${side}`),
    "",
    `${t("booking.mail.with")}: ${p.other}`,
    `${t("booking.mail.when")}: ${p.when}`,
    `${t("booking.mail.service")}: ${p.service}, ${p.minutes} ${t("booking.mail.minutes")}`,
    "",
    `${t("reminder.mail.open")}: ${url}`,
  ];
  const html = lines.map((l) =>
    l.endsWith(url)
      ? `<p><a href="${escapeHtml(url)}">${escapeHtml(t("reminder.mail.open"))}</a></p>`
      : l
      ? `<p>${escapeHtml(l)}</p>`
      : ""
  ).join("");
  return { to, subject: `${t("reminder.mail.subject")} — ${p.app}`, text: lines.join("\n"), html };
}
