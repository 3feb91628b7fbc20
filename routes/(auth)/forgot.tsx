import { page } from "fresh";
import { define } from "../../lib/define.ts";
import { readBody } from "../../lib/validation.ts";
import { requestPasswordReset } from "../../lib/auth/accounts.ts";
import { clientIp } from "../../lib/ratelimit.ts";
import { echo, fieldT, formFailure, type Msg, q, seeOther } from "../../lib/auth/web.ts";
import { AuthCard, MsgAlert } from "../../lib/auth/views.tsx";
import { Field } from "../../components/ui.tsx";

interface Data {
  values: Record<string, string>;
  errors: Record<string, string>;
  message: Msg | null;
}

/**
 * Forgotten password, step 1: the e-mail. The answer is the same whether or
 * not an account has it (redirect to `/reset?sent=1`).
 */
export const handler = define.handlers({
  GET(ctx) {
    ctx.state.title = ctx.state.t("forgot.title");
    return page<Data>({
      values: { email: q(ctx.url, "email", 254) },
      errors: {},
      message: null,
    });
  },
  async POST(ctx) {
    ctx.state.title = ctx.state.t("forgot.title");
    const body = await readBody(ctx.req);
    try {
      await requestPasswordReset(body, clientIp(ctx));
      return seeOther(
        `/reset?${new URLSearchParams({
          email: String(body.email).trim().toLowerCase(),
          sent: "1",
        })}`,
      );
    } catch (err) {
      const f = formFailure(err);
      return page<Data>({
        values: echo(body, ["email"]),
        errors: f.errors,
        message: f.message,
      }, { status: f.status, headers: f.headers });
    }
  },
});

export default define.page<typeof handler>(function Forgot({ data, state }) {
  const t = state.t;
  return (
    <AuthCard title={t("forgot.title")} intro={t("forgot.intro")}>
      <MsgAlert msg={data.message} t={t} />
      <form method="post" action="/forgot" class="stack" novalidate>
        <Field
          name="email"
          type="email"
          label={t("forgot.email")}
          t={fieldT(t)}
          errors={data.errors}
          value={data.values.email}
          autocomplete="email"
          maxLength={254}
          required
        />
        <button type="submit" class="btn btn-lg">{t("forgot.submit")}</button>
      </form>
    </AuthCard>
  );
});
