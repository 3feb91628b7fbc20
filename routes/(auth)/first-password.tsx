import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { setFirstPassword } from "@/lib/auth/accounts.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { seeOther } from "@/lib/auth/web.ts";
import { AuthCard, MsgAlert } from "@/components/auth/views.tsx";
import { failedForm, formPage } from "@/lib/auth/views.tsx";
import { NewPasswordFields } from "@/components/auth/fields.tsx";
import { preloadPasswordEstimator } from "@/lib/auth/strength.ts";

/**
 * Forced password change at the first sign-in of staff (and after an admin
 * reset): `password` + `confirm`. Other pages redirect here until it is done.
 */
export const handler = define.handlers({
  GET(ctx) {
    preloadPasswordEstimator();
    const user = requireUser(ctx, { allowPasswordChange: true });
    if (!user.mustChangePassword) return ctx.redirect("/home", 303);
    ctx.state.title = ctx.state.t("first_password.title");
    return formPage();
  },
  async POST(ctx) {
    const user = requireUser(ctx, { allowPasswordChange: true });
    if (!user.mustChangePassword) return seeOther("/home");
    ctx.state.title = ctx.state.t("first_password.title");
    const body = await readBody(ctx.req);
    try {
      await setFirstPassword(user, body, ctx.state.sessionId);
      return seeOther("/home");
    } catch (err) {
      return failedForm(err);
    }
  },
});

export default define.page<typeof handler>(
  function FirstPassword({ data, state }) {
    const t = state.t;
    return (
      <AuthCard
        title={t("first_password.title")}
        intro={t("first_password.intro")}
      >
        <MsgAlert msg={data.message} t={t} />
        <form method="post" action="/first-password" class="stack" novalidate>
          <NewPasswordFields
            t={t}
            errors={data.errors}
            label={t("first_password.password")}
            confirmLabel={t("first_password.confirm")}
          />
          <button type="submit" class="btn btn-lg">
            {t("first_password.submit")}
          </button>
        </form>
      </AuthCard>
    );
  },
);
