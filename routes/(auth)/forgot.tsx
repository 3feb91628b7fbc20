import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { requestPasswordReset } from "@/lib/auth/accounts.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { echo, fieldT, q, seeOther } from "@/lib/auth/web.ts";
import { AuthCard, MsgAlert } from "@/components/auth/views.tsx";
import { failedForm, formPage } from "@/lib/auth/views.tsx";
import { Field } from "@/components/ui.tsx";

/**
 * Forgotten password, step 1: the e-mail, or a guest's phone (`identifier`;
 * the code goes to the account's e-mail). The answer is the same whether or
 * not an account has it (redirect to `/reset?sent=1`).
 */
export const handler = define.handlers({
  GET(ctx) {
    ctx.state.title = ctx.state.t("forgot.title");
    return formPage({ identifier: q(ctx.url, "identifier", 254) || q(ctx.url, "email", 254) });
  },
  async POST(ctx) {
    ctx.state.title = ctx.state.t("forgot.title");
    const body = await readBody(ctx.req);
    try {
      await requestPasswordReset(body, clientIp(ctx));
      return seeOther(
        `/reset?${new URLSearchParams({
          identifier: String(body.identifier ?? body.email ?? "").trim().toLowerCase(),
          sent: "1",
        })}`,
      );
    } catch (err) {
      return failedForm(err, echo(body, ["identifier"]));
    }
  },
});

export default define.page<typeof handler>(function Forgot({ data, state }) {
  const t = state.t;
  const { errors, values: v } = data;
  return (
    <AuthCard title={t("forgot.title")} intro={t("forgot.intro")}>
      <MsgAlert msg={data.message} t={t} />
      <form method="post" action="/forgot" class="stack" novalidate>
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
        <button type="submit" class="btn btn-lg">{t("forgot.submit")}</button>
      </form>
    </AuthCard>
  );
});
