/**
 * Server-rendered pieces of the psychologist workspace pages (queue, history,
 * statistics, patient details): the workspace tabs and a queue row. Styles in
 * `static/workspace.css` (docs/ui.md "Stylesheets").
 */
import type { T } from "@/lib/i18n/mod.ts";
import { formatDate, formatTime } from "@/lib/i18n/format.ts";
import type { QueueItem } from "@/lib/workspace/queue.ts";
import { BookingStatus } from "@/components/booking/ui.tsx";

/** The workspace's three areas as tabs; `current` is marked for assistive technology. */
export function WorkspaceTabs({ t, current }: { t: T; current: "queue" | "history" | "stats" }) {
  const tabs = [
    ["queue", "/psychologist/queue", "workspace.tab.queue"],
    ["history", "/psychologist/history", "workspace.tab.history"],
    ["stats", "/psychologist/stats", "workspace.tab.stats"],
  ] as const;
  return (
    <nav class="tabs" aria-label={t("workspace.queue.title")}>
      {tabs.map(([k, href, label]) => (
        <a key={k} href={href} aria-current={k === current ? "page" : undefined}>{t(label)}</a>
      ))}
    </nav>
  );
}

function MoveButton({ id, action, label, kind = "btn btn-sm" }: {
  id: string;
  action: string;
  label: string;
  kind?: string;
}) {
  return (
    <form method="post" action="/psychologist/queue" class="inline-form">
      <input type="hidden" name="bookingId" value={id} />
      <input type="hidden" name="action" value={action} />
      <button type="submit" class={kind}>{label}</button>
    </form>
  );
}

/**
 * One session of the queue: time, client (name, age, link to the patient
 * details), service, state, and what can be done now — start the chat (active
 * from when the chat opens), a WhatsApp reminder, confirm / start / complete
 * (posted to the queue), no-show (on the booking page, which asks first).
 */
export function QueueRow(
  { it, t, lang, timeZone, showDate }: { it: QueueItem; t: T; lang: string; timeZone: string; showDate: boolean },
) {
  const coming = it.status === "paid" || it.status === "confirmed" || it.status === "in_session";
  return (
    <li class="queue-item" id={`b-${it.id}`}>
      <div class="queue-time">
        {showDate ? <span class="queue-date">{formatDate(it.startsAt, lang, timeZone)}</span> : null}
        <strong>{formatTime(it.startsAt, lang, timeZone)}</strong>
        <span class="muted">–{formatTime(it.endsAt, lang, timeZone)}</span>
      </div>
      <div class="queue-main">
        <p class="queue-who">
          <a href={`/psychologist/patients/${it.clientId}`}>
            <strong>{it.clientName}</strong>
          </a>
          {it.clientAge !== null
            ? <span class="muted">· {t("workspace.queue.age", { age: it.clientAge })}</span>
            : null}
        </p>
        <p class="muted">
          {t(`booking.service.${it.serviceType}`)} · {it.durationMinutes} {t("booking.mail.minutes")}
        </p>
        <BookingStatus b={it} t={t} />
      </div>
      <div class="queue-actions">
        {it.chat === "open"
          ? <a class="btn btn-sm" href={`/chat/${it.id}`}>{t("workspace.queue.start_chat")}</a>
          : it.chat === "history"
          ? <a class="btn btn-sm btn-secondary" href={`/chat/${it.id}`}>{t("workspace.queue.chat_history")}</a>
          : coming && it.status !== "paid"
          ? (
            <span class="queue-chat-wait">
              <button type="button" class="btn btn-sm" disabled>{t("workspace.queue.start_chat")}</button>
              <span class="hint">
                {t("workspace.queue.chat_opens", {
                  time: showDate
                    ? `${formatDate(it.chatOpensAt, lang, timeZone)} ${formatTime(it.chatOpensAt, lang, timeZone)}`
                    : formatTime(it.chatOpensAt, lang, timeZone),
                })}
              </span>
            </span>
          )
          : null}
        {it.actions.confirm ? <MoveButton id={it.id} action="confirm" label={t("booking.psy.confirm")} /> : null}
        {it.actions.startSession ? <MoveButton id={it.id} action="start" label={t("booking.psy.start")} /> : null}
        {it.actions.complete
          ? (
            <MoveButton
              id={it.id}
              action="complete"
              label={t("booking.psy.complete")}
              kind="btn btn-sm btn-secondary"
            />
          )
          : null}
        {it.actions.noShow
          ? (
            <a class="btn btn-sm btn-danger-outline" href={`/psychologist/bookings/${it.id}?confirm=no_show#confirm`}>
              {t("booking.psy.no_show")}
            </a>
          )
          : null}
        {it.whatsappUrl
          ? (
            <a class="btn btn-sm btn-whatsapp" href={it.whatsappUrl} target="_blank" rel="noopener noreferrer">
              {t("workspace.queue.whatsapp")}
            </a>
          )
          : null}
        <a class="btn btn-sm btn-ghost" href={`/psychologist/bookings/${it.id}`}>{t("workspace.queue.details")}</a>
      </div>
    </li>
  );
}
