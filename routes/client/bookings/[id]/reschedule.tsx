import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { config } from "@/lib/config.ts";
import { AppError, Conflict } from "@/lib/errors.ts";
import { readBody } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { formatDate, formatTime } from "@/lib/i18n/format.ts";
import { addSheets } from "@/lib/state.ts";
import type { User } from "@/lib/auth/users.ts";
import { getPsychologist } from "@/lib/psychologists/store.ts";
import { bookingFor, rescheduleFromInput } from "@/lib/booking/http.ts";
import { allowedActions, type SlotDay, slotDays } from "@/lib/booking/views.ts";
import { Card, FormAlert, PageHeader } from "@/components/ui.tsx";
import { whenText } from "@/components/booking/ui.tsx";

async function load(user: User, id: string, date: string | null) {
  const b = await bookingFor(user, id);
  if (!allowedActions(b, user).reschedule) {
    throw new Conflict("reschedule_not_allowed", "booking.client.reschedule_closed");
  }
  const p = await getPsychologist(b.psychologistId);
  const service = p?.services.find((s) => s.id === b.serviceId);
  const days: SlotDay[] = p && service ? await slotDays(p, service) : [];
  const day = days.find((d) => d.date === date) ?? days[0] ?? null;
  return { b, days: days.slice(0, 14), day };
}

/**
 * `/client/bookings/:id/reschedule?date=` — the client picks another free
 * start of the same service (day, then slot, in `TIME_ZONE`) and moves the
 * booking once; without JavaScript.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client");
    addSheets(ctx.state, "booking");
    ctx.state.title = ctx.state.t("booking.client.reschedule");
    return page({ ...await load(user, ctx.params.id, ctx.url.searchParams.get("date")), error: null as string | null });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "client");
    addSheets(ctx.state, "booking");
    const body = await readBody(ctx.req);
    try {
      await rescheduleFromInput(user, ctx.params.id, body);
      return ctx.redirect(`/client/bookings/${ctx.params.id}?done=rescheduled`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
      ctx.state.title = ctx.state.t("booking.client.reschedule");
      return page({
        ...await load(user, ctx.params.id, null),
        error: translate(ctx.state.lang, err.messageKey, err.params),
      }, {
        status: err.status,
      });
    }
  },
});

export default define.page<typeof handler>(function Reschedule({ data, state }) {
  const { t, lang } = state;
  const tz = config.timeZone;
  const { b, days, day } = data;
  const base = `/client/bookings/${b.id}/reschedule`;
  return (
    <div class="booking-page">
      <p class="back-link">
        <a href={`/client/bookings/${b.id}`}>← {b.psychologistName}</a>
      </p>
      <PageHeader
        title={t("booking.client.reschedule")}
        subtitle={t("booking.client.reschedule_now", { when: whenText(b, lang, tz) })}
      />
      <FormAlert message={data.error} />
      <p class="hint">{t("booking.client.reschedule_once")}</p>
      <Card title={t("booking.book.step_day")}>
        {days.length === 0 ? <p class="empty">{t("booking.book.no_slots")}</p> : (
          <ul class="day-list" role="list">
            {days.map((d) => (
              <li>
                <a
                  class={`day-chip${d.date === day?.date ? " is-selected" : ""}`}
                  href={`${base}?date=${d.date}`}
                  aria-current={d.date === day?.date ? "date" : undefined}
                >
                  {formatDate(`${d.date}T12:00:00Z`, lang, "UTC")}
                  <span class="muted">{t("booking.book.slot_count", { count: d.slots.length })}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {day
        ? (
          <Card title={t("booking.book.step_slot")}>
            <p class="hint">{t("booking.book.zone", { zone: tz })}</p>
            <ul class="slot-grid" role="list">
              {day.slots.map((s) => (
                <li>
                  <form method="post" action={base}>
                    <input type="hidden" name="startsAt" value={s.startsAt} />
                    <button type="submit" class="slot">{formatTime(s.startsAt, lang, tz)}</button>
                  </form>
                </li>
              ))}
            </ul>
          </Card>
        )
        : null}
    </div>
  );
});
