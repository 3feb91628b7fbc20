import type { Lang, T } from "./i18n/mod.ts";
import type { User } from "./auth/users.ts";

/**
 * Feature stylesheets (`static/<name>.css`) a page declares on top of the sheets
 * every page gets (tokens, base, components); see docs/ui.md, "Stylesheets".
 */
export type Sheet =
  | "frontdesk"
  | "reports"
  | "scan"
  | "home"
  | "articles"
  | "payments"
  | "booking"
  | "availability"
  | "psychologists"
  | "chat"
  | "chatbot"
  | "notes"
  | "reviews"
  | "workspace"
  | "screening_admin"
  | "admin"
  | "screening_run"
  | "stars";

/** Adds feature stylesheets to the page being rendered (`_app` links them once each, in order). */
export function addSheets(state: Pick<State, "sheets">, ...names: Sheet[]): void {
  const list = state.sheets ?? (state.sheets = []);
  for (const n of names) if (!list.includes(n)) list.push(n);
}

/**
 * An extra tag in the page's `<head>` (set by a handler in `state.head`): a
 * `<meta>` (`name` or `property`, e.g. `og:title`) or a `<link>` (e.g. an Atom feed).
 */
export type HeadTag =
  | { meta: "name" | "property"; key: string; content: string }
  | { link: string; href: string; type?: string; title?: string };

/** Per-request state set by the middleware chain (`ctx.state`). */
export interface State {
  /** The signed-in user, or null. */
  user: User | null;
  /** Id of the browser session or API token in use (for sign-out). */
  sessionId: string | null;
  /** How the user authenticated this request. */
  authKind: "cookie" | "bearer" | null;
  lang: Lang;
  /** Translator bound to `lang`. */
  t: T;
  /** CSP nonce for inline scripts/styles of this response. */
  nonce: string;
  /** Feature stylesheets of this page (set with {@link addSheets}); rendered by `_app`. */
  sheets?: Sheet[];
  /** Page title set by a handler (rendered by `_app`); falls back to the app name. */
  title?: string;
  /** Extra `<head>` tags of this page (sharing previews, feed links), rendered by `_app` in order. */
  head?: HeadTag[];
  /** Props of the header notification island (signed-in HTML pages only), set by the root middleware. */
  bell?: { initialUnread: number; lang: Lang; strings: Record<string, string>; since: string } | null;
}
