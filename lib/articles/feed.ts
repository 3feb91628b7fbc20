/**
 * The Atom feed of published articles (RFC 4287), built as a string.
 *
 * Every text goes through {@link xmlText}: the five XML special characters are
 * escaped and characters XML 1.0 forbids (control characters, lone surrogates,
 * U+FFFE/U+FFFF; XML 1.0 §2.2 "Characters") are dropped, so no title, tag or body
 * can break the document. The body is sent as `type="html"` (escaped HTML, the
 * stored sanitised HTML).
 */
import type { Article } from "./model.ts";

/** Text safe inside an XML element or a double-quoted attribute. */
export function xmlText(s: string): string {
  return s.replace(NOT_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** Code points XML 1.0 does not allow (controls other than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
const NOT_XML =
  // deno-lint-ignore no-control-regex -- these are exactly the characters to drop
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * An Atom document of `articles` (newest first) for the site at `baseUrl`.
 * `title` is the feed's title; the feed id and entry ids are the page URLs.
 */
export function atomFeed(articles: readonly Article[], opts: { baseUrl: string; title: string; lang: string }): string {
  const base = opts.baseUrl.replace(/\/$/, "");
  const updated = articles.reduce((m, a) => (a.updatedAt > m ? a.updatedAt : m), "1970-01-01T00:00:00.000Z");
  const entries = articles.map((a) => {
    const url = `${base}/articles/${a.slug}`;
    return [
      "  <entry>",
      `    <id>${xmlText(url)}</id>`,
      `    <title type="text">${xmlText(a.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(url)}"/>`,
      `    <published>${a.publishAt}</published>`,
      `    <updated>${a.updatedAt > a.publishAt ? a.updatedAt : a.publishAt}</updated>`,
      `    <author><name>${xmlText(a.author)}</name></author>`,
      ...a.tags.map((t) => `    <category term="${xmlText(t)}"/>`),
      `    <summary type="text">${xmlText(a.excerpt)}</summary>`,
      `    <content type="html" xml:lang="${a.lang}">${xmlText(a.bodyHtml)}</content>`,
      "  </entry>",
    ].join("\n");
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlText(opts.lang)}">`,
    `  <id>${xmlText(`${base}/articles`)}</id>`,
    `  <title type="text">${xmlText(opts.title)}</title>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(`${base}/articles/feed.xml`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(`${base}/articles`)}"/>`,
    `  <updated>${updated}</updated>`,
    ...entries,
    "</feed>",
    "",
  ].join("\n");
}
