import { define } from "../lib/define.ts";
import { isLang } from "../lib/i18n/mod.ts";

/**
 * Switches the UI language: `GET /lang?to=en&next=/path` sets the `lang`
 * cookie (1 year) and returns to `next` (same-site paths only).
 */
export const handler = define.handlers({
  GET(ctx) {
    const to = ctx.url.searchParams.get("to");
    const nextRaw = ctx.url.searchParams.get("next") ?? "/";
    const next = nextRaw.startsWith("/") && !nextRaw.startsWith("//") && !nextRaw.startsWith("/\\") ? nextRaw : "/";
    const headers = new Headers({ location: next });
    if (isLang(to)) headers.append("set-cookie", `lang=${to}; Path=/; Max-Age=31536000; SameSite=Lax`);
    return new Response(null, { status: 303, headers });
  },
});
