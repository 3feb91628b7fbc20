import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { changePassword } from "@/lib/auth/accounts.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { fieldT, seeOther } from "@/lib/auth/web.ts";
import { AuthCard, MsgAlert } from "@/components/auth/views.tsx";
import { failedForm, formPage } from "@/lib/auth/views.tsx";
import { Field } from "@/components/ui.tsx";
import { NewPasswordFields } from "@/components/auth/fields.tsx";
import { preloadPasswordEstimator } from "@/lib/auth/strength.ts";

/**
 * Password change: `currentPassword`, `newPassword`, `confirm`. Other
 * sessions of the user are ended; this one stays.
 */
export const handler = define.handlers({
  GET(ctx) {
    preloadPasswordEstimator();
    requireUser(ctx);
    ctx.state.title = ctx.state.t("password.title");
    return formPage();
  },
  async POST(ctx) {
    const user = requireUser(ctx);
    ctx.state.title = ctx.state.t("password.title");
    const body = await readBody(ctx.req);
    try {
      await changePassword(user, body, ctx.state.sessionId);
      return seeOther("/profile?password=changed");
    } catch (err) {
      return failedForm(err);
    }
  },
});

export default define.page<typeof handler>(
  function ChangePassword({ data, state }) {
    const t = state.t;
    return (
      <AuthCard title={t("password.title")}>
        <MsgAlert msg={data.message} t={t} />
        <form method="post" action="/profile/password" class="stack" novalidate>
          <Field
            name="currentPassword"
            type="password"
            label={t("password.current")}
            t={fieldT(t)}
            errors={data.errors}
            autocomplete="current-password"
            required
          />
          <NewPasswordFields
            t={t}
            errors={data.errors}
            name="newPassword"
            label={t("password.new")}
            confirmLabel={t("password.confirm")}
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
