import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { ValidationError } from "@/lib/errors.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { config } from "@/lib/config.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { BOOKING_STATUSES } from "@/lib/booking/model.ts";
import { SERVICE_TYPES } from "@/lib/psychologists/model.ts";
import { fieldMessages, historyFor } from "@/lib/workspace/http.ts";
import { Card, Empty, Field, FormAlert, PageHeader, Pagination, SelectField } from "@/components/ui.tsx";
import { BookingRow } from "@/components/booking/ui.tsx";
import { WorkspaceTabs } from "@/components/workspace.tsx";

/**
 * `/psychologist/history?from=&to=&serviceType=&status=&cursor=` — the
 * psychologist's bookings in a local date range (TIME_ZONE, default the last
 * 90 days, at most 366), filtered by service type and state, newest first,
 * 30 a page. A plain GET form; bad filters show their errors (400).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "booking", "workspace");
    ctx.state.title = ctx.state.t("workspace.history.title");
    const raw = Object.fromEntries(ctx.url.searchParams);
    try {
      const r = await historyFor(user, raw);
      return page({
        values: { ...raw, from: r.filter.from, to: r.filter.to } as Record<string, string>,
        items: r.items,
        cursor: r.cursor,
        errors: {} as ReturnType<typeof fieldMessages>,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page({ values: raw, items: [] as Booking[], cursor: null, errors: fieldMessages(err) }, { status: 400 });
    }
  },
});

export default define.page<typeof handler>(function History({ data, state, url }) {
  const { t, lang } = state;
  const v = data.values;
  const any: [string, string] = ["", t("workspace.filter.any")];
  return (
    <div class="booking-page workspace-page">
      <PageHeader title={t("workspace.history.title")} subtitle={t("workspace.history.subtitle")} />
      <WorkspaceTabs t={t} current="history" />
      {Object.keys(data.errors).length ? <FormAlert message={t("error.validation")} /> : null}
      <Card>
        <form method="get" class="filter-bar" action="/psychologist/history">
          <Field name="from" type="date" label={t("workspace.filter.from")} value={v.from} t={t} errors={data.errors} />
          <Field name="to" type="date" label={t("workspace.filter.to")} value={v.to} t={t} errors={data.errors} />
          <SelectField
            name="serviceType"
            label={t("workspace.filter.service")}
            value={v.serviceType}
            t={t}
            errors={data.errors}
            options={[any, ...SERVICE_TYPES.map((s): [string, string] => [s, t(`booking.service.${s}`)])]}
          />
          <SelectField
            name="status"
            label={t("workspace.filter.status")}
            value={v.status}
            t={t}
            errors={data.errors}
            options={[any, ...BOOKING_STATUSES.map((s): [string, string] => [s, t(`booking.status.${s}`)])]}
          />
          <div class="form-actions">
            <button type="submit" class="btn">{t("workspace.filter.apply")}</button>
            <a class="btn btn-ghost" href="/psychologist/history">{t("workspace.filter.reset")}</a>
          </div>
        </form>
      </Card>
      <Card>
        {data.items.length
          ? (
            <ul class="booking-list" role="list">
              {data.items.map((b) => (
                <BookingRow
                  key={b.id}
                  b={b}
                  t={t}
                  lang={lang}
                  timeZone={config.timeZone}
                  href={`/psychologist/bookings/${b.id}`}
                  side="psychologist"
                />
              ))}
            </ul>
          )
          : <Empty t={t} />}
        <Pagination url={url} cursor={data.cursor} t={t} />
      </Card>
    </div>
  );
});
