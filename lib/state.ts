import type { Lang, T } from "./i18n/mod.ts";
import type { User } from "./auth/users.ts";

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
  /** Page title set by a handler (rendered by `_app`); falls back to the app name. */
  title?: string;
  /** Props of the header notification island (signed-in HTML pages only), set by the root middleware. */
  bell?: { initialUnread: number; lang: Lang; strings: Record<string, string>; since: string } | null;
}
