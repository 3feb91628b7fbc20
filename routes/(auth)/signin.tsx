import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { authenticate, resendRegistrationCode } from "@/lib/auth/accounts.ts";
import { createSession, endSession, sessionCookie } from "@/lib/auth/sessions.ts";
import { FIRST_PASSWORD_PATH, safeNext } from "@/lib/auth/guard.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { Conflict } from "@/lib/errors.ts";
import { echo, fieldT, type Msg, q, seeOther } from "@/lib/auth/web.ts";
import { AuthCard, Hidden, MsgAlert } from "@/components/auth/views.tsx";
import { failedForm, formPage } from "@/lib/auth/views.tsx";
import { Field } from "@/components/ui.tsx";

/**
 * Sign-in with `identifier` (e-mail, or phone for guests) and `password`.
 * A new session token is issued (any earlier one of this browser is ended).
 * Users with a temporary password go to `/first-password`; others to `next`
 * (same-site path) or `/home`. An unverified client gets a new code and goes
 * to `/verify`.
 */
export const handler = define.handlers({
  GET(ctx) {
    const next = safeNext(ctx.url.searchParams.get("next"));
    if (ctx.state.user) return ctx.redirect(next, 303);
    ctx.state.title = ctx.state.t("signin.title");
    let message: Msg | null = null;
    if (ctx.url.searchParams.has("signedout")) {
      message = { key: "signin.signed_out", kind: "success" };
    }
    if (ctx.url.searchParams.has("reset")) {
      message = { key: "signin.password_reset", kind: "success" };
    }
    return formPage({ next: q(ctx.url, "next", 500), identifier: q(ctx.url, "identifier", 254) }, message);
  },
  async POST(ctx) {
    ctx.state.title = ctx.state.t("signin.title");
    const body = await readBody(ctx.req);
    const ip = clientIp(ctx);
    try {
      const user = await authenticate(body.identifier, body.password, ip);
      if (ctx.state.sessionId) await endSession(ctx.state.sessionId);
      const { token } = await createSession(user.id, "cookie");
      const to = user.mustChangePassword ? FIRST_PASSWORD_PATH : safeNext(body.next);
      return seeOther(to, [sessionCookie(token)]);
    } catch (err) {
      if (
        err instanceof Conflict && err.code === "account_pending" &&
        typeof body.identifier === "string"
      ) {
        const email = body.identifier.trim().toLowerCase();
        try {
          await resendRegistrationCode({ email }, ip);
        } catch { /* rate-limited: the code sent earlier is still valid */ }
        return seeOther(
          `/verify?${new URLSearchParams({ email, pending: "1" })}`,
        );
      }
      return failedForm(err, echo(body, ["identifier", "next"]));
    }
  },
});

export default define.page<typeof handler>(function SignIn({ data, state }) {
  const t = state.t;
  const ft = fieldT(t);
  return (
    <AuthCard title={t("signin.title")} intro={t("signin.intro")}>
      <MsgAlert msg={data.message} t={t} />
      <form method="post" action="/signin" class="stack" novalidate>
        <Hidden name="next" value={data.values.next} />
        <Field
          name="identifier"
          label={t("signin.identifier")}
          t={ft}
          errors={data.errors}
          value={data.values.identifier}
          autocomplete="username"
          maxLength={254}
          required
        />
        <Field
          name="password"
          type="password"
          label={t("signin.password")}
          t={ft}
          errors={data.errors}
          autocomplete="current-password"
          required
        />
        <button type="submit" class="btn btn-lg">{t("signin.submit")}</button>
      </form>
      <p>
        <a href="/forgot">{t("signin.forgot")}</a>
      </p>
      <p class="muted">{t("signin.guest_forgot")}</p>
      <p class="muted">
        {t("signin.no_account")} <a href="/register">{t("nav.register")}</a>
      </p>
    </AuthCard>
  );
});
