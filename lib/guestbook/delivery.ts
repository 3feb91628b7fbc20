/**
 * Getting the QR to the guest (docs/domain-rules.md "Delivery"): the guest's appointment page
 * URL, a WhatsApp click-to-chat link with a prefilled message, and an e-mail
 * with the QR when the guest has an address.
 */
import { config } from "@/lib/config.ts";
import { BadRequest, TooManyRequests } from "@/lib/errors.ts";
import { hit, type Limit } from "@/lib/ratelimit.ts";
import type { User } from "@/lib/auth/users.ts";
import { type Lang, translate } from "@/lib/i18n/mod.ts";
import { formatLongDate, formatTime } from "@/lib/i18n/format.ts";
import { sendMail } from "@/lib/mail/mod.ts";
import { escapeHtml } from "@/lib/mail/templates.ts";
import type { Appointment } from "./model.ts";
import { appointmentQrCode } from "./qr_token.ts";
import { qrPngDataUrl } from "./qr_image.ts";
import { getGuest } from "./guests.ts";

/** Local date and time of an appointment for messages, e.g. "Jumat, 20 November 2026" and "09.30". */
export function formatAppointmentTime(
  a: Pick<Appointment, "startsAt">,
  lang: Lang,
): { date: string; time: string } {
  return {
    date: formatLongDate(a.startsAt, lang, config.timeZone),
    time: formatTime(a.startsAt, lang, config.timeZone),
  };
}

/**
 * The guest's appointment page: the QR text itself (`${BASE_URL}/g/<token>`),
 * which shows the QR, the status and, after the meeting, the review form.
 */
export async function appointmentPageUrl(
  a: Pick<Appointment, "id" | "localDate" | "qrKeyId">,
): Promise<string> {
  return await appointmentQrCode(a);
}

/**
 * A WhatsApp click-to-chat link (`https://wa.me/<phone>?text=…`, WhatsApp FAQ
 * "How to use click to chat") that opens a chat with the guest prefilled with
 * their name, the date/time and the link to their appointment page. Nothing
 * else personal goes into the URL (no purpose, no password, no teacher).
 * @param phone the guest's canonical phone (`62…`)
 */
export async function whatsappLink(
  a: Appointment,
  phone: string,
  lang: Lang = "id",
): Promise<string> {
  const { date, time } = formatAppointmentTime(a, lang);
  const text = translate(lang, "guestbook.whatsapp.message", {
    name: a.guestName,
    date,
    time,
    url: await appointmentPageUrl(a),
    app: translate(lang, "app.name"),
  });
  return `https://wa.me/${phone.replace(/\D/g, "")}?text=${encodeURIComponent(text)}`;
}

/**
 * E-mails the appointment's QR to the guest: date/time, teacher, purpose, the
 * QR image (inline PNG), the link to the appointment page and, for a new guest,
 * the portal password. Goes through `sendMail` (SMTP or the dev outbox).
 * @throws the mail transport's error (callers treat delivery as best-effort)
 */
export async function sendAppointmentEmail(
  a: Appointment,
  opts: { to: string; lang?: Lang; password?: string | null },
): Promise<{ id: string; via: "smtp" | "outbox" }> {
  const lang = opts.lang ?? "id";
  const url = await appointmentPageUrl(a);
  const { date, time } = formatAppointmentTime(a, lang);
  const p = {
    name: a.guestName,
    teacher: a.teacherName,
    purpose: a.purpose,
    date,
    time,
    url,
    app: translate(lang, "app.name"),
  };
  const t = (k: string) => translate(lang, `guestbook.mail.${k}`, p);
  const lines = [
    t("greeting"),
    "",
    t("intro"),
    "",
    `${t("when")}: ${date}, ${time}`,
    `${t("teacher")}: ${a.teacherName}`,
    `${t("purpose")}: ${a.purpose}`,
    "",
    t("show_qr"),
    url,
  ];
  if (opts.password) lines.push("", t("password"), `    ${opts.password}`);
  lines.push("", t("footer"));
  const e = escapeHtml;
  const html = `<p>${e(t("greeting"))}</p><p>${e(t("intro"))}</p>` +
    `<table><tr><th align="left">${e(t("when"))}</th><td>${e(`${date}, ${time}`)}</td></tr>` +
    `<tr><th align="left">${e(t("teacher"))}</th><td>${e(a.teacherName)}</td></tr>` +
    `<tr><th align="left">${e(t("purpose"))}</th><td>${e(a.purpose)}</td></tr></table>` +
    `<p>${e(t("show_qr"))}</p><p><img src="${qrPngDataUrl(url, 6)}" alt="${
      e(t("qr_alt"))
    }" width="240" height="240"></p>` +
    `<p><a href="${e(url)}">${e(url)}</a></p>` +
    (opts.password
      ? `<p>${e(t("password"))}</p><p style="font-family:monospace;font-size:1.25em">${e(opts.password)}</p>`
      : "") +
    `<p>${e(t("footer"))}</p>`;
  return await sendMail({
    to: opts.to,
    subject: t("subject"),
    text: lines.join("\n"),
    html,
  });
}

/**
 * Limits on QR e-mails sent again by hand (a mail per click reaches a real inbox
 * and costs sender reputation; OWASP ASVS 5.0 V2.4.1 anti-automation): per
 * appointment 3 an hour, per sending user 20 an hour. The first mail, sent when
 * the appointment is created, is not counted.
 */
export const QR_MAIL_LIMITS = {
  qr_mail_appointment: { limit: 3, windowSec: 60 * 60 },
  qr_mail_user: { limit: 20, windowSec: 60 * 60 },
} as const satisfies Record<string, Limit>;

/**
 * Sends an appointment's QR e-mail again to the guest's stored address (the
 * teacher's "send by e-mail" button). Counts one hit on both
 * {@link QR_MAIL_LIMITS} first; the caller has already checked that `actor` may
 * see the appointment (`getAppointmentFor`).
 * @param now ms since epoch (tests)
 * @throws BadRequest `no_email` (the guest has no address); TooManyRequests (429,
 *   `retryAfter` seconds) when a limit is reached; the mail transport's error
 */
export async function resendAppointmentEmail(
  a: Appointment,
  actor: Pick<User, "id">,
  now: number = Date.now(),
): Promise<{ id: string; via: "smtp" | "outbox" }> {
  const guest = await getGuest(a.guestId);
  if (!guest?.email) throw new BadRequest("no_email", "fd.detail.no_email");
  const L = QR_MAIL_LIMITS;
  for (
    const [name, subject] of [["qr_mail_user", actor.id], ["qr_mail_appointment", a.id]] as const
  ) {
    const r = await hit(name, subject, L[name], now);
    if (!r.ok) throw new TooManyRequests(r.retryAfter);
  }
  return await sendAppointmentEmail(a, { to: guest.email, lang: guest.lang });
}
