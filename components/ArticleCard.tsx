/**
 * One article in a list (home pages, `/articles`): cover image with its alt
 * text, title linking to `/articles/{slug}`, excerpt, publish date
 * (`lib/i18n/format.ts`, short date in the centre's time zone) and reading time.
 */
import type { Lang, T } from "@/lib/i18n/mod.ts";
import { formatDate } from "@/lib/i18n/format.ts";
import { config } from "@/lib/config.ts";
import type { ArticleSummary } from "@/lib/articles/store.ts";

/** How many articles the home pages (`/`, `/client`) show. */
export const HOME_ARTICLES = 3;

/** The fields of an article summary the card shows. */
export type ArticleCardData = Pick<
  ArticleSummary,
  "slug" | "title" | "lang" | "excerpt" | "coverUrl" | "coverAlt" | "publishAt" | "readingMinutes"
>;

/**
 * Renders `article` as a card; `headingLevel` (default 3) fits the card under
 * the page's own headings. `lang` is the UI language for the date and labels;
 * the article's own language marks its text (`lang` attribute) when it differs.
 */
export function ArticleCard(
  { article, t, lang, headingLevel = 3 }: { article: ArticleCardData; t: T; lang: Lang; headingLevel?: 2 | 3 },
) {
  const H = headingLevel === 2 ? "h2" : "h3";
  const href = `/articles/${encodeURIComponent(article.slug)}`;
  const textLang = article.lang !== lang ? article.lang : undefined;
  return (
    <article class="card article-card">
      {article.coverUrl
        ? (
          <img
            class="article-card-cover"
            src={article.coverUrl}
            alt={article.coverAlt}
            loading="lazy"
            width={640}
            height={360}
          />
        )
        : null}
      <div class="article-card-body" lang={textLang}>
        <H class="article-card-title">
          <a href={href}>{article.title}</a>
        </H>
        <p class="article-card-excerpt">{article.excerpt}</p>
      </div>
      <p class="article-card-meta muted">
        <time dateTime={article.publishAt}>{formatDate(article.publishAt, lang, config.timeZone)}</time>
        {" · "}
        {t("article.reading_minutes", { n: article.readingMinutes })}
      </p>
    </article>
  );
}

/**
 * A home page's "latest articles" section: heading, a "see all" link to
 * `/articles`, the cards in a grid (one column on phones), or a short note
 * when there are none yet.
 */
export function LatestArticles(
  { articles, t, lang, title }: { articles: readonly ArticleCardData[]; t: T; lang: Lang; title: string },
) {
  return (
    <section class="home-section latest-articles" aria-labelledby="latest-articles-title">
      <div class="home-section-head">
        <h2 id="latest-articles-title">{title}</h2>
        <a href="/articles">{t("landing.articles.all")}</a>
      </div>
      {articles.length
        ? (
          <div class="article-grid">
            {articles.map((a) => <ArticleCard key={a.slug} article={a} t={t} lang={lang} />)}
          </div>
        )
        : <p class="empty">{t("landing.articles.none")}</p>}
    </section>
  );
}
