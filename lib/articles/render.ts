/**
 * Markdown → safe HTML for articles, done once at save time (the Markdown
 * source is kept for editing; pages print the stored `bodyHtml`).
 *
 * 1. `marked` (CommonMark + GFM) turns the Markdown into HTML. Raw HTML in the
 *    Markdown passes through marked untouched, so step 2 is what makes it safe.
 * 2. `sanitize-html` keeps an allow-list of formatting tags and attributes:
 *    no `<script>`/`<style>`/`<iframe>`/forms, no `on*` event attributes, no
 *    `style`, links only `https:`/`http:`/`mailto:`/`tel:` or relative, images
 *    only from this site (relative URLs; no `data:`/`javascript:` anywhere).
 *    Links that leave the site get `rel="noopener noreferrer"`.
 *    (OWASP Cross Site Scripting Prevention Cheat Sheet, rule "sanitize HTML
 *    markup with a library designed for the job"; OWASP ASVS 5.2.1.)
 *
 * The admin editor's preview uses the same function through
 * `POST /api/articles/preview`, so what the preview shows is what is stored.
 */
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const md = new Marked({ gfm: true, breaks: false, async: false });

/** The allow-list (exported so tests can show what survives). */
export const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "blockquote",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: {
    a: ["href", "title"],
    img: ["src", "alt", "title"],
    th: ["align"],
    td: ["align"],
    ol: ["start"],
  },
  allowedSchemes: ["https", "http", "mailto", "tel"],
  // Images only from this site (relative URLs such as /files/{id}).
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  // Text inside these is dropped with the tag (not shown as text).
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "iframe", "object", "embed", "template"],
  transformTags: {
    // An article's title is its one h1; headings in the body start at h2.
    h1: "h2",
  },
};

/**
 * Second pass over already-sanitised HTML: links that leave the site get
 * `rel="noopener noreferrer"` (run after the first pass so a link whose href was
 * removed as unsafe is not marked).
 */
const REL_OPTIONS: sanitizeHtml.IOptions = {
  ...SANITIZE_OPTIONS,
  allowedAttributes: { ...SANITIZE_OPTIONS.allowedAttributes, a: ["href", "title", "rel"] },
  transformTags: {
    a: (tagName, attribs) => {
      const out: Record<string, string> = {};
      if (attribs.href !== undefined) out.href = attribs.href;
      if (attribs.title !== undefined) out.title = attribs.title;
      if (isExternal(attribs.href)) out.rel = "noopener noreferrer";
      return { tagName, attribs: out };
    },
  },
};

/** True for an absolute URL (scheme or `//`), i.e. a link that may leave the site. */
function isExternal(href: string | undefined): boolean {
  if (!href) return false;
  const h = href.trim();
  return /^[a-z][a-z0-9+.-]*:/i.test(h) || h.startsWith("//");
}

/**
 * Renders article Markdown to sanitised HTML (see the module comment for the
 * allow-list). Pure and synchronous; never throws on any input string.
 * @example
 * ```ts
 * renderMarkdown("Hi <img src=x onerror=alert(1)> [x](javascript:alert(1))");
 * // → '<p>Hi <img src="x" /> <a>x</a></p>\n'
 * ```
 */
export function renderMarkdown(source: string): string {
  const html = md.parse(source) as string;
  return sanitizeHtml(sanitizeHtml(html, SANITIZE_OPTIONS), REL_OPTIONS);
}

/** The plain text of sanitised HTML (tags removed, entities decoded, spaces collapsed). */
export function plainText(html: string): string {
  const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {}, nonTextTags: ["script", "style"] });
  return decodeEntities(text).replace(/\s+/g, " ").trim();
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);/gi, (m, e: string) => {
    const l = e.toLowerCase();
    if (l === "amp") return "&";
    if (l === "lt") return "<";
    if (l === "gt") return ">";
    if (l === "quot") return '"';
    if (l === "apos") return "'";
    if (l === "nbsp") return " ";
    const cp = l.startsWith("#x") ? parseInt(l.slice(2), 16) : parseInt(l.slice(1), 10);
    return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

/**
 * Words per minute used for the reading time. 200 is a conservative figure for
 * silent reading of non-fiction (Brysbaert 2019, "How many words do we read per
 * minute?", mean 238 for English); Indonesian words are longer on average, so
 * the same rate is used for both languages.
 */
export const WORDS_PER_MINUTE = 200;

/** Whole minutes to read `text` (at least 1). */
export function readingMinutes(text: string): number {
  const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  return Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
}

/**
 * A URL-safe slug of `text`: lower-case ASCII letters, digits and single
 * hyphens (accents folded: "Kesehatan Mental & Stres" → "kesehatan-mental-stres"),
 * at most `max` characters, cut at a hyphen where possible. May be "".
 */
export function slugify(text: string, max = 80): string {
  const s = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const at = cut.lastIndexOf("-");
  return (at > max / 2 ? cut.slice(0, at) : cut).replace(/-+$/g, "");
}
