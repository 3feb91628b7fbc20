import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { config } from "@/lib/config.ts";
import { BadRequest, ValidationError } from "@/lib/errors.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { parseInput } from "@/lib/validation.ts";
import { pageQuery } from "@/lib/guestbook/http.ts";
import { formatDateTime } from "@/lib/i18n/format.ts";
import { listScreenings, type Screening } from "@/lib/screening/store.ts";
import { Card, Empty, FormAlert, PageHeader, Pagination } from "@/components/ui.tsx";

/**
 * `/screening/history?cursor=` — the client's screenings, newest first (20 a page): date, style and
 * vote counts, each linking to its result page; a link to start a new screening.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client");
    ctx.state.title = ctx.state.t("screening.hist.title");
    const done = ctx.url.searchParams.get("done") === "deleted";
    try {
      const q = parseInput(pageQuery, { cursor: ctx.url.searchParams.get("cursor") ?? undefined });
      const list = await listScreenings(user, { cursor: q.cursor ?? null, limit: 20 });
      return page({ items: list.items, cursor: list.cursor, done });
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof BadRequest)) throw err;
      return page({ items: [] as Screening[], cursor: null, done }, { status: 400 });
    }
  },
});

export default define.page<typeof handler>(function ScreeningHistory({ data, state: { t, lang }, url }) {
  return (
    <div class="screening-history stack">
      <PageHeader title={t("screening.hist.title")} subtitle={t("screening.hist.intro")}>
        <a class="btn" href="/screening">{t("screening.hist.start")}</a>
      </PageHeader>
      {data.done ? <FormAlert kind="success" message={t("screening.del.done")} /> : null}
      {data.items.length === 0 ? <Empty t={t} message={t("screening.hist.empty")} /> : (
        <Card>
          <ul class="list" role="list" data-testid="screening-history">
            {data.items.map((s) => (
              <li key={s.id} class="list-row">
                <div>
                  <a href={`/screening/${s.id}`}>
                    <strong>{t(`screening.style.${s.result}`)}</strong>
                  </a>
                  <p class="muted">
                    {formatDateTime(s.createdAt, lang, config.timeZone)}
                    {" · "}
                    {(["secure", "anxious", "avoidant"] as const).map((st) =>
                      `${t(`screening.style_short.${st}`)} ${s.counts[st]}`
                    ).join(" · ")}
                  </p>
                </div>
                <a class="btn btn-secondary btn-sm" href={`/screening/${s.id}`}>{t("screening.hist.open")}</a>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <p class="muted">{t("screening.res.notice")}</p>
      <Pagination url={url} cursor={data.cursor} t={t} />
    </div>
  );
});
