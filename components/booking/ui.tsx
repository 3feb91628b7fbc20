/**
 * Server-rendered pieces of the booking pages (client and psychologist):
 * status badge, a booking's facts, a list row. Styles in `static/booking.css`.
 */
import type { T } from "@/lib/i18n/mod.ts";
import { formatDate, formatDateTime, formatIdr, formatTime } from "@/lib/i18n/format.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { statusTone } from "@/lib/booking/views.ts";
import { Badge, Facts } from "@/components/ui.tsx";

/** The booking's state as a coloured badge. */
export function BookingStatus({ b, t }: { b: Pick<Booking, "status">; t: T }) {
  return <Badge tone={statusTone(b.status)}>{t(`booking.status.${b.status}`)}</Badge>;
}

/** `Sab, 21 Nov 2026 · 09.00–09.30 (Asia/Jakarta)`. */
export function whenText(b: Pick<Booking, "startsAt" | "endsAt">, lang: string, timeZone: string): string {
  return `${formatDate(b.startsAt, lang, timeZone)} · ${formatTime(b.startsAt, lang, timeZone)}–${
    formatTime(b.endsAt, lang, timeZone)
  } (${timeZone})`;
}

/** The facts of one booking as its client or psychologist sees them. */
export function BookingFacts(
  { b, t, lang, timeZone, side }: { b: Booking; t: T; lang: string; timeZone: string; side: "client" | "psychologist" },
) {
  const items: [string, preact.ComponentChildren][] = [
    [
      t(side === "client" ? "booking.field.psychologist" : "booking.field.client"),
      side === "client" ? b.psychologistName : b.clientName,
    ],
    [t("booking.field.when"), whenText(b, lang, timeZone)],
    [
      t("booking.field.service"),
      `${t(`booking.service.${b.serviceType}`)} · ${b.durationMinutes} ${t("booking.mail.minutes")}`,
    ],
    [t("booking.field.price"), formatIdr(b.priceIdr, lang)],
    [t("booking.field.status"), <BookingStatus key="status" b={b} t={t} />],
  ];
  if (b.status === "awaiting_payment" && b.holdUntil) {
    items.push([t("booking.field.pay_by"), formatDateTime(b.holdUntil, lang, timeZone)]);
  }
  if (b.refund) {
    items.push([
      t("booking.field.refund"),
      t(b.refund.status === "due" ? "booking.refund.due" : "booking.refund.done", {
        amount: formatIdr(b.refund.amountIdr, lang),
      }),
    ]);
  }
  const last = b.history.at(-1);
  if ((b.status === "rejected" || b.status === "cancelled") && last?.reason && last.by !== "system") {
    items.push([t("booking.mail.reason"), last.reason]);
  }
  items.push([t("booking.field.order"), <code key="order">{b.orderId}</code>]);
  return <Facts items={items} />;
}

/** One booking in a list: time, the other side, service, state; links to its page. */
export function BookingRow(
  { b, t, lang, timeZone, href, side }: {
    b: Booking;
    t: T;
    lang: string;
    timeZone: string;
    href: string;
    side: "client" | "psychologist";
  },
) {
  return (
    <li class="booking-row">
      <a href={href} class="booking-link">
        <span class="booking-when">
          <strong>{formatDate(b.startsAt, lang, timeZone)}</strong>
          <span>{formatTime(b.startsAt, lang, timeZone)}–{formatTime(b.endsAt, lang, timeZone)}</span>
        </span>
        <span class="booking-who">
          <strong>{side === "client" ? b.psychologistName : b.clientName}</strong>
          <span class="muted">
            {t(`booking.service.${b.serviceType}`)} · {b.durationMinutes} {t("booking.mail.minutes")} ·{" "}
            {formatIdr(b.priceIdr, lang)}
          </span>
        </span>
        <span class="booking-state">
          <BookingStatus b={b} t={t} />
        </span>
      </a>
    </li>
  );
}
