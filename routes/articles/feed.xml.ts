import { define } from "@/lib/define.ts";
import { config } from "@/lib/config.ts";
import { getPublishedArticle, listPublishedArticles } from "@/lib/articles/store.ts";
import { atomFeed } from "@/lib/articles/feed.ts";
import type { Article } from "@/lib/articles/model.ts";

/** Entries in the feed (the newest published articles). */
const FEED_SIZE = 20;

/** `GET /articles/feed.xml` — Atom feed of the newest published articles, both languages (`lib/articles/feed.ts`). */
export const handler = define.handlers({
  async GET(ctx) {
    const now = new Date();
    const { items } = await listPublishedArticles({ limit: FEED_SIZE, now });
    const full = (await Promise.all(items.map((s) => getPublishedArticle(s.slug, now)))).filter((a): a is Article =>
      a !== null
    );
    const body = atomFeed(full, {
      baseUrl: config.baseUrl,
      title: `${ctx.state.t("app.name")} — ${ctx.state.t("articles.title")}`,
      lang: ctx.state.lang,
    });
    return new Response(body, {
      headers: { "content-type": "application/atom+xml; charset=utf-8", "cache-control": "public, max-age=300" },
    });
  },
});
