/**
 * E-mails about booking changes: every move goes to both sides, each in their
 * own language and time zone (client: `TIME_ZONE`; psychologist: the zone of
 * their availability). Sent in the background so a slow SMTP server never
 * slows a booking or a payment notification; `bookingMailIdle()` waits for
 * the ones in flight (tests, shutdown). A failed send is logged, never thrown.
 */
import { config } from "@/lib/config.ts";
import { getUser } from "@/lib/auth/users.ts";
import { type Lang, translate } from "@/lib/i18n/mod.ts";
import { formatDateTime, formatIdr } from "@/lib/i18n/format.ts";
import { log } from "@/lib/log.ts";
import { sendMail } from "@/lib/mail/mod.ts";
import { escapeHtml } from "@/lib/mail/templates.ts";
import type { Booking } from "./model.ts";

const inFlight = new Set<Promise<void>>();

/** Resolves once every booking mail queued so far has been sent or has failed. */
export async function bookingMailIdle(): Promise<void> {
  while (inFlight.size) await Promise.allSettled([...inFlight]);
}

/** The event a change is mailed as: the new status, or `rescheduled`. */
export function changeKind(before: Booking | null, after: Booking): string {
  if (before && before.startsAt !== after.startsAt) return "rescheduled";
  return after.status;
}

/** The mail for one side of a change (exported for tests). */
export function renderBookingMail(
  before: Booking | null,
  after: Booking,
  side: "client" | "psychologist",
  lang: Lang,
  to: string,
): { to: string; subject: string; text: string; html: string } {
  const zone = side === "client" ? config.timeZone : after.timeZone;
  const kind = changeKind(before, after);
  const url = `${config.baseUrl}/${side === "client" ? "client" : "psychologist"}/bookings/${after.id}`;
  const p = {
    app: translate(lang, "app.name"),
    other: side === "client" ? after.psychologistName : after.clientName,
    when: `${formatDateTime(after.startsAt, lang, zone)} (${zone})`,
    was: before ? `${formatDateTime(before.startsAt, lang, zone)} (${zone})` : "",
    service: translate(lang, `booking.service.${after.serviceType}`),
    minutes: after.durationMinutes,
    price: formatIdr(after.priceIdr, lang),
    reason: after.history.at(-1)?.reason ?? "",
  };
  const t = (k: string) => translate(lang, k, p);
  const lines = [
    t(`booking.mail.${side}.${kind}`),
    "",
    `${t("booking.mail.with")}: ${p.other}`,
    `${t("booking.mail.when")}: ${p.when}`,
    `${t("booking.mail.service")}: ${p.service}, ${p.minutes} ${t("booking.mail.minutes")}`,
    `${t("booking.mail.price")}: ${p.price}`,
    ...(kind === "rescheduled" ? [`${t("booking.mail.was")}: ${p.was}`] : []),
    ...(after.refund?.status === "due" && (kind === "rejected" || kind === "cancelled" || kind === "no_show")
      ? [t("booking.mail.refund_due")]
      : []),
    ...(kind === "rejected" && p.reason ? [`${t("booking.mail.reason")}: ${p.reason}`] : []),
    "",
    url,
  ];
  const subject = t(`booking.mail.subject.${kind}`);
  const html = lines.map((l) =>
    l === url ? `<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>` : l ? `<p>${escapeHtml(l)}</p>` : ""
  )
    .join("");
  return { to, subject: `${subject} — ${p.app}`, text: lines.join("\n"), html };
}

/**
 * Queues the mails about `before → after` (before = null for a new booking)
 * to the client and the psychologist. Returns at once.
 */
export function mailBookingChange(before: Booking | null, after: Booking): Promise<void> {
  const job = (async () => {
    for (const side of ["client", "psychologist"] as const) {
      const user = await getUser(side === "client" ? after.clientId : after.psychologistId);
      if (!user?.email) continue;
      try {
        await sendMail(renderBookingMail(before, after, side, user.lang, user.email));
      } catch (err) {
        log("error", "booking mail failed", { booking: after.id, side, error: String(err) });
      }
    }
  })();
  inFlight.add(job);
  job.finally(() => inFlight.delete(job));
  return Promise.resolve();
}
