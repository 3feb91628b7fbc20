import { page } from "fresh";
import { define } from "../../lib/define.ts";
import { readBody } from "../../lib/validation.ts";
import { changePassword } from "../../lib/auth/accounts.ts";
import { requireUser } from "../../lib/auth/guard.ts";
import { fieldT, formFailure, type Msg, seeOther } from "../../lib/auth/web.ts";
import { AuthCard, MsgAlert } from "../../lib/auth/views.tsx";
import { Field } from "../../components/ui.tsx";

interface Data {
  errors: Record<string, string>;
  message: Msg | null;
}

/**
 * Password change: `currentPassword`, `newPassword`, `confirm`. Other
 * sessions of the user are ended; this one stays.
 */
export const handler = define.handlers({
  GET(ctx) {
    requireUser(ctx);
    ctx.state.title = ctx.state.t("password.title");
    return page<Data>({ errors: {}, message: null });
  },
  async POST(ctx) {
    const user = requireUser(ctx);
    ctx.state.title = ctx.state.t("password.title");
    const body = await readBody(ctx.req);
    try {
      await changePassword(user, body, ctx.state.sessionId);
      return seeOther("/profile?password=changed");
    } catch (err) {
      const f = formFailure(err);
      return page<Data>({ errors: f.errors, message: f.message }, {
        status: f.status,
        headers: f.headers,
      });
    }
  },
});

export default define.page<typeof handler>(
  function ChangePassword({ data, state }) {
    const t = state.t;
    const ft = fieldT(t);
    return (
      <AuthCard title={t("password.title")}>
        <MsgAlert msg={data.message} t={t} />
        <form method="post" action="/profile/password" class="stack" novalidate>
          <Field
            name="currentPassword"
            type="password"
            label={t("password.current")}
            t={ft}
            errors={data.errors}
            autocomplete="current-password"
            required
          />
          <Field
            name="newPassword"
            type="password"
            label={t("password.new")}
            t={ft}
            errors={data.errors}
            autocomplete="new-password"
            hint={t("auth.password.hint")}
            required
          />
          <Field
            name="confirm"
            type="password"
            label={t("password.confirm")}
            t={ft}
            errors={data.errors}
            autocomplete="new-password"
            required
          />
          <button type="submit" class="btn btn-lg">
            {t("password.submit")}
          </button>
        </form>
        <p>
          <a href="/profile">{t("common.back")}</a>
        </p>
      </AuthCard>
    );
  },
);
