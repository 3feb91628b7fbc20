import { define } from "@/lib/define.ts";
import { isLang } from "@/lib/i18n/mod.ts";
import { readBody } from "@/lib/validation.ts";
import { updateUser } from "@/lib/auth/users.ts";
import { safeNext } from "@/lib/auth/guard.ts";

/** `Set-Cookie` for the language choice (1 year, readable by the server only). */
function langCookie(lang: string): string {
  return `lang=${lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly`;
}

/**
 * Switches the UI language and returns to `next` (same-site paths only):
 * `GET /lang?to=en&next=/path` (the header link) or `POST /lang` with form
 * fields `lang` (or `to`) and `next`. Sets the `lang` cookie (1 year) and, when
 * signed in, the user's language for e-mails.
 */
async function switchLang(
  ctx: { state: { user: { id: string; lang: string } | null } },
  to: unknown,
  next: unknown,
): Promise<Response> {
  const headers = new Headers({ location: safeNext(next, "/") });
  if (isLang(to)) {
    headers.append("set-cookie", langCookie(to));
    const user = ctx.state.user;
    if (user && user.lang !== to) {
      try {
        await updateUser(user.id, { lang: to });
      } catch { /* a concurrent edit wins; the cookie still switches the UI */ }
    }
  }
  return new Response(null, { status: 303, headers });
}

export const handler = define.handlers({
  GET(ctx) {
    return switchLang(
      ctx,
      ctx.url.searchParams.get("to"),
      ctx.url.searchParams.get("next"),
    );
  },
  async POST(ctx) {
    const body = await readBody(ctx.req);
    return switchLang(ctx, body.lang ?? body.to, body.next);
  },
});
