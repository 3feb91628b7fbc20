import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { addSheets } from "@/lib/state.ts";
import { listPublishedArticles } from "@/lib/articles/store.ts";
import { parseListQuery } from "@/lib/articles/http.ts";
import { ArticleCard } from "@/components/ArticleCard.tsx";
import { Empty, PageHeader, Pagination } from "@/components/ui.tsx";

/** Articles per page of `/articles`. */
const PER_PAGE = 12;

/**
 * `/articles?tag=&cursor=` — published articles, newest first, the UI
 * language's first (`listPublishedArticles`), optionally of one tag; a "next
 * page" link. Island-free.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const q = parseListQuery(ctx.url);
    const t = ctx.state.t;
    const list = await listPublishedArticles({ lang: ctx.state.lang, tag: q.tag, cursor: q.cursor, limit: PER_PAGE });
    addSheets(ctx.state, "articles");
    ctx.state.title = q.tag ? t("articles.tag_title", { tag: q.tag }) : t("articles.title");
    ctx.state.head = [{
      link: "alternate",
      href: "/articles/feed.xml",
      type: "application/atom+xml",
      title: t("articles.feed"),
    }];
    return page({ ...list, tag: q.tag ?? null });
  },
});

export default define.page<typeof handler>(function Articles({ data, state, url }) {
  const t = state.t;
  return (
    <div class="articles-page">
      <PageHeader
        title={data.tag ? t("articles.tag_title", { tag: data.tag }) : t("articles.title")}
        subtitle={data.tag ? undefined : t("articles.intro")}
      >
        {data.tag ? <a class="btn btn-secondary" href="/articles">{t("articles.see_all")}</a> : null}
      </PageHeader>
      {data.items.length
        ? (
          <div class="article-grid" data-testid="article-list">
            {data.items.map((a) => <ArticleCard key={a.slug} article={a} t={t} lang={state.lang} headingLevel={2} />)}
          </div>
        )
        : <Empty t={t} message={data.tag ? t("articles.none_tag") : t("articles.none")} />}
      <Pagination url={url} cursor={data.cursor} t={t} />
      <p class="articles-feed">
        <a href="/articles/feed.xml" type="application/atom+xml">{t("articles.feed")}</a>
      </p>
    </div>
  );
});
