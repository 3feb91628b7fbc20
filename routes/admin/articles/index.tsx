import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { config } from "@/lib/config.ts";
import { formatDateTime } from "@/lib/i18n/format.ts";
import { listAllArticles } from "@/lib/articles/store.ts";
import { Badge, Empty, FormAlert, PageHeader, Pagination } from "@/components/ui.tsx";

/** `/admin/articles` — every article (drafts, scheduled, published), newest first, with links to edit (admin). */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    addSheets(ctx.state, "articles");
    ctx.state.title = ctx.state.t("articles.admin.title");
    const list = await listAllArticles({ cursor: ctx.url.searchParams.get("cursor"), limit: 50 });
    const done = ctx.url.searchParams.get("done");
    return page({ ...list, done: done === "deleted" ? "articles.deleted" : null, now: Date.now() });
  },
});

export default define.page<typeof handler>(function AdminArticles({ data, state, url }) {
  const t = state.t;
  return (
    <>
      <PageHeader title={t("articles.admin.title")}>
        <a class="btn" href="/admin/articles/new">{t("articles.admin.new")}</a>
      </PageHeader>
      <FormAlert kind="success" message={data.done ? t(data.done) : null} />
      {data.items.length
        ? (
          <div class="table-wrap">
            <table class="table" data-testid="admin-articles">
              <thead>
                <tr>
                  <th scope="col">{t("articles.admin.col_title")}</th>
                  <th scope="col">{t("articles.admin.col_lang")}</th>
                  <th scope="col">{t("articles.admin.col_status")}</th>
                  <th scope="col">{t("articles.admin.col_publish")}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((a) => {
                  const scheduled = a.status === "published" && Date.parse(a.publishAt) > data.now;
                  const status = scheduled ? "scheduled" : a.status;
                  return (
                    <tr key={a.id}>
                      <td>
                        <a href={`/admin/articles/${a.slug}`}>{a.title}</a>
                      </td>
                      <td>{t(`articles.lang.${a.lang}`)}</td>
                      <td>
                        <Badge tone={status === "published" ? "success" : status === "scheduled" ? "info" : "neutral"}>
                          {t(`articles.status.${status}`)}
                        </Badge>
                      </td>
                      <td>{formatDateTime(a.publishAt, state.lang, config.timeZone)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
        : <Empty t={t} message={t("articles.admin.none")} />}
      <Pagination url={url} cursor={data.cursor} t={t} />
    </>
  );
});
