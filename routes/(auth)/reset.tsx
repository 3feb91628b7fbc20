import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { resetPassword } from "@/lib/auth/accounts.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { echo, fieldT, type Msg, q, seeOther } from "@/lib/auth/web.ts";
import { AuthCard, MsgAlert } from "@/components/auth/views.tsx";
import { failedForm, formPage } from "@/lib/auth/views.tsx";
import { CodeField, NewPasswordFields } from "@/components/auth/fields.tsx";
import { Field } from "@/components/ui.tsx";
import { preloadPasswordEstimator } from "@/lib/auth/strength.ts";

/**
 * Forgotten password, step 2: `identifier` (e-mail, or a guest's phone), the mailed `code`, the new `password`
 * and `confirm`. Success ends every session and sends the user to sign in.
 */
export const handler = define.handlers({
  GET(ctx) {
    preloadPasswordEstimator();
    ctx.state.title = ctx.state.t("reset.title");
    const message: Msg | null = ctx.url.searchParams.has("sent") ? { key: "forgot.sent", kind: "info" } : null;
    return formPage({ identifier: q(ctx.url, "identifier", 254) || q(ctx.url, "email", 254) }, message);
  },
  async POST(ctx) {
    ctx.state.title = ctx.state.t("reset.title");
    const body = await readBody(ctx.req);
    try {
      await resetPassword(body, clientIp(ctx));
      return seeOther("/signin?reset=1");
    } catch (err) {
      return failedForm(err, echo(body, ["identifier"]));
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
        <Field
          name="identifier"
          label={t("forgot.identifier")}
          t={fieldT(t)}
          errors={errors}
          value={v.identifier}
          autocomplete="username"
          maxLength={254}
          required
        />
        <CodeField label={t("reset.code")} t={t} errors={errors} />
        <NewPasswordFields t={t} errors={errors} label={t("reset.password")} confirmLabel={t("reset.confirm")} />
        <button type="submit" class="btn btn-lg">{t("reset.submit")}</button>
      </form>
      <p>
        <a
          href={`/forgot?identifier=${encodeURIComponent(v.identifier ?? "")}`}
        >
          {t("reset.request_new")}
        </a>
      </p>
    </AuthCard>
  );
});
