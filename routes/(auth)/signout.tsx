import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { clearSessionCookie, endAllSessions, endSession } from "@/lib/auth/sessions.ts";
import { seeOther } from "@/lib/auth/web.ts";
import { AuthCard } from "@/components/auth/views.tsx";

/**
 * Sign-out. `POST /signout` ends this browser's session; with `scope=all`
 * every session and API token of the user ("sign out everywhere"). `GET`
 * shows both choices.
 */
export const handler = define.handlers({
  GET(ctx) {
    if (!ctx.state.user) return ctx.redirect("/signin", 303);
    ctx.state.title = ctx.state.t("signout.title");
    return ctx.render();
  },
  async POST(ctx) {
    const body = await readBody(ctx.req);
    const user = ctx.state.user;
    if (user && body.scope === "all") await endAllSessions(user.id);
    else if (ctx.state.sessionId && ctx.state.authKind === "cookie") {
      await endSession(ctx.state.sessionId);
    }
    return seeOther("/signin?signedout=1", [clearSessionCookie()]);
  },
});

export default define.page(function SignOut({ state }) {
  const t = state.t;
  return (
    <AuthCard title={t("signout.title")} intro={t("signout.intro")}>
      <form method="post" action="/signout" class="stack">
        <button type="submit" class="btn btn-lg">{t("signout.here")}</button>
      </form>
      <form method="post" action="/signout" class="stack">
        <input type="hidden" name="scope" value="all" />
        <button type="submit" class="btn btn-secondary">
          {t("signout.everywhere")}
        </button>
      </form>
    </AuthCard>
  );
});
