import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { config } from "@/lib/config.ts";
import { AppError, NotFound } from "@/lib/errors.ts";
import { readBody } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { enforce } from "@/lib/ratelimit.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { formatDate, formatIdr, formatTime } from "@/lib/i18n/format.ts";
import { addSheets } from "@/lib/state.ts";
import { isBookable, type Psychologist, type Service } from "@/lib/psychologists/model.ts";
import { getPsychologist } from "@/lib/psychologists/store.ts";
import { bookFromInput } from "@/lib/booking/http.ts";
import { slotDays } from "@/lib/booking/views.ts";
import { Card, Facts, FormAlert, PageHeader } from "@/components/ui.tsx";

async function load(id: string) {
  const p = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? await getPsychologist(id) : null;
  if (!p || !isBookable(p) || p.services.length === 0) {
    throw new NotFound("psychologist_not_found", "booking.error.psychologist_not_found");
  }
  return p;
}

async function view(p: Psychologist, url: URL) {
  const service: Service = p.services.find((s) => s.id === url.searchParams.get("serviceId")) ?? p.services[0];
  const days = await slotDays(p, service);
  const startsAt = url.searchParams.get("startsAt");
  // A start from the profile page comes without a day: show the day it falls on.
  const wanted = url.searchParams.get("date") ??
    days.find((d) => d.slots.some((s) => s.startsAt === startsAt))?.date;
  const day = days.find((d) => d.date === wanted) ?? days[0] ?? null;
  const slot = day?.slots.find((s) => s.startsAt === startsAt) ?? null;
  return { p, service, days: days.slice(0, 14), day, slot };
}

/**
 * `/psychologists/:id/book?serviceId=&date=&startsAt=` — a client books a
 * session in three steps that work without JavaScript: service → day → free
 * slot (shown in `TIME_ZONE`, the zone named), then a summary and "Book and
 * pay", which creates the booking and sends the client to the payment page
 * (Midtrans Snap, or the built-in sandbox). Visitors see the slots and are
 * asked to sign in before booking.
 */
export const handler = define.handlers({
  async GET(ctx) {
    addSheets(ctx.state, "booking");
    const p = await load(ctx.params.id);
    ctx.state.title = ctx.state.t("booking.book.title", { name: p.name });
    return page({ ...await view(p, ctx.url), error: null as string | null });
  },
  async POST(ctx) {
    addSheets(ctx.state, "booking");
    const user = requireRole(ctx, "client");
    const p = await load(ctx.params.id);
    const body = await readBody(ctx.req);
    try {
      await enforce("booking_create", user.id);
      const { payment } = await bookFromInput(user, { ...body, psychologistId: p.id });
      return ctx.redirect(payment.redirectUrl, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const url = new URL(ctx.url);
      url.searchParams.set("serviceId", String(body.serviceId ?? ""));
      url.searchParams.delete("startsAt");
      ctx.state.title = ctx.state.t("booking.book.title", { name: p.name });
      return page({ ...await view(p, url), error: translate(ctx.state.lang, err.messageKey, err.params) }, {
        status: err.status,
      });
    }
  },
});

export default define.page<typeof handler>(function BookPage({ data, state, url }) {
  const { t, lang, user } = state;
  const tz = config.timeZone;
  const { p, service, days, day, slot } = data;
  const base = `/psychologists/${p.id}/book`;
  const q = (o: Record<string, string>) => `${base}?${new URLSearchParams({ serviceId: service.id, ...o })}`;
  const next = `${url.pathname}${url.search}`;
  return (
    <div class="booking-page">
      <p class="back-link">
        <a href={`/psychologists/${p.id}`}>← {p.name}</a>
      </p>
      <PageHeader title={t("booking.book.title", { name: p.name })} subtitle={p.title} />
      <FormAlert message={data.error} />
      <Card title={t("booking.book.step_service")}>
        <ul class="choice-list" role="list">
          {p.services.map((s) => (
            <li>
              <a
                class={`choice${s.id === service.id ? " is-selected" : ""}`}
                href={`${base}?serviceId=${encodeURIComponent(s.id)}`}
                aria-current={s.id === service.id ? "true" : undefined}
              >
                <strong>{t(`booking.service.${s.type}`)}</strong>
                <span>{s.durationMinutes} {t("booking.mail.minutes")} · {formatIdr(s.priceIdr, lang)}</span>
              </a>
            </li>
          ))}
        </ul>
      </Card>
      <Card title={t("booking.book.step_day")}>
        {days.length === 0 ? <p class="empty">{t("booking.book.no_slots")}</p> : (
          <ul class="day-list" role="list">
            {days.map((d) => (
              <li>
                <a
                  class={`day-chip${d.date === day?.date ? " is-selected" : ""}`}
                  href={q({ date: d.date })}
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
                  <a
                    class={`slot${s.startsAt === slot?.startsAt ? " is-selected" : ""}`}
                    href={`${q({ date: day.date, startsAt: s.startsAt })}#summary`}
                    aria-current={s.startsAt === slot?.startsAt ? "true" : undefined}
                  >
                    {formatTime(s.startsAt, lang, tz)}
                  </a>
                </li>
              ))}
            </ul>
          </Card>
        )
        : null}
      {slot
        ? (
          <section class="card booking-summary" id="summary" aria-labelledby="summary-title">
            <h2 class="card-title" id="summary-title">{t("booking.book.summary")}</h2>
            <Facts
              items={[
                [t("booking.field.psychologist"), p.name],
                [
                  t("booking.field.service"),
                  `${t(`booking.service.${service.type}`)} · ${service.durationMinutes} ${t("booking.mail.minutes")}`,
                ],
                [
                  t("booking.field.when"),
                  `${formatDate(slot.startsAt, lang, tz)} · ${formatTime(slot.startsAt, lang, tz)}–${
                    formatTime(slot.endsAt, lang, tz)
                  } (${tz})`,
                ],
                [t("booking.field.price"), formatIdr(service.priceIdr, lang)],
              ]}
            />
            <p class="hint">
              {t("booking.book.rules", { minutes: config.paymentWindowMinutes, hours: config.cancelCutoffHours })}
            </p>
            {user?.role === "client"
              ? (
                <form method="post" action={base}>
                  <input type="hidden" name="serviceId" value={service.id} />
                  <input type="hidden" name="startsAt" value={slot.startsAt} />
                  <button type="submit" class="btn btn-block">{t("booking.book.submit")}</button>
                </form>
              )
              : user
              ? <p class="alert alert-info">{t("booking.book.clients_only")}</p>
              : (
                <a class="btn btn-block" href={`/signin?next=${encodeURIComponent(next)}`}>
                  {t("booking.book.signin")}
                </a>
              )}
          </section>
        )
        : null}
    </div>
  );
});
