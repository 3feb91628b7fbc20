import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { resendRegistrationCode, verifyRegistration } from "@/lib/auth/accounts.ts";
import { createSession, endSession, sessionCookie } from "@/lib/auth/sessions.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { echo, type Msg, q, seeOther } from "@/lib/auth/web.ts";
import { AuthCard, MsgAlert } from "@/components/auth/views.tsx";
import { failedForm, formPage } from "@/lib/auth/views.tsx";
import { CodeField, EmailField } from "@/components/auth/fields.tsx";

/**
 * E-mail verification after registration: the 6-digit code (`code`) for the
 * address (`email`). Success activates the account and signs the user in.
 * The "resend" button (`action=resend`) mails a new code (rate-limited).
 */
export const handler = define.handlers({
  GET(ctx) {
    ctx.state.title = ctx.state.t("verify.title");
    const url = ctx.url;
    let message: Msg | null = null;
    if (url.searchParams.has("pending")) {
      message = { key: "verify.pending", kind: "info" };
    }
    if (url.searchParams.has("resent")) {
      message = { key: "verify.resent", kind: "success" };
    }
    if (url.searchParams.get("mail") === "failed") {
      message = { key: "auth.mail_failed", kind: "error" };
    }
    return formPage({ email: q(url, "email", 254) }, message);
  },
  async POST(ctx) {
    ctx.state.title = ctx.state.t("verify.title");
    const body = await readBody(ctx.req);
    const ip = clientIp(ctx);
    try {
      if (body.action === "resend") {
        await resendRegistrationCode(body, ip);
        return seeOther(
          `/verify?${new URLSearchParams({
            email: String(body.email ?? "").trim(),
            resent: "1",
          })}`,
        );
      }
      const user = await verifyRegistration(body, ip);
      if (ctx.state.sessionId) await endSession(ctx.state.sessionId);
      const { token } = await createSession(user.id, "cookie");
      return seeOther("/home", [sessionCookie(token)]);
    } catch (err) {
      return failedForm(err, echo(body, ["email"]));
    }
  },
});

export default define.page<typeof handler>(function Verify({ data, state }) {
  const t = state.t;
  const { errors } = data;
  const email = data.values.email ?? "";
  return (
    <AuthCard
      title={t("verify.title")}
      intro={email ? t("verify.intro", { email }) : undefined}
    >
      <MsgAlert msg={data.message} t={t} />
      <form method="post" action="/verify" class="stack" novalidate>
        <EmailField label={t("verify.email")} t={t} errors={errors} value={email} autocomplete="email" required />
        <CodeField label={t("verify.code")} t={t} errors={errors} placeholder="123456" autofocus />
        <button type="submit" class="btn btn-lg">{t("verify.submit")}</button>
        <button
          type="submit"
          name="action"
          value="resend"
          class="btn btn-secondary"
          formnovalidate
        >
          {t("verify.resend")}
        </button>
      </form>
    </AuthCard>
  );
});
