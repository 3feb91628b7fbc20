import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { addSheets } from "@/lib/state.ts";
import { NotFound } from "@/lib/errors.ts";
import { config } from "@/lib/config.ts";
import { formatDate, formatLongDate } from "@/lib/i18n/format.ts";
import { getPublishedArticle, relatedArticles } from "@/lib/articles/store.ts";
import { ArticleCard } from "@/components/ArticleCard.tsx";

/**
 * `/articles/{slug}` — one published article (404 for drafts, scheduled and
 * unknown slugs): title, author, date, reading time, cover, the body (HTML
 * sanitised at save time, `lib/articles/render.ts`), tags linking to
 * `/articles?tag=`, related articles by tag. Sharing previews (WhatsApp and
 * others read Open Graph: https://ogp.me/) come from `og:` meta tags with
 * absolute URLs (`BASE_URL`). Island-free: the page ships no JavaScript.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const a = await getPublishedArticle(ctx.params.slug);
    if (!a) throw new NotFound("article_not_found", "articles.not_found");
    const related = await relatedArticles(a, 3);
    addSheets(ctx.state, "articles");
    ctx.state.title = a.title;
    const url = `${config.baseUrl}/articles/${a.slug}`;
    ctx.state.head = [
      { meta: "name", key: "description", content: a.excerpt },
      { meta: "property", key: "og:type", content: "article" },
      { meta: "property", key: "og:title", content: a.title },
      { meta: "property", key: "og:description", content: a.excerpt },
      { meta: "property", key: "og:url", content: url },
      { meta: "property", key: "og:locale", content: a.lang === "id" ? "id_ID" : "en_GB" },
      { meta: "property", key: "og:site_name", content: ctx.state.t("app.name") },
      { meta: "property", key: "article:published_time", content: a.publishAt },
      ...(a.coverFileId
        ? [
          { meta: "property" as const, key: "og:image", content: `${config.baseUrl}/files/${a.coverFileId}` },
          { meta: "property" as const, key: "og:image:alt", content: a.coverAlt },
        ]
        : []),
      { link: "canonical", href: url },
      {
        link: "alternate",
        href: "/articles/feed.xml",
        type: "application/atom+xml",
        title: ctx.state.t("articles.feed"),
      },
    ];
    return page({ article: a, related });
  },
});

export default define.page<typeof handler>(function ArticlePage({ data, state }) {
  const t = state.t;
  const a = data.article;
  const tz = config.timeZone;
  return (
    <article class="article-page" lang={a.lang !== state.lang ? a.lang : undefined} data-testid="article">
      <p class="article-back">
        <a href="/articles">← {t("articles.back")}</a>
      </p>
      <h1 class="article-title">{a.title}</h1>
      <p class="article-meta muted">
        {t("articles.by", { author: a.author })}
        {" · "}
        <time dateTime={a.publishAt}>{formatLongDate(a.publishAt, state.lang, tz)}</time>
        {" · "}
        {t("article.reading_minutes", { n: a.readingMinutes })}
        {a.updatedAt > a.publishAt &&
            formatDate(a.updatedAt, state.lang, tz) !== formatDate(a.publishAt, state.lang, tz)
          ? <>{" · "}{t("articles.updated", { date: formatDate(a.updatedAt, state.lang, tz) })}</>
          : null}
      </p>
      {a.lang !== state.lang ? <p class="notice" lang={state.lang}>{t("articles.lang_note")}</p> : null}
      {a.coverFileId
        ? <img class="article-cover" src={`/files/${a.coverFileId}`} alt={a.coverAlt} width={1200} height={630} />
        : null}
      {/* bodyHtml was sanitised when the article was saved (lib/articles/render.ts). */}
      <div class="article-body" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
      <p class="notice article-disclaimer" lang={state.lang}>{t("articles.disclaimer")}</p>
      {a.tags.length
        ? (
          <p class="article-tags">
            <span class="muted" lang={state.lang}>{t("articles.tag_label")}:</span> {a.tags.map((tag) => (
              <>
                <a class="badge badge-neutral" href={`/articles?tag=${encodeURIComponent(tag)}`}>{tag}</a>
                {" "}
              </>
            ))}
          </p>
        )
        : null}
      {data.related.length
        ? (
          <section class="article-related" aria-labelledby="related-title" lang={state.lang}>
            <h2 id="related-title">{t("articles.related")}</h2>
            <div class="article-grid">
              {data.related.map((r) => <ArticleCard key={r.slug} article={r} t={t} lang={state.lang} />)}
            </div>
          </section>
        )
        : null}
    </article>
  );
});
