import { page } from "fresh";
import { define } from "../../lib/define.ts";
import { readBody } from "../../lib/validation.ts";
import { resetPassword } from "../../lib/auth/accounts.ts";
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
 * Forgotten password, step 2: `email`, the mailed `code`, the new `password`
 * and `confirm`. Success ends every session and sends the user to sign in.
 */
export const handler = define.handlers({
  GET(ctx) {
    ctx.state.title = ctx.state.t("reset.title");
    const message: Msg | null = ctx.url.searchParams.has("sent") ? { key: "forgot.sent", kind: "info" } : null;
    return page<Data>({
      values: { email: q(ctx.url, "email", 254) },
      errors: {},
      message,
    });
  },
  async POST(ctx) {
    ctx.state.title = ctx.state.t("reset.title");
    const body = await readBody(ctx.req);
    try {
      await resetPassword(body, clientIp(ctx));
      return seeOther("/signin?reset=1");
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

export default define.page<typeof handler>(function Reset({ data, state }) {
  const t = state.t;
  const ft = fieldT(t);
  return (
    <AuthCard title={t("reset.title")}>
      <MsgAlert msg={data.message} t={t} />
      <form method="post" action="/reset" class="stack" novalidate>
        <Field
          name="email"
          type="email"
          label={t("reset.email")}
          t={ft}
          errors={data.errors}
          value={data.values.email}
          autocomplete="email"
          maxLength={254}
          required
        />
        <Field
          name="code"
          label={t("reset.code")}
          t={ft}
          errors={data.errors}
          inputmode="numeric"
          autocomplete="one-time-code"
          maxLength={6}
          required
        />
        <Field
          name="password"
          type="password"
          label={t("reset.password")}
          t={ft}
          errors={data.errors}
          autocomplete="new-password"
          hint={t("auth.password.hint")}
          required
        />
        <Field
          name="confirm"
          type="password"
          label={t("reset.confirm")}
          t={ft}
          errors={data.errors}
          autocomplete="new-password"
          required
        />
        <button type="submit" class="btn btn-lg">{t("reset.submit")}</button>
      </form>
      <p>
        <a
          href={`/forgot?email=${encodeURIComponent(data.values.email ?? "")}`}
        >
          {t("reset.request_new")}
        </a>
      </p>
    </AuthCard>
  );
});
