import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { resetPassword } from "@/lib/auth/accounts.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { echo, type Msg, q, seeOther } from "@/lib/auth/web.ts";
import { AuthCard, MsgAlert } from "@/components/auth/views.tsx";
import { failedForm, formPage } from "@/lib/auth/views.tsx";
import { CodeField, EmailField, NewPasswordFields } from "@/components/auth/fields.tsx";

/**
 * Forgotten password, step 2: `email`, the mailed `code`, the new `password`
 * and `confirm`. Success ends every session and sends the user to sign in.
 */
export const handler = define.handlers({
  GET(ctx) {
    ctx.state.title = ctx.state.t("reset.title");
    const message: Msg | null = ctx.url.searchParams.has("sent") ? { key: "forgot.sent", kind: "info" } : null;
    return formPage({ email: q(ctx.url, "email", 254) }, message);
  },
  async POST(ctx) {
    ctx.state.title = ctx.state.t("reset.title");
    const body = await readBody(ctx.req);
    try {
      await resetPassword(body, clientIp(ctx));
      return seeOther("/signin?reset=1");
    } catch (err) {
      return failedForm(err, echo(body, ["email"]));
    }
  },
});

export default define.page<typeof handler>(function Reset({ data, state }) {
  const t = state.t;
  const { errors, values: v } = data;
  return (
    <AuthCard title={t("reset.title")}>
      <MsgAlert msg={data.message} t={t} />
      <form method="post" action="/reset" class="stack" novalidate>
        <EmailField label={t("reset.email")} t={t} errors={errors} value={v.email} autocomplete="email" required />
        <CodeField label={t("reset.code")} t={t} errors={errors} />
        <NewPasswordFields t={t} errors={errors} label={t("reset.password")} confirmLabel={t("reset.confirm")} />
        <button type="submit" class="btn btn-lg">{t("reset.submit")}</button>
      </form>
      <p>
        <a
          href={`/forgot?email=${encodeURIComponent(v.email ?? "")}`}
        >
          {t("reset.request_new")}
        </a>
      </p>
    </AuthCard>
  );
});
